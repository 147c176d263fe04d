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
from pathlib import Path

import pytest
from conftest import REPO
from sitebuild import build_site

from exemplars import library
from exemplars.build import session as build_session
from exemplars.cache import CACHE_DIR, ContentCache
from exemplars.parallel import HelperFailed, SharedMap, can_fork, pool_map, share_work, workers
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
    assert _helper_ends_with_its_parent(ORPHAN, tmp_path, settle=1)  # by then it has filled the pipe, waits in send


def _helper_ends_with_its_parent(program: str, tmp_path: Path, settle: float = 0) -> bool:
    """Run `program` (it prints its helper's pid first), kill it, and see whether the helper ends within 20 s."""
    script = tmp_path / "orphan.py"
    script.write_text(program.format(scripts=str(REPO / "scripts")), encoding="utf-8")
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    helper_pid = int(parent.stdout.readline())
    time.sleep(settle)
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and _running(helper_pid):
        time.sleep(0.1)
    stuck = _running(helper_pid)
    if stuck:
        os.kill(helper_pid, signal.SIGKILL)  # do not leave it behind for the rest of the run
    return not stuck


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
    """300 stories (above the helper's threshold): every output file, search bundle included, is identical. How
    each build shared its work is checked too: nothing without the helper (EXEMPLARS_JOBS=1); with it, the bodies
    and records are shared (search on), and the pages, feeds and Word files (share_work) get a helper as soon as
    the search shards no longer take the second core — at once without search; with search, whether that happens
    before they are all written is a matter of timing, so the test checks the shape: it asked before each block
    until the answer was yes, then no more."""
    root = make_library(tmp_path / "lib", 300, REPO)
    maps: dict[str, list[tuple[int, bool]]] = {}
    shares: dict[str, list[tuple[int, list[bool]]]] = {}

    class Watched(SharedMap):
        def __init__(self, items, *args, **kwargs):
            super().__init__(items, *args, **kwargs)
            maps[os.environ["EXEMPLARS_JOBS"]].append((len(items), self.helper is not None))

    real_share_work = build_session.share_work

    def watched_share_work(items, work, *, share_when, **kwargs):
        answers: list[bool] = []

        def asked() -> bool:
            answers.append(share_when())
            return answers[-1]

        shares[os.environ["EXEMPLARS_JOBS"]].append((len(items), answers))
        return real_share_work(items, work, share_when=asked, **kwargs)

    monkeypatch.setattr(build_session, "SharedMap", Watched)
    monkeypatch.setattr(build_session, "share_work", watched_share_work)
    sites = {}
    for jobs in ("1", "2"):
        shutil.rmtree(root / ".cache", ignore_errors=True)  # both render every body
        monkeypatch.setenv("EXEMPLARS_JOBS", jobs)
        maps[jobs], shares[jobs] = [], []
        sites[jobs] = build_site(root, tmp_path / f"site-{jobs}", search=search)
    if search:  # the bodies and records: one SharedMap, shared with the helper only
        ((searchable, shared),) = maps["1"]
        assert not shared and maps["2"] == [(searchable, True)] and searchable > 300
    else:  # the pages render their own bodies
        assert maps == {"1": [], "2": []}
    ((tasks, never_asked),) = shares["1"]
    ((same_tasks, answers),) = shares["2"]
    assert tasks == same_tasks > 300 and never_asked == []
    if search:
        assert answers and all(not answer for answer in answers[:-1]), answers
    else:  # nothing else wants the second core
        assert answers == [True]
    one = {p.relative_to(sites["1"]).as_posix(): p for p in sites["1"].rglob("*") if p.is_file()}
    two = {p.relative_to(sites["2"]).as_posix(): p for p in sites["2"].rglob("*") if p.is_file()}
    assert sorted(one) == sorted(two)
    assert sum(name.startswith("stories/") for name in one) >= 300
    assert any(name.startswith("pagefind/") for name in one) == search
    assert [name for name in one if one[name].read_bytes() != two[name].read_bytes()] == []


def slow_pid_and_square(n: int) -> tuple[int, int]:
    time.sleep(0.001)
    return os.getpid(), n * n


