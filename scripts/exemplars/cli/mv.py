"""`exemplars mv OLD NEW`: change a story's or lesson's id safely (the work is in exemplars/mv.py)."""

from __future__ import annotations

import sys

from .common import EXIT_ERRORS, EXIT_OK, library_root


def register(commands) -> None:
    mv = commands.add(
        "mv",
        help="安全地修改故事或课程的 id（保留旧标识，改写全部引用）",
        description="把故事或课程的 id 从 OLD 改为 NEW：旧 id 加入 aliases（旧网址继续跳转），"
        "库中所有引用随之改写，文件以 id 命名时一并改名；其余每个字节保持不变。",
    )
    mv.add_argument("old", metavar="OLD", help="现在的 id")
    mv.add_argument("new", metavar="NEW", help="新的 id")
    mv.add_argument("--kind", choices=("story", "lesson"), help="只在故事（story）或课程（lesson）中查找 OLD")
    mv.add_argument("--dry-run", action="store_true", help="只列出将要做的改动，不写入任何文件")
    mv.set_defaults(handler=cmd_mv)


def cmd_mv(args) -> int:
    from ..mv import MoveError, move

    root = library_root(args)
    try:
        report = move(root, args.kind, args.old, args.new, dry_run=args.dry_run)
    except MoveError as exc:
        print(exc.as_text(), file=sys.stderr)
        return EXIT_ERRORS
    except OSError as exc:
        print(f"错误：写入失败：{exc.strerror or exc}。请用 `git status` 查看并处理后重试", file=sys.stderr)
        return EXIT_ERRORS
    print(report.as_text())
    if not args.dry_run:
        print("下一步：运行 exemplars check，用 git diff 查看改动，然后提交。")
    return EXIT_OK
