"""`exemplars new` and `exemplars new-lesson`: a story or lesson file whose front matter passes `check`, generated
from the schema; what the author still owes is marked 待填写 (a warning in a draft, an error once sent for review)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from .library import Library
from .regions import PROVINCE_SLUGS
from .schema import LESSON, PLACEHOLDER, STORY

BODY_OUTLINES = {
    "exemplar": (
        ("背景", "当时面临什么问题，群众有什么难处和想法。"),
        ("做法", "谁、怎样用群众工作方法一步步解决问题；写具体的场景、对话和数字。"),
        ("成效", "群众得到了什么，可以核实的变化。"),
        ("启示", "别的地方可以借鉴什么。"),
    ),
    "cautionary": (
        ("问题", "发生了什么，损害了群众哪些利益（人名一律写成“某某”，地点写到地市级）。"),
        ("查处", "依据公开通报，写清如何被发现和处理。"),
        ("警示", "从中应吸取的教训，对照哪种群众工作方法。"),
    ),
}


@dataclass
class NewStory:
    title: str
    kind: str
    methods: list[str]
    region: str
    date: dt.date
    story_id: str
    author: str | None = None


def story_path(root: Path, story: NewStory) -> Path:
    province = story.region.split("/")[0]
    return root / STORY.folder / PROVINCE_SLUGS.get(province, "other") / f"{story.story_id}.md"


def render(story: NewStory, library: Library) -> str:
    """The new file's text. Values are dumped by PyYAML so any title quotes correctly."""
    methods = [library.resolve_method(m) or m for m in story.methods]
    front = {
        "id": story.story_id,
        "title": story.title,
        "kind": story.kind,
        "methods": methods,
        "summary": STORY.field("summary").placeholder,
        "region": story.region,
        "date": story.date,
        "status": "draft",
        "sources": [{"title": STORY.field("sources").type.item.fields[0].placeholder}],
    }
    if story.author:
        front["author"] = story.author
    lines = ["---"]
    for key, value in front.items():
        lines.append(yaml_line(key, value))
    lines.append("---")
    for heading, prompt in BODY_OUTLINES[story.kind]:
        lines += ["", f"## {heading}", "", f"{PLACEHOLDER}：{prompt}"]
    return "\n".join(lines) + "\n"


@dataclass
class NewLesson:
    title: str
    audience: str
    duration: int
    methods: list[str]
    stories: list[str]  # in teaching order
    lesson_id: str
    author: str | None = None


def lesson_path(root: Path, lesson: NewLesson) -> Path:
    return root / LESSON.folder / f"{lesson.lesson_id}.md"


def render_lesson(lesson: NewLesson, library: Library) -> str:
    """A draft lesson: the fields from the schema, and a lesson flow with one card per cited story, in order."""
    front = {
        "id": lesson.lesson_id,
        "title": lesson.title,
        "audience": lesson.audience,
        "duration": lesson.duration,
        "methods": [library.resolve_method(m) or m for m in lesson.methods],
        "stories": lesson.stories,
        "objectives": [f"{PLACEHOLDER}：{LESSON.field('objectives').help}"],
        "questions": [f"{PLACEHOLDER}：{LESSON.field('questions').help}"],
        "status": "draft",
        "summary": f"{PLACEHOLDER}：{LESSON.field('summary').help}",
    }
    if lesson.author:
        front["author"] = lesson.author
    lines = [
        "---",
        *(yaml_line(key, value) for key, value in front.items()),
        "---",
        "",
        "## 课程流程",
        "",
        "### 一、导入",
        "",
        f"{PLACEHOLDER}：用什么问题或场景把学员带进本课，约几分钟。",
    ]
    for number, story_id in enumerate(lesson.stories, 2):
        story = library.story(story_id)
        name = story.title if story is not None else story_id
        lines += [
            "",
            f"### {_chinese_number(number)}、案例：{name}",
            "",
            f"[[story:{story_id}]]",
            "",
            f"{PLACEHOLDER}：围绕这个故事让学员读什么、做什么、讨论什么，约几分钟。",
        ]
    lines += [
        "",
        f"### {_chinese_number(len(lesson.stories) + 2)}、小结",
        "",
        f"{PLACEHOLDER}：回到教学目标，学员带走哪几条做法。",
    ]
    return "\n".join(lines) + "\n"


def _chinese_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def yaml_line(key: str, value) -> str:
    """One front-matter entry as an editor would write it: scalars plain, short lists inline, records as blocks."""
    if isinstance(value, dt.date):
        return f"{key}: {value.isoformat()}"  # unquoted, as editors write dates
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return f"{key}: " + yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1000).strip()
    return yaml.safe_dump(
        {key: value}, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000
    ).rstrip("\n")
