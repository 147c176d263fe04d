"""`exemplars check` (the library's rules, once or on every save with --watch) and `exemplars codes` (every
check code and what it means)."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

from ..check import check_library, filter_to_paths
from ..diagnostics import format_diagnostics, summary_line
from ..filenames import unchecked_paths
from ..library import load_library
from ..messages import codes_table
from .common import EXIT_ERRORS, EXIT_OK, UsageError, library_root


def register(commands) -> None:
    check = commands.add(
        "check", help="检查故事库（只读，不修改任何文件）", description="检查全部或指定的文件；引用仍对照全库解析。"
    )
    check.add_argument("paths", nargs="*", type=Path, help="只报告这些文件或目录的问题")
    check.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="输出格式：text（默认）、json、github（GitHub Actions 注解）",
    )
    check.add_argument("--strict", action="store_true", help="有警告也以失败退出")
    check.add_argument(
        "--watch", action="store_true", help="保存文件后自动重新检查（监视 stories/、methods/、lessons/；Ctrl-C 退出）"
    )
    check.set_defaults(handler=cmd_check)


def register_codes(commands) -> None:
    codes = commands.add("codes", help="列出全部检查代码及含义", root=False)  # reads no library
    codes.set_defaults(handler=lambda args: print(codes_table()) or EXIT_OK)


def cmd_check(args) -> int:
    root = library_root(args)
    for path in args.paths:
        if not path.exists():
            raise UsageError(f"找不到 {path}")
    if getattr(args, "watch", False):
        from ..watch import watch_check

        return watch_check(root, args.paths, args.format)
    library = load_library(root)
    diags = check_library(library)
    files = len(library.all_records)
    if args.paths:
        diags = filter_to_paths(diags, root, args.paths)
        diags += unchecked_paths(
            root, args.paths, {r.path for r in library.all_records}, {d.path for d in library.misnamed}
        )  # a file it ignored is never "no problems"
    output = format_diagnostics(diags, args.format)
    if output:
        print(output)
    if args.format == "text":
        print(_summary(library, root, args.paths, diags, files), file=sys.stderr)
    failed = any(d.is_error for d in diags) or (args.strict and diags)
    return EXIT_ERRORS if failed else EXIT_OK


def _summary(library, root: Path, paths: list[Path], diags, files: int) -> str:
    """With PATHs, count only the named files that were read (0 when none was), so the line never claims a
    file it skipped; references were still resolved against the whole library."""
    if not paths:
        return summary_line(diags, files)
    named = filter_to_paths([SimpleNamespace(path=r.path) for r in library.all_records], root, paths)
    return summary_line(diags, len(named)) + f"（引用对照全库 {files} 个文件检查）"
