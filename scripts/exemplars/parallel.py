"""Parallel work, the one home: how many processes a job may use, and the two ways the package spreads work.

- `pool_map`: independent chunks (files to read and validate, QR codes to draw) in a pool of forked workers,
  results in chunk order. Each caller decides from its own measurements how many items make a pool pay off.
- `SharedMap`: a long per-item job shared with one forked helper, results in input order. A build renders
  thousands of story pages one after another on one core while the machine has two; the pages are independent,
  so a helper forked from the build (it sees everything the build has prepared, copy-on-write, no pickling of
  templates or the library) takes every other block of them. Results come back in input order no matter which
  process made them, so whatever consumes them (the search index) sees the same sequence as a one-process build:
  same output bytes.
- `share_work`: jobs whose results are only collected (files written, counts summed), taken one block at a time
  by whichever process is free, so jobs of uneven cost leave neither process waiting for the other; the helper is
  forked only once the second core is free (`share_when`), which may be part-way through.

One policy for both (`workers`): one process per core unless the caller asks for fewer; everything stays in this
process on a one-core machine, where fork is not available, or with the environment variable EXEMPLARS_JOBS=1
(e.g. to profile a build). Fork before starting threads or subprocesses whose state a worker must not share (the
search service). Plain Python: nothing here imports MkDocs.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
import traceback
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 200  # below this the fork and the pickling cost more than the second core gives back
BLOCK = 32  # items a message: large enough to amortise pickling, small enough to keep both processes busy


def module_process(module: str, *args: str) -> tuple[list[str], dict[str, str]]:
    """The command line and the environment that run `python -m <module> <args>` in a fresh interpreter with this
    checkout's exemplars first on its path, not another install: work a build runs beside itself in a process of
    its own (search/worker.py's workers, search/merge.py's word ranges, site/qr.py's codes drawn ahead)."""
    package_root = str(Path(__file__).resolve().parents[1])
    environment = dict(
        os.environ, PYTHONPATH=os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))
    )
    return [sys.executable, "-m", module, *args], environment


def workers(jobs: int | None = None) -> int:
    """How many processes parallel work may use: `jobs` when given, else one per core; 1 when EXEMPLARS_JOBS=1 or
    this system cannot fork."""
    if os.environ.get("EXEMPLARS_JOBS", "").strip() == "1" or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, jobs or os.cpu_count() or 1)


def can_fork() -> bool:
    """Two or more cores, fork available, and not switched off with EXEMPLARS_JOBS=1."""
    return workers() >= 2


def pool_map(function: Callable[..., R], chunks: Sequence[Any], *shared: Any, jobs: int | None = None) -> list[R]:
    """`function(chunk, *shared)` for every chunk, results in chunk order, in up to `workers(jobs)` forked worker
    processes (never more than there are chunks); in this process when that is one. `function` must be a module-level
    function and its results picklable."""
    count = min(workers(jobs), len(chunks))
    if count < 2:
        return [function(chunk, *shared) for chunk in chunks]
    with ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(function, chunks, *([value] * len(chunks) for value in shared)))


class HelperFailed(RuntimeError):
    """The helper process raised (its traceback is the message) or died."""


class SharedMap:
    """`work(item)` for every item, in input order; iterate it (once), in a `with` block.

    Blocks of `block` items alternate between this process (even blocks) and a helper forked right here, when the
    object is made (odd blocks), so the helper is never more than one block ahead. `work` may have side effects
    (writing a file) and must return something picklable. `on_fork` runs first in the helper (e.g. reopen a
    database connection: one must not be shared across a fork), `on_exit` last (e.g. flush it). Short lists,
    one-core machines, systems without fork and `share=False` run everything here.
    """

    def __init__(
        self,
        items: Sequence[T],
        work: Callable[[T], R],
        *,
        share: bool = True,
        on_fork: Callable[[], None] | None = None,
        on_exit: Callable[[], None] | None = None,
        min_items: int = MIN_ITEMS,
        block: int = BLOCK,
    ) -> None:
        self.work = work
        self.helper = None
        self.finished = False
        if not share or len(items) < min_items or not can_fork():
            self.blocks = [list(items)] if items else []
            return
        self.blocks = [items[start : start + block] for start in range(0, len(items), block)]
        context = multiprocessing.get_context("fork")
        self.helper, self.receiver = _start_helper(context, _help, self.blocks[1::2], work, on_fork, on_exit)
        if self.helper is None:  # no memory or process slot for a fork: the work still gets done, here
            self.blocks = [list(items)]

    def __iter__(self) -> Iterator[R]:
        for number, chunk in enumerate(self.blocks):
            if self.helper is None or number % 2 == 0:
                for item in chunk:
                    yield self.work(item)
                continue
            yield from _receive(self.helper, self.receiver)
        self.finished = True

    def close(self) -> None:
        """Wait for the helper; one whose work is no longer wanted (the consumer failed) is stopped."""
        if self.helper is None:
            return
        if self.finished:  # it has sent everything and is exiting
            self.helper.join()
            if self.helper.exitcode:
                code, self.helper = self.helper.exitcode, None
                self.receiver.close()
                raise HelperFailed(f"helper process exited with code {code} after its work was done")
        if self.helper.is_alive():
            self.helper.terminate()
            self.helper.join()
        self.receiver.close()
        self.helper = None

    def __enter__(self) -> "SharedMap":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def share_work(
    items: Sequence[T],
    work: Callable[[T], R],
    *,
    share_when: Callable[[], bool] = lambda: True,
    on_fork: Callable[[], None] | None = None,
    on_exit: Callable[[], None] | None = None,
    min_items: int = MIN_ITEMS,
    block: int = 8,
) -> list[R]:
    """`work(item)` for every item, results in no particular order. This process takes `block` items at a time
    from a counter shared with a helper; before each block, while there is no helper, it asks `share_when()` and,
    once that is true and at least `min_items` items are left, forks one, which takes blocks from the same counter
    until none are left and then sends its results. The hooks are SharedMap's. Everything stays in this process
    on one core, without fork, or when the helper cannot be started; a helper's exception is raised here."""
    context = multiprocessing.get_context("fork") if can_fork() else None
    taken = context.Value("q", 0) if context is not None else None  # the next item nobody has taken
    results: list[R] = []
    helper = receiver = None
    start = 0
    try:
        while True:
            if taken is not None:
                start = _take_block(taken, block, len(items))
            if start >= len(items):
                break
            if helper is None and context is not None and len(items) - start >= min_items and share_when():
                helper, receiver = _start_helper(context, _take, items, work, on_fork, on_exit, taken, block)
                if helper is None:
                    context = None  # no fork possible: the rest here, no more asking
            results.extend(work(item) for item in items[start : start + block])
            if taken is None:
                start += block
        if helper is not None:
            results.extend(_receive(helper, receiver))
            helper.join()
            helper = None
    finally:
        if helper is not None:  # this process failed: the helper's work is no longer wanted
            helper.terminate()
            helper.join()
        if receiver is not None:
            receiver.close()
    return results


