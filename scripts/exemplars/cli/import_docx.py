"""`exemplars import FILE.docx… | FOLDER`: one story draft per Word document (exemplars/import_cmd.py writes
each draft, exemplars/word_import.py reads the document)."""

from __future__ import annotations

from pathlib import Path

from .. import git
from ..import_cmd import import_one
from ..library import load_library
from ..messages import render as render_message
from ..schema import SLUG_RE
from ..word_import import UnreadableDocument
from .common import EXIT_ERRORS, EXIT_OK, UsageError, library_root, valid_method

_WORDISH = (".docx", ".doc", ".wps", ".docm", ".dotx", ".wpt", ".dot")


def register(commands) -> None:
    parser = commands.add(
        "import",
        help="把 Word（.docx）事迹材料导入为故事草稿",
        description="每个 .docx 文档生成一个故事草稿（status: draft），写到 exemplars new 会写的位置；"
        "正文中的图片放在故事旁边。猜出的字段列在 guessed 中，手机号和身份证号会被删除或打码并报告。"
        "已有的文件从不覆盖。",
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="FILE", help=".docx 文件，或包含 .docx 文件的文件夹")
    parser.add_argument(
        "--kind", choices=("exemplar", "cautionary"), help="类型（默认从正文猜：有“通报”“查处”等词为 cautionary）"
    )
    parser.add_argument(
        "--method", action="append", dest="methods", help="方法的 id、名称或别名；可重复（默认从正文找方法名称）"
    )
    parser.add_argument("--id", dest="story_id", help="自定义标识（只导入一个文档时可用）")
    parser.add_argument("--author", help="作者（默认取 git 的 user.name）")
    parser.set_defaults(handler=cmd_import)


def cmd_import(args) -> int:
    root = library_root(args)
    files = _collect(args.paths)
    if args.story_id and len(files) > 1:
        raise UsageError(f"--id 只能在导入一个文档时使用（这次有 {len(files)} 个）")
    if args.story_id and not SLUG_RE.match(args.story_id):
        raise UsageError(f"标识 `{args.story_id}` 不合法：只能用小写字母、数字和单个连字符")
    library = load_library(root)
    methods = [valid_method(m, library) for m in args.methods or ()]
    known = dict(library.method_refs)
    author = args.author or git.user_name(root)
    taken_ids: set[str] = set()
    failed = 0
    for path in files:
        try:
            print(
                import_one(
                    root,
                    path,
                    library,
                    known,
                    methods,
                    taken_ids,
                    kind=args.kind,
                    story_id=args.story_id,
                    author=author,
                )
            )
        except UnreadableDocument as exc:
            failed += 1
            message, hint = render_message(exc.code, **exc.message_args)
            print(f"{path}: 错误 {exc.code}: {message}（{hint}）")
    done = len(files) - failed
    print(f"共 {len(files)} 个文档：导入 {done} 个" + (f"，{failed} 个没有导入（没有写入任何文件）" if failed else ""))
    return EXIT_ERRORS if failed else EXIT_OK


def _collect(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in _WORDISH and not p.name.startswith("~$")
            )  # ~$x.docx: Word's lock file while x.docx is open
            if not found:
                raise UsageError(f"文件夹 {path} 中没有 Word 文档（.docx）")
            files += found
        elif path.exists():
            files.append(path)
        else:
            raise UsageError(f"文件 {path} 不存在")
    return files
