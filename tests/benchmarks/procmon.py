"""Run a command and measure it: wall time, peak RSS of the main process, peak RSS of its whole process tree.

GNU time's "Maximum resident set size" is per process (the largest single one it waited for), so it cannot see
that MkDocs and its Pagefind children are resident at the same time. Here a sampler thread walks the tree with
psutil every `interval` seconds (the descendants are listed afresh at every sample, so a child started late or
living briefly, e.g. one Pagefind process per search shard, is counted while it lives) and keeps (a) the main
process's peak and (b) the peak of the summed tree. Samples can miss a spike shorter than the interval: the
largest gap between two samples and the number of processes seen are kept to show how close the sampling was.
The sum counts pages a forked helper still shares with its parent twice, so it errs high. /usr/bin/time -v, when
present, wraps the command as a cross-check.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

GNU_TIME = Path("/usr/bin/time")


@dataclass
class RunStats:
    command: list[str]
    exit_code: int
    wall_s: float
    main_peak_rss: int  # bytes, sampled: the measured command's own process
    tree_peak_rss: int  # bytes, sampled: that process plus all its descendants, summed at the same instant
    gnu_time_max_rss: int | None  # bytes, /usr/bin/time -v: the largest single process of the tree
    samples: int
    stderr_tail: str
    load_before: float  # 1-minute load average when the command started (the machine may be shared)
    cpu_s: float  # user + system CPU seconds of the command and its waited-for children: steadier than wall time
    sample_gap_max_s: float = 0.0  # the longest time between two samples of the tree (a spike shorter can hide)
    processes_seen: int = 0  # distinct processes of the tree (the measured one included) any sample saw
    # the largest sum, at one sample, of each live process's own peak RSS so far (VmHWM): an upper bound of the tree's
    # peak that a spike between two samples cannot escape (unless a process grew after its last sample and exited
    # before the next)
    tree_peak_rss_bound: int = 0
    stderr_matches: list[str] = field(default_factory=list)  # every stderr line matching run_measured's keep_lines

    def as_dict(self) -> dict:
        return asdict(self)


PROC = Path("/proc")


class _ProcTree:
    """A process and its descendants through /proc, for one measured run. A pid's parent and start time are read
    once, when the pid first appears; each sample then lists /proc and reads one status file per process of the
    tree. psutil's children() reads every process's stat file at every sample (~1.4 ms for ~70 processes, 20 times
    a second): ~0.2 s of CPU over a 5 s build, taken on a 2-core machine from the build it measures."""

    def __init__(self) -> None:
        self.known: dict[int, tuple[int, int]] = {}  # pid -> (parent pid, start time in clock ticks)

    def sample(self, root: int, seen: set | None = None) -> tuple[int, int, int]:
        """(rss of root, rss of root + descendants, the same sum of each one's own peak RSS so far), as
        _tree_rss; (0, 0, 0) once root has gone."""
        live = {int(name) for name in os.listdir(PROC) if name.isdigit()}
        for pid in self.known.keys() - live:
            del self.known[pid]
        for pid in live - self.known.keys():
            parent = _parent_and_start(pid)
            if parent is not None:
                self.known[pid] = parent
        children: dict[int, list[int]] = {}
        for pid, (parent, _) in self.known.items():
            children.setdefault(parent, []).append(pid)
        own = total = high = 0
        tree = [root] if root in self.known else []
        for pid in tree:  # grows while walked: breadth first
            tree.extend(children.get(pid, ()))
            rss, peak = _rss_and_peak(pid)
            if rss is None:
                continue
            if pid == root:
                own = rss
            if seen is not None:
                seen.add((pid, self.known[pid][1]))
            total += rss
            high += max(rss, peak or 0)
        return own, total, high


def _parent_and_start(pid: int) -> tuple[int, int] | None:
    try:
        with open(PROC / str(pid) / "stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()  # the name before it may hold spaces and parentheses
        return int(fields[1]), int(fields[19])
    except (OSError, ValueError, IndexError):
        return None


def _rss_and_peak(pid: int) -> tuple[int | None, int | None]:
    """(VmRSS, VmHWM) of /proc/<pid>/status in bytes; (None, None) if the process has gone (or is a zombie)."""
    rss = peak = None
    try:
        with open(PROC / str(pid) / "status", "rb") as status:
            for line in status:
                if line.startswith(b"VmHWM:"):
                    peak = int(line.split()[1]) * 1024
                elif line.startswith(b"VmRSS:"):
                    rss = int(line.split()[1]) * 1024
                    break  # VmRSS follows VmHWM
    except (OSError, ValueError, IndexError):
        return None, None
    return rss, peak


def _tree_rss(proc: psutil.Process, seen: set | None = None) -> tuple[int, int, int]:
    """(rss of proc, rss of proc + descendants, the same sum of each one's own peak RSS so far) now; vanished
    processes count as 0. The descendants are listed anew at each call; `seen` collects (pid, start time) of
    every process counted. The third figure bounds the tree from above between samples: each process is counted
    at the largest it has been, even when that was between two samples."""
    try:
        own = proc.memory_info().rss
        children = proc.children(recursive=True)
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return 0, 0, 0
    total = high = 0
    for child in [proc, *children]:
        try:
            rss = own if child is proc else child.memory_info().rss
            if seen is not None:
                seen.add((child.pid, child.create_time()))
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        total += rss
        high += max(rss, _rss_and_peak(child.pid)[1] or 0)
    return own, total, high


def run_measured(
    cmd: list[str],
    *,
    cwd: Path | None = None,
    env: dict | None = None,
    interval: float = 0.05,
    timeout: float | None = None,
    use_gnu_time: bool = True,
    keep_lines: str | None = None,
) -> RunStats:
    """Run `cmd` to completion (output captured, stderr's tail kept, and every stderr line matching the regular
    expression `keep_lines`) and return what it cost."""
    wrap = use_gnu_time and GNU_TIME.is_file() and os.access(GNU_TIME, os.X_OK)
    full = ["/usr/bin/time", "-v", *cmd] if wrap else list(cmd)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    popen = subprocess.Popen(full, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    outer = psutil.Process(popen.pid)
    peaks = {"main": 0, "tree": 0, "bound": 0, "samples": 0, "gap": 0.0}
    seen: set = set()
    done = threading.Event()

    def main_process() -> psutil.Process | None:
        if not wrap:
            return outer
        try:  # /usr/bin/time forks the command: the measured process is its only child
            kids = outer.children()
        except psutil.NoSuchProcess:
            return None
        return kids[0] if kids else None

    walker = _ProcTree() if PROC.is_dir() else None  # psutil elsewhere (macOS)

    def sample() -> None:
        target = None
        last = None
        while not done.is_set():
            began = time.perf_counter()
            if target is None or not target.is_running():
                target = main_process()
            if target is not None:
                own, total, high = walker.sample(target.pid, seen) if walker else _tree_rss(target, seen)
                peaks["main"] = max(peaks["main"], own)
                peaks["tree"] = max(peaks["tree"], total)
                peaks["bound"] = max(peaks["bound"], high)
                peaks["samples"] += 1
                if last is not None:
                    peaks["gap"] = max(peaks["gap"], began - last)
                last = began
            # one sample every `interval` seconds, however long walking the tree took
            done.wait(max(0.0, interval - (time.perf_counter() - began)))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        _, stderr = popen.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        popen.kill()
        _, stderr = popen.communicate()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    text = stderr.decode("utf-8", "replace")
    gnu = None
    if wrap:
        match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
        gnu = int(match.group(1)) * 1024 if match else None
        text = text.split("\tCommand being timed:")[0]
    matches = [line for line in text.splitlines() if re.search(keep_lines, line)] if keep_lines else []
    return RunStats(
        command=list(cmd),
        exit_code=popen.returncode,
        wall_s=wall,
        main_peak_rss=peaks["main"],
        tree_peak_rss=peaks["tree"],
        gnu_time_max_rss=gnu,
        samples=peaks["samples"],
        load_before=load,
        cpu_s=cpu,
        stderr_tail=text[-2000:],
        sample_gap_max_s=peaks["gap"],
        processes_seen=len(seen),
        tree_peak_rss_bound=peaks["bound"],
        stderr_matches=matches,
    )


def have_gnu_time() -> bool:
    return GNU_TIME.is_file() and shutil.which("time") is not None
