"""Writing files safely, the one home of atomic writes: never overwrite by accident, never leave half a file.

Every write goes through a temporary file beside the target that is renamed (`write_atomic`) or hard-linked
(`create_exclusive`) into place, so a reader, a crash or a full disk sees the old bytes or the new ones, never a
mixture. Files editors own (stories, lessons, an output they asked for) are also flushed to disk first
(`durable=True`); build caches skip that, as they are only ever a shortcut and a flush per QR code costs time.
"""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path


def _write_temp(folder: Path, data: bytes, durable: bool, suffix: str = "") -> str:
    """A new file `.tmp-…` in `folder` holding `data`, with the permissions a new file gets (0666 minus umask);
    returns its path. Removed again if the write fails."""
    while True:
        tmp = os.path.join(folder, f".tmp-{os.getpid()}-{secrets.token_hex(6)}{suffix}")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
            break
        except FileExistsError:  # another writer's name: draw again
            continue
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write `data` to `path` in one step (temporary file + rename), creating its folder if needed. An existing
    file keeps its permissions; `durable` flushes the bytes to disk before the rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _write_temp(path.parent, data, durable)
    try:
        try:
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        except FileNotFoundError:  # a new file: the permissions it was created with
            pass
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def create_exclusive(path: Path, text: str) -> None:
    """Write `text` to a new file at `path`; FileExistsError if anything is there, even if created meanwhile."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _write_temp(path.parent, text.encode("utf-8"), durable=True, suffix=".md")
    try:
        os.link(tmp, path)  # atomic, and fails if the target exists (unlike rename)
    finally:
        os.unlink(tmp)


# --- build caches (.cache/qr, .cache/docx …): entries written whole, then linked or copied into the site ------
def place_from_cache(cached: Path, target: Path) -> None:
    """A hard link when the cache and the site share a file system (no bytes copied), else a copy."""
    if target.exists() or target.is_symlink():
        target.unlink()
    try:
        os.link(cached, target)
    except OSError:
        shutil.copyfile(cached, target)


def copy_tree(source: Path, target: Path) -> None:
    """`source` copied to `target` (replaced if it exists), file by file: copies, not links, so that whatever
    rewrites the copy in place (a deploy step) cannot reach `source` (a cache)."""
    target = Path(target)
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, copy_function=shutil.copyfile)
