"""The story contract, once: checker, JSON Schema, the editors' field table and the scaffold all read it.

A schema is a tuple of Field specs. Each field has a value Type that validates one value (returning problems as
(code, args, key-suffix) triples), exports its JSON Schema fragment, and names itself in Chinese for the docs.
Rules that need the whole library (methods exist, ids unique, region spellings) live in check.py.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from typing import Any

from .messages import did_you_mean
from .regions import PROVINCE_NAMES, PROVINCES, suggest_province

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SLUG_RE = re.compile(SLUG_PATTERN)
# Blank as JSON Schema's regular expressions (ECMA-262 `\s`) define it, spelled out as one class so that the
# checker's Python and any schema validator agree on what counts as blank (Python's own `\s` and str.strip()
# differ from ECMA-262 on a few characters, such as U+FEFF and U+001C).
SPACE_CLASS = r"\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
SPACES = "\t\n\v\f\r \u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000\ufeff"
_HAS_SPACE = re.compile(f"[{SPACE_CLASS}]")
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
PLACEHOLDER = "待填写"  # what `exemplars new` writes where the editor still owes content

KINDS = {"exemplar": "正面典型", "cautionary": "反面典型"}
STATUSES = {"draft": "草稿", "review": "待审", "published": "已发布", "withdrawn": "已撤回"}
LESSON_STATUSES = {"draft": "草稿", "review": "待审", "published": "已发布"}  # a lesson is revised, not taken down
DOMAINS_SUGGESTED = ("就业", "就学", "就医", "出行", "社保", "扶贫", "调解", "环境", "养老", "住房", "产业", "治理")

Problem = tuple  # (code, args: dict, key suffix: tuple)


# --- value types -------------------------------------------------------------------------------------------
class Type:
    label = ""  # Chinese name of the type, for messages and docs

    def validate(self, value: Any) -> tuple[Any, list[Problem]]:
        raise NotImplementedError

    def json_schema(self) -> dict:
        raise NotImplementedError

    def type_error(self, value: Any) -> list[Problem]:
        found = describe(value)
        if isinstance(value, str) and _LOOKS_LIKE_FIELD.match(value):  # `- title：来源` read as one text
            found += "（它像是一行“字段: 值”：冒号要用半角，冒号后面要有一个空格）"
        return [("E-FIELD-TYPE", {"expected": self.label, "found": found}, ())]


_LOOKS_LIKE_FIELD = re.compile(r"^[A-Za-z_][\w-]{0,30}(：|:(?=[^\s/]))")


def describe(value: Any) -> str:
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return f"布尔值 {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"数字 {value}"
    if isinstance(value, str):
        return f"文字“{value[:20]}”"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "键值对"
    return type(value).__name__


class Text(Type):
    label = "一行文字"

    def __init__(self, single_line: bool = True, max_length: int | None = None) -> None:
        self.single_line, self.max_length = single_line, max_length
        if max_length is not None:  # the limit shows in the editors' field table, from this one definition
            self.label = f"一行文字，不超过 {max_length} 个字" if single_line else f"文字，不超过 {max_length} 个字"
        elif not single_line:
            self.label = "文字"

    def validate(self, value):
        if not isinstance(value, str):
            return None, self.type_error(value)
        raw, value = value, value.strip(SPACES)
        if not value:
            return None, [("E-FIELD-EMPTY", {}, ())]
        problems = []
        if self.single_line and "\n" in value:
            problems.append(("E-TEXT-NEWLINE", {}, ()))
        if self.max_length is not None and len(raw) > self.max_length:
            # the length as written, as JSON Schema's maxLength counts it: one limit, two enforcers that agree
            problems.append(("E-TEXT-TOO-LONG", {"limit": self.max_length, "length": len(raw)}, ()))
        return value, problems

    def json_schema(self):
        # "something not blank, and no line break once the ends are trimmed", as validate() says it
        blank, visible = f"[{SPACE_CLASS}]", f"[^{SPACE_CLASS}]"
        pattern = f"^{blank}*[^\\n]*{visible}[^\\n]*{blank}*$" if self.single_line else visible
        schema: dict = {"type": "string", "minLength": 1, "pattern": pattern}
        if self.max_length:
            schema["maxLength"] = self.max_length
        return schema


class Slug(Type):
    label = "标识（小写字母、数字、连字符）"

    def validate(self, value):
        if not isinstance(value, str):
            return None, self.type_error(value)
        if not value.strip(SPACES):
            return None, [("E-FIELD-EMPTY", {}, ())]
        if not SLUG_RE.fullmatch(value):  # fullmatch: `$` alone would let a final line break through
            return None, [("E-ID-FORMAT", {"value": value}, ())]
        return value, []

    def json_schema(self):
        return {"type": "string", "pattern": SLUG_PATTERN}


class Choice(Type):
    def __init__(self, choices: dict[str, str]) -> None:
        self.choices = choices
        self.label = "以下之一：" + "、".join(f"{k}（{v}）" for k, v in choices.items())

    def validate(self, value):
        if not isinstance(value, str):
            return None, self.type_error(value)
        if value not in self.choices:
            # Files hold the English value (what a web form writes, what JSON Schema lists); the Chinese label an
            # editor may type (正面典型, 已发布) is answered with the exact value to write.
            candidates = {**{label: key for key, label in self.choices.items()}, **{k: k for k in self.choices}}
            return None, [
                (
                    "E-FIELD-CHOICE",
                    {
                        "value": value,
                        "candidates": candidates,
                        "choices": "、".join(f"{k}（{v}）" for k, v in self.choices.items()),
                    },
                    (),
                )
            ]
        return value, []

    def from_label(self, text: str) -> str | None:
        """The value for a value or its Chinese label (for prompts, where either may be typed)."""
        text = text.strip()
        return text if text in self.choices else {v: k for k, v in self.choices.items()}.get(text)

    def json_schema(self):
        return {"enum": list(self.choices)}


class Date(Type):
    label = "日期 YYYY-MM-DD"

    def validate(self, value):
        if isinstance(value, (dt.date, dt.datetime)):
            return value if isinstance(value, dt.date) else value.date(), []
        if not isinstance(value, str):
            return None, [("E-DATE-INVALID", {"value": describe(value)}, ())]
        text = value  # as written: " 2019-06-12" fails the schema's pattern too
        if re.fullmatch(DATE_PATTERN, text):
            try:
                return dt.date.fromisoformat(text), []
            except ValueError:
                pass
        return None, [("E-DATE-INVALID", {"value": value}, ())]

    def json_schema(self):
        return {"type": "string", "pattern": DATE_PATTERN, "format": "date"}


class Boolean(Type):
    label = "true 或 false"

    def validate(self, value):
        if isinstance(value, bool):
            return value, []
        return None, self.type_error(value)

    def json_schema(self):
        return {"type": "boolean"}


class Integer(Type):
    def __init__(self, minimum: int | None = None) -> None:
        self.minimum = minimum
        self.label = "整数" if minimum is None else f"不小于 {minimum} 的整数"

    def validate(self, value):
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # JSON Schema's "integer" counts 90.0 as 90; so does the checker
        if isinstance(value, bool) or not isinstance(value, int):
            return None, self.type_error(value)
        if self.minimum is not None and value < self.minimum:
            return None, self.type_error(value)
        return value, []

    def json_schema(self):
        schema: dict = {"type": "integer"}
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        return schema


class Url(Type):
    label = "http(s) 网址"

    def validate(self, value):
        if not isinstance(value, str):
            return None, self.type_error(value)
        if not re.match(self.PATTERN, value):
            return None, [("E-URL-SCHEME", {"value": value}, ())]
        return value.strip(SPACES), []

    PATTERN = f"^[Hh][Tt][Tt][Pp][Ss]?://[^{SPACE_CLASS}/]+"

    def json_schema(self):
        return {"type": "string", "pattern": self.PATTERN}


class Region(Type):
    label = "地区路径，如 浙江省/湖州市/安吉县"

    def validate(self, value):
        if not isinstance(value, str):
            return None, self.type_error(value)
        text = value.strip(SPACES)
        if not text:
            return None, [("E-FIELD-EMPTY", {}, ())]
        parts = value.split("/")
        if any(not p.strip(SPACES) for p in parts):
            return None, [("E-REGION-FORMAT", {"value": value, "problem": "有空的一级（多余的 /）"}, ())]
        if any(_HAS_SPACE.search(p) for p in parts):
            return None, [("E-REGION-FORMAT", {"value": value, "problem": "含有空格"}, ())]
        if parts[0] not in PROVINCE_NAMES:
            guess = did_you_mean(suggest_province(parts[0]))
            return None, [("E-REGION-PROVINCE", {"value": parts[0], "suggestion": guess}, ())]
        return tuple(parts), []

    def json_schema(self):
        names = "|".join(re.escape(name) for name, _, _ in PROVINCES)
        return {"type": "string", "pattern": rf"^({names})(/[^/{SPACE_CLASS}]+)*$"}


class MethodRef(Type):
    """A method's id, Chinese name or alias; existence is checked against the library in check.py."""

    label = "方法的 id、名称或别名"

    def validate(self, value):
        if not isinstance(value, str):
            return None, self.type_error(value)
        if not value.strip(SPACES):
            return None, [("E-FIELD-EMPTY", {}, ())]
        return value.strip(SPACES), []

    def json_schema(self):
        return {
            "type": "string",
            "minLength": 1,
            "pattern": f"[^{SPACE_CLASS}]",
        }  # json_schema(contract, method_refs) adds the enum


