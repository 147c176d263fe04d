"""Git access: the one place the package runs git, with one timeout and one error policy.

Every command runs as `git -C <root> …` with optional locks off (`GIT_OPTIONAL_LOCKS=0`: a look at the work tree
must not take the index lock an editor's own git may need), and never raises: git missing, a command that hangs
past TIMEOUT and a non-zero exit all come back as a `GitResult` that is not `ok`, with the reason in `error`.
Callers decide what that means for them (the sitemap and `status` fall back to other dates, `exemplars mv`
refuses with a coded message), so no git problem ever shows as a traceback.

Plain Python: nothing here imports MkDocs.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

TIMEOUT = 60  # seconds; a local git command that takes longer is stuck (a lock, a network file system)


@dataclass(frozen=True)
class GitResult:
    ok: bool  # git ran and exited with 0
    output: str  # standard output as git wrote it (porcelain formats start with a meaningful space)
    error: str  # standard error (or why git did not run), stripped; "" when ok


def run(root: Path, *args: str) -> GitResult:
    """`git -C root args…`; never raises (see the module docstring)."""
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=TIMEOUT, env=env)
    except FileNotFoundError:
        return GitResult(False, "", "没有找到 git 命令")
    except subprocess.TimeoutExpired:
        return GitResult(False, "", f"git {' '.join(args[:2])} 超过 {TIMEOUT} 秒没有完成")
    except (OSError, subprocess.SubprocessError) as exc:
        return GitResult(False, "", str(exc))
    return GitResult(done.returncode == 0, done.stdout, done.stderr.strip())


def inside_work_tree(root: Path) -> bool:
    """Whether `root` is inside a git work tree."""
    result = run(root, "rev-parse", "--is-inside-work-tree")
    return result.ok and result.output.strip() == "true"


def user_name(root: Path) -> str | None:
    """`git config user.name` as seen from `root`; None when unset or git is unavailable."""
    result = run(root, "config", "user.name")
    return (result.output.strip() or None) if result.ok else None


def latest_commit_date(root: Path) -> dt.date | None:
    """The committer date (in UTC) of HEAD in the repository holding `root`; None outside git."""
    stamp = run(root, "log", "-1", "--format=%ct")
    if not stamp.ok or not stamp.output.strip().isdigit():
        return None
    return dt.datetime.fromtimestamp(int(stamp.output), dt.timezone.utc).date()


def last_commit_date(root: Path, path: str) -> dt.date | None:
    """The committer date of the last commit touching `path` (as git prints it, %cs); None if never committed."""
    result = run(root, "log", "-1", "--format=%cs", "--", path)
    if not result.ok or not result.output.strip():
        return None
    try:
        return dt.date.fromisoformat(result.output.strip())
    except ValueError:
        return None
