"""stories.json: a machine-readable catalogue of the published stories, for trainers' tools and other sites.

One declarative list of fields (FIELDS, TOP_FIELDS) drives the catalogue's JSON Schema (draft 2020-12) and the
field table in docs/catalogue.md, so the data, the schema and the documentation cannot drift apart. The output is
deterministic: the same library and site URL give the same bytes (no build time, no absolute paths).

Plain Python: nothing here imports MkDocs. Regenerate the checked-in schema file (stories.schema.json beside this
module) and print the docs table with `python -m exemplars.site.catalogue`.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..library import Library
from ..model import Story
from ..schema import DATE_PATTERN, KINDS, SLUG_PATTERN
from . import urls

VERSION = 1
FILENAME = "stories.json"
SCHEMA_FILENAME = "stories.schema.json"
SCHEMA_ID = f"https://exemplars.invalid/schema/catalogue-v{VERSION}.json"
SCHEMA_FILE = Path(__file__).with_name(SCHEMA_FILENAME)  # checked-in copy of catalogue_schema()

_SITE_URL = re.compile(r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+(/[^\s?#]*)?$")


class SiteUrlError(ValueError):
    """site_url is missing or not an absolute http(s) address; the message is for editors, in Chinese."""

    code = "E-SITE-URL"


def site_base(site_url: str | None) -> str:
    """The site's absolute base URL, ending in "/"; feeds, the catalogue and QR codes build every link on it."""
    value = (site_url or "").strip()
    if not _SITE_URL.match(value):
        shown = f"“{value}”" if value else "空"
        raise SiteUrlError(
            f"mkdocs.yml：site_url 为{shown}，不是完整的网址。订阅源、故事目录 stories.json 和二维码里的链接"
            f"都要用网站的完整地址。请在 mkdocs.yml 中填写，例如 site_url: https://exemplars.example.org/ "
            f"[{SiteUrlError.code}]"
        )
    return value if value.endswith("/") else value + "/"


# --- the format, once ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CatalogueField:
    name: str
    schema: dict  # JSON Schema fragment of the value
    kind: str  # value type, in Chinese, for the docs table
    help: str  # what the value means, in Chinese
    required: bool = True


_SLUG = {"type": "string", "pattern": SLUG_PATTERN}
_DATE = {"type": "string", "pattern": DATE_PATTERN, "format": "date"}
_TEXT = {"type": "string", "minLength": 1}
_URL = {"type": "string", "format": "uri", "pattern": "^https?://"}
_TEXTS = {"type": "array", "items": _TEXT, "uniqueItems": True}
_SLUGS = {"type": "array", "items": _SLUG, "uniqueItems": True}

FIELDS: tuple[CatalogueField, ...] = (
    CatalogueField("id", _SLUG, "字符串", "故事的永久编号，由小写字母、数字和连字符组成；网址和引用都用它。"),
    CatalogueField("title", _TEXT, "字符串", "故事标题。"),
    CatalogueField(
        "kind", {"enum": list(KINDS)}, "字符串", "故事类型：`exemplar` 为正面典型，`cautionary` 为反面典型。"
    ),
    CatalogueField("kind_label", {"enum": list(KINDS.values())}, "字符串", "类型的中文名：正面典型或反面典型。"),
    CatalogueField(
        "methods", {**_SLUGS, "minItems": 1}, "字符串列表", "故事体现的群众工作方法的编号，顺序与故事文件一致。"
    ),
    CatalogueField(
        "method_names", {**_TEXTS, "minItems": 1}, "字符串列表", "与 `methods` 一一对应的方法名称，例如“民主协商法”。"
    ),
    CatalogueField(
        "region",
        {"type": "array", "items": _TEXT, "minItems": 1},
        "字符串列表",
        '发生地区，从省级到最细一级逐级列出，例如 ["浙江省", "湖州市", "安吉县"]。',
    ),
    CatalogueField("date", _DATE, "日期（YYYY-MM-DD）", "事情发生或报道的日期；目录按它由新到旧排列。"),
    CatalogueField(
        "updated",
        {"anyOf": [_DATE, {"type": "null"}]},
        "日期或 null",
        "故事内容最近一次修订的日期；从未修订为 `null`。",
    ),
    CatalogueField(
        "published",
        _DATE,
        "日期（YYYY-MM-DD）",
        "故事在本站发布的日期：故事文件的 `published`；没有填写时取 `updated`，再没有取 `date`。"
        "订阅（feed）按它由新到旧排列，要找新发布的故事就按它排序。",
    ),
    CatalogueField("summary", {"type": "string"}, "字符串", "一两句话的摘要，可以为空字符串。"),
    CatalogueField("url", _URL, "网址", "故事页面的完整网址，永久不变，可用于课件、讲义和二维码。"),
    CatalogueField(
        "aliases", _SLUGS, "字符串列表", "故事用过的旧编号；旧编号的网址会自动跳转到 `url`。没有则为空列表。"
    ),
    CatalogueField("domains", _TEXTS, "字符串列表", "涉及的民生领域，例如“就业”“养老”；没有则为空列表。"),
    CatalogueField("tags", _TEXTS, "字符串列表", "自由标签；没有则为空列表。"),
    CatalogueField(
        "sample", {"type": "boolean"}, "布尔值", "为 `true` 表示这是演示用的虚构故事，不能当作真实案例引用。"
    ),
)

