#!/usr/bin/env python3
"""Edit-to-reload under `mkdocs serve`: how long after saving a story its page (and its method page) show it.

    .venv/bin/python tests/benchmarks/bench_serve.py [--stories 1000] [--repeat 5] [--serve-args --dirty]

Makes a synthetic library, starts `mkdocs serve --dirty --dev-addr 127.0.0.1:<free port>` (what `make serve` runs;
other arguments via --serve-args), waits until it serves, then per run: picks a story that appears among a method page's
cards, replaces its title with a unique marker (atomically: temp file + rename, as an editor's save would),
polls /stories/<id>/ every 50 ms until the marker is there, then the method page until its card shows it.
Restores the file (and waits until the page is back) before the next run; stops the server it started.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "scripts"))

import lxml.html  # noqa: E402
from sitebench import BIN, copy_site_setup  # noqa: E402

from exemplars.fsutil import write_atomic  # noqa: E402
from exemplars.library import load_library  # noqa: E402
from exemplars.site import urls  # noqa: E402
from exemplars.synth import make_library  # noqa: E402

POLL = 0.05


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def wait_for(url: str, predicate, timeout: float) -> float | None:
    """Seconds until GET url satisfies predicate(text), polling every POLL s; None on timeout."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        text = fetch(url)
        if text is not None and predicate(text):
            return time.perf_counter() - started
        time.sleep(POLL)
    return None


def method_cards(base: str, method_id: str) -> list[str]:
    """Story ids among the cards of a method page, as served."""
    url = base + urls.method(method_id)
    text = fetch(url)
    if not text:
        return []
    ids = []
    for title in lxml.html.fromstring(text).find_class("ex-card__title"):
        anchor = title.find(".//a")
        if anchor is None:
            continue
        match = re.search(r"stories/([^/]+)/", urllib.parse.urljoin(url, anchor.get("href", "")))
        if match:
            ids.append(match.group(1))
    return ids


def pick_stories(base: str, library, count: int) -> list[tuple[str, str]]:
    """(story id, method id) pairs, round-robin over the methods, each story shown on that method's page."""
    per_method = {m.id: method_cards(base, m.id) for m in library.methods}
    picked: list[tuple[str, str]] = []
    used: set[str] = set()
    while len(picked) < count and any(per_method.values()):
        for method_id, ids in per_method.items():
            while ids and ids[0] in used:
                ids.pop(0)
            if ids and len(picked) < count:
                story_id = ids.pop(0)
                used.add(story_id)
                picked.append((story_id, method_id))
    return picked


def with_title(text: str, title: str) -> str:
    new, count = re.subn(r"^title: .*$", f"title: {title}", text, count=1, flags=re.M)
    if count != 1:
        raise ValueError("story has no `title:` line")
    return new


