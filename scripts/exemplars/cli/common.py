"""What every `exemplars` command shares: how a command is registered, exit codes, the usage error, the library
root, values typed on the command line or at a prompt that more than one command reads, and terminal tables."""

from __future__ import annotations

import argparse
import datetime as dt
import unicodedata
from pathlib import Path

from ..library import closest, find_root
from ..messages import did_you_mean
from ..schema import STORY

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A mistake in how the command was called or in a value typed at a prompt: message in Chinese."""


class Commands:
    """Where each command module registers its commands (`register(commands)`, cli/__init__.py calls them in the
    order `exemplars --help` lists them)."""

    def __init__(self, subparsers) -> None:
        self._subparsers = subparsers

    def add(
        self, name: str, help: str, description: str | None = None, *, root: bool = True
    ) -> argparse.ArgumentParser:
        """`exemplars NAME`: `help` is its line in `exemplars --help`, `description` the top of its own --help.
        With `root`, it takes --root like every command that reads the library (after the command name, too).
        Returns the command's parser: the caller adds its arguments and its `handler`."""
        parser = self._subparsers.add_parser(name, help=help, description=description)
        if root:
            parser.add_argument("--root", type=Path, default=argparse.SUPPRESS, help="故事库根目录")
        return parser


def library_root(args) -> Path:
    """The library the command works on: --root, or the nearest folder upwards with mkdocs.yml or stories/."""
    root = (args.root or find_root()).resolve()
    if not root.is_dir():
        raise UsageError(f"目录 {root} 不存在")
    return root


def checked(contract, name: str, value, error: str):
    """`value` as `check` reads field `name` of a `contract` file; UsageError(error) where `check` would refuse it."""
    value, problems = contract.field(name).type.validate(value)
    if problems:
        raise UsageError(error)
    return value


def valid_date(text: str) -> dt.date:
    return checked(STORY, "date", text.strip(), f"日期 `{text}` 无效：按 YYYY-MM-DD 写，例如 2019-06-12")


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