class ListOf(Type):
    def __init__(self, item: Type, non_empty: bool = False) -> None:
        self.item, self.non_empty = item, non_empty
        self.label = f"列表（每项为{item.label}）"

    def validate(self, value):
        if not isinstance(value, list):
            return None, self.type_error(value)
        if self.non_empty and not value:
            return None, [("E-FIELD-EMPTY", {}, ())]
        result, problems = [], []
        for index, item in enumerate(value):
            normalised, item_problems = self.item.validate(item)
            problems.extend((code, args, (index,) + key) for code, args, key in item_problems)
            if normalised is not None:
                result.append(normalised)
        return result, problems

    def json_schema(self):
        schema: dict = {"type": "array", "items": self.item.json_schema()}
        if self.non_empty:
            schema["minItems"] = 1
        return schema


class Record(Type):
    """A small mapping with its own fields, e.g. one source {title, url?, date?}."""

    def __init__(self, fields: tuple["Field", ...], label: str) -> None:
        self.fields, self.label = fields, label

    def validate(self, value):
        if not isinstance(value, dict):
            return None, self.type_error(value)
        return validate_mapping(value, self.fields, draft=False)

    def json_schema(self):
        return mapping_json_schema(self.fields, draft_aware=False)


# --- fields ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Field:
    name: str
    type: Type
    label: str  # short Chinese name
    help: str  # one Chinese sentence for the docs and hover text
    example: str  # YAML text of a good value, used in messages and docs
    required: bool = False
    content: bool = False  # editors may leave it for later in a draft: missing → warning, not error
    placeholder: str | None = None  # what the scaffold writes for a content field
    aliases: tuple[str, ...] = field(default=())  # common misspellings to suggest from


