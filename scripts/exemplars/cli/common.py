"""What every `exemplars` command shares: exit codes, the usage error, the library root, values typed on the
command line or at a prompt that more than one command reads, and terminal tables."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

from ..library import closest, find_root
from ..messages import did_you_mean
from ..schema import STORY

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A mistake in how the command was called or in a value typed at a prompt: message in Chinese."""


def library_root(args) -> Path:
    """The library the command works on: --root, or the nearest folder upwards with mkdocs.yml or stories/."""
    root = (args.root or find_root()).resolve()
    if not root.is_dir():
        raise UsageError(f"目录 {root} 不存在")
    return root


def valid_date(text: str) -> dt.date:
    value, problems = STORY.field("date").type.validate(text.strip())
    if problems:
        raise UsageError(f"日期 `{text}` 无效：按 YYYY-MM-DD 写，例如 2019-06-12")
    return value


def valid_method(text: str, library) -> str:
    method_id = library.resolve_method(text.strip())
    if method_id is None:
        names = "、".join(f"{m.id}（{m.name}）" for m in library.methods) or "（methods/ 中还没有方法）"
        hint = did_you_mean(closest(text.strip(), list(library.method_refs)))
        raise UsageError(f"未知的方法 `{text}`{hint} 现有方法：{names}")
    return method_id


def text_table(headers: list[str], rows: list[list[object]], numeric: set[int] | frozenset[int] = frozenset()) -> str:
    """Columns aligned by display width (a Chinese character takes two cells); `numeric` columns right-aligned."""
    cells = [[str(c) for c in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(_cells(row[j]) for row in cells) for j in range(len(headers))]

    def line(row: list[str]) -> str:
        parts = []
        for j, text in enumerate(row):
            fill = " " * (widths[j] - _cells(text))
            parts.append(fill + text if j in numeric else text + fill)
        return "  ".join(parts).rstrip()

    return "\n".join(line(row) for row in cells)


def _cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
