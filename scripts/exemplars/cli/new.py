"""`exemplars new` and `exemplars new-lesson`: a story or lesson draft from flags, or from answers at a prompt
when run in a terminal; each value is checked as `check` would check it before anything is written."""

from __future__ import annotations

import sys
from pathlib import Path

from .. import git
from ..fsutil import create_exclusive
from ..library import closest, load_library
from ..messages import did_you_mean
from ..preview_address import preview_address
from ..regions import suggest_province
from ..scaffold import NewLesson, NewStory, lesson_path, render, render_lesson, story_path
from ..schema import KINDS, LESSON, SLUG_RE, STORY
from ..site import urls
from .common import EXIT_OK, UsageError, checked, library_root, valid_date, valid_method


def register(commands) -> None:
    new = commands.add("new", help="新建一个故事草稿", description="按字段规范生成故事文件；缺少的参数会逐项询问。")
    new.add_argument("--title", help="标题")
    new.add_argument("--kind", help="exemplar（正面典型）或 cautionary（反面典型）")
    new.add_argument("--method", action="append", dest="methods", help="方法的 id、名称或别名；可重复")
    new.add_argument("--region", help="地区，如 浙江省/湖州市/安吉县")
    new.add_argument("--date", help="发生日期 YYYY-MM-DD")
    new.add_argument("--id", dest="story_id", help="自定义标识（默认由标题拼音和年份生成）")
    new.add_argument("--author", help="作者（默认取 git 的 user.name）")
    new.set_defaults(handler=cmd_new)

    lesson = commands.add(
        "new-lesson",
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


def cmd_new(args) -> int:
    root = library_root(args)
    library = load_library(root)
    interactive = sys.stdin.isatty()
    ask = Asker(interactive)

    title = ask.value(args.title, "--title", "标题", _valid_title)
    kind = ask.value(args.kind, "--kind", "类型（exemplar 正面典型 / cautionary 反面典型）", _valid_kind)
    methods = ask.many(
        args.methods, "--method", "方法（id、名称或别名，多个用逗号分隔）", lambda v: valid_method(v, library)
    )
    region = ask.value(args.region, "--region", "地区（如 浙江省/湖州市/安吉县）", valid_region)
    date = ask.value(args.date, "--date", "发生日期（YYYY-MM-DD）", valid_date)
    ask.finish()

    from ..ids import slug_from_title  # pypinyin loads its dictionaries on import: only `new` needs them

    story_id = args.story_id or slug_from_title(title, date.year)
    _check_new_id(story_id, library)
    author = args.author or git.user_name(root)
    story = NewStory(
        title=title, kind=kind, methods=methods, region=region, date=date, story_id=story_id, author=author
    )
    rel = _create(root, story_path(root, story), render(story, library))
    print(f"已创建 {rel}（状态：草稿，标识：{story_id}）")
    _print_next_steps(rel, "摘要、来源、正文", preview_address(root).where(urls.story(story_id)))
    return EXIT_OK


def _check_new_id(new_id: str, library) -> None:
    """A new story's or lesson's id: a valid slug no story or lesson file uses yet, as id or old id (one namespace)."""
    if not SLUG_RE.match(new_id):
        raise UsageError(f"标识 `{new_id}` 不合法：只能用小写字母、数字和单个连字符")
    taken = library.claimant(new_id)
    if taken is not None:
        raise UsageError(f"标识 `{new_id}` 已被 {taken} 使用。请用 --id 指定另一个，例如 --id {new_id}-2")


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
    root = library_root(args)
    library = load_library(root)
    ask = Asker(sys.stdin.isatty(), command="exemplars new-lesson")
    title = ask.value(args.title, "--title", "课程标题", _valid_title)
    audience = ask.value(args.audience, "--audience", "培训对象（如 新任村（社区）党组织书记）", _valid_audience)
    duration = ask.value(args.duration, "--duration", "时长（分钟）", _valid_duration)
    methods = ask.many(
        args.methods, "--method", "方法（id、名称或别名，多个用逗号分隔）", lambda v: valid_method(v, library)
    )
    stories = ask.many(
        args.stories,
        "--story",
        "引用的故事 id（按讲授顺序，多个用逗号分隔）",
        lambda v: _valid_story(v, library),
        empty="至少填一个故事",
    )
    ask.finish()

    from ..ids import slug_from_title  # pypinyin loads its dictionaries on import: only the scaffolds need them

    lesson_id = args.lesson_id or slug_from_title(title, fallback="lesson")
    _check_new_id(lesson_id, library)
    author = args.author or git.user_name(root)
    lesson = NewLesson(
        title=title,
        audience=audience,
        duration=duration,
        methods=methods,
        stories=list(dict.fromkeys(stories)),
        lesson_id=lesson_id,
        author=author,
    )
    rel = _create(root, lesson_path(root, lesson), render_lesson(lesson, library))
    print(f"已创建 {rel}（状态：草稿，标识：{lesson_id}，引用 {len(lesson.stories)} 个故事）")
    _print_next_steps(rel, "教学目标、讨论题、摘要、课程流程", preview_address(root).where(urls.lesson(lesson_id)))
    return EXIT_OK


class Asker:
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


def valid_region(text: str) -> str:
    value, problems = STORY.field("region").type.validate(text.strip())
    if problems:
        first = text.strip().split("/")[0]
        hint = did_you_mean(suggest_province(first))
        raise UsageError(f"地区 `{text}` 无效：第一级须为省级行政区全称，用 / 分隔各级{hint}")
    return "/".join(value)


def _valid_audience(text: str) -> str:
    value, problems = LESSON.field("audience").type.validate(text.strip())
    if problems or not value:
        raise UsageError(f"培训对象 `{text}` 无效：写一行，不超过 80 个字，例如 新任村（社区）党组织书记")
    return value


def _valid_duration(text: str) -> int:
    digits = text.strip().removesuffix("分钟").strip()
    minutes = int(digits) if digits.isascii() and digits.isdigit() else text
    return checked(LESSON, "duration", minutes, f"时长 `{text}` 无效：写分钟数（正整数），例如 90")


def _valid_story(text: str, library) -> str:
    story = library.story(text.strip())
    if story is None:
        hint = did_you_mean(closest(text.strip(), [s.id for s in library.stories]))
        raise UsageError(f"找不到故事 `{text}`{hint} 写故事文件头里的 id")
    return story.id
