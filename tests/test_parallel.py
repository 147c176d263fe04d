"""The forked page helper: same results in the same order as one process, work really shared, failures surfaced;
and a whole build made with the helper is byte for byte the build made without it (Pagefind bundle included)."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from conftest import REPO
from sitebuild import build_site

from exemplars import library
from exemplars.build import session as build_session
from exemplars.cache import CACHE_DIR, ContentCache
from exemplars.parallel import HelperFailed, SharedMap, can_fork, pool_map, workers
from exemplars.synth import make_library

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


def pid_and_sum(chunk: list[int], offset: int) -> tuple[int, int]:
    return os.getpid(), sum(chunk) + offset


@needs_fork
def test_pool_map_runs_chunks_in_other_processes_and_keeps_their_order():
    chunks = [list(range(n, n + 10)) for n in range(0, 400, 10)]
    out = pool_map(pid_and_sum, chunks, 1000, jobs=2)
    assert [total for _, total in out] == [sum(chunk) + 1000 for chunk in chunks]
    assert os.getpid() not in {pid for pid, _ in out}


def test_pool_map_stays_in_this_process_with_one_job_or_exemplars_jobs_1(monkeypatch):
    chunks = [[1, 2], [3], [4, 5, 6]]
    assert pool_map(pid_and_sum, chunks, 0, jobs=1) == [(os.getpid(), 3), (os.getpid(), 3), (os.getpid(), 15)]
    monkeypatch.setenv("EXEMPLARS_JOBS", "1")
    assert workers(8) == 1
    assert {pid for pid, _ in pool_map(pid_and_sum, chunks, 0, jobs=8)} == {os.getpid()}


@needs_fork
def test_a_library_read_in_parallel_is_the_library_read_in_one_process(tmp_path, monkeypatch):
    """Above library.PARALLEL_FROM files the files are read and validated in a pool: same records, same items."""
    root = make_library(tmp_path / "lib", library.PARALLEL_FROM + 10, REPO)
    alone = library.load_library(root, jobs=1)
    shared = library.load_library(root, jobs=2)
    assert len(alone.stories) > library.PARALLEL_FROM
    assert shared.stories == alone.stories and shared.values == alone.values
    assert [(r.path, r.meta, r.problems) for r in shared.all_records] == [
        (r.path, r.meta, r.problems) for r in alone.all_records
    ]


def failing_at_40(error: BaseException):
    """Work that returns its item, except item 40 (in the helper's first block, with blocks of 32): it raises."""

    def fail_on_helper_side(n: int) -> int:
        if n == 40:
            raise error
        return n

    return fail_on_helper_side


def run_all(work) -> list:
    with SharedMap(list(range(100)), work, min_items=10, block=32) as results:
        return list(results)


@needs_fork
def test_an_error_in_the_helper_is_raised_here_as_itself_with_the_helpers_traceback():
    with pytest.raises(ValueError, match="story 40 is broken") as caught:
        run_all(failing_at_40(ValueError("story 40 is broken")))
    assert isinstance(caught.value.__cause__, HelperFailed)
    assert "fail_on_helper_side" in str(caught.value.__cause__)  # where it happened, in the helper


class Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("no")


@needs_fork
def test_an_unpicklable_error_arrives_as_its_traceback():
    with pytest.raises(HelperFailed, match="Unpicklable: odd failure"):
        run_all(failing_at_40(Unpicklable("odd failure")))


def test_a_fork_that_fails_leaves_the_work_to_this_process(monkeypatch):
    from multiprocessing.context import ForkProcess

    def no_fork(self):
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(ForkProcess, "start", no_fork)
    with SharedMap(list(range(500)), pid_and_square, min_items=10) as results:
        out = list(results)
    assert [square for _, square in out] == [n * n for n in range(500)] and {pid for pid, _ in out} == {os.getpid()}


ORPHAN = """
import os, sys, time
sys.path.insert(0, {scripts!r})
from exemplars.parallel import SharedMap

def slow(n):
    time.sleep(0.01)
    return "x" * 100_000  # a block of these fills the pipe: the helper must block in send

mapping = SharedMap(list(range(10_000)), slow, min_items=10, block=4)
print(mapping.helper.pid, flush=True)
for _ in mapping:
    time.sleep(3600)  # the parent hangs on its first result; the test kills it
"""


@needs_fork
def test_a_helper_whose_parent_is_killed_ends_too(tmp_path):
    """`kill -9` of a build (or SIGTERM that only reaches the parent) must not leave the helper running."""
    script = tmp_path / "orphan.py"
    script.write_text(ORPHAN.format(scripts=str(REPO / "scripts")), encoding="utf-8")
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    helper_pid = int(parent.stdout.readline())
    time.sleep(1)  # the helper has filled the pipe and waits in send
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and _running(helper_pid):
        time.sleep(0.1)
    stuck = _running(helper_pid)
    if stuck:
        os.kill(helper_pid, signal.SIGKILL)  # do not leave it behind for the rest of the run
    assert not stuck


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def exit_in_helper(n: int) -> int:
    if n == 40:
        os._exit(3)
    return n


@needs_fork
def test_a_helper_that_dies_is_reported_not_waited_for():
    with pytest.raises(HelperFailed, match="code 3"):
        run_all(exit_in_helper)


@needs_fork
def test_a_consumer_that_stops_early_stops_the_helper():
    mapping = SharedMap(list(range(10_000)), pid_and_square, min_items=10, block=8)
    with mapping as results:
        for _ in zip(range(20), results, strict=False):
            pass
    assert mapping.helper is None  # joined and gone


@needs_fork
def test_the_helper_writes_the_cache_through_its_own_connection(tmp_path):
    cache = ContentCache(tmp_path, "bodies")
    cache.put("parent-unflushed", "kept by the parent")

    def work(n: int) -> int:
        cache.put(f"key-{n}", f"value-{n}")
        return n

    with SharedMap(
        list(range(300)), work, on_fork=cache.reopen_after_fork, on_exit=cache.flush, min_items=10, block=10
    ) as results:
        assert list(results) == list(range(300))
    cache.close()
    with sqlite3.connect(tmp_path / CACHE_DIR / "bodies.sqlite") as db:
        keys = {row[0] for row in db.execute("SELECT key FROM entries")}
    assert keys == {f"key-{n}" for n in range(300)} | {"parent-unflushed"}


@pytest.mark.slow
@needs_fork
@pytest.mark.parametrize("search", [True, False], ids=["search", "no-search"])
def test_a_build_with_the_helper_is_the_build_without_it(tmp_path, monkeypatch, search):
    """300 stories (above the helper's threshold): every output file, search bundle included, is identical. The
    SharedMaps each build makes are checked too: none shares without the helper (EXEMPLARS_JOBS=1); with it, the
    bodies and records are shared (search on), and the pages go in steps of PAGES_PER_STEP, unshared while the
    search shards take the second core, until one last step shares the rest — when that is depends on timing, so
    the test checks the shape: whole unshared steps, then at most one shared step, every page written once."""
    root = make_library(tmp_path / "lib", 300, REPO)
    maps: dict[str, list[tuple[int, bool]]] = {}

    class Watched(SharedMap):
        def __init__(self, items, *args, **kwargs):
            super().__init__(items, *args, **kwargs)
            maps[os.environ["EXEMPLARS_JOBS"]].append((len(items), self.helper is not None))

    monkeypatch.setattr(build_session, "SharedMap", Watched)
    sites = {}
    for jobs in ("1", "2"):
        shutil.rmtree(root / ".cache", ignore_errors=True)  # both render every body
        monkeypatch.setenv("EXEMPLARS_JOBS", jobs)
        maps[jobs] = []
        sites[jobs] = build_site(root, tmp_path / f"site-{jobs}", search=search)
    assert not any(shared for _, shared in maps["1"]), maps["1"]
    pages = [size for size, _ in maps["1"]][1:] if search else [size for size, _ in maps["1"]]
    if search:
        assert maps["2"][0] == (maps["1"][0][0], True), "the bodies and records are shared"
    steps = maps["2"][1:] if search else maps["2"]
    assert sum(size for size, _ in steps) == sum(pages) > 300
    *unshared, last = steps
    assert all(step == (build_session.PAGES_PER_STEP, False) for step in unshared), steps
    if not search:  # nothing else wants the second core: the pages are shared from the first step
        assert steps == [(sum(pages), True)]
    elif last[1]:
        assert last[0] >= build_session.MIN_ITEMS
    one = {p.relative_to(sites["1"]).as_posix(): p for p in sites["1"].rglob("*") if p.is_file()}
    two = {p.relative_to(sites["2"]).as_posix(): p for p in sites["2"].rglob("*") if p.is_file()}
    assert sorted(one) == sorted(two)
    assert sum(name.startswith("stories/") for name in one) >= 300
    assert any(name.startswith("pagefind/") for name in one) == search
    assert [name for name in one if one[name].read_bytes() != two[name].read_bytes()] == []


def test_a_cache_without_a_database_still_remembers_within_the_process(tmp_path):
    """A read-only checkout: no .cache/ — `mkdocs serve` rebuilds must still reuse what this process rendered."""
    (tmp_path / ".cache").write_text("not a folder", encoding="utf-8")  # the database cannot be created
    cache = ContentCache(tmp_path, "bodies")
    assert cache.get("k") is None
    cache.put("k", "<p>rendered</p>")
    cache.flush()
    assert cache.get("k") == "<p>rendered</p>" and cache.hits == 1
