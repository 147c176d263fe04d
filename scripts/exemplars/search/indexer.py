"""Feed records to Pagefind's indexing service while the site is still being rendered.

We speak Pagefind's `--service` protocol (base64-encoded JSON messages, each followed by a comma, on stdin and
stdout) with the extended binary from the `pagefind[extended]` wheel. The package's own asyncio wrapper polls for
each response with a 0.1 s sleep — 100 s for 1,000 pages — so a reader thread resolves replies as they arrive.
A build hands records over as it renders the page bodies (indexing overlaps that on the second core) and writes
the pages themselves while Pagefind writes its bundle; a bounded number of requests in flight keeps memory flat.
Only small search records cross the pipe, never whole pages.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import threading
import time
from concurrent.futures import Future
from pathlib import Path

from .pairs import PairsError, Split, complete_beside, split_pairs
from .records import SearchRecord
from .stable import stabilise


class SearchIndexError(RuntimeError):
    pass


def pagefind_version() -> str:
    try:
        from importlib.metadata import version

        return version("pagefind_bin_extended")
    except Exception:  # noqa: BLE001 - metadata missing: the binary's path still tells builds apart
        return pagefind_binary()


def pagefind_binary() -> str:
    try:
        from pagefind_bin_extended import get_executable  # the extended build segments Chinese
    except ImportError as exc:  # pragma: no cover - the dependency is declared
        raise SearchIndexError("找不到 Pagefind（需要 pagefind[extended]）：请重新运行 make install") from exc
    return str(get_executable())


class PagefindService:
    """A minimal synchronous client of `pagefind --service`."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [pagefind_binary(), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self._futures: dict[int, Future] = {}
        self._lock = threading.Lock()
        self._next_id = 0
        self._reader = threading.Thread(target=self._read, name="pagefind-reader", daemon=True)
        self._reader.start()

    def request(self, payload: dict) -> Future:
        future: Future = Future()
        with self._lock:
            self._next_id += 1
            message_id = self._next_id
            self._futures[message_id] = future
            message = base64.b64encode(json.dumps({"message_id": message_id, "payload": payload}).encode())
            try:
                self._process.stdin.write(message + b",")
                self._process.stdin.flush()
            except OSError as exc:
                self._futures.pop(message_id, None)
                future.set_exception(SearchIndexError(f"Pagefind 进程已退出：{exc}"))
        return future

    def _read(self) -> None:
        buffer = b""
        stream = self._process.stdout
        while True:
            chunk = stream.read1(1 << 16) if hasattr(stream, "read1") else stream.read(1)
            if not chunk:
                break
            buffer += chunk
            while b"," in buffer:
                message, buffer = buffer.split(b",", 1)
                self._resolve(json.loads(base64.b64decode(message)))
        with self._lock:  # the process ended: nobody will answer the rest
            for future in self._futures.values():
                if not future.done():
                    future.set_exception(SearchIndexError("Pagefind 进程意外退出"))
            self._futures.clear()

    def _resolve(self, response: dict) -> None:
        message_id = response.get("message_id")
        payload = response.get("payload", {})
        if message_id is None and payload.get("original_message"):
            message_id = json.loads(payload["original_message"]).get("message_id")
        with self._lock:
            future = self._futures.pop(message_id, None)
        if future is None:
            return
        if payload.get("type") == "Error":
            future.set_exception(SearchIndexError(f"Pagefind 报错：{payload.get('message')}"))
        else:
            future.set_result(payload)

    @property
    def process(self) -> subprocess.Popen:
        return self._process

    def kill(self) -> None:
        """Stop Pagefind at once; whoever waits for a reply gets SearchIndexError (the reader sees the pipe close)."""
        if self._process.poll() is None:
            self._process.kill()

    def close(self) -> None:
        if self._process.poll() is None:
            try:
                self._process.stdin.close()
            except OSError:
                pass
            try:
                self._process.wait(timeout=300)  # it may still be flushing a large bundle
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()


def _sizes(folder: Path) -> dict[str, int]:
    sizes = {}
    for directory, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(directory, name)
            try:
                sizes[path] = os.stat(path).st_size
            except OSError:  # replaced while we looked: the next look sees it
                sizes[path] = -1
    return sizes


# What Pagefind 1.5 writes besides the index itself; it answers WriteFiles before some of these are on disk.
BUNDLE_ASSETS = (
    "pagefind-entry.json",
    "pagefind.js",
    "pagefind-worker.js",
    "pagefind-highlight.js",
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
)


def _assets_present(folder: Path) -> bool:
    try:
        if not all((folder / name).stat().st_size > 0 for name in BUNDLE_ASSETS):
            return False
        json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return any(path.stat().st_size > 0 for path in folder.glob("wasm.*.pagefind"))


# Pagefind writes each file through tokio's File, which hands the bytes over 16 KiB (or a multiple) at a time and
# answers once the last piece is handed over, not written: a file still being written is empty or whole steps long.
_WRITE_STEP = 16 * 1024