def _start_helper(context, target, *args):
    """Fork a helper running `target(*args, sender, receiver)`: (helper, receiver), or (None, None) when no process
    can be started (no memory or process slot)."""
    receiver, sender = context.Pipe(duplex=False)
    helper = context.Process(target=target, args=(*args, sender, receiver), name="exemplars-helper", daemon=True)
    try:
        helper.start()
    except OSError:
        receiver.close()
        return None, None
    finally:
        sender.close()  # ours: only the helper's copy stays open, so its exit reads as end of file
    return helper, receiver


def _receive(helper, receiver) -> list:
    """The helper's next results; its exception raised here as itself (HelperFailed with its traceback as cause),
    HelperFailed if it died first."""
    try:
        status, payload = receiver.recv()
    except EOFError:
        helper.join()
        raise HelperFailed(f"helper process exited (code {helper.exitcode}) before its work was done") from None
    if status == "error":
        error, text = payload
        failure = HelperFailed(text)
        if error is None:
            raise failure
        raise error from failure  # the helper's own exception, as if it had happened here
    return payload


def _take_block(taken, block: int, total: int) -> int:
    """The first item of the next block nobody has taken (`total` when none is left)."""
    with taken.get_lock():
        start = taken.value
        taken.value = min(start + block, total)
    return start


def _take(items, work, on_fork, on_exit, taken, block, sender, receiver) -> None:
    """The helper of share_work: blocks from the shared counter until there are none, then one message."""
    parent = os.getppid()

    def blocks():
        while True:
            if os.getppid() != parent:  # the build is gone (killed): nobody wants the rest, nor the results
                os._exit(1)
            start = _take_block(taken, block, len(items))
            if start >= len(items):
                return
            yield items[start : start + block]

    _serve_blocks(blocks(), work, sender, receiver, on_fork, on_exit, at_once=True)


def _help(blocks, work, on_fork, on_exit, sender, receiver) -> None:
    _serve_blocks(blocks, work, sender, receiver, on_fork, on_exit, at_once=False)


def _serve_blocks(blocks, work, sender, receiver, on_fork, on_exit, *, at_once: bool) -> None:
    # The parent's end of the pipe came along with the fork: close it, so that if the parent dies the next send
    # fails (broken pipe) and this process ends, instead of waiting forever for a reader that is gone.
    receiver.close()
    try:
        if on_fork is not None:
            on_fork()
        try:
            if at_once:  # share_work: one message with every result, whatever the blocks were
                sender.send(("ok", [work(item) for chunk in blocks for item in chunk]))
            else:  # SharedMap: a message per block, read in turn with this process's blocks
                for chunk in blocks:
                    sender.send(("ok", [work(item) for item in chunk]))
        finally:
            if on_exit is not None:
                on_exit()
    except BrokenPipeError:  # the parent is gone or stopped listening: nobody to tell
        os._exit(1)
    except BaseException as exc:  # the parent re-raises it; nothing else would show it
        text = traceback.format_exc()
        try:
            pickle.dumps(exc)
        except Exception:  # not picklable: the text alone
            exc = None
        try:
            sender.send(("error", (exc, text)))
        except OSError:
            os._exit(1)
    finally:
        sender.close()
