"""`mkdocs serve`'s background search indexing: the served bundle is swapped only between rebuilds, and nothing
half-made ever sits in the site folder (MkDocs cleans it by listing and deleting entries; a folder renamed in
between once broke a rebuild)."""

from __future__ import annotations

import os
import signal
import threading
import time

from exemplars.search.background import BackgroundIndexer
from exemplars.search.records import SearchRecord


def _records(n: int) -> list[SearchRecord]:
    return [
        SearchRecord(
            url=f"stories/s{i}/",
            title=f"调解故事{i}",
            text="人民调解员老王上门调解。" * 20,
            filters={"类型": ["正面典型"]},
            meta={"kind": "exemplar"},
        )
        for i in range(n)
    ]


def test_swap_waits_for_the_rebuild_and_scratch_stays_outside_the_site(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    seen_in_site: set[str] = set()
    watching = threading.Event()

    def watch() -> None:  # what a concurrent clean_directory would list
        while not watching.is_set():
            seen_in_site.update(os.listdir(site))

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    indexer = BackgroundIndexer()
    try:
        indexer.pause_swaps()  # a rebuild is running
        indexer.submit(_records(20), site / "pagefind")
        deadline = time.monotonic() + 60
        while not list(tmp_path.glob(".exemplars-search-*/next/pagefind-entry.json")):  # written, beside the site
            assert time.monotonic() < deadline, "Pagefind did not write the bundle"
            time.sleep(0.05)
        assert not indexer.wait_idle(timeout=1), "the finished bundle waits for the rebuild to end"
        assert not (site / "pagefind").exists()
        indexer.resume_swaps()
        assert indexer.wait_idle(timeout=60)
        assert (site / "pagefind" / "pagefind-entry.json").is_file()
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".exemplars-search-")] == []
    finally:
        watching.set()
        indexer.stop()
    assert seen_in_site <= {"pagefind"}, f"only the finished bundle ever appears in the site: {seen_in_site}"


def test_a_rebuild_stops_the_running_job_and_the_next_job_is_served(tmp_path, caplog):
    """Saving again while Pagefind indexes the previous save: that job is out of date and must not compete with the
    rebuild the editor waits for. It stops without a warning; the next job's bundle is what gets served."""
    site = tmp_path / "site"
    site.mkdir()
    indexer = BackgroundIndexer()
    try:
        indexer.submit(_records(5000), site / "pagefind")  # several seconds of Pagefind work
        deadline = time.monotonic() + 30
        while indexer._current is None:  # Pagefind is running for it
            assert time.monotonic() < deadline, "the job did not start"
            time.sleep(0.01)
        pagefind = indexer._current._service._process
        indexer.pause_swaps()  # the next rebuild starts
        assert indexer.wait_idle(timeout=30), "the out-of-date job was not stopped"
        assert pagefind.returncode == -signal.SIGKILL, "its Pagefind was stopped, not left to finish"
        assert indexer.superseded_runs == 1 and not (site / "pagefind").exists(), "nothing of it is served"
        assert "搜索索引未能更新" not in caplog.text, "stopping on purpose is not a failure to report"

        indexer.submit(_records(20), site / "pagefind")  # the rebuild's records
        indexer.resume_swaps()
        assert indexer.wait_idle(timeout=60)
        assert (site / "pagefind" / "pagefind-entry.json").is_file() and indexer.superseded_runs == 1
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".exemplars-search-")] == []
    finally:
        indexer.stop()


def test_stopping_the_server_stops_its_pagefind(tmp_path, caplog):
    site = tmp_path / "site"
    site.mkdir()
    indexer = BackgroundIndexer()
    indexer.submit(_records(5000), site / "pagefind")
    deadline = time.monotonic() + 30
    while indexer._current is None:
        assert time.monotonic() < deadline, "the job did not start"
        time.sleep(0.01)
    pagefind = indexer._current._service._process
    indexer.stop()
    assert pagefind.wait(timeout=10) == -signal.SIGKILL
    assert indexer.wait_idle(timeout=30) and not (site / "pagefind").exists()
    assert "搜索索引未能更新" not in caplog.text
    deadline = time.monotonic() + 10
    while [p for p in tmp_path.iterdir() if p.name.startswith(".exemplars-search-")]:  # its scratch is removed
        assert time.monotonic() < deadline, "scratch folder left behind"
        time.sleep(0.05)
