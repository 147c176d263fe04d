"""`exemplars status`: the stories waiting for review (exemplars/status.py finds them and since when), as a table
or JSON."""

from __future__ import annotations

import json

from ..library import load_library
from ..schema import STATUSES
from ..status import Pending, pending
from .common import EXIT_OK, library_root, text_table


def register(commands) -> None:
    parser = commands.add(
        "status",
        help="列出待审的故事（--all 连同草稿），最早的在前",
        description="列出状态为 review（待审）的故事及其最后一次提交的日期；--all 连同草稿。",
    )
    parser.add_argument("--all", action="store_true", dest="include_drafts", help="连同草稿（draft）一起列出")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="输出格式：text（默认）或 json")
    parser.set_defaults(handler=cmd_status)


def cmd_status(args) -> int:
    items = pending(load_library(library_root(args)), args.include_drafts)
    if args.format == "json":
        print(json.dumps([p.as_dict() for p in items], ensure_ascii=False, indent=2))
    else:
        print(format_text(items, args.include_drafts))
    return EXIT_OK


def format_text(items: list[Pending], include_drafts: bool) -> str:
    what = "待审或草稿状态的故事" if include_drafts else "待审（review）的故事"
    if not items:
        return f"没有{what}。"
    rows = [[p.since_label, STATUSES.get(p.status, p.status), p.id, p.title, p.author or "—", p.path] for p in items]
    table = text_table(["自何时", "状态", "标识", "标题", "作者", "文件"], rows)
    note = "“自何时”是最后一次提交该文件的日期；“未提交”表示文件还没有提交到 git。"
    return f"{what}：{len(items)} 篇，最早的在前\n\n{table}\n\n{note}"
