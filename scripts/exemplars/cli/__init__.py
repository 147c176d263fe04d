"""The `exemplars` command: a thin layer over the library model. Editors read its output, so it speaks Chinese.

One module per command (or pair of commands), each with `register(commands)` adding its parser (through
common.Commands, which gives every command its --root) and a `cmd_*` handler; `build_parser` registers them in the
order `exemplars --help` lists them:

    check.py        check, codes          the library's rules (once, or on every save with --watch)
    new.py          new, new-lesson       a story or lesson draft, from flags or prompts
    schema.py       schema                the field rules as JSON Schema or a Markdown table
    mv.py           mv                    change an id safely
    status.py       status                what waits for review, and since when
    publish.py      publish               the reviewer's step
    stats.py        stats                 the library's figures as text tables or JSON
    import_docx.py  import                story drafts from Word documents
    common.py       Commands, exit codes, UsageError, the library root, shared values, terminal tables

The CLI is the top layer: it imports the library model and nothing imports it (tests/test_architecture.py).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from .. import __version__, argparse_zh
from . import check, import_docx, mv, new, publish, schema, stats, status
from .common import EXIT_USAGE, Commands, UsageError


class ChineseParser(argparse.ArgumentParser):
    def format_help(self) -> str:  # argparse ends section headings with an ASCII colon: "选项:" → "选项："
        return re.sub(r"^(\S[^\n]*[\u4e00-\u9fff]):$", r"\1：", super().format_help(), flags=re.MULTILINE)

    def error(self, message: str) -> None:  # argparse's own wording is English; keep the detail, frame it
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: 用法有误：{message}\n运行 `{self.prog} --help` 查看说明。\n")


class _CommandListFormatter(argparse.HelpFormatter):
    """argparse sizes the command column without the commands' own indent: `new-lesson` would wrap its line."""

    def add_argument(self, action) -> None:
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS and hasattr(action, "_get_subactions"):
            longest = max((len(self._format_action_invocation(sub)) for sub in action._get_subactions()), default=0)
            self._action_max_length = max(
                self._action_max_length, longest + self._current_indent + self._indent_increment
            )


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.handler(args)
    except UsageError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("\n已取消，没有写入任何文件。", file=sys.stderr)
        return 130


def build_parser() -> argparse.ArgumentParser:
    argparse_zh.install()  # before the first parser: its "-h" help and section titles are translated on creation
    parser = ChineseParser(
        prog="exemplars",
        description="典型示范故事库：检查、新建故事和课程，导出字段规范。",
        formatter_class=_CommandListFormatter,
    )
    parser.add_argument("--version", action="version", version=f"exemplars {__version__}", help="显示版本号并退出")
    parser.add_argument("--root", type=Path, help="故事库根目录（默认：向上查找含 mkdocs.yml 或 stories/ 的目录）")
    commands = Commands(parser.add_subparsers(title="命令", metavar="命令", parser_class=ChineseParser))
    check.register(commands)
    new.register(commands)
    schema.register(commands)
    mv.register(commands)
    check.register_codes(commands)
    status.register(commands)
    publish.register(commands)
    stats.register(commands)
    import_docx.register(commands)
    return parser
