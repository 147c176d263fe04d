"""`exemplars publish ID --reviewer NAME`: the reviewer's step (exemplars/publish.py does the work)."""

from __future__ import annotations

import sys

from ..publish import PublishError, publish
from .common import EXIT_ERRORS, EXIT_OK, library_root


def register(commands) -> None:
    parser = commands.add(
        "publish",
        help="审核人发布一个待审的故事（写入 status、reviewed_by、published）",
        description="把待审（review）的故事改为已发布：写入审核人和发布日期，只改这三行，并检查结果。",
    )
    parser.add_argument("id", help="故事的 id")
    parser.add_argument("--reviewer", required=True, help="审核人姓名（不能是作者本人）")
    parser.set_defaults(handler=cmd_publish)


def cmd_publish(args) -> int:
    try:
        path = publish(library_root(args), args.id, args.reviewer)
    except PublishError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_ERRORS
    print(f"已发布：{path}（审核人 {args.reviewer.strip()}）。提交这一改动并合并后，它会出现在公开网站上。")
    return EXIT_OK