@needs_fork
def test_share_work_gives_every_result_once_and_both_processes_work():
    out = share_work(list(range(1000)), slow_pid_and_square, min_items=10, block=5)
    assert sorted(square for _, square in out) == [n * n for n in range(1000)]
    assert {pid for pid, _ in out} - {os.getpid()}, "the helper took some"
    assert os.getpid() in {pid for pid, _ in out}


@needs_fork
def test_share_work_forks_its_helper_only_once_share_when_says_so():
    asked = []

    def second_core_free() -> bool:
        asked.append(True)
        return len(asked) > 4  # free from the fifth block on

    out = share_work(list(range(600)), slow_pid_and_square, share_when=second_core_free, min_items=10, block=5)
    ours = {square for pid, square in out if pid == os.getpid()}
    assert {n * n for n in range(20)} <= ours, "the first four blocks were this process's alone"
    assert {pid for pid, _ in out} - {os.getpid()}
    assert len(asked) == 5, "asked before each block until the helper was there"
    never = share_work(list(range(300)), slow_pid_and_square, share_when=lambda: False, min_items=10, block=5)
    assert {pid for pid, _ in never} == {os.getpid()} and len(never) == 300


@needs_fork
def test_share_work_keeps_short_tails_here():
    # the second core is free only when fewer than min_items are left: no fork for them
    calls = []
    out = share_work(
        list(range(100)), pid_and_square, share_when=lambda: calls.append(1) or len(calls) > 15, min_items=30, block=5
    )
    assert {pid for pid, _ in out} == {os.getpid()} and len(out) == 100


def test_share_work_without_fork_never_asks(monkeypatch):
    monkeypatch.setenv("EXEMPLARS_JOBS", "1")
    asked = []
    out = share_work(list(range(300)), pid_and_square, share_when=lambda: asked.append(1) or True, min_items=10)
    assert sorted(out) == [(os.getpid(), n * n) for n in range(300)] and asked == []


def fails_in_the_helper(n: int) -> int:
    time.sleep(0.001)
    if os.getpid() != PARENT_PID:
        raise ValueError(f"story {n} is broken")
    return n


PARENT_PID = os.getpid()


@needs_fork
def test_share_work_raises_the_helpers_error_as_itself():
    with pytest.raises(ValueError, match="is broken") as caught:
        share_work(list(range(1000)), fails_in_the_helper, min_items=10, block=5)
    assert isinstance(caught.value.__cause__, HelperFailed)
    assert "fails_in_the_helper" in str(caught.value.__cause__)


def exits_in_the_helper(n: int) -> int:
    time.sleep(0.001)
    if os.getpid() != PARENT_PID:
        os._exit(3)
    return n


@needs_fork
def test_share_work_reports_a_helper_that_died():
    with pytest.raises(HelperFailed, match="code 3"):
        share_work(list(range(1000)), exits_in_the_helper, min_items=10, block=5)


def test_share_work_without_a_fork_does_everything_here(monkeypatch):
    from multiprocessing.context import ForkProcess

    def no_fork(self):
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(ForkProcess, "start", no_fork)
    out = share_work(list(range(500)), pid_and_square, min_items=10)
    assert sorted(out) == [(os.getpid(), n * n) for n in range(500)]


SHARED_ORPHAN = """
import os, sys, time
sys.path.insert(0, {scripts!r})
from exemplars.parallel import share_work

def slow(n):
    if n == 0:
        time.sleep(3600)  # this process hangs in its first block; the test kills it
    print(os.getpid(), flush=True)  # the helper says who it is, once per item
    time.sleep(0.01)
    return n

share_work(list(range(100_000)), slow, min_items=10, block=1)
"""


@needs_fork
def test_a_share_work_helper_whose_parent_is_killed_ends_too(tmp_path):
    assert _helper_ends_with_its_parent(SHARED_ORPHAN, tmp_path)


def test_a_cache_without_a_database_still_remembers_within_the_process(tmp_path):
    """A read-only checkout: no .cache/ — `mkdocs serve` rebuilds must still reuse what this process rendered."""
    (tmp_path / ".cache").write_text("not a folder", encoding="utf-8")  # the database cannot be created
    cache = ContentCache(tmp_path, "bodies")
    assert cache.get("k") is None
    cache.put("k", "<p>rendered</p>")
    cache.flush()
    assert cache.get("k") == "<p>rendered</p>" and cache.hits == 1
