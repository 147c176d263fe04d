"""`mkdocs serve`'s background search indexing: the served bundle is swapped only between rebuilds, and nothing
half-made ever sits in the site folder (MkDocs cleans it by listing and deleting entries; a folder renamed in
between once broke a rebuild)."""

from __future__ import annotations

import gzip
import os
import signal
import threading
import time

from exemplars.search.background import BackgroundIndexer
from exemplars.search.records import SearchRecord
from exemplars.search.shards import ShardKey, plan_shards


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


def _job(site, records: list[SearchRecord], size: int = 1000) -> tuple:
    """submit's arguments after the records: the site's search folder, the shards (one published a day, so that
    `size` cuts them into periods), the cache folder beside the site."""
    plan = plan_shards([ShardKey(r.url, 738000 + i) for i, r in enumerate(records)], size)
    return site / "pagefind", plan, site.parent / "cache"


def _running_pagefind(indexer: BackgroundIndexer):
    """A Pagefind process of the job that is running (waits until one runs)."""
    deadline = time.monotonic() + 30
    while indexer._current is None or not indexer._current.processes():  # Pagefind is running for the job
        assert time.monotonic() < deadline, "the job did not start"
        time.sleep(0.01)
    return indexer._current.processes()[0]


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
        records = _records(20)
        bundle, plan, cache = _job(site, records, size=8)
        assert len(plan.names) == 3
        indexer.submit(records, bundle, plan, cache)
        deadline = time.monotonic() + 60
        while not list(tmp_path.glob(".exemplars-search-*/next/pagefind-entry.json")):  # written, beside the site
            assert time.monotonic() < deadline, "Pagefind did not write the bundle"
            time.sleep(0.05)
        assert not indexer.wait_idle(timeout=1), "the finished bundle waits for the rebuild to end"
        assert not (site / "pagefind").exists()
        indexer.resume_swaps()
        assert indexer.wait_idle(timeout=60)
        assert (site / "pagefind" / "pagefind-entry.json").is_file()
        assert len(list((site / "pagefind" / "fragment").glob("*.pf_fragment"))) == 20, "every shard's pages"
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
        records = _records(5000)
        indexer.submit(records, *_job(site, records))  # several seconds of Pagefind work
        pagefind = _running_pagefind(indexer)
        indexer.pause_swaps()  # the next rebuild starts
        assert indexer.wait_idle(timeout=30), "the out-of-date job was not stopped"
        assert pagefind.returncode == -signal.SIGKILL, "its Pagefind was stopped, not left to finish"
        assert indexer.superseded_runs == 1 and not (site / "pagefind").exists(), "nothing of it is served"
        assert "搜索索引未能更新" not in caplog.text, "stopping on purpose is not a failure to report"

        records = _records(20)
        bundle, plan, cache = _job(site, records)
        indexer.submit(records, bundle, plan, cache)  # the rebuild's records
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
    records = _records(5000)
    indexer.submit(records, *_job(site, records))
    pagefind = _running_pagefind(indexer)
    indexer.stop()
    assert pagefind.wait(timeout=10) == -signal.SIGKILL
    assert indexer.wait_idle(timeout=30) and not (site / "pagefind").exists()
    assert "搜索索引未能更新" not in caplog.text
    deadline = time.monotonic() + 10
    while [p for p in tmp_path.iterdir() if p.name.startswith(".exemplars-search-")]:  # its scratch is removed
        assert time.monotonic() < deadline, "scratch folder left behind"
        time.sleep(0.05)


def test_a_saved_story_reindexes_only_its_shard(tmp_path, caplog):
    """Serve: the next job takes every shard whose records did not change from the cache: only the saved page's
    shard is indexed again, and of the pages only its fragment changes."""
    import logging

    caplog.set_level(logging.INFO, logger="mkdocs.plugins.exemplars")
    site = tmp_path / "site"
    site.mkdir()
    indexer = BackgroundIndexer()

    def served() -> dict[str, bytes]:
        folder = site / "pagefind"
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

    try:
        records = _records(20)
        bundle, plan, cache = _job(site, records, size=8)
        indexer.submit(records, bundle, plan, cache)
        assert indexer.wait_idle(timeout=60)
        first = served()
        records[3].title = "改过的标题"
        indexer.submit(records, bundle, plan, cache)
        assert indexer.wait_idle(timeout=60)
        second = served()
    finally:
        indexer.stop()
    updated = [r.getMessage() for r in caplog.records if r.getMessage().startswith("搜索索引已更新")]
    assert len(updated) == 2 and "重新索引 3 个分片" in updated[0] and "重新索引 1 个分片" in updated[1], updated
    differ = {name for name in first.keys() | second.keys() if first.get(name) != second.get(name)}
    gone = [name for name in differ if name.startswith("fragment/") and name not in second]
    made = [name for name in differ if name.startswith("fragment/") and name not in first]
    assert len(gone) == len(made) == 1 and len([name for name in differ if name.startswith("fragment/")]) == 2
    assert "改过的标题" in gzip.decompress(second[made[0]]).decode("utf-8")