def wait_until_settled(folder: Path, quiet: float = 0.3, timeout: float = 120.0, look: float = 0.02) -> None:
    """Return once Pagefind's assets are all there and every file under `folder` is written: none empty or a whole
    number of write steps long (the last piece of a file still on its way). A file whole steps long can also be
    complete: then, as for a Pagefind that names its assets differently, once no file has appeared or changed size
    for `quiet` seconds (or after `timeout`; finish() then checks the entry file).

    Pagefind answers WriteFiles while some files are still being written — under load the entry file, the wasm and
    a UI stylesheet were still empty at that moment (1 of 15 tries), and stopping the service then cut a file
    short (CI: the first 32 KiB of a 41 KB file). A fixed quiet wait cost 0.3 s per shard, on the last shard's
    way to the merge. One look at the sizes costs ~2 ms for a shard of 600 pages."""
    deadline = time.monotonic() + timeout
    before, since, quiet_looks = _sizes(folder), time.monotonic(), 0
    while time.monotonic() < deadline:
        if _all_written(before) and _assets_present(folder):
            return
        time.sleep(look)
        now = _sizes(folder)
        if now != before:
            before, since, quiet_looks = now, time.monotonic(), 0
        elif time.monotonic() - since >= quiet:
            quiet_looks += 1  # a Pagefind that names its assets differently ends here, not at timeout
            if _assets_present(folder) or quiet_looks >= 10:
                return
            since = time.monotonic()


def _all_written(sizes: dict[str, int]) -> bool:
    return bool(sizes) and all(size > 0 and size % _WRITE_STEP for size in sizes.values())


class SearchIndexer:
    """One Pagefind index, filled record by record and written once. Pagefind is given each record without its
    pair words (search/pairs.py), which are put back and written as postings once it has written the bundle: the
    bundle is complete once merged (search/merge.py), even alone."""

    def __init__(self, max_pending: int = 32) -> None:
        self._service = PagefindService()
        self._pairs: dict[str, tuple[str, str]] = {}  # page url → its title's and the rest's pair words
        self._pending: list[Future] = []
        self._max_pending = max_pending
        self.count = 0
        self.orders: dict[str, list[str]] = {}  # sort key → page ids, highest first (after finish)
        # "und" (undetermined): the indexed words are our ASCII tokens, which need neither Chinese segmentation
        # nor stemming — a quarter of Pagefind's time. The browser falls back to the bundle's only language.
        created = self._service.request({"type": "NewIndex", "config": {"force_language": "und"}}).result(timeout=60)
        self._index_id = created["index_id"]

    def add(self, record: SearchRecord) -> None:
        """Queue one record; blocks only while too many are in flight."""
        self.add_html(record.url, record.split_html())

    def add_html(self, url: str, html: str | Split) -> None:
        """Queue a record already made into its HTML (`SearchRecord.split_html`, e.g. by a helper process; or the
        whole `SearchRecord.html`, split here)."""
        url = "/" + url.lstrip("/")
        html, title_words, rest_words = split_pairs(html) if isinstance(html, str) else html
        if title_words or rest_words:
            self._pairs[url] = (title_words, rest_words)
        self._pending.append(
            self._service.request(
                {
                    "type": "AddFile",
                    "index_id": self._index_id,
                    "url": url,
                    "file_contents": html,
                    "file_path": None,
                }
            )
        )
        self.count += 1
        if len(self._pending) >= self._max_pending:
            self._drain(self._max_pending // 2)

    def _drain(self, keep: int = 0) -> None:
        while len(self._pending) > keep:
            self._pending.pop(0).result(timeout=600)

    def finish(self, output: Path) -> None:
        """Have Pagefind write the bundle to `output`, wait until it is on disk, stop the service and make the
        bundle reproducible; `orders` then holds its sort orders (stable.stabilise)."""
        try:
            self._drain()  # Pagefind may answer out of order: writing must not be asked for before every page
            self._service.request(
                {"type": "WriteFiles", "index_id": self._index_id, "output_path": str(output)}
            ).result(timeout=1800)
            wait_until_settled(Path(output))
        finally:
            self.close()  # waits for the process to exit, so every file it wrote is complete
        entry = Path(output) / "pagefind-entry.json"
        try:
            json.loads(entry.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SearchIndexError(f"Pagefind 写出的索引不完整（{entry.name}：{exc}）；请重新构建") from exc
        try:
            complete_beside(Path(output), self._pairs)
        except PairsError as exc:
            raise SearchIndexError(f"搜索索引未能补全双字词：{exc}；请把这条信息报告给维护者") from exc
        self._pairs = {}
        self.orders = stabilise(output)  # Pagefind writes filters in hash-map order: same pages, same bytes

    @property
    def process(self) -> subprocess.Popen:
        """The Pagefind process behind this index."""
        return self._service.process

    def abort(self) -> None:
        """Give up on this index from any thread: Pagefind stops, and add/finish raise SearchIndexError."""
        self._service.kill()

    def close(self) -> None:
        self._service.close()
