"""`exemplars check --watch`: check again after every save under stories/, methods/ and lessons/.

Editors' saves arrive as bursts of file events (temporary file, write, rename), so events are collected until
the folders have been quiet for a moment, then the whole library is checked once. Ctrl-C stops cleanly (exit 0).
"""

from __future__ import annotations

import datetime as dt
import sys
import threading
import time
from pathlib import Path
from typing import Callable

from .filenames import classify
from .schema import CONTRACTS

QUIET = 0.3  # seconds without events before a burst counts as one save
POLL = 0.5  # how often the main thread wakes up (keeps Ctrl-C prompt everywhere)
CLEAR = "\033[2J\033[H"


def watched_folders(root: Path) -> list[Path]:
    """The folders of every contract (stories/, methods/, lessons/) that exist under `root`."""
    return [root / c.folder for c in CONTRACTS.values() if (root / c.folder).is_dir()]


def is_relevant(path: str, is_directory: bool = False, event_type: str = "modified") -> bool:
    """Markdown files, and folders moved or deleted (taking their stories along); never editor swap files."""
    name = Path(path).name
    if not name or name.startswith(".") or name.endswith("~"):
        return False
    if is_directory:
        return event_type in ("moved", "deleted")
    return classify(name).action != "skip"  # x.md.txt too: check reports it, so saving one re-checks


def check_report(root: Path, paths: list[Path], fmt: str) -> tuple[str, str]:
    """One full check, as `exemplars check` prints it: (diagnostics in `fmt`, Chinese summary line)."""
    from .check import check_library, filter_to_paths
    from .diagnostics import format_diagnostics, summary_line
    from .library import load_library

    library = load_library(root)
    diags = check_library(library)
    if paths:
        diags = filter_to_paths(diags, root, paths)
    return format_diagnostics(diags, fmt), summary_line(diags, len(library.all_records))


def watch_check(root: Path, paths: list[Path], fmt: str = "text") -> int:
    """The `check --watch` entry point."""
    return watch(root, lambda: check_report(root, paths, fmt))


def watch(root: Path, run_check: Callable[[], tuple[str, str]], out=None) -> int:
    """Run `run_check` now and after every relevant change; it returns (report, summary). Returns 0 on Ctrl-C."""
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    out = out or sys.stdout
    folders = watched_folders(root)
    if not folders:
        names = "、".join(f"{c.folder}/" for c in CONTRACTS.values())
        print(f"错误：{root} 下没有 {names} 中的任何一个目录，无法监视。", file=sys.stderr)
        return 2
    changed = threading.Event()

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event) -> None:
            if event.event_type in ("opened", "closed_no_write"):
                return
            paths = [event.src_path, getattr(event, "dest_path", "") or ""]
            if any(p and is_relevant(str(p), event.is_directory, event.event_type) for p in paths):
                changed.set()

    observer = Observer()
    for folder in folders:
        observer.schedule(Handler(), str(folder), recursive=True)
    observer.start()
    names = "、".join(f.relative_to(root).as_posix() + "/" for f in folders)
    clear = CLEAR if getattr(out, "isatty", lambda: False)() else ""
    runs = 0
    try:
        while True:
            runs += 1
            report, summary = run_check()
            stamp = dt.datetime.now().strftime("%H:%M:%S")
            parts = [
                clear + (report + "\n" if report else ""),
                f"[{stamp}] 第 {runs} 次检查：{summary}",
                f"正在监视 {names} 的改动，保存文件后自动重新检查；按 Ctrl-C 退出。",
            ]
            if not clear:
                parts.insert(0, "-" * 60)
            print("\n".join(parts), file=out, flush=True)
            _wait_for_change(changed)
    except KeyboardInterrupt:
        print("\n已停止监视。", file=out, flush=True)
        return 0
    finally:
        observer.stop()
        observer.join(timeout=5)


def _wait_for_change(changed: threading.Event) -> None:
    while not changed.wait(POLL):
        pass
    while True:  # let the burst finish
        changed.clear()
        time.sleep(QUIET)
        if not changed.is_set():
            return