_GENERATED_FROM = {
    "type": "object",
    "additionalProperties": False,
    "required": ["site_url", "story_count", "digest"],
    "properties": {
        "site_url": {**_URL, "pattern": "^https?://.*/$"},
        "story_count": {"type": "integer", "minimum": 0},
        "digest": {"type": "string", "pattern": "^sha256:[0-9a-f]{64}$"},
    },
}

TOP_FIELDS: tuple[CatalogueField, ...] = (
    CatalogueField(
        "version",
        {"const": VERSION},
        "整数",
        f"格式版本，目前为 {VERSION}。字段的含义改变或删除字段时才会加一；只增加字段不改版本。",
    ),
    CatalogueField(
        "generated_from",
        _GENERATED_FROM,
        "对象",
        "生成依据：`site_url` 网站地址，`story_count` 故事数，`digest` 全部故事条目的 SHA-256 "
        "摘要（`sha256:` 加 64 位十六进制）。内容不变，摘要就不变，可用来判断目录是否有更新。",
    ),
    CatalogueField(
        "updated",
        {"anyOf": [_DATE, {"type": "null"}]},
        "日期或 null",
        "全部故事中最新的 `date`、`updated` 或 `published`，每发布或修订一个故事都会向后移；"
        "没有故事时为 `null`。不是生成文件的时间。",
    ),
    CatalogueField(
        "stories",
        {"type": "array", "items": {"$ref": "#/$defs/story"}},
        "列表",
        "已发布的故事，按 `date` 由新到旧排列，同一天的按 `id` 排列。每个故事的字段见下表。",
    ),
)


def _object(fields: tuple[CatalogueField, ...]) -> dict:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [f.name for f in fields if f.required],
        "properties": {f.name: f.schema for f in fields},
    }


def catalogue_schema() -> dict:
    """The catalogue's JSON Schema (draft 2020-12)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "典型示范故事库：故事目录 stories.json",
        "description": "已发布故事的机器可读目录，格式说明见 docs/catalogue.md。",
        **_object(TOP_FIELDS),
        "$defs": {"story": {"title": "一个故事", **_object(FIELDS)}},
    }


def schema_text() -> str:
    return json.dumps(catalogue_schema(), ensure_ascii=False, indent=2) + "\n"


def write_schema(path: Path = SCHEMA_FILE) -> Path:
    """Write the schema (e.g. into the built site, beside stories.json); by default refresh the checked-in copy."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(schema_text().encode("utf-8"))
    return path


def markdown_table(fields: tuple[CatalogueField, ...] = FIELDS) -> str:
    """The field table of docs/catalogue.md (tests check the page still contains it)."""
    rows = ["| 字段 | 类型 | 必有 | 说明 |", "|---|---|---|---|"]
    for f in fields:
        rows.append(f"| `{f.name}` | {f.kind} | {'是' if f.required else '否'} | {f.help} |")
    return "\n".join(rows)


# --- the data -----------------------------------------------------------------------------------------------
def story_entry(story: Story, library: Library, base: str) -> dict:
    entry = {
        "id": story.id,
        "title": story.title,
        "kind": story.kind,
        "kind_label": story.kind_label,
        "methods": list(story.methods),
        "method_names": [library.method(m).name for m in story.methods],
        "region": list(story.region),
        "date": story.date.isoformat(),
        "updated": story.updated.isoformat() if story.updated else None,
        "published": story.published_on.isoformat(),
        "summary": story.summary,
        "url": base + urls.story(story.id),
        "aliases": list(story.aliases),
        "domains": list(story.domains),
        "tags": list(story.tags),
        "sample": bool(story.sample),
    }
    return entry


def catalogue(library: Library, site_url: str) -> dict:
    """The catalogue as a dict: published stories only, newest first, every link absolute."""
    base = site_base(site_url)
    stories = [story_entry(s, library, base) for s in library.public_stories()]
    canonical = json.dumps(stories, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    changes = [d for s in stories for d in (s["date"], s["updated"], s["published"]) if d]
    return {
        "version": VERSION,
        "generated_from": {
            "site_url": base,
            "story_count": len(stories),
            "digest": "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
        },
        "updated": max(changes) if changes else None,
        "stories": stories,
    }


def catalogue_text(library: Library, site_url: str) -> str:
    return json.dumps(catalogue(library, site_url), ensure_ascii=False, indent=2) + "\n"


def write_catalogue(library: Library, out_dir: Path, site_url: str) -> Path:
    """Write `stories.json` at the root of the built site (`out_dir`); returns its path."""
    path = Path(out_dir) / FILENAME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(catalogue_text(library, site_url).encode("utf-8"))
    return path


if __name__ == "__main__":  # refresh the checked-in schema and print the docs table
    print(f"已写入 {write_schema()}")
    print(markdown_table(TOP_FIELDS))
    print()
    print(markdown_table(FIELDS))
