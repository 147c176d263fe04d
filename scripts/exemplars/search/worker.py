"""Search work beside the build, in Python processes that stay for the next task.

The build holds its own interpreter's lock while it renders, so the search work that runs meanwhile — completing
a shard's pair words (pairs.complete_bundle), merging the shards (merge.merge_bundles) — runs in separate Python
processes. A fresh process per task paid its start-up and its imports (the pair tables) every time: 22 shards and a
merge at 10,000 stories, and at the end of a build that start-up is on the way to the finished site. So up to two
processes stay (two shards may be completed at once), the first is started with the build (`start`), while the
second core has little to do, and tasks go to an idle one.

A task is a function of this package named by module and name, its arguments and its result pickled, both ways
length-prefixed. A refusal (an exception of REFUSALS: a damaged file, a page that does not line up) is an answer
and the process stays; anything else ends the process, and the caller gets its traceback's tail.
"""

from __future__ import annotations

import atexit
import importlib
import os
import pickle
import subprocess
import sys
import tempfile
import threading
from typing import Any

from ..parallel import module_process

KEEP = 2
REFUSALS = (OSError, ValueError, KeyError, EOFError, RuntimeError)  # RuntimeError: pairs.PairsError


class WorkerRefused(Exception):
    """The task's function raised one of REFUSALS: `kind` is its class name, the message its text."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class WorkerFailed(Exception):
    """The process ended before it answered (a bug, or it was killed): the message is its stderr's tail."""


class _Worker:
    def __init__(self) -> None:
        command, environment = module_process("exemplars.search.worker")
        self.errors = tempfile.TemporaryFile()  # read only if it dies: a pipe nobody reads could fill up
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors, env=environment
        )

    def run(self, module: str, function: str, args: tuple) -> Any:
        task = pickle.dumps((module, function, args), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self.process.stdin.write(len(task).to_bytes(8, "big") + task)
            self.process.stdin.flush()
            status, *answer = pickle.loads(_read_message(self.process.stdout))
        except (OSError, EOFError):
            self.errors.seek(0)
            tail = self.errors.read().decode("utf-8", "replace").strip()[-800:]
            self.close()
            raise WorkerFailed(f"进程意外退出（{self.process.returncode}）：{tail}") from None
        if status == "refused":
            raise WorkerRefused(*answer)
        return answer[0]

    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.errors.close()


_idle: list[_Worker] = []
_lock = threading.Lock()
_returned = threading.Condition(_lock)
_busy = 0  # tasks being run
_limit = KEEP  # at most this many at once: `start` sets it for a build, `close_all` puts it back


def run(module: str, function: str, *args: Any) -> Any:
    """`module.function(*args)` (module relative to this package, e.g. "search.pairs") in an idle worker process,
    or a new one while fewer than the limit are at work (else it waits for one). Raises WorkerRefused or
    WorkerFailed."""
    worker = _take()
    try:
        if worker is None:
            worker = _Worker()
        result = worker.run(module, function, args)
    except WorkerRefused:
        _give_back(worker)
        raise
    except BaseException:  # it died, or this thread stopped between task and answer: never asked again
        if worker is not None:
            worker.close()
        _give_back(None)
        raise
    _give_back(worker)
    return result


def start(count: int = 1) -> None:
    """This build's workers: `count` (at most KEEP) are started now, so that their start-up (~0.3 s of CPU each,
    numpy included) is paid while the build has a core to spare, and no more than `count` work at once. A library
    of one or two shards has little to overlap, and a second worker would only cost its start-up."""
    global _limit
    count = max(1, min(count, KEEP))
    with _lock:
        _limit = count
        missing = count - len(_idle) - _busy
    for _ in range(missing):
        try:
            worker = _Worker()
        except OSError:  # no process slot: the first task starts one
            return
        with _lock:
            _idle.append(worker)
            _returned.notify()


def _take() -> _Worker | None:
    """An idle worker, or None when the caller may start one; waits while the limit is reached."""
    global _busy
    with _lock:
        while True:
            while _idle:
                worker = _idle.pop()
                if worker.alive():
                    _busy += 1
                    return worker
                worker.close()  # ended while idle (killed): not a worker any more
            if _busy < _limit:
                _busy += 1
                return None
            _returned.wait()


def _give_back(worker: _Worker | None) -> None:
    global _busy
    with _lock:
        _busy -= 1
        _returned.notify()
        if worker is None:
            return
        if worker.alive() and len(_idle) < KEEP:
            _idle.append(worker)
            return
    worker.close()


def close_all() -> None:
    """End the idle workers (the end of a build; `mkdocs serve` keeps them between rebuilds)."""
    global _limit
    with _lock:
        idle = _idle[:]
        _idle.clear()
        _limit = KEEP
    for worker in idle:
        worker.close()


def _forget_in_child() -> None:
    # A forked helper (exemplars.parallel) must neither use nor hold the parent's workers: its copies of their pipes
    # would keep them from seeing the end of their input. The lock may have been held by another thread of the
    # parent at the fork: the child gets its own.
    global _lock, _returned, _busy
    for worker in _idle:
        for stream in (worker.process.stdin, worker.process.stdout):
            stream.close()
    _idle.clear()
    _lock = threading.Lock()
    _returned = threading.Condition(_lock)
    _busy = 0


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_in_child)
atexit.register(close_all)


def _read_message(stream) -> bytes:
    head = stream.read(8)
    if len(head) < 8:
        raise EOFError("no answer")
    size = int.from_bytes(head, "big")
    body = stream.read(size)
    if len(body) < size:
        raise EOFError("answer cut short")
    return body


def _serve() -> None:
    """The process's loop: a task at a time until its input ends."""
    tasks, answers = sys.stdin.buffer, sys.stdout.buffer
    for module in ("merge", "postings"):  # paid before the first task (numpy: postings)
        importlib.import_module(f"exemplars.search.{module}")
    while True:
        try:
            module, function, args = pickle.loads(_read_message(tasks))
        except EOFError:
            return
        try:
            answer = ("done", getattr(importlib.import_module(f"exemplars.{module}"), function)(*args))
        except REFUSALS as exc:
            answer = ("refused", type(exc).__name__, str(exc))
        payload = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        answers.write(len(payload).to_bytes(8, "big") + payload)
        answers.flush()


if __name__ == "__main__":
    _serve()
    # Its input ended: the build is closing its workers and waits for each to end. Nothing is left to flush (every
    # answer was), so skip the interpreter's teardown of a heap that held a merge (~50 ms a worker at 10,000).
    os._exit(0)