def validate_mapping(meta: dict, fields: tuple[Field, ...], draft: bool) -> tuple[dict, list[Problem]]:
    """Validate a mapping against `fields`; returns normalised values and problems keyed by field path."""
    by_name = {f.name: f for f in fields}
    values: dict = {}
    problems: list[Problem] = []
    for key, value in meta.items():
        spec = by_name.get(key)
        if spec is None:
            problems.append(("E-FIELD-UNKNOWN", {"field": key, "candidates": suggestion_pool(fields)}, (key,)))
            continue
        normalised, field_problems = spec.type.validate(value)
        for code, args, suffix in field_problems:
            args = {"field": key, "label": spec.label, "example": spec.example, **args}
            problems.append((code, args, (key,) + suffix))
        if normalised is not None:
            values[key] = normalised
    for spec in fields:
        if spec.required and spec.name not in meta:
            code = "W-FIELD-MISSING" if (draft and spec.content) else "E-FIELD-MISSING"
            problems.append((code, {"field": spec.name, "label": spec.label, "example": spec.example}, ()))
    return values, problems


def suggestion_pool(fields: tuple[Field, ...]) -> dict[str, str]:
    """Names and known misspellings → the field name to suggest."""
    pool = {f.name: f.name for f in fields}
    for f in fields:
        pool.update({alias: f.name for alias in f.aliases})
    return pool


