"""The search index as several Pagefind bundles (shards), each built by its own Pagefind process and kept in a
cache outside the site, so that memory is bounded by the shard size and an unchanged shard is never indexed again.

A build hands over every search record in shard order (search/shards.py says which shard a page is in; the build
session renders the pages shard by shard). Records stream into the shard's own Pagefind process as they come,
unless a version of the shard in the cache (`.cache/exemplars/search/<key>/`) still matches them record by
record; once the shard's last record has come, Pagefind writes it in a worker thread (at most `workers()` at
once) while the build renders the next shard, the process ends, giving its memory back, the pair words Pagefind
was spared are put back and posted in a worker process (search/pairs.py, search/worker.py), the bundle is made
reproducible (stable.py) and stored in the cache under its key. An unchanged shard is taken from the cache without
starting Pagefind. Once the last record has come (`seal`), a background thread waits for the last shards and
merges them into one bundle (search/merge.py; one shard too: its pair words become index words there) with the
date order of all their pages beside it (`exemplars-sort-date.txt`, stable.sort_file), cached too, under the
shards' keys — while the build writes its pages, feeds and QR codes; `finish` waits for it and copies it into the
site, `site/pagefind/`. A part build leaves the site without a search bundle: its shards go to the cache, for the
build that assembles them.

The key covers the records (in order), the Pagefind version and this package's search code, so a cache entry can
never be stale. An entry is renamed into place whole and lists its bundle's files and their sizes (files.json);
one that no longer matches (damaged afterwards) is made again. Cache entries no build used lately are removed
(`prune`), but never those another build sharing the cache (a preview beside `make site`) is still using: a
running build lists its entries in a file `in-use-<pid>-<token>.json` beside them until it is closed.

Shards are independent: `part` (e.g. (1, 2)) builds only every second shard into the cache, so that several
machines can each build a part and one assembles the site from their caches (README, 大型故事库).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import shutil
import tempfile
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..fsutil import copy_tree
from ..parallel import workers
from . import worker
from .indexer import SearchIndexer, SearchIndexError, pagefind_version
from .merge import MergeError, merge_bundles
from .pairs import Split
from .shards import ShardPlan
from .stable import SORT_FILE, sort_file

log = logging.getLogger("mkdocs.plugins.exemplars")

MERGED = "(merged)"  # the `done` mark of a merged bundle's cache entry (a shard's holds the shard's name)
_DONE = "done"  # written last into a cache entry: an entry without it is unfinished and ignored
_FILES = "files.json"  # in a cache entry: its bundle's files and their sizes; an entry not matching it is redone
_CODE = Path(__file__).parent
_IN_USE = "in-use-"  # + pid-token.json: a running build's cache entries (files; entries are folders)


def _code_digest() -> str:
    """This package's search code that shapes a bundle: a change re-indexes every shard."""
    h = hashlib.sha256()
    for name in ("indexer.py", "pairs.py", "stable.py", "sharded.py", "merge.py"):
        h.update((_CODE / name).read_bytes())
    return h.hexdigest()


@dataclass
class _Shard:
    name: str
    mine: bool  # this machine builds it (always, unless `part` gives it to another)
    candidates: list[list[str]]  # cached versions of this shard still matching: their record digests
    pages: list[tuple[str, str | Split]] = field(default_factory=list)  # records held while a cached version matches
    records: list[str] = field(default_factory=list)  # each record's digest, in order
    sort_values: dict[str, list[str]] = field(default_factory=dict)  # sort key → every page's value
    indexer: SearchIndexer | None = None  # Pagefind, once the shard is known to need indexing


