"""Personal numbers everywhere a reader can see: every front-matter field and the body of a story, a lesson and a
method; half- and full-width ID-card and mobile numbers.

`check` (the real CLI) reports each one on its field's line, one field at a time; the public build refuses a
library holding them; a preview build, which goes on despite errors, writes none of them anywhere — pages,
listings, feeds, stories.json, the sitemap, the Pagefind bundle (fragments decoded).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli
from mkdocs.exceptions import Abort
from sitebuild import build_site, search_fragments

_FULL = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(seq: int) -> str:
    """A valid resident ID number (real date, right check digit), different for every `seq`."""
    born = dt.date(1950, 1, 1) + dt.timedelta(days=seq * 211)
    base = f"3301{seq % 100:02d}{born:%Y%m%d}{seq % 1000:03d}"
    return base + "10X98765432"[sum(int(d) * w for d, w in zip(base, _ID_WEIGHTS)) % 11]


def mobile_number(seq: int) -> str:
    return f"1{3 + seq % 7}{(seq * 7919 + 12345) % 10**9:09d}"


def full_width(number: str) -> str:
    return number.translate(_FULL)


# --- the files, one marker per reader-visible field ----------------------------------------------------------
STORY = """---
id: {id}
title: {title}
kind: exemplar
methods: [minzhu-xieshang]
summary: {summary}
region: {region}
date: 2020-05-01
status: published
domains:
  - 治理
  - {domains}
tags:
  - 议事
  - {tags}
aliases:
  - {aliases}
cover: {cover}
author: {author}
reviewed_by: {reviewed_by}
sources:
  - title: {source_title}
    url: {source_url}
    date: 2020-05-02
---
## 经过

村里开了三次议事会。

{body}
"""

LESSON = """---
id: {id}
title: {title}
audience: {audience}
duration: 45
methods: [minzhu-xieshang]
stories:
  - qingshi-yishihui-2019
objectives:
  - 能说出议事会的步骤
  - {objectives}
questions:
  - {questions}
status: published
summary: {summary}
author: {author}
aliases:
  - {aliases}
---
## 课程流程

[[story:qingshi-yishihui-2019]]

{body}
"""

METHOD = """---
id: {id}
name: {name}
order: {order}
summary: {summary}
aliases:
  - {aliases}
---
## 是什么

先听群众怎么说。

{body}
"""

TEMPLATES = {"story": STORY, "lesson": LESSON, "method": METHOD}
FOLDERS = {"story": "stories/privacy", "lesson": "lessons", "method": "methods"}
SLUG_FIELDS = {"id", "aliases"}  # the number goes in as a slug part: these become URLs


def is_slug(kind: str, field: str) -> bool:
    return field == "id" or (field == "aliases" and kind != "method")  # a method's aliases are names


def clean_values(kind: str, variant: str) -> dict[str, str]:
    """Harmless values for every marker; `variant` keeps ids, names and orders apart between files."""
    n = VARIANTS.index(variant)
    return {
        "id": f"privacy-{kind}-{variant}",
        "title": "隐私测试标题",
        "summary": "一段用来测试个人信息检查的摘要。",
        "region": "浙江省/湖州市",
        "domains": "环境",
        "tags": "测试",
        "aliases": f"privacy-old-{kind}-{variant}",
        "cover": "images/cover.jpg",
        "author": "林晓",
        "reviewed_by": "周文澜",
        "source_title": "测试来源",
        "source_url": "https://example.org/source",
        "body": "大家都同意了。",
        "audience": "村干部",
        "objectives": "能组织一次议事会",
        "questions": "怎样让每户都来？",
        "name": f"隐私测试法{n}",
        "order": str(90 + n),
    }


def with_number(field: str, number: str) -> str:
    """A field's value carrying `number`, written as an editor might."""
    if field in SLUG_FIELDS:
        return f"p-{number.lower()}"
    return {
        "region": f"浙江省/湖州市/{number}村",
        "cover": f"images/{number}.jpg",
        "source_url": f"https://example.org/{number}",
        "body": f"联系电话：{number}。",
        "name": f"法{number}",
    }.get(field, f"联系人{number}")


def fields_of(kind: str) -> list[str]:
    template = TEMPLATES[kind]
    return [
        line.split("{", 1)[1].split("}", 1)[0]
        for line in template.splitlines()
        if "{" in line and "}" in line and "[[" not in line and line.split("{", 1)[1].split("}", 1)[0] != "order"
    ]


def line_of(kind: str, field: str) -> int:
    return next(n for n, line in enumerate(TEMPLATES[kind].splitlines(), 1) if "{" + field + "}" in line)


VARIANTS = ("idcard-half", "idcard-full", "mobile-half", "mobile-full")
CODES = {"idcard": "E-PII-IDCARD", "mobile": "E-PII-MOBILE"}
# Checked like every field, but no page shows them today: their preview cases can only prove the absence.
NOT_SHOWN = {("story", "author"), ("story", "reviewed_by"), ("story", "cover"), ("method", "aliases")}