def mapping_json_schema(fields: tuple[Field, ...], draft_aware: bool) -> dict:
    properties = {}
    for f in fields:
        fragment = dict(f.type.json_schema())
        fragment["title"] = f.label
        fragment["description"] = f.help
        properties[f.name] = fragment
    schema: dict = {"type": "object", "properties": properties, "additionalProperties": False}
    always = [f.name for f in fields if f.required and not (draft_aware and f.content)]
    if always:
        schema["required"] = always
    content = [f for f in fields if f.required and f.content] if draft_aware else []
    if content:
        # Drafts may still lack content fields or hold placeholders; anything past draft may not.
        not_placeholder = {"not": {"pattern": f"^[{SPACE_CLASS}]*{PLACEHOLDER}"}}  # file_rules.is_placeholder
        schema["allOf"] = [
            {
                "if": {"not": {"properties": {"status": {"const": "draft"}}, "required": ["status"]}},
                "then": {
                    "required": [f.name for f in content],
                    "properties": {
                        f.name: (
                            not_placeholder
                            if isinstance(f.type, Text)
                            else {"items": {"properties": {"title": not_placeholder}}}
                        )
                        for f in content
                    },
                },
            }
        ]
    return schema


SOURCE_FIELDS: tuple[Field, ...] = (
    Field(
        "title",
        Text(),
        "来源名称",
        "报道、文件或档案的名称，如“《湖州日报》2019年6月12日第3版”。",
        "《湖州日报》2019年6月12日第3版",
        required=True,
        placeholder=f"{PLACEHOLDER}：报道或文件的名称",
    ),
    Field("url", Url(), "链接", "可公开访问的网址，必须是 http 或 https。", "https://www.example.gov.cn/news/123.html"),
    Field("date", Date(), "发布日期", "来源发布的日期。", "2019-06-12"),
)

