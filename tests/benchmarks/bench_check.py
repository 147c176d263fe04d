"""Benchmark: `exemplars check` on synthetic libraries. Prints a table and the command that reproduces it.

    .venv/bin/python tests/benchmarks/bench_check.py [--sizes 1000 10000] [--workdir /tmp/exemplars-bench]

Wall time and peak RSS come from /usr/bin/time -v when present, else from resource accounting of the child.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

from exemplars.synth import make_library  # noqa: E402


def measure(cmd: list[str]) -> tuple[float, int, int]:
    """(wall seconds, peak RSS in KB, exit code) of one command."""
    if shutil.which("time") and Path("/usr/bin/time").exists():
        started = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True)
        wall = time.perf_counter() - started
        rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr).group(1))
        return wall, rss, proc.returncode
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - started
    return wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, proc.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per size (median and max are shown)")
    parser.add_argument("--workdir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "exemplars-bench")
    args = parser.parse_args()
    exe = [sys.executable, "-m", "exemplars"]
    rows = []
    for size in args.sizes:
        lib = make_library(args.workdir / f"lib-{size}", size, REPO)
        mb = sum(p.stat().st_size for p in lib.rglob("*.md")) / 1e6
        runs = [measure([*exe, "check", "--root", str(lib)]) for _ in range(args.repeat)]
        walls = sorted(r[0] for r in runs)
        rows.append(
            (size, mb, walls[len(walls) // 2], walls[-1], max(r[1] for r in runs) / 1024, max(r[2] for r in runs))
        )
    print(
        f"{'stories':>8} | {'library MB':>10} | {'check s (median)':>16} | {'check s (max)':>13} | "
        f"{'peak RSS MB':>11} | exit"
    )
    print("-" * 80)
    for size, mb, median, worst, rss, code in rows:
        print(f"{size:>8} | {mb:>10.1f} | {median:>16.2f} | {worst:>13.2f} | {rss:>11.0f} | {code}")
    print(f"\nmachine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    print(
        "reproduce: .venv/bin/python tests/benchmarks/bench_check.py --sizes "
        + " ".join(map(str, args.sizes))
        + f" --repeat {args.repeat}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