def stop(process: subprocess.Popen) -> None:
    """Stop the server we started (its own process group): Ctrl-C first, then harder."""
    if process.poll() is not None:
        return
    for sig, wait in ((signal.SIGINT, 15), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def run(stories: int, repeat: int, workdir: Path, serve_args: list[str], timeout: float, keep: bool, log=print) -> dict:
    project = workdir / "project"
    log(f"serve bench: generating {stories} stories in {project}")
    make_library(project, stories, REPO)
    copy_site_setup(project)
    library = load_library(project)
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    cmd = [
        str(BIN / "mkdocs"),
        "serve",
        "-f",
        str(project / "mkdocs.yml"),
        "--dev-addr",
        f"127.0.0.1:{port}",
        *serve_args,
    ]
    log("serve bench: " + " ".join(cmd))
    server_log = (workdir / "serve.log").open("wb")
    started = time.perf_counter()
    process = subprocess.Popen(
        cmd,
        cwd=project,
        stdout=server_log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # stop() sends Ctrl-C first
    )
    runs: list[dict] = []
    originals: dict[Path, bytes] = {}
    try:
        first = wait_for(base, lambda text: True, timeout)
        if first is None:
            raise RuntimeError(f"mkdocs serve did not answer within {timeout:.0f} s (see {workdir / 'serve.log'})")
        startup = time.perf_counter() - started
        log(f"serve bench: serving after {startup:.1f} s")
        picks = pick_stories(base, library, repeat)
        if len(picks) < repeat:
            log(f"serve bench: only {len(picks)} stories appear on method pages")
        for n, (story_id, method_id) in enumerate(picks, 1):
            path = project / library.story(story_id).path
            original = originals.setdefault(path, path.read_bytes())
            marker = f"计时标记{n}号{int(time.time() * 1000) % 100000}"
            story_url = base + urls.story(story_id)
            method_url = base + urls.method(method_id)
            t0 = time.perf_counter()
            write_atomic(path, with_title(original.decode("utf-8"), marker).encode("utf-8"))
            story_s = wait_for(story_url, lambda text, marker=marker: marker in text, timeout)
            method_s = None
            if story_s is not None:
                rest = wait_for(method_url, lambda text, marker=marker: marker in text, timeout)
                method_s = time.perf_counter() - t0 if rest is not None else None
            runs.append({"story": story_id, "method": method_id, "story_page_s": story_s, "method_page_s": method_s})
            log(f"serve bench: run {n}: {story_id} page {_s(story_s)} s, {method_id} page {_s(method_s)} s")
            write_atomic(path, original)
            if wait_for(story_url, lambda text, marker=marker: marker not in text, timeout) is None:
                log(f"serve bench: {story_id} still shows the marker {timeout:.0f} s after restoring it")
            time.sleep(1)  # let the watcher settle before the next save
    finally:
        for path, data in originals.items():
            if path.read_bytes() != data:
                write_atomic(path, data)
        stop(process)
        server_log.close()
        if not keep:
            shutil.rmtree(project, ignore_errors=True)
    timed = [r["story_page_s"] for r in runs if r["story_page_s"] is not None]
    method_timed = [r["method_page_s"] for r in runs if r["method_page_s"] is not None]
    return {
        "stories": stories,
        "serve_args": serve_args,
        "startup_s": startup,
        "runs": runs,
        "story_page_median_s": statistics.median(timed) if timed else None,
        "method_page_median_s": statistics.median(method_timed) if method_timed else None,
        "timeouts": sum(r["story_page_s"] is None or r["method_page_s"] is None for r in runs),
    }


def _s(value) -> str:
    return "timeout" if value is None else f"{value:.2f}"


def table(result: dict) -> str:
    lines = [
        f"edit-to-reload, mkdocs serve {' '.join(result['serve_args'])}".rstrip()
        + f", {result['stories']} stories (first serve after {result['startup_s']:.1f} s)",
        "",
        "| run | story | story page, s | method page shows it, s |",
        "|---:|---|---:|---:|",
    ]
    for n, r in enumerate(result["runs"], 1):
        lines.append(f"| {n} | {r['story']} | {_s(r['story_page_s'])} | {_s(r['method_page_s'])} |")
    lines.append(f"| median | | {_s(result['story_page_median_s'])} | {_s(result['method_page_median_s'])} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=REPO / "bench-out" / "serve")
    parser.add_argument(
        "--serve-args",
        nargs=argparse.REMAINDER,
        default=["--dirty"],
        help="arguments for mkdocs serve (must come last); default --dirty, as `make serve`",
    )
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for the server / a change")
    parser.add_argument("--keep", action="store_true", help="keep the generated project")
    args = parser.parse_args(argv)
    args.workdir = args.workdir.resolve()
    args.workdir.mkdir(parents=True, exist_ok=True)
    result = run(args.stories, args.repeat, args.workdir, args.serve_args, args.timeout, args.keep)
    print("\n" + table(result))
    return 0 if result["runs"] and not result["timeouts"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