STORY_FIELDS: tuple[Field, ...] = (
    Field(
        "id",
        Slug(),
        "标识",
        "全库唯一、永不改变的英文标识，构成网址 /stories/<id>/，课程靠它引用故事。",
        "yucun-yishihui-2019",
        required=True,
        aliases=("slug", "ID", "Id"),
    ),
    Field(
        "title",
        Text(max_length=80),
        "标题",
        "故事标题，具体而不空泛。",
        "余村“板凳议事会”定下垃圾分类方案",
        required=True,
        aliases=("name", "标题", "titel"),
    ),
    Field(
        "kind",
        Choice(KINDS),
        "类型",
        "exemplar 为正面典型，cautionary 为反面典型。",
        "exemplar",
        required=True,
        aliases=("type", "类型"),
    ),
    Field(
        "methods",
        ListOf(MethodRef(), non_empty=True),
        "群众工作方法",
        "本故事体现的方法：写方法的 id、中文名称或别名，至少一个。",
        "[minzhu-xieshang, 为民谋利法]",
        required=True,
        aliases=("method", "方法"),
    ),
    Field(
        "summary",
        Text(max_length=300),
        "摘要",
        "一两句话说明谁做了什么、结果如何；显示在卡片、订阅和搜索结果中。",
        "余村用“板凳议事会”让村民商定垃圾分类办法，三个月后分类准确率超过九成。",
        required=True,
        content=True,
        placeholder=f"{PLACEHOLDER}：用一两句话说明谁做了什么、结果如何",
        aliases=("description", "abstract", "摘要"),
    ),
    Field(
        "region",
        Region(),
        "地区",
        "用 / 分隔的行政区划，第一级为省级全称；反面典型只写到地市级（直辖市只写一级，如 北京市）。",
        "浙江省/湖州市/安吉县",
        required=True,
        aliases=("location", "place", "area", "地区"),
    ),
    Field(
        "date",
        Date(),
        "发生日期",
        "事情发生（或主要做法开始）的日期。",
        "2019-06-12",
        required=True,
        aliases=("time", "日期"),
    ),
    Field(
        "status",
        Choice(STATUSES),
        "状态",
        "draft 草稿、review 待审、published 已发布、withdrawn 已撤回；只有已发布的故事进入公开网站。",
        "draft",
        required=True,
        aliases=("state", "状态"),
    ),
    Field(
        "sources",
        ListOf(Record(SOURCE_FIELDS, "来源（title 必填，url、date 可选）"), non_empty=True),
        "来源",
        "可以核实本故事的出处，至少一条：报道、文件、档案。",
        "[{title: 《湖州日报》2019年6月12日第3版}]",
        required=True,
        content=True,
        aliases=("source", "references", "来源"),
    ),
    Field(
        "domains",
        ListOf(Text()),
        "领域",
        "涉及的民生领域，如 " + "、".join(DOMAINS_SUGGESTED) + "。",
        "[环境, 治理]",
        aliases=("domain", "fields", "领域"),
    ),
    Field(
        "tags",
        ListOf(Text()),
        "标签",
        "自由标签，方便浏览。",
        "[垃圾分类, 村规民约]",
        aliases=("tag", "keywords", "标签"),
    ),
    Field(
        "aliases",
        ListOf(Slug()),
        "旧标识",
        "故事改过 id 时，旧 id 留在这里，旧网址会自动跳转。",
        "[old-story-id]",
        aliases=("alias", "redirect_from"),
    ),
    Field("updated", Date(), "更新日期", "内容最后一次实质更新的日期。", "2024-03-01", aliases=("modified", "lastmod")),
    Field(
        "published",
        Date(),
        "发布日期",
        "故事在本站发布的日期，由审核人改为 published 时填写当天；订阅按它由新到旧排列。",
        "2024-03-15",
        aliases=("publish_date", "published_at", "pubdate", "发布日期"),
    ),
    Field(
        "cover",
        Text(),
        "封面图",
        "图片在仓库中的路径：从仓库根目录写起（图片放在 media/ 文件夹），图片在故事文件旁边时只写文件名；"
        "JPEG、PNG 或 WebP。显示在故事页顶部，也是分享到微信等处时的配图。",
        "media/yucun.jpg",
        aliases=("image", "img"),
    ),
    Field(
        "cover_alt",
        Text(),
        "封面图说明",
        "用一句话说明封面图上是什么，供读屏软件朗读、图片加载失败时显示；不填时用标题。",
        "村民围坐在村委会门前的板凳上商量垃圾分类办法",
        aliases=("alt", "image_alt", "cover_caption"),
    ),
    Field(
        "related", ListOf(Slug()), "相关故事", "相关故事的 id。", "[another-story-2020]", aliases=("see_also", "links")
    ),
    Field("author", Text(), "作者", "撰稿人或投稿单位。", "林晓", aliases=("authors", "作者")),
    Field("reviewed_by", Text(), "审核人", "审核发布的编辑。", "周文澜", aliases=("reviewer", "reviewed", "审核")),
    Field("featured", Boolean(), "推荐", "为 true 时在首页推荐。", "true", aliases=("feature", "pinned")),
    Field(
        "guessed",
        ListOf(Text()),
        "待核实",
        "导入 Word 文档（exemplars import）时从正文猜出、尚待核实的字段名（如 date、"
        "region）；核实后删掉对应的项，全部核实后删掉整行。草稿中为警告，送审后为错误。",
        "[date, region]",
    ),
    Field("sample", Boolean(), "虚构示例", "为 true 表示这是演示用的虚构故事，页面会显示“虚构示例”提示。", "true"),
)