@dataclass(frozen=True)
class Case:
    kind: str  # story, lesson, method
    field: str
    variant: str  # e.g. mobile-full
    number: str  # as written in the file (half or full width)

    @property
    def code(self) -> str:
        return CODES[self.variant.split("-")[0]]

    @property
    def digits(self) -> str:
        return self.number.translate({ord(f): h for h, f in zip("0123456789X", "０１２３４５６７８９Ｘ")})

    @property
    def path(self) -> str:
        return f"{FOLDERS[self.kind]}/privacy-{self.kind}-{self.variant}.md"

    @property
    def id(self) -> str:
        return f"{self.kind}-{self.field}-{self.variant}"


def _cases() -> list[Case]:
    cases, seq = [], 1
    for kind in TEMPLATES:
        for field in fields_of(kind):
            for variant in VARIANTS:
                what, width = variant.split("-")
                number = id_number(seq) if what == "idcard" else mobile_number(seq)
                if width == "full":
                    number = full_width(number)
                cases.append(Case(kind, field, variant, number))
                seq += 1
    return cases


CASES = _cases()


def write_file(root: Path, kind: str, variant: str, numbered: dict[str, str]) -> Path:
    values = clean_values(kind, variant)
    values.update({field: with_number(field, number) for field, number in numbered.items()})
    path = root / FOLDERS[kind] / f"privacy-{kind}-{variant}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TEMPLATES[kind].format(**values), encoding="utf-8")
    return path


def fresh_library(root: Path) -> Path:
    shutil.copytree(FIXTURES / "library", root)
    # The clean `cover` value names a real image: the checker opens every cover (exemplars.media).
    from PIL import Image

    (root / "images").mkdir()
    Image.new("RGB", (320, 200), (90, 140, 200)).save(root / "images" / "cover.jpg", "JPEG")
    return root


# --- check: one field at a time --------------------------------------------------------------------------------


