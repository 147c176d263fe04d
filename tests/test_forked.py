"""The forked page helper: same results in the same order as one process, work really shared, failures surfaced;
and a whole build made with the helper is byte for byte the build made without it (Pagefind bundle included)."""
from __future__ import annotations

import os
import shutil
import sqlite3
import pytest

from exemplars import plugin
from exemplars.cache import CACHE_DIR, ContentCache
from exemplars.forked import HelperFailed, SharedMap, can_fork
from exemplars.synth import make_library

from conftest import REPO
from sitebuild import build_site

needs_fork = pytest.mark.skipif(not can_fork(), reason="needs fork and two cores")


def pid_and_square(n: int) -> tuple[int, int]:
    return os.getpid(), n * n


@needs_fork
def test_results_come_back_in_input_order_and_both_processes_work():
    with SharedMap(list(range(1000)), pid_and_square, min_items=10, block=7) as results:
        out = list(results)
    assert [square for _, square in out] == [n * n for n in range(1000)]
    workers = {pid for pid, _ in out}
    assert os.getpid() in workers and len(workers) == 2
    # blocks alternate: the first block is ours, the second the helper's
    assert {pid for pid, _ in out[:7]} == {os.getpid()} and os.getpid() not in {pid for pid, _ in out[7:14]}


def test_short_lists_stay_in_this_process():
    with SharedMap(list(range(50)), pid_and_square) as results:
        assert {pid for pid, _ in results} == {os.getpid()}


def test_exemplars_jobs_1_switches_the_helper_off(monkeypatch):
    monkeypatch.setenv("EXEMPLARS_JOBS", "1")
    assert not can_fork()
    with SharedMap(list(range(500)), pid_and_square, min_items=10) as results:
        assert {pid for pid, _ in results} == {os.getpid()}


def fail_on_helper_side(n: int) -> int:
    if n == 40:
        raise ValueError("story 40 is broken")
    return n


@needs_fork
def test_an_error_in_the_helper_is_raised_here_with_its_traceback():
    with pytest.raises(HelperFailed) as caught:
        with SharedMap(list(range(100)), fail_on_helper_side, min_items=10, block=32) as results:
            list(results)
    assert "ValueError: story 40 is broken" in str(caught.value)


def exit_in_helper(n: int) -> int:
    if n == 40:
        os._exit(3)
    return n


@needs_fork
def test_a_helper_that_dies_is_reported_not_waited_for():
    with pytest.raises(HelperFailed, match="code 3"):
        with SharedMap(list(range(100)), exit_in_helper, min_items=10, block=32) as results:
            list(results)


@needs_fork
def test_a_consumer_that_stops_early_stops_the_helper():
    mapping = SharedMap(list(range(10_000)), pid_and_square, min_items=10, block=8)
    with mapping as results:
        for _ in zip(range(20), results):
            pass
    assert mapping.helper is None  # joined and gone


@needs_fork
def test_the_helper_writes_the_cache_through_its_own_connection(tmp_path):
    cache = ContentCache(tmp_path, "bodies")
    cache.put("parent-unflushed", "kept by the parent")

    def work(n: int) -> int:
        cache.put(f"key-{n}", f"value-{n}")
        return n

    with SharedMap(list(range(300)), work, on_fork=cache.reopen_after_fork, on_exit=cache.flush,
                   min_items=10, block=10) as results:
        assert list(results) == list(range(300))
    cache.close()
    with sqlite3.connect(tmp_path / CACHE_DIR / "bodies.sqlite") as db:
        keys = {row[0] for row in db.execute("SELECT key FROM entries")}
    assert keys == {f"key-{n}" for n in range(300)} | {"parent-unflushed"}


@pytest.mark.slow
@needs_fork
def test_a_build_with_the_helper_is_the_build_without_it(tmp_path, monkeypatch):
    """300 stories (above the helper's threshold): every output file, search bundle included, is identical."""
    root = make_library(tmp_path / "lib", 300, REPO)
    helpers = []

    class Watched(SharedMap):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            helpers.append(self.helper is not None)

    monkeypatch.setattr(plugin, "SharedMap", Watched)
    sites = {}
    for jobs in ("1", "2"):
        shutil.rmtree(root / ".cache", ignore_errors=True)  # both render every body
        monkeypatch.setenv("EXEMPLARS_JOBS", jobs)
        sites[jobs] = build_site(root, tmp_path / f"site-{jobs}")
    assert helpers == [False, True]  # one build in one process, the other shared with a helper
    one = {p.relative_to(sites["1"]).as_posix(): p for p in sites["1"].rglob("*") if p.is_file()}
    two = {p.relative_to(sites["2"]).as_posix(): p for p in sites["2"].rglob("*") if p.is_file()}
    assert sorted(one) == sorted(two)
    assert sum(name.startswith("stories/") for name in one) >= 300
    assert any(name.startswith("pagefind/") for name in one)
    assert [name for name in one if one[name].read_bytes() != two[name].read_bytes()] == []