METHOD_FIELDS: tuple[Field, ...] = (
    Field("id", Slug(), "标识", "方法的英文标识，构成网址 /methods/<id>/。", "jiaoyu-shudao", required=True),
    Field(
        "name",
        Text(max_length=20),
        "名称",
        "方法的中文名称，故事的 methods 可以直接写它。",
        "教育疏导法",
        required=True,
    ),
    Field("order", Integer(minimum=0), "顺序", "在方法列表中的位置，小的在前。", "1", required=True),
    Field(
        "summary",
        Text(max_length=200),
        "摘要",
        "一句话说明这个方法。",
        "以平等的沟通讲清道理、解开心结。",
        required=True,
    ),
    Field("aliases", ListOf(Text()), "别名", "故事中也可以用来指这个方法的其他叫法。", "[教育疏导, 说服疏导]"),
)


LESSON_FIELDS: tuple[Field, ...] = (
    Field(
        "id",
        Slug(),
        "标识",
        "全库唯一、永不改变的英文标识，构成网址 /lessons/<id>/；不能与任何故事的 id 相同。",
        "qunzhong-yijian-rumen",
        required=True,
        aliases=("slug", "ID", "Id"),
    ),
    Field(
        "title",
        Text(max_length=80),
        "标题",
        "课程标题。",
        "把议事会开到群众家门口",
        required=True,
        aliases=("name", "标题"),
    ),
    Field(
        "audience",
        Text(max_length=80),
        "培训对象",
        "这门课讲给谁听。",
        "新任村（社区）党组织书记",
        required=True,
        aliases=("audiences", "对象", "学员"),
    ),
    Field(
        "duration",
        Integer(minimum=1),
        "时长（分钟）",
        "整堂课的时长，以分钟计的正整数。",
        "90",
        required=True,
        aliases=("length", "minutes", "时长"),
    ),
    Field(
        "methods",
        ListOf(MethodRef(), non_empty=True),
        "群众工作方法",
        "本课讲授的方法：写方法的 id、中文名称或别名，至少一个。",
        "[minzhu-xieshang]",
        required=True,
        aliases=("method", "方法"),
    ),
    Field(
        "stories",
        ListOf(Slug(), non_empty=True),
        "引用的故事",
        "课上用到的故事 id，按讲授顺序排列，至少一个；已发布的课程只能引用已发布（或已撤回）的故事。",
        "[banden-yishihui-2019, fupin-buzhu-jieliu-2019]",
        required=True,
        aliases=("story", "cases", "案例"),
    ),
    Field(
        "objectives",
        ListOf(Text(), non_empty=True),
        "教学目标",
        "学完这门课，学员应当能做到什么，至少一条。",
        "[能组织一次村民议事会]",
        required=True,
        aliases=("objective", "goals", "目标"),
    ),
    Field(
        "questions",
        ListOf(Text()),
        "讨论题",
        "课上或课后讨论的问题。",
        "[议事会上有人始终不表态，怎么办？]",
        aliases=("question", "discussion", "讨论"),
    ),
    Field(
        "status",
        Choice(LESSON_STATUSES),
        "状态",
        "draft 草稿、review 待审、published 已发布；只有已发布的课程进入公开网站。",
        "draft",
        required=True,
        aliases=("state", "状态"),
    ),
    Field(
        "summary",
        Text(max_length=300),
        "摘要",
        "一两句话介绍这门课，显示在课程列表中。",
        "用两个正面典型和一个反面典型，讲清议事会从召集到落实的每一步。",
        aliases=("description", "摘要"),
    ),
    Field(
        "aliases",
        ListOf(Slug()),
        "旧标识",
        "课程改过 id 时，旧 id 留在这里，旧网址会自动跳转（exemplars mv 会自动添加）。",
        "[old-lesson-id]",
        aliases=("alias", "redirect_from"),
    ),
    Field("author", Text(), "作者", "编写课程的培训者或单位。", "林晓", aliases=("authors", "作者")),
    Field("sample", Boolean(), "虚构示例", "为 true 表示这是演示用的虚构课程。", "true"),
)


@dataclass(frozen=True)
class Contract:
    """A named set of fields for one kind of file, with the folder it lives in."""

    name: str
    folder: str
    fields: tuple[Field, ...]
    title: str
    draft_aware: bool

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


