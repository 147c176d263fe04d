"""`exemplars new`: a story file whose front matter passes `check`, generated from the schema."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from .library import Library
from .regions import PROVINCE_SLUGS
from .schema import PLACEHOLDER, STORY

BODY_OUTLINES = {
    "exemplar": (("背景", "当时面临什么问题，群众有什么难处和想法。"),
                 ("做法", "谁、怎样用群众工作方法一步步解决问题；写具体的场景、对话和数字。"),
                 ("成效", "群众得到了什么，可以核实的变化。"),
                 ("启示", "别的地方可以借鉴什么。")),
    "cautionary": (("问题", "发生了什么，损害了群众哪些利益（人名一律写成“某某”，地点写到地市级）。"),
                   ("查处", "依据公开通报，写清如何被发现和处理。"),
                   ("警示", "从中应吸取的教训，对照哪种群众工作方法。")),
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
        lines.append(_yaml_line(key, value))
    lines.append("---")
    for heading, prompt in BODY_OUTLINES[story.kind]:
        lines += ["", f"## {heading}", "", f"{PLACEHOLDER}：{prompt}"]
    return "\n".join(lines) + "\n"


def _yaml_line(key: str, value) -> str:
    """One front-matter entry as an editor would write it: scalars plain, short lists inline, records as blocks."""
    if isinstance(value, dt.date):
        return f"{key}: {value.isoformat()}"  # unquoted, as editors write dates
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return f"{key}: " + yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1000).strip()
    return yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, default_flow_style=False,
                          width=1000).rstrip("\n")
