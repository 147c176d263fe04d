"""Search indexing for `mkdocs serve`: off the rebuild's critical path, one run at a time, newest wins.

A preview rebuild must show an edited story at once; Pagefind needs a few seconds more for a big library. So in
serve the records of each rebuild are handed to one worker thread, which builds the search shards
(search/sharded.py) into a scratch folder and swaps it into the served site when done. Shards whose records did not
change come from the cache (.cache/exemplars/search/): saving one story re-indexes only its shard. Edits arriving
meanwhile replace the waiting job (only the newest matters), and a rebuild that starts while a job runs stops that
job: its records are out of date, and Pagefind would take a core (and its feeding thread the GIL) from the rebuild
the editor is waiting for (bench_serve, 1,000 stories: saves that arrived during such a job showed after 3.0–3.5 s,
the others after 1.6–2.0 s). Until a swap the previous bundle keeps answering, so search in the preview catches up
once the editor pauses.

The scratch and the replaced bundle live beside the site folder, never in it, and the swap waits while a rebuild
runs (the plugin pauses swaps from on_pre_build to the end of the build): MkDocs cleans the site folder by listing
it and deleting each entry, and a folder renamed between the two made the rebuild fail.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
from pathlib import Path

from .indexer import SearchIndexError
from .records import SearchRecord
from .sharded import ShardedIndex
from .shards import ShardPlan

log = logging.getLogger("mkdocs.plugins.exemplars")


class BackgroundIndexer:
    def __init__(self) -> None:
        self._job: tuple[list[SearchRecord], Path, ShardPlan, Path] | None = None
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopped = False
        self._busy = False
        self._paused = 0  # rebuilds running: the bundle must not be swapped under them
        self._current: ShardedIndex | None = None  # the running job's shards
        self._superseded = False  # a rebuild started after the running job was taken
        self.runs = 0
        self.superseded_runs = 0

    def pause_swaps(self) -> None:
        """A rebuild starts: no swap until it ends, and the running job (now out of date) stops."""
        with self._wake:
            self._paused += 1
            self._job = None  # not started yet, and just as out of date: the rebuild submits newer records
            if self._busy:
                self._superseded = True
                if self._current is not None:
                    self._current.abort()

    def resume_swaps(self) -> None:
        with self._wake:
            self._paused = max(0, self._paused - 1)
            self._wake.notify_all()

    def submit(self, records: list[SearchRecord], bundle: Path, plan: ShardPlan, cache: Path) -> None:
        """Index `records` into `bundle` (e.g. <site>/pagefind) as the shards of `plan`, as soon as the worker is
        free; `cache` keeps the shards (the build's cache folder)."""
        with self._wake:
            self._job = (list(records), Path(bundle), plan, Path(cache))
            self._wake.notify()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="exemplars-search", daemon=True)
                self._thread.start()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """For tests and benchmarks: block until no job is waiting or running."""
        with self._wake:
            return self._wake.wait_for(lambda: self._job is None and not self._busy, timeout)

    def stop(self) -> None:
        with self._wake:
            self._stopped = True
            self._job = None
            if self._current is not None:  # the server is going away: so does its Pagefind
                self._current.abort()
            self._wake.notify_all()

    def _work(self) -> None:
        while True:
            with self._wake:
                self._wake.wait_for(lambda: self._job is not None or self._stopped)
                if self._stopped:
                    return
                records, bundle, plan, cache = self._job
                self._job = None
                self._busy = True
                self._superseded = False
            try:
                self._index(records, bundle, plan, cache)
            except (SearchIndexError, OSError) as exc:
                with self._wake:
                    on_purpose = self._superseded or self._stopped  # newer records follow / the server stops
                if not on_purpose:
                    log.warning(f"搜索索引未能更新（预览仍可用，搜索结果可能是旧的）：{exc}")
            finally:
                with self._wake:
                    self.superseded_runs += self._superseded
                    self._busy = False
                    self.runs += 1
                    self._wake.notify_all()

    def _index(self, records: list[SearchRecord], bundle: Path, plan: ShardPlan, cache: Path) -> None:
        scratch_root = Path(tempfile.mkdtemp(prefix=".exemplars-search-", dir=bundle.parent.parent))
        try:
            scratch = scratch_root / "next"
            indexer = ShardedIndex(plan, cache)
            with self._wake:
                self._current = indexer
                if self._superseded:  # a rebuild began while the job was starting
                    indexer.abort()
            try:
                for record in sorted(records, key=lambda r: plan.rank(r.url)):  # shard by shard
                    indexer.add_html(record.url, record.split_html(), record.sort)
                indexer.finish(scratch)
            finally:
                with self._wake:
                    self._current = None
                indexer.close()
            indexer.prune()
            with self._wake:
                self._wake.wait_for(lambda: not self._paused or self._stopped or self._superseded)
                # Stopped after Pagefind answered: its files may be cut short, and newer records are on the way.
                if self._superseded or self._stopped or not bundle.parent.is_dir():
                    return
                if bundle.exists():
                    bundle.rename(scratch_root / "old")
                scratch.rename(bundle)
            log.info(f"搜索索引已更新。{indexer.summary()}")
        finally:
            shutil.rmtree(scratch_root, ignore_errors=True)