STORY = Contract("story", "stories", STORY_FIELDS, "故事文件头", draft_aware=True)
METHOD = Contract("method", "methods", METHOD_FIELDS, "方法文件头", draft_aware=False)
LESSON = Contract("lesson", "lessons", LESSON_FIELDS, "课程文件头", draft_aware=False)
CONTRACTS = {c.name: c for c in (STORY, METHOD, LESSON)}


# Rules JSON Schema cannot state, because they need the body, another file or the whole library. They are named
# in the exported schema's descriptions, so an editor (or a web form) using only the schema knows that
# `exemplars check` still applies them. Every bound the schema does state, check enforces with the same value.
_CHECK_ONLY_NOTE = "（此规则只有 exemplars check 能检查）"
CHECK_ONLY_RULES: dict[str, dict[str, str]] = {
    "story": {
        "id": "id 和旧标识（aliases）在全库故事与课程中唯一",
        "aliases": "旧标识不能与任何故事或课程的 id、旧标识重复",
        "methods": "每一项须是 methods/ 中已有方法的 id、名称或别名，且不重复",
        "related": "每一项须是库中已有故事的 id 或旧标识，且不是本故事自己",
        "region": "同一地方在全库只用一种写法；反面典型须匿名（某某），地区不低于地市级",
        "reviewed_by": "审核人不能是作者本人",
    },
    "lesson": {
        "id": "id 和旧标识（aliases）在全库故事与课程中唯一",
        "aliases": "旧标识不能与任何故事或课程的 id、旧标识重复",
        "methods": "每一项须是 methods/ 中已有方法的 id、名称或别名，且不重复",
        "stories": "每一项须是库中已有故事的 id 或旧标识，且不重复；已发布的课程只能引用已发布或已撤回的故事",
    },
    "method": {
        "id": "方法的 id、名称和别名在所有方法中唯一",
        "name": "方法的 id、名称和别名在所有方法中唯一",
        "aliases": "方法的 id、名称和别名在所有方法中唯一",
    },
}
_CHECK_ONLY_FILE = (
    "另有只能由 exemplars check 检查的规则：文件头任何字段和正文都不得含身份证号或手机号（全角数字也算）；"
    "正文不得含脚本、嵌入框架和 javascript: 链接，链接和 [[story:…]] 引用须指向存在的内容；"
    "送审（review）或已发布（published）的正文不能为空；不带引号的值在“ #”处被截断成注释时给出警告。"
)


def json_schema(contract: Contract, method_refs: list[str] | None = None) -> dict:
    """The contract as JSON Schema (draft 2020-12). With `method_refs`, methods are an enum for autocompletion."""
    schema = mapping_json_schema(contract.fields, contract.draft_aware)
    if contract is STORY:
        # check.py's review rule (E-REVIEW-MISSING): a published story names its reviewer.
        schema.setdefault("allOf", []).append(
            {
                "if": {"properties": {"status": {"const": "published"}}, "required": ["status"]},
                "then": {"required": ["reviewed_by"]},
            }
        )
    for name, rule in CHECK_ONLY_RULES.get(contract.name, {}).items():
        prop = schema["properties"][name]
        prop["description"] = f"{prop['description']}{rule}{_CHECK_ONLY_NOTE}"
    if method_refs and "methods" in schema["properties"]:
        methods = dict(schema["properties"]["methods"])
        methods["items"] = {"enum": sorted(method_refs)}
        schema["properties"]["methods"] = methods
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://exemplars.invalid/schema/{contract.name}.json",
        "title": f"典型示范故事库：{contract.title}",
        "description": _CHECK_ONLY_FILE,
        **schema,
    }


def markdown_table(contract: Contract) -> str:
    """The editors' field table, for the README and the contribution guide."""
    rows = ["| 字段 | 名称 | 必填 | 取值 | 说明 | 示例 |", "|---|---|---|---|---|---|"]
    for f in contract.fields:
        required = ("必填（草稿可暂缺）" if f.content and contract.draft_aware else "必填") if f.required else "可选"
        cells = [html.escape(text, quote=False).replace("|", "&#124;") for text in (f.label, f.type.label, f.help)]
        rows.append(f"| `{f.name}` | {cells[0]} | {required} | {cells[1]} | {cells[2]} | `{f.example}` |")
    return "\n".join(rows)
