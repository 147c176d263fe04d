"""Search indexing for `mkdocs serve`: off the rebuild's critical path, one run at a time, newest wins.

A preview rebuild must show an edited story at once; Pagefind needs a few seconds more for a big library. So in
serve the records of each rebuild are handed to one worker thread, which indexes them into a scratch folder and
swaps the bundle into the served site when done. Edits arriving meanwhile replace the waiting job (only the
newest matters); until the swap, the previous bundle keeps answering, so the index lags one run at most.
"""
from __future__ import annotations

import logging
import shutil
import threading
from pathlib import Path

from .indexer import SearchIndexer, SearchIndexError
from .records import SearchRecord

log = logging.getLogger("mkdocs.plugins.exemplars")


class BackgroundIndexer:
    def __init__(self) -> None:
        self._job: tuple[list[SearchRecord], Path] | None = None
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopped = False
        self._busy = False
        self.runs = 0

    def submit(self, records: list[SearchRecord], bundle: Path) -> None:
        """Index `records` into `bundle` (e.g. <site>/pagefind) as soon as the worker is free."""
        with self._wake:
            self._job = (list(records), Path(bundle))
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
            self._wake.notify_all()

    def _work(self) -> None:
        while True:
            with self._wake:
                self._wake.wait_for(lambda: self._job is not None or self._stopped)
                if self._stopped:
                    return
                records, bundle = self._job
                self._job = None
                self._busy = True
            try:
                self._index(records, bundle)
            except (SearchIndexError, OSError) as exc:
                log.warning(f"搜索索引未能更新（预览仍可用，搜索结果可能是旧的）：{exc}")
            finally:
                with self._wake:
                    self._busy = False
                    self.runs += 1
                    self._wake.notify_all()

    @staticmethod
    def _index(records: list[SearchRecord], bundle: Path) -> None:
        scratch = bundle.with_name(bundle.name + ".next")
        shutil.rmtree(scratch, ignore_errors=True)
        indexer = SearchIndexer()
        try:
            for record in records:
                indexer.add(record)
            indexer.finish(scratch)
        finally:
            indexer.close()
        if not bundle.parent.is_dir():  # the site folder went away (server stopped)
            shutil.rmtree(scratch, ignore_errors=True)
            return
        old = bundle.with_name(bundle.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if bundle.exists():
            bundle.rename(old)
        scratch.rename(bundle)
        shutil.rmtree(old, ignore_errors=True)
        log.info(f"搜索索引已更新：{len(records)} 个页面")