class ShardedIndex:
    """The search shards of one build (or one preview rebuild), written to the site by `finish`.

    Records stream into a shard's Pagefind process as they come, as they did into the one index before shards,
    unless the cache holds a version of the shard whose records so far are the same: those records are held
    (at most one shard's) until one differs — then Pagefind starts and takes them — or the shard is complete and
    came from the cache. So a cold build indexes while it renders, and a warm one starts no Pagefind at all for
    an unchanged shard."""

    def __init__(
        self, plan: ShardPlan, cache_root: Path, jobs: int | None = None, part: tuple[int, int] | None = None
    ) -> None:
        self.plan = plan
        self.cache, self._temporary = _usable(Path(cache_root))
        self.part = part
        self.count = 0  # pages handed over
        self.reindexed: list[str] = []  # shards Pagefind indexed in this build (the others came from the cache)
        self.skipped: list[str] = []  # shards left to another machine (`part`)
        self._order = plan.order()
        self._current: _Shard | None = None
        self._closed: set[str] = set()
        self._keys: dict[str, str] = {}  # shard → cache key
        self._sorts: dict[str, dict[str, list[str]]] = {}  # shard → sort key → values
        self._cached = self._cached_versions()
        writers = max(1, workers(jobs))
        self._jobs = ThreadPoolExecutor(max_workers=writers, thread_name_prefix="pagefind-shard")
        # Pagefind processes alive at once: one being fed and one writing per core. A shard waits to start while
        # they are all busy, so memory stays bounded even when rendering outruns Pagefind.
        self._slots = threading.BoundedSemaphore(writers + 1)
        self._futures: dict[str, Future] = {}
        self._running: set[SearchIndexer] = set()
        self._lock = threading.Lock()
        self._aborted = False
        self._sealed = False  # the last record has come (seal): no shard opens any more
        self._merger: ThreadPoolExecutor | None = None  # one thread: waits for the shards, then merges them
        self._merging: Future | None = None  # → the merged bundle's cache entry, or None (no search, a part build)
        self._copied_to: Path | None = None  # where the merge thread has copied the merged bundle to
        self._merged_key: str | None = None
        # The entries this build uses (_used), listed in a file of the cache folder while it runs, so that another
        # build sharing the cache (a preview beside `make site`) does not prune them (`prune`, _in_use_elsewhere).
        self._marker_gone = False  # closed: the in-use file is not written again
        self._marker = self.cache / f"{_IN_USE}{os.getpid()}-{secrets.token_hex(4)}.json"
        self._base_key = "\n".join([pagefind_version(), _code_digest()])

    def _cached_versions(self) -> dict[str, list[Path]]:
        """Finished cache entries by shard name, newest first."""
        versions: dict[str, list[Path]] = {}
        try:
            entries = [p for p in self.cache.iterdir() if (p / _DONE).is_file()]
        except OSError:
            return versions
        for entry in sorted(entries, key=lambda p: p.stat().st_mtime, reverse=True):
            try:
                versions.setdefault((entry / _DONE).read_text(encoding="utf-8"), []).append(entry)
            except OSError:
                continue
        return versions

    # --- feeding ---------------------------------------------------------------------------------------------
    def add_html(self, url: str, html: str | Split, sort: dict[str, str] | None = None) -> None:
        """One page's record (SearchRecord.split_html(), or the whole SearchRecord.html()) and its sort values; pages
        come shard by shard."""
        name = self.plan.shard_of(url)
        if self._current is None or self._current.name != name:
            if name in self._closed or self._sealed:  # an invariant of the caller, not an input problem
                raise RuntimeError(f"search record for {url} after its shard {name} (or the last one) was complete")
            self.complete_shard()
            self._current = self._open(name)
        shard = self._current
        text = html if isinstance(html, str) else "\n\x00".join(html)
        data = f"{url}\n{text}".encode("utf-8", "surrogatepass")
        record = hashlib.sha256(len(data).to_bytes(8, "little") + data).hexdigest()[:32]
        at = len(shard.records)
        shard.records.append(record)
        for key, value in (sort or {}).items():
            shard.sort_values.setdefault(key, []).append(value)
        self.count += 1
        if not shard.mine:
            return
        if shard.indexer is not None:
            shard.indexer.add_html(url, html)
            return
        shard.candidates = [c for c in shard.candidates if len(c) > at and c[at] == record]
        shard.pages.append((url, html))
        if not shard.candidates:  # no cached version can match any more: index it, from the first record on
            self._start(shard)

    def _open(self, name: str) -> _Shard:
        mine = self.part is None or self._order[name] % self.part[1] == self.part[0] - 1
        candidates = []
        for entry in self._cached.get(name, [])[:3]:
            try:
                candidates.append((entry / "records.txt").read_text(encoding="utf-8").split())
            except OSError:
                continue
        return _Shard(name, mine, candidates)

    def _start(self, shard: _Shard) -> None:
        while not self._slots.acquire(timeout=1):
            if self._aborted:
                raise SearchIndexError("搜索索引已停止")
        with self._lock:
            if self._aborted:
                self._slots.release()
                raise SearchIndexError("搜索索引已停止")
            try:
                shard.indexer = SearchIndexer()
            except BaseException:
                self._slots.release()
                raise
            self._running.add(shard.indexer)
        for url, html in shard.pages:
            shard.indexer.add_html(url, html)
        shard.pages = []

    def complete_shard(self) -> None:
        """The current shard has all its records: take it from the cache, or have its Pagefind write it (in a
        worker thread, at most `workers()` at once) while the build goes on."""
        shard, self._current = self._current, None
        if shard is None:
            return
        self._closed.add(shard.name)
        digest = hashlib.sha256("\n".join(shard.records).encode()).hexdigest()
        key = hashlib.sha256(f"{self._base_key}\n{shard.name}\n{digest}".encode()).hexdigest()
        self._keys[shard.name] = key
        self._list_in_use()
        self._sorts[shard.name] = shard.sort_values
        cached = _complete(self.cache / key)
        if cached or not shard.mine:
            if shard.indexer is not None:  # it matched a version that was not the one in the cache after all
                self._stop(shard.indexer)
            if not cached:
                self.skipped.append(shard.name)
            return
        if shard.indexer is None:  # every record matched a longer cached version: this one ends earlier
            self._start(shard)
        try:
            self._futures[shard.name] = self._jobs.submit(self._write, shard.name, key, shard.indexer, shard.records)
        except RuntimeError:  # the pool was shut down (abort)
            self._stop(shard.indexer)
            raise SearchIndexError("搜索索引已停止") from None

    def _stop(self, indexer: SearchIndexer) -> None:
        with self._lock:
            self._running.discard(indexer)
        indexer.abort()
        indexer.close()
        self._slots.release()

    def _store(self, scratch: Path, key: str, done: str) -> None:
        """Make the finished `scratch` (its bundle and records) the cache entry `key`: its files listed with their
        sizes, `done` (the shard's name, or MERGED) written last, then one rename."""
        (scratch / _FILES).write_text(json.dumps(_sizes(scratch / "bundle")), encoding="utf-8")
        (scratch / _DONE).write_text(done, encoding="utf-8")
        try:
            scratch.rename(self.cache / key)
        except OSError:  # another build stored the same entry meanwhile: same bytes
            if not _whole(self.cache / key):
                raise

    def _write(self, name: str, key: str, indexer: SearchIndexer, records: list[str]) -> None:
        scratch = Path(tempfile.mkdtemp(prefix="tmp-", dir=self.cache))
        try:
            indexer.finish(scratch / "bundle")
            (scratch / "orders.json").write_text(json.dumps(indexer.orders), encoding="utf-8")
            (scratch / "records.txt").write_text("\n".join(records), encoding="utf-8")
            self._store(scratch, key, name)
            with self._lock:
                self.reindexed.append(name)
        finally:
            with self._lock:
                self._running.discard(indexer)
            indexer.close()
            self._slots.release()
            shutil.rmtree(scratch, ignore_errors=True)

    # --- finishing -------------------------------------------------------------------------------------------
    def wait(self) -> None:
        """Every shard indexed (or found in the cache); raises SearchIndexError if one failed."""
        self.complete_shard()
        self._jobs.shutdown(wait=True)
        for name, future in self._futures.items():
            try:
                future.result()
            except SearchIndexError:
                raise
            except OSError as exc:
                raise SearchIndexError(f"搜索分片 {name} 未能写入缓存 {self.cache}：{exc}") from exc

    def seal(self, out: Path | None = None) -> None:
        """The last record has come: complete the last shard and start merging in the background, as soon as every
        shard is written (search/merge.py, into the cache), so that the merge runs while the build writes its pages,
        feeds and QR codes. `finish` waits for it; a failure shows there, as if `finish` had merged. `out`: the
        folder `finish` will be given, written as soon as the merge is done, by a worker process (10,000 stories'
        bundle is ~10,500 files: ~1 s at the very end of a build, on one core, when `finish` copied it)."""
        if self._sealed:
            return
        self.complete_shard()
        self._sealed = True
        self._merger = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pagefind-merge")
        self._merging = self._merger.submit(self._merged_and_copied, Path(out) if out is not None else None)

    def finish(self, out: Path) -> None:
        """Wait for every shard and for their merge (started by `seal`, or here), then write the site's one search
        bundle `out` (site/pagefind): the shards merged into one, with the date order of all their pages. The merged
        bundle is cached too, under the shards' keys: a build that changed no shard only copies it."""
        self.seal()
        entry = self._merging.result()
        out = Path(out)
        if entry is not None and self._copied_to == out:
            return
        if out.exists():
            shutil.rmtree(out)
        if entry is None:  # nothing to search, or a part build: its shards are for another build
            return
        copy_tree(entry / "bundle", out)

    def _merged_and_copied(self, out: Path | None) -> Path | None:
        entry = self._merged()
        if entry is not None and out is not None:
            try:
                worker.run("fsutil", "copy_tree", entry / "bundle", out)
                self._copied_to = out
            except (worker.WorkerRefused, worker.WorkerFailed, OSError):  # OSError: no process could be started
                pass  # `finish` copies it, and says what went wrong if it goes wrong again
        return entry

    def _merged(self) -> Path | None:
        """In the merge thread: every shard written (or an error), then the merged bundle's cache entry, made unless
        the cache has it, and it and the shards marked recently used; None when there is nothing to search or this
        is a part build."""
        started = time.perf_counter()
        self.wait()
        present = [name for name in self.plan.names if name in self._keys and name not in self.skipped]
        if not present or self.skipped:
            return None
        joined = "\n".join([self._base_key, MERGED, *(self._keys[name] for name in present)])
        key = self._merged_key = hashlib.sha256(joined.encode()).hexdigest()
        self._list_in_use()
        if not _complete(self.cache / key):
            if self._aborted:  # stopped (a failed build, a newer preview job): no merge that nobody would use
                raise SearchIndexError("搜索索引已停止")
            written = time.perf_counter()
            self._merge(present, key)
            merged = time.perf_counter()  # `mkdocs build -v` shows it beside the build's phase times
            log.debug(f"搜索分片合并：等最后的分片写完 {written - started:.2f} 秒，合并 {merged - written:.2f} 秒")
        for used in [key, *(self._keys[name] for name in present)]:
            os.utime(self.cache / used)  # recently used: kept by prune
        return self.cache / key

    def _merge(self, present: list[str], key: str) -> None:
        scratch = Path(tempfile.mkdtemp(prefix="tmp-", dir=self.cache))
        try:
            bundle = scratch / "bundle"
            bundles = [self.cache / self._keys[name] / "bundle" for name in present]
            renamed: dict[tuple[int, str], str] = {}
            try:  # even one shard: its pair words (search/pairs.py) become index words only here
                renamed = merge_bundles(bundles, bundle, beside=True)
            except (MergeError, OSError, EOFError) as exc:
                raise SearchIndexError(
                    f"搜索分片未能合并：{exc}。缓存里的分片可能已损坏：删除 {self.cache} 后重新构建；"
                    "仍然出错请把这条信息报告给维护者"
                ) from exc
            orders: dict[str, list[list[tuple[str, str]]]] = {}
            for at, name in enumerate(present):
                shard_orders = json.loads((self.cache / self._keys[name] / "orders.json").read_text(encoding="utf-8"))
                for sort_key, ids in shard_orders.items():
                    ids = [renamed.get((at, page_id), page_id) for page_id in ids]
                    orders.setdefault(sort_key, []).append(self._pair(ids, self._sorts[name].get(sort_key, [])))
            for sort_key, per_shard in sorted(orders.items()):
                (bundle / SORT_FILE.format(key=sort_key)).write_text(sort_file(_merge(per_shard)), encoding="utf-8")
            self._store(scratch, key, MERGED)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    @staticmethod
    def _pair(ids: list[str], values: list[str]) -> list[tuple[str, str]]:
        """A shard's page ids in its descending order, each with its value: the i-th id has the i-th largest
        value (ties are interchangeable). Without the values (an unexpected bundle) the shard's own order."""
        if len(values) != len(ids):
            return [("", page_id) for page_id in ids]
        return list(zip(sorted(values, reverse=True), ids))

    def processes(self) -> list:
        """The Pagefind processes (subprocess.Popen) indexing a shard right now: tests check that abort kills them."""
        with self._lock:
            return [indexer.process for indexer in self._running]

    def busy(self) -> bool:
        """Is a shard still being indexed, or are the shards being merged? (Either takes cores.)"""
        merging = self._merging is not None and not self._merging.done()
        return merging or any(not future.done() for future in self._futures.values())

    def abort(self) -> None:
        """Stop from any thread: running Pagefind processes are killed, waiting shards never start."""
        with self._lock:
            self._aborted = True
            running = list(self._running)
        for indexer in running:
            indexer.abort()
        self._jobs.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """Stop whatever still runs; a merge already under way is let finish (its cache entry is whole, and no
        thread outlives the index). A temporary cache (the real one could not be written) goes too."""
        self.abort()
        if self._merger is not None:
            self._merger.shutdown(wait=True)
        with self._lock:
            self._marker_gone = True
        try:
            self._marker.unlink(missing_ok=True)
        except OSError:
            pass
        if self._temporary:
            shutil.rmtree(self.cache, ignore_errors=True)

    def summary(self) -> str:
        total = len(self._keys)
        reused = total - len(self.reindexed) - len(self.skipped)
        text = f"搜索索引：{total} 个分片、{self.count} 个页面，重新索引 {len(self.reindexed)} 个分片"
        text += f"（其余 {reused} 个来自缓存 {self.cache}）" if reused else ""
        if self.skipped:
            part, parts = self.part
            text += (
                f"；search_part {part}/{parts}：{len(self.skipped)} 个分片留给其他机器，"
                "本次网站的搜索不完整，不要发布。把各台机器的搜索缓存（本机的是 "
                f"{self.cache}）合进同一个文件夹，再不设 search_part 构建一次，即得完整的网站（README“大型故事库”一节）"
            )
        return text

    def _used(self) -> set[str]:
        """The cache entries this build uses: its shards' and, once known, the merged bundle's."""
        return {*self._keys.values(), self._merged_key} - {None}

    def _list_in_use(self) -> None:
        """Rewrite this build's in-use file whole (a reader never sees half of it) with the entries it uses."""
        with self._lock:  # the merge thread lists its key too
            if self._marker_gone:
                return
            try:
                temporary = self._marker.with_suffix(".tmp")
                temporary.write_text(json.dumps(sorted(self._used())), encoding="utf-8")
                temporary.replace(self._marker)
            except OSError:
                pass  # only a courtesy to other builds: this build does not need it

    def prune(self, keep_unused: int | None = None) -> None:
        """Remove cache entries this build did not use, but the `keep_unused` most recent shards (default: as many
        as the plan has, so that going back to the previous version of a shard costs nothing) and the most recent
        merged bundle; unfinished entries of builds that stopped half-way go too."""
        keep = len(self.plan.names) if keep_unused is None else keep_unused
        used = self._used() | _in_use_elsewhere(self.cache, self._marker)
        try:
            entries = [p for p in self.cache.iterdir() if p.is_dir() and p.name not in used]
        except OSError:
            return
        entries.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        kept = {"shard": 0, "merged": 0}
        for entry in entries:
            try:
                kind = "merged" if (entry / _DONE).read_text(encoding="utf-8") == MERGED else "shard"
            except OSError:
                kind = None  # unfinished: a build stopped, or is writing it right now
            if kind is not None and kept[kind] < (keep if kind == "shard" else 1):
                kept[kind] += 1
                continue
            if kind is None and entry.stat().st_mtime > time.time() - 3600:
                continue  # perhaps another build's, still being written
            _remove(entry)


