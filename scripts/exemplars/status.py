"""Which stories wait for review (and, if asked, which drafts exist), and since when: the figures behind
`exemplars status` (cli/status.py prints them).

"Since when" is the date of the last commit touching the file (`git log -1 --format=%cs -- <path>`); a file that
git does not know yet is "未提交"; outside a git repository the file's modification date stands in for it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from . import git
from .library import Library

UNCOMMITTED = "未提交"


@dataclass(frozen=True)
class Pending:
    path: str
    id: str
    title: str
    author: str | None
    status: str
    since: dt.date | None  # None: not committed yet
    source: str  # "git", "untracked" or "mtime" (not a git repository)

    @property
    def since_label(self) -> str:
        if self.since is None:
            return UNCOMMITTED
        return self.since.isoformat() + ("（文件时间）" if self.source == "mtime" else "")

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "id": self.id,
            "title": self.title,
            "author": self.author,
            "status": self.status,
            "since": self.since.isoformat() if self.since else None,
            "since_source": self.source,
        }


def pending(library: Library, include_drafts: bool = False) -> list[Pending]:
    """Stories in review (and drafts if asked), oldest first; uncommitted ones last, as they are the newest."""
    wanted = {"review", "draft"} if include_drafts else {"review"}
    stories = [s for s in library.stories if s.status in wanted]
    in_git = git.inside_work_tree(library.root)
    items = []
    for story in stories:
        if in_git:
            since = git.last_commit_date(library.root, story.path)
            source = "git" if since else "untracked"
        else:
            since, source = _mtime_date(library.root / story.path), "mtime"
        items.append(Pending(story.path, story.id, story.title, story.author, story.status, since, source))
    return sorted(items, key=lambda p: (p.since is None, p.since or dt.date.min, p.path))


def _mtime_date(path: Path) -> dt.date | None:
    try:
        return dt.date.fromtimestamp(path.stat().st_mtime)
    except OSError:
        return None
