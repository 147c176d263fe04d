"""`exemplars publish ID --reviewer NAME`: the reviewer's step, after a story was sent for review (`status: review`,
from the web form or by hand): sets `status: published`, `reviewed_by` and, the first time, `published` (today).

Only those three lines of the front matter change (the rest of the file stays byte for byte), and the result must
pass the checker's rules for that story (a reviewer who is the author, E-REVIEW-SELF, is refused before anything
is written); on any problem the file is left as it was. A story the web form saved in stories/tougao/ then moves
to its province's folder (stories/zhejiang/…), where `exemplars new` would have put it. CI's `check` still guards
the merge request. The command line is cli/publish.py.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path, PurePosixPath

from .check import check_library, same_person
from .cms import INBOX
from .fsutil import write_atomic
from .library import load_library
from .messages import CATALOGUE
from .regions import PROVINCE_SLUGS
from .schema import STORY

_FENCE = re.compile(r"^---[ \t]*\r?$")


class PublishError(Exception):
    """Why nothing was written, in Chinese."""


def set_fields(text: str, values: dict[str, str]) -> str:
    """`text` with each top-level front-matter key of `values` set (replaced in place, or added before the closing
    `---`); every other line unchanged."""
    lines = text.splitlines(keepends=True)
    if not lines or not _FENCE.match(lines[0].lstrip("\ufeff")):
        raise PublishError("文件不是以 --- 开头的文件头")
    end = next((i for i in range(1, len(lines)) if _FENCE.match(lines[i])), None)
    if end is None:
        raise PublishError("文件头没有结束的 ---")
    newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
    head = lines[1:end]
    for key, value in values.items():
        pattern = re.compile(rf"^{re.escape(key)}[ \t]*:")
        found = [i for i, line in enumerate(head) if pattern.match(line)]
        line = f"{key}: {value}{newline}"
        if found:
            index = found[0]
            following = index + 1  # a block value (`key:` followed by indented lines) goes with it
            while following < len(head) and head[following][:1] in (" ", "\t", "-"):
                following += 1
            head[index:following] = [line]
        else:
            head.append(line)
    return "".join([lines[0], *head, *lines[end:]])


def publish(root: Path, story_id: str, reviewer: str, today: dt.date | None = None) -> str:
    """Publish one story; returns its path. Raises PublishError (nothing written) when it cannot be published."""
    reviewer = reviewer.strip()
    if not reviewer:
        raise PublishError("请用 --reviewer 写明审核人的姓名")
    library = load_library(root)
    story = library.story(story_id)
    if story is None:
        raise PublishError(f"库中没有 id 为 {story_id} 的故事（运行 exemplars status 查看待审的故事）")
    if story.status != "review":
        raise PublishError(
            f"{story.path}：故事的状态是 {story.status}，只有待审（review）的故事可以发布："
            "请作者先把 status 改为 review 并发起合并请求"
        )
    if story.author and same_person(story.author, reviewer):
        message, hint = CATALOGUE["E-REVIEW-SELF"]
        raise PublishError(f"{story.path}：{message.format(reviewer=reviewer)}（E-REVIEW-SELF）。{hint}")
    values = {"status": "published", "reviewed_by": _quoted(reviewer)}
    if story.published is None:
        values["published"] = (today or dt.date.today()).isoformat()
    path = root / story.path
    before = path.read_bytes()
    after = set_fields(before.decode("utf-8"), values).encode("utf-8")
    write_atomic(path, after)
    errors = [d for d in check_library(load_library(root)) if d.is_error and d.path == story.path]
    if errors:
        write_atomic(path, before)  # leave the file as it was
        shown = "\n".join(d.as_text() for d in errors[:10])
        raise PublishError(f"{story.path} 发布后不能通过检查，文件保持原样：\n{shown}")
    return _out_of_inbox(root, story.path, story.region)


def _out_of_inbox(root: Path, path: str, region: tuple[str, ...]) -> str:
    """A story the web form saved in stories/tougao/ moves to its province's folder, like every other story; it
    stays where it is when that file exists or when the move would make `check` fail (a cover beside it)."""
    parts = PurePosixPath(path).parts
    slug = PROVINCE_SLUGS.get(region[0]) if region else None
    if parts[:2] != (STORY.folder, INBOX) or len(parts) != 3 or slug is None:
        return path
    target = PurePosixPath(STORY.folder, slug, parts[2]).as_posix()
    if (root / target).exists():
        return path
    (root / target).parent.mkdir(parents=True, exist_ok=True)
    os.rename(root / path, root / target)
    if any(d.is_error and d.path == target for d in check_library(load_library(root))):
        os.rename(root / target, root / path)
        return path
    return target


def _quoted(text: str) -> str:
    """A YAML scalar for a name: plain when safe, else double-quoted (a name like `yes` or `张三: 李四`)."""
    if re.fullmatch(r"[\w\u00b7\u4e00-\u9fff·.（）()-]+( [\w\u4e00-\u9fff·.-]+)*", text) and text.lower() not in (
        "yes",
        "no",
        "true",
        "false",
        "null",
        "on",
        "off",
        "~",
    ):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