def test_the_files_are_clean_without_a_number(tmp_path):
    """Without numbers the test files pass: every error below comes from the number alone."""
    root = fresh_library(tmp_path / "lib")
    for kind in TEMPLATES:
        for variant in VARIANTS:
            write_file(root, kind, variant, {})
    result = run_cli("check", "--format", "json", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_check_reports_the_number_on_its_field_line(tmp_path, case):
    root = fresh_library(tmp_path / "lib")
    write_file(root, case.kind, case.variant, {case.field: case.number})
    result = run_cli("check", "--format", "json", cwd=root)
    assert result.returncode != 0, result.stdout
    found = [(d["path"], d["line"], d["code"]) for d in json.loads(result.stdout) if d["code"].startswith("E-PII")]
    assert found == [(case.path, line_of(case.kind, case.field), case.code)], result.stdout
    assert case.digits not in result.stdout and case.number not in result.stdout  # messages mask the number


# --- builds of a library holding every case at once ------------------------------------------------------------


def loaded_library(root: Path, cases: list[Case]) -> Path:
    fresh_library(root)
    by_file: dict[tuple[str, str], dict[str, str]] = {}
    for case in cases:
        by_file.setdefault((case.kind, case.variant), {})[case.field] = case.number
    for (kind, variant), numbered in by_file.items():
        write_file(root, kind, variant, numbered)
    return root


def buildable(case: Case) -> bool:
    """A full-width number makes an id invalid, so that file would not be built at all: the builds use only
    half-width numbers in ids (the check above covers the full-width ones)."""
    return not (is_slug(case.kind, case.field) and case.number != case.digits)


BUILT = [case for case in CASES if buildable(case)]


@pytest.mark.parametrize("kind", list(TEMPLATES))
def test_the_public_build_refuses_and_names_every_field(tmp_path, kind):
    cases = [case for case in BUILT if case.kind == kind and case.variant in ("idcard-full", "mobile-half")]
    root = loaded_library(tmp_path / "lib", cases)
    with pytest.raises(Abort) as refused:
        build_site(root, tmp_path / "site", search=False)
    message = str(refused.value)
    assert "已停止构建" in message
    for case in cases:
        assert f"{case.path}:{line_of(case.kind, case.field)}: 错误 {case.code}" in message, case.id
        assert case.digits not in message and case.number not in message
    assert not (tmp_path / "site" / "stories").exists()


def output_texts(site: Path) -> dict[str, str]:
    """Every output file as text: gzip files (sitemap.xml.gz, Pagefind's fragments and index) decompressed, Word
    files (.docx, a zip of XML parts) unpacked."""
    texts = {}
    for file in sorted(site.rglob("*")):
        if file.is_file():
            data = file.read_bytes()
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            if file.suffix == ".docx":
                with zipfile.ZipFile(file) as package:
                    data = b"\n".join(package.read(name) for name in package.namelist() if name.endswith(".xml"))
            texts[file.relative_to(site).as_posix()] = data.decode("utf-8", errors="replace")
    return texts


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    base = tmp_path_factory.mktemp("privacy-preview")
    root = loaded_library(base / "lib", BUILT)
    # two pages a search shard: the stories are indexed in several shards, merged into the site's bundle
    site = build_site(root, base / "site", preview=True, strict=False, story_docx=True, search_shard_size=2)
    return site, output_texts(site)


def test_the_preview_writes_every_kind_of_output(preview):
    """The outputs the cases below search: pages, listings, feeds, stories.json, sitemap, Pagefind fragments."""
    site, texts = preview
    for name in (
        "index.html",
        "stories.json",
        "sitemap.xml",
        "sitemap.xml.gz",
        "feed.atom.xml",
        "feed.rss.xml",
        "handout.docx",
        "story.docx",
    ):
        assert any(path == name or path.endswith("/" + name) for path in texts), name
    fragments = [path for path in texts if path.startswith("pagefind/fragment/")]
    assert sorted(fragments) == sorted(search_fragments(site))
    assert fragments and all(json.loads(texts[p][texts[p].index("{") :]) for p in fragments)
    for kind in ("story", "lesson", "method"):
        assert any(f"privacy-{kind}-" in texts[path] for path in fragments), kind
    assert "stories/p-330" in texts["sitemap.xml"] and "stories/p-1" in texts["sitemap.xml"]  # masked ids are pages


@pytest.mark.parametrize("case", BUILT, ids=lambda c: c.id)
def test_the_preview_masks_the_number_in_every_output(preview, case):
    _, texts = preview
    leaks = [
        path
        for path, text in texts.items()
        if any(number in text or number in path for number in (case.digits, full_width(case.digits)))
    ]
    assert leaks == []
    if (case.kind, case.field) not in NOT_SHOWN:  # the field is published, masked, not dropped
        masked = case.digits[:3] + "*" * (len(case.digits) - 7) + case.digits[-4:]
        if is_slug(case.kind, case.field):  # URLs: masked with x, still valid slugs
            masked = masked.replace("*", "x").lower()
        # As written around the number: the preview's problem lists quote the bare masked number, not the field.
        written = with_number(case.field, masked).split("/")[-1]
        shown = [path for path, text in texts.items() if written in text or written in path]
        assert shown, f"{case.id}: the masked number is nowhere in the output"


def test_a_number_in_code_is_reported_on_its_line():
    """Markdown shows code as escaped text, still readable: unlike markup, numbers are looked for there too."""
    from exemplars.body_rules import scan_body

    body = "## 做法\n\n示例：`138 1234 5678`。\n\n```text\n身份证 11010519491231002X\n```\n"
    assert [(code, line) for code, line, _ in scan_body(body, 20)] == [("E-PII-MOBILE", 22), ("E-PII-IDCARD", 25)]


def test_a_file_named_after_a_numbered_id(tmp_path):
    """Files are usually named after their id; the name shows in the page's edit link and the preview's problem
    lists, so it is checked too (line 1), and masked in the preview like the id."""
    number = mobile_number(999)
    root = fresh_library(tmp_path / "lib")
    path = root / "stories" / "privacy" / f"p-{number}.md"
    path.parent.mkdir(parents=True)
    path.write_text(STORY.format(**{**clean_values("story", VARIANTS[0]), "id": f"p-{number}"}), encoding="utf-8")
    result = run_cli("check", "--format", "json", cwd=root)
    found = [(d["line"], d["code"], d["message"]) for d in json.loads(result.stdout) if d["code"].startswith("E-PII")]
    assert [(line, code) for line, code, _ in found] == [(1, "E-PII-MOBILE"), (2, "E-PII-MOBILE")]
    assert found[0][2].startswith("文件名") and number not in found[0][2]
    site = build_site(root, tmp_path / "site", preview=True, strict=False)
    texts = output_texts(site)
    assert [p for p, text in texts.items() if number in text or number in p] == []
    masked = number[:3] + "****" + number[-4:]
    page = texts[f"stories/p-{masked.replace('*', 'x')}/index.html"]
    assert f"stories/privacy/p-{masked}.md" in page  # the edit link, masked like the path


def test_a_number_wrapped_in_the_body_is_reported_where_it_starts():
    from exemplars.body_rules import scan_body

    body = "## 做法\n\n联系电话 138 5711\n2345，随时可打。\n"
    assert [(code, line, args["value"]) for code, line, args in scan_body(body, 20)] == [
        ("E-PII-MOBILE", 22, "138****2345")
    ]


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_masked_title_reaches_every_kind_of_output(preview, variant):
    """The stories are published, so their titles reach the feeds, stories.json, listings and search: masked."""
    _, texts = preview
    case = next(c for c in BUILT if (c.kind, c.field, c.variant) == ("story", "title", variant))
    title = with_number("title", case.digits[:3] + "*" * (len(case.digits) - 7) + case.digits[-4:])
    for name in ("stories.json", "feed.atom.xml", "feed.rss.xml", "browse/year/2020/index.html"):
        assert title in texts[name], name
    assert any(title in text for path, text in texts.items() if path.startswith("pagefind/fragment/"))
    assert any(title in text for path, text in texts.items() if path.endswith("/story.docx"))
