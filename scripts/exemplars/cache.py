"""A small content-addressed cache on disk (`.cache/exemplars/<name>.sqlite`, never committed).

Values are stored under the SHA-256 of everything that determines them — the content and the code that turns it
into the value (for bodies: site/render.py's `code_signature`, a digest of the whole package and of the versions of
Markdown, pymdown-extensions and nh3) — so an entry can never be stale: a changed input or a changed renderer is
simply a different key, and a second build reuses every unchanged story's work. A caller that leaves something
out of its key breaks that promise; old entries are never evicted, only orphaned (`make clean` drops them). A cache that
cannot be opened or written (read-only checkout, full disk, corrupt file) is skipped, never fatal: it only ever
makes builds faster.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

CACHE_DIR = Path(".cache") / "exemplars"
_INHERITED: list = []  # connections a forked process got from its parent: kept alive so they are never closed here


def digest(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))  # length-prefixed: ("ab", "c") and ("a", "bc") differ
        h.update(data)
    return h.hexdigest()


class ContentCache:
    def __init__(self, root: Path, name: str) -> None:
        self.path = Path(root) / CACHE_DIR / f"{name}.sqlite"
        self.hits = self.misses = 0
        self._pending: dict[str, str] = {}  # put, not yet written: get() finds these too
        self._parents: dict[str, str] = {}  # in a forked process: what the parent had not written yet (read only)
        self._memory: dict[str, str] = {}  # used only when the database cannot be opened
        self._db: sqlite3.Connection | None = None
        self._open()

    def _open(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Two processes of one build may write at once (exemplars.parallel): wait for the other's lock.
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
            self._db.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        except (OSError, sqlite3.Error):
            self._db = None
            return
        try:  # readers never wait for the other process's write; a lost last write only costs a re-render
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.Error:  # e.g. a file system without shared memory: the default journal still works
            pass

    def reopen_after_fork(self) -> None:
        """In a forked process: a connection of the parent must be neither used nor closed here (SQLite's rule),
        so it is set aside, never touched again, and this process opens its own. Entries the parent had not
        flushed yet stay the parent's to write."""
        _INHERITED.append(self._db)
        self._parents, self._pending = {**self._parents, **self._pending}, {}
        self.hits = self.misses = 0  # this process's own counts from here on
        self._open()

    def get(self, key: str, *, count_miss: bool = True) -> str | None:
        """The value under `key`, or None. `count_miss=False`: a first look that is not yet a miss."""
        value = self._pending.get(key)
        if value is None:
            value = self._parents.get(key)
        if value is not None:
            self.hits += 1
            return value
        if self._db is None:  # no database (read-only checkout …): this process still remembers what it made
            value = self._memory.get(key)
        else:
            try:
                row = self._db.execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
            except sqlite3.Error:
                row = None
            value = row[0] if row is not None else None
        if value is None:
            self.misses += count_miss
        else:
            self.hits += 1
        return value

    def put(self, key: str, value: str) -> None:
        self._pending[key] = value
        if len(self._pending) >= 500:
            self.flush()

    def flush(self) -> None:
        pending, self._pending = self._pending, {}
        if self._db is None:
            self._memory.update(pending)  # `mkdocs serve` rebuilds reuse these
            return
        if not pending:
            return
        try:
            with self._db:
                self._db.execute("BEGIN")
                self._db.executemany("INSERT OR REPLACE INTO entries (key, value) VALUES (?, ?)", pending.items())
        except sqlite3.Error:
            pass

    def close(self) -> None:
        self.flush()
        if self._db is not None:
            self._db.close()
            self._db = None