def _in_use_elsewhere(cache: Path, own: Path) -> set[str]:
    """Cache entries other builds still running list as in use; the files of builds that ended without removing
    theirs (killed) are removed."""
    keys: set[str] = set()
    for marker in cache.glob(f"{_IN_USE}*.json"):
        if marker == own:
            continue
        try:
            pid = int(marker.name[len(_IN_USE) :].split("-")[0])
        except ValueError:
            continue
        try:
            if not _running(pid, marker):
                marker.unlink(missing_ok=True)
                continue
            keys.update(json.loads(marker.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            continue  # gone meanwhile (its build closed) or not ours to read: nothing to keep for it
    return keys


def _running(pid: int, marker: Path) -> bool:
    if os.name == "nt":  # os.kill would end the process there: trust the file for a day
        try:
            return marker.stat().st_mtime > time.time() - 86400
        except OSError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


def _usable(cache: Path) -> tuple[Path, bool]:
    """The cache folder, or a temporary one when it cannot be written (a read-only checkout): the shards are
    written there either way, they just do not outlive the build (`close` removes it). Second: is it temporary?"""
    try:
        cache.mkdir(parents=True, exist_ok=True)
        probe = Path(tempfile.mkdtemp(prefix="tmp-", dir=cache))
        probe.rmdir()
        return cache, False
    except OSError:
        fallback = Path(tempfile.mkdtemp(prefix="exemplars-search-"))
        log.info(f"搜索分片缓存 {cache} 无法写入，本次改用临时文件夹 {fallback}（构建照常，只是下次不能复用）")
        return fallback, True


def _complete(entry: Path) -> bool:
    """A finished cache entry, intact. A damaged one (files deleted or cut short by hand or by a disk that filled
    up, a removal cut short) is removed, and the shard is indexed (or merged) again."""
    if _whole(entry):
        return True
    if entry.exists():
        log.info(f"搜索分片缓存 {entry.name[:12]}… 不完整，已删除并重建")
        _remove(entry)
    return False


def _whole(entry: Path) -> bool:
    """Is a cache entry finished and intact: its bundle exactly the files and sizes it lists (files.json), a
    shard's sort orders readable? An entry is renamed into place complete, but can be damaged afterwards."""
    try:
        (entry / _DONE).read_text(encoding="utf-8")
        files = json.loads((entry / _FILES).read_text(encoding="utf-8"))
        if (entry / "records.txt").is_file() and not isinstance(json.loads((entry / "orders.json").read_bytes()), dict):
            return False
        return bool(files) and files == _sizes(entry / "bundle")
    except (OSError, ValueError):
        return False


def _sizes(bundle: Path) -> dict[str, int]:
    """Every file of a bundle: its path inside the bundle → its size in bytes, in path order. With os.scandir, not
    pathlib: 10,000 stories' shards and merged bundle are ~22,000 files, listed by threads of the build process
    (pathlib: ~0.75 s of its time, scandir ~0.13 s)."""
    found: dict[str, int] = {}

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir():
                    walk(entry.path, f"{prefix}{entry.name}/")
                elif entry.is_file():
                    found[prefix + entry.name] = entry.stat().st_size

    walk(str(bundle), "")
    return dict(sorted(found.items(), key=lambda item: item[0].split("/")))  # as pathlib sorts paths


def _remove(entry: Path) -> None:
    """Remove a cache entry, `done` first: a removal cut short leaves an entry no build takes as finished."""
    try:
        (entry / _DONE).unlink(missing_ok=True)
    except OSError:
        pass
    shutil.rmtree(entry, ignore_errors=True)


def _merge(per_shard: list[list[tuple[str, str]]]) -> list[str]:
    """Every shard's (value, id) list, descending, merged into one order; ties keep the shards' order."""
    ranked = [
        (value, -shard, -at, page_id)
        for shard, pairs in enumerate(per_shard)
        for at, (value, page_id) in enumerate(pairs)
    ]
    ranked.sort(reverse=True)
    return [page_id for *_, page_id in ranked]
