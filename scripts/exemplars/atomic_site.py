"""`make site`: build the public site into a temporary folder beside site/ and put it in place only on success.

A failed build — a story the checker rejects, a full disk, an interrupted run — leaves the previous site/ exactly as
it was and removes its temporary folder. The build itself is `mkdocs build --strict` in a child process; this module
never imports MkDocs. The swap is two renames within one folder: the old site is moved aside, the new one moved in,
and only then is the old one deleted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

TEMP_PREFIX = ".site-"  # gitignored: /.site-*/


class Interrupted(Exception):
    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def build_site_atomically(root: Path, site: Path, extra_args: tuple[str, ...] = ()) -> int:
    """Build `root`/mkdocs.yml into `site`; returns the build's exit status (0 = site replaced)."""
    root, site = Path(root).resolve(), Path(site).resolve()
    site.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX + "tmp-", dir=site.parent))
    child: subprocess.Popen | None = None

    def stop(signum, frame):
        raise Interrupted(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        child = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "build",
                "--strict",
                "-f",
                str(root / "mkdocs.yml"),
                "-d",
                str(temp),
                *extra_args,
            ],
            cwd=root,
            env=env,
        )
        status = child.wait()
        child = None
        if status != 0:
            print(f"构建失败（退出码 {status}），原有的 {site.name}/ 保持不变。", file=sys.stderr)
            return status
        _swap(temp, site)
        print(f"网站已构建到 {site.name}/。", file=sys.stderr)
        return 0
    except Interrupted as stopped:
        if child is not None:
            child.send_signal(stopped.signum)
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        print(f"构建被中断，原有的 {site.name}/ 保持不变。", file=sys.stderr)
        return 128 + stopped.signum
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        shutil.rmtree(temp, ignore_errors=True)  # after a swap it no longer exists


def _swap(new: Path, site: Path) -> None:
    """Put `new` in place of `site`; signals wait until the renames and the clean-up are done."""
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        if not site.exists():
            os.rename(new, site)
            return
        old = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX + "old-", dir=site.parent))
        os.rename(site, old / "site")  # the old site stays whole until the new one is in place
        try:
            os.rename(new, site)
        except OSError:
            os.rename(old / "site", site)
            raise
        finally:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="build-site", description="构建公开网站：先构建到临时目录，成功后才替换 site/。"
    )
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="含 mkdocs.yml 的目录（默认：当前目录）")
    parser.add_argument("--site", type=Path, help="输出目录（默认：ROOT/site）")
    args = parser.parse_args(argv)
    return build_site_atomically(args.root, args.site or args.root / "site")


if __name__ == "__main__":
    sys.exit(main())
