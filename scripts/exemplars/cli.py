"""The `exemplars` command: a thin layer over the library model. Editors read its output, so it speaks Chinese."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from . import __version__, argparse_zh
from .check import check_library, filter_to_paths
from .diagnostics import format_diagnostics, summary_line
from .filenames import unchecked_paths
from .fsutil import create_exclusive, replace_atomic
from .library import closest, find_root, load_library
from .messages import codes_table, did_you_mean
from .preview_address import preview_address
from .regions import suggest_province
from .scaffold import NewLesson, NewStory, lesson_path, render, render_lesson, story_path
from .schema import CONTRACTS, KINDS, LESSON, SLUG_RE, STORY, json_schema, markdown_table

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A mistake in how the command was called or in a value typed at a prompt: message in Chinese."""


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
    common = ChineseParser(add_help=False)
    common.add_argument("--root", type=Path, default=argparse.SUPPRESS, help="故事库根目录")
    sub = parser.add_subparsers(title="命令", metavar="命令", parser_class=ChineseParser)

    check = sub.add_parser(
        "check",
        parents=[common],
        help="检查故事库（只读，不修改任何文件）",
        description="检查全部或指定的文件；引用仍对照全库解析。",
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

    new = sub.add_parser(
        "new", parents=[common], help="新建一个故事草稿", description="按字段规范生成故事文件；缺少的参数会逐项询问。"
    )
    new.add_argument("--title", help="标题")
    new.add_argument("--kind", help="exemplar（正面典型）或 cautionary（反面典型）")
    new.add_argument("--method", action="append", dest="methods", help="方法的 id、名称或别名；可重复")
    new.add_argument("--region", help="地区，如 浙江省/湖州市/安吉县")
    new.add_argument("--date", help="发生日期 YYYY-MM-DD")
    new.add_argument("--id", dest="story_id", help="自定义标识（默认由标题拼音和年份生成）")
    new.add_argument("--author", help="作者（默认取 git 的 user.name）")
    new.set_defaults(handler=cmd_new)

    lesson = sub.add_parser(
        "new-lesson",
        parents=[common],
        help="新建一个课程（教案）草稿",
        description="按字段规范生成课程文件，正文按讲授顺序为每个故事插入一张卡片；缺少的参数会逐项询问。",
    )
    lesson.add_argument("--title", help="课程标题")
    lesson.add_argument("--audience", help="培训对象，如 新任村（社区）党组织书记")
    lesson.add_argument("--duration", help="时长（分钟）")
    lesson.add_argument("--method", action="append", dest="methods", help="方法的 id、名称或别名；可重复")
    lesson.add_argument("--story", action="append", dest="stories", help="引用的故事 id，按讲授顺序；可重复")
    lesson.add_argument("--id", dest="lesson_id", help="自定义标识（默认由标题拼音生成）")
    lesson.add_argument("--author", help="作者（默认取 git 的 user.name）")
    lesson.set_defaults(handler=cmd_new_lesson)

    schema = sub.add_parser("schema", parents=[common], help="导出字段规范（JSON Schema 或 Markdown 表格）")
    schema.add_argument("--kind", choices=sorted(CONTRACTS), default="story", help="哪类文件（默认 story）")
    schema.add_argument("--format", choices=("json", "markdown"), default="json")
    schema.add_argument("-o", "--output", type=Path, help="写入文件（默认输出到终端）")
    schema.set_defaults(handler=cmd_schema)
    mv = sub.add_parser(
        "mv",
        parents=[common],
        help="安全地修改故事或课程的 id（保留旧标识，改写全部引用）",
        description="把故事或课程的 id 从 OLD 改为 NEW：旧 id 加入 aliases（旧网址继续跳转），"
        "库中所有引用随之改写，文件以 id 命名时一并改名；其余每个字节保持不变。",
    )
    mv.add_argument("old", metavar="OLD", help="现在的 id")
    mv.add_argument("new", metavar="NEW", help="新的 id")
    mv.add_argument("--kind", choices=("story", "lesson"), help="只在故事（story）或课程（lesson）中查找 OLD")
    mv.add_argument("--dry-run", action="store_true", help="只列出将要做的改动，不写入任何文件")
    mv.set_defaults(handler=cmd_mv)
    codes = sub.add_parser("codes", help="列出全部检查代码及含义")
    codes.set_defaults(handler=lambda args: print(codes_table()) or EXIT_OK)
    from . import import_cmd, publish, stats, status  # editors' workflow commands register themselves

    status.register(sub, common)
    publish.register(sub, common)
    stats.register(sub, common)
    import_cmd.register(sub, common)
    return parser


def _root(args) -> Path:
    root = (args.root or find_root()).resolve()
    if not root.is_dir():
        raise UsageError(f"目录 {root} 不存在")
    return root


# --- check ---------------------------------------------------------------------------------------------------
def cmd_check(args) -> int:
    root = _root(args)
    for path in args.paths:
        if not path.exists():
            raise UsageError(f"找不到 {path}")
    if getattr(args, "watch", False):
        from .watch import watch_check

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


# --- new -------------------------------------------------------------------------------------------------------
def cmd_new(args) -> int:
    root = _root(args)
    library = load_library(root)
    interactive = sys.stdin.isatty()
    ask = _Asker(interactive)

    title = ask.value(args.title, "--title", "标题", _valid_title)
    kind = ask.value(args.kind, "--kind", "类型（exemplar 正面典型 / cautionary 反面典型）", _valid_kind)
    methods = ask.many(
        args.methods, "--method", "方法（id、名称或别名，多个用逗号分隔）", lambda v: _valid_method(v, library)
    )
    region = ask.value(args.region, "--region", "地区（如 浙江省/湖州市/安吉县）", _valid_region)
    date = ask.value(args.date, "--date", "发生日期（YYYY-MM-DD）", _valid_date)
    ask.finish()

    from .ids import slug_from_title  # pypinyin loads its dictionaries on import: only `new` needs them

    story_id = args.story_id or slug_from_title(title, date.year)
    _check_new_id(story_id, library.story(story_id))
    story = NewStory(
        title=title,
        kind=kind,
        methods=methods,
        region=region,
        date=date,
        story_id=story_id,
        author=args.author or _git_user(root),
    )
    rel = _create(root, story_path(root, story), render(story, library))
    print(f"已创建 {rel}（状态：草稿，标识：{story_id}）")
    _print_next_steps(rel, "摘要、来源、正文", preview_address(root).where(f"stories/{story_id}/"))
    return EXIT_OK


def _check_new_id(new_id: str, taken) -> None:
    """`taken`: the story or lesson already using `new_id` as its id or old id, if any."""
    if not SLUG_RE.match(new_id):
        raise UsageError(f"标识 `{new_id}` 不合法：只能用小写字母、数字和单个连字符")
    if taken is not None:
        raise UsageError(f"标识 `{new_id}` 已被 {taken.path} 使用。请用 --id 指定另一个，例如 --id {new_id}-2")


def _create(root: Path, path: Path, text: str) -> str:
    """Write a new file, never over an existing one; returns its path relative to the library root."""
    try:
        create_exclusive(path, text)
    except FileExistsError:
        raise UsageError(f"{path.relative_to(root)} 已存在，没有覆盖它。请用 --id 指定另一个标识") from None
    except OSError as exc:
        raise UsageError(f"无法写入 {path}：{exc.strerror}") from None
    return path.relative_to(root).as_posix()


def _print_next_steps(rel: str, owed: str, preview: str) -> None:
    print("下一步：")
    print(f"  1. 打开 {rel}，把“待填写”的地方换成真实内容（{owed}）")
    print(f"  2. 运行 exemplars check {rel} 检查")
    print(f"  3. 运行 make serve（已在运行就不用再运行），{preview}")
    print("  4. 准备送审时把 status 改为 review，提交并发起合并请求")


def cmd_new_lesson(args) -> int:
    root = _root(args)
    library = load_library(root)
    ask = _Asker(sys.stdin.isatty(), command="exemplars new-lesson")
    title = ask.value(args.title, "--title", "课程标题", _valid_title)
    audience = ask.value(args.audience, "--audience", "培训对象（如 新任村（社区）党组织书记）", _valid_audience)
    duration = ask.value(args.duration, "--duration", "时长（分钟）", _valid_duration)
    methods = ask.many(
        args.methods, "--method", "方法（id、名称或别名，多个用逗号分隔）", lambda v: _valid_method(v, library)
    )
    stories = ask.many(
        args.stories,
        "--story",
        "引用的故事 id（按讲授顺序，多个用逗号分隔）",
        lambda v: _valid_story(v, library),
        empty="至少填一个故事",
    )
    ask.finish()

    from .ids import slug_from_title  # pypinyin loads its dictionaries on import: only the scaffolds need them

    lesson_id = args.lesson_id or slug_from_title(title, fallback="lesson")
    _check_new_id(lesson_id, library.resolve_lesson(lesson_id) or library.story(lesson_id))
    lesson = NewLesson(
        title=title,
        audience=audience,
        duration=duration,
        methods=methods,
        stories=list(dict.fromkeys(stories)),
        lesson_id=lesson_id,
        author=args.author or _git_user(root),
    )
    rel = _create(root, lesson_path(root, lesson), render_lesson(lesson, library))
    print(f"已创建 {rel}（状态：草稿，标识：{lesson_id}，引用 {len(lesson.stories)} 个故事）")
    _print_next_steps(rel, "教学目标、讨论题、摘要、课程流程", preview_address(root).where(f"lessons/{lesson_id}/"))
    return EXIT_OK


class _Asker:
    """Take each value from its flag, or ask for it at a prompt; without a terminal, list what is missing."""

    def __init__(self, interactive: bool, command: str = "exemplars new") -> None:
        self.interactive, self.missing, self.command = interactive, [], command

    def value(self, given, flag, label, validate):
        if given is not None:
            return validate(given)
        if not self.interactive:
            self.missing.append(f"{flag}（{label.split('（')[0]}）")
            return None
        while True:
            answer = input(f"{label}：").strip()
            try:
                return validate(answer)
            except UsageError as exc:
                print(f"  {exc}，请重新输入。", file=sys.stderr)

    def many(self, given, flag, label, validate, empty="至少填一个方法"):
        if given:
            return [validate(v) for item in given for v in item.replace("，", ",").split(",") if v.strip()]
        return self.value(
            None,
            flag,
            label,
            lambda text: (
                [validate(v.strip()) for v in text.replace("，", ",").split(",") if v.strip()] or _raise(empty)
            ),
        )

    def finish(self) -> None:
        if self.missing:
            raise UsageError("缺少参数：" + "、".join(self.missing) + f"。可在终端中直接运行 `{self.command}` 逐项填写")


def _raise(message: str):
    raise UsageError(message)


def _valid_title(text: str) -> str:
    text = text.strip()
    if not text:
        raise UsageError("标题不能为空")
    if "\n" in text:
        raise UsageError("标题只能写一行")
    limit = STORY.field("title").type.max_length  # the schema's limit: `check` would refuse a longer title
    if limit is not None and len(text) > limit:
        raise UsageError(f"标题有 {len(text)} 个字，超过上限 {limit} 个字")
    return text


def _valid_kind(text: str) -> str:
    # The prompt takes the schema's value or its Chinese label (and the short 正面/反面) but always writes the
    # value, which is the only spelling `check` accepts: it suggests the value when a file holds the label.
    short = {"正面": KINDS["exemplar"], "反面": KINDS["cautionary"]}
    value = STORY.field("kind").type.from_label(short.get(text.strip(), text))
    if value is None:
        raise UsageError(f"类型 `{text}` 无效：写 exemplar（正面典型）或 cautionary（反面典型）")
    return value


def _valid_method(text: str, library) -> str:
    method_id = library.resolve_method(text.strip())
    if method_id is None:
        names = "、".join(f"{m.id}（{m.name}）" for m in library.methods) or "（methods/ 中还没有方法）"
        hint = did_you_mean(closest(text.strip(), list(library.method_refs)))
        raise UsageError(f"未知的方法 `{text}`{hint} 现有方法：{names}")
    return method_id


def _valid_region(text: str) -> str:
    value, problems = STORY.field("region").type.validate(text.strip())
    if problems:
        first = text.strip().split("/")[0]
        hint = did_you_mean(suggest_province(first))
        raise UsageError(f"地区 `{text}` 无效：第一级须为省级行政区全称，用 / 分隔各级{hint}")
    return "/".join(value)


def _valid_date(text: str) -> dt.date:
    value, problems = STORY.field("date").type.validate(text.strip())
    if problems:
        raise UsageError(f"日期 `{text}` 无效：按 YYYY-MM-DD 写，例如 2019-06-12")
    return value


def _valid_audience(text: str) -> str:
    value, problems = LESSON.field("audience").type.validate(text.strip())
    if problems or not value:
        raise UsageError(f"培训对象 `{text}` 无效：写一行，不超过 80 个字，例如 新任村（社区）党组织书记")
    return value


def _valid_duration(text: str) -> int:
    digits = text.strip().removesuffix("分钟").strip()
    value, problems = LESSON.field("duration").type.validate(
        int(digits) if digits.isascii() and digits.isdigit() else text
    )
    if problems:
        raise UsageError(f"时长 `{text}` 无效：写分钟数（正整数），例如 90")
    return value


def _valid_story(text: str, library) -> str:
    story = library.story(text.strip())
    if story is None:
        hint = did_you_mean(closest(text.strip(), [s.id for s in library.stories]))
        raise UsageError(f"找不到故事 `{text}`{hint} 写故事文件头里的 id")
    return story.id


def _git_user(root: Path) -> str | None:
    try:
        result = subprocess.run(["git", "config", "user.name"], cwd=root, capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None


# --- mv --------------------------------------------------------------------------------------------------------
def cmd_mv(args) -> int:
    from .mv import MoveError, move

    root = _root(args)
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


# --- schema ----------------------------------------------------------------------------------------------------
def cmd_schema(args) -> int:
    contract = CONTRACTS[args.kind]
    if args.format == "markdown":
        text = markdown_table(contract) + "\n"
    else:
        refs = None
        if args.kind in ("story", "lesson"):
            try:
                refs = sorted(load_library(_root(args)).method_refs)
            except UsageError:
                refs = None
        text = json.dumps(json_schema(contract, refs), ensure_ascii=False, indent=2) + "\n"
    if args.output:
        try:  # temp file + rename: an interrupted or failed write never leaves half a file
            if args.output.exists():
                replace_atomic(args.output, text.encode("utf-8"))
            else:
                create_exclusive(args.output, text)
        except OSError as exc:
            raise UsageError(f"无法写入 {args.output}：{exc.strerror or exc}") from None
        print(f"已写入 {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK
