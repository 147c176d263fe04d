"""Feeds, the stories.json catalogue and QR codes, built from the fixture library and read back by real readers:
feedparser for the feeds, check-jsonschema and jsonschema for the catalogue, zbarimg for the QR codes."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path
from urllib.parse import urlparse
from xml.etree import ElementTree

import feedgen.entry
import feedgen.feed
import feedparser
import jsonschema
import pytest
from conftest import REPO

from exemplars.library import load_library
from exemplars.site import catalogue as cat
from exemplars.site.catalogue import SiteUrlError, catalogue, catalogue_schema, write_catalogue, write_schema
from exemplars.site.feeds import write_feeds
from exemplars.site.qr import qr_matrix, qr_svg, write_qr

SITE = "https://exemplars.example.org/"
NEWEST_FIRST = ["hezuo-tiaojie-2021", "jieliu-2019", "qingshi-yishihui-2019"]  # the draft is not public
BY_METHOD = {
    "jiaoyu-shudao": ["hezuo-tiaojie-2021", "jieliu-2019"],
    "minzhu-xieshang": ["qingshi-yishihui-2019"],  # the draft also names this method
    "weimin-mouli": ["jieliu-2019", "qingshi-yishihui-2019"],
}
METHOD_NAMES = {"jiaoyu-shudao": "教育疏导法", "minzhu-xieshang": "民主协商法", "weimin-mouli": "为民谋利法"}
KIND_LABELS = {"hezuo-tiaojie-2021": "正面典型", "jieliu-2019": "反面典型", "qingshi-yishihui-2019": "正面典型"}
REVISED_STORY = """---
id: xiuding-2020
title: 修订过的故事
kind: cautionary
methods: [民主协商法]
summary: 一个后来修订过的故事。
region: 浙江省/杭州市
date: 2020-01-01
updated: 2022-01-05
status: published
published: 2020-02-01
aliases: [old-xiuding]
sources:
  - title: 虚构示例：测试用故事
---
## 问题

正文。
"""
EMPTY_METHOD = """---
id: kongbai-fa
name: 空白法
order: 9
summary: 还没有故事的方法。
---
## 是什么

说明。
"""
FEED_FILES = ("feed.atom.xml", "feed.rss.xml")


def story_url(story_id: str) -> str:
    return f"{SITE}stories/{story_id}/"


def url_id(url: str) -> str:
    match = re.fullmatch(re.escape(SITE) + r"stories/([a-z0-9-]+)/", url)
    assert match, f"not an absolute story URL: {url}"
    return match.group(1)


@pytest.fixture
def library(library_copy):
    return load_library(library_copy())


@pytest.fixture
def out(tmp_path) -> Path:
    """Where the feeds go: nothing else in it (the library copy lives beside it)."""
    return tmp_path / "out"


def parse(path: Path):
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, f"{path}: {feed.get('bozo_exception')}"
    return feed


# --- feeds ---------------------------------------------------------------------------------------------------
def test_write_feeds_returns_every_file_it_wrote(library, out):
    written = write_feeds(library, out, SITE)
    expected = {out / name for name in FEED_FILES}
    expected |= {out / "methods" / m / name for m in BY_METHOD for name in FEED_FILES}
    assert set(written) == expected and len(written) == len(expected)
    assert {p for p in out.rglob("*") if p.is_file()} == expected


@pytest.mark.parametrize("name", FEED_FILES)
def test_site_feed_lists_published_stories_newest_first(library, out, name):
    write_feeds(library, out, SITE)
    feed = parse(out / name)
    assert feed.version == ("atom10" if "atom" in name else "rss20")
    assert feed.feed.title == "典型示范故事库"
    assert feed.feed.language == "zh-CN"
    assert feed.feed.link == SITE
    self_links = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_links == [SITE + name]
    assert [url_id(e.link) for e in feed.entries] == NEWEST_FIRST
    assert [e.id for e in feed.entries] == [story_url(i) for i in NEWEST_FIRST]
    for entry in feed.entries:
        assert urlparse(entry.link).scheme == "https" and urlparse(entry.link).netloc == "exemplars.example.org"
    first = feed.entries[0]
    assert first.title == "老支书调解宅基地纠纷"
    assert first.summary == "老支书三次上门，化解了兄弟俩的宅基地纠纷。"
    # 2021-03-02 at midnight Beijing time is 16:00 UTC the day before
    assert tuple(first.published_parsed[:5]) == (2021, 3, 1, 16, 0)
    terms = {url_id(e.link): [t.term for t in e.tags] for e in feed.entries}
    assert terms["jieliu-2019"] == ["为民谋利法", "教育疏导法", "反面典型"]
    assert terms["qingshi-yishihui-2019"] == ["民主协商法", "为民谋利法", "正面典型"]
    # the feed's date is the newest story's, never the build time
    assert tuple(feed.feed.updated_parsed[:5]) == (2021, 3, 1, 16, 0)


@pytest.mark.parametrize("name", FEED_FILES)
@pytest.mark.parametrize("method_id", sorted(BY_METHOD))
def test_method_feed_lists_only_that_methods_stories(library, out, name, method_id):
    write_feeds(library, out, SITE)
    feed = parse(out / "methods" / method_id / name)
    assert feed.feed.title == f"典型示范故事库 · {METHOD_NAMES[method_id]}"
    assert feed.feed.link == f"{SITE}methods/{method_id}/"
    assert [url_id(e.link) for e in feed.entries] == BY_METHOD[method_id]
    for entry in feed.entries:
        assert METHOD_NAMES[method_id] in [t.term for t in entry.tags]
        assert KIND_LABELS[url_id(entry.link)] in [t.term for t in entry.tags]


def test_limit_keeps_the_newest(library, out):
    write_feeds(library, out, SITE, limit=1)
    assert [url_id(e.link) for e in parse(out / "feed.atom.xml").entries] == ["hezuo-tiaojie-2021"]
    assert [url_id(e.link) for e in parse(out / "methods/weimin-mouli/feed.rss.xml").entries] == ["jieliu-2019"]


def test_updated_argument_dates_every_feed(library, out):
    write_feeds(library, out, SITE, updated=dt.date(2024, 5, 6))
    for path in out.rglob("feed.*.xml"):
        assert tuple(parse(path).feed.updated_parsed[:4]) == (2024, 5, 5, 16), path


def test_revised_story_dates_its_entry_and_the_feed(library_copy, out):
    library = load_library(library_copy({"stories/zhejiang/xiuding-2020.md": REVISED_STORY}))
    write_feeds(library, out, SITE)
    feed = parse(out / "methods/minzhu-xieshang/feed.atom.xml")
    assert [url_id(e.link) for e in feed.entries] == ["xiuding-2020", "qingshi-yishihui-2019"]
    revised = feed.entries[0]
    assert tuple(revised.published_parsed[:3]) == (2020, 1, 31)  # when it went up on the site
    assert tuple(revised.updated_parsed[:3]) == (2022, 1, 4)
    assert tuple(feed.feed.updated_parsed[:3]) == (2022, 1, 4)  # a revision is news, though the story is older
    site = parse(out / "feed.rss.xml")
    # ordered by publication (hezuo-tiaojie-2021 was published 2021-03-02): the revision does not move it up
    assert [url_id(e.link) for e in site.entries] == [
        "hezuo-tiaojie-2021",
        "xiuding-2020",
        "jieliu-2019",
        "qingshi-yishihui-2019",
    ]
    assert tuple(site.feed.updated_parsed[:3]) == (2022, 1, 4)


def test_method_without_stories_gets_valid_empty_feeds(library_copy, out):
    library = load_library(library_copy({"methods/kongbai-fa.md": EMPTY_METHOD}))
    write_feeds(library, out, SITE)
    for name in FEED_FILES:
        feed = parse(out / "methods/kongbai-fa" / name)
        assert feed.entries == []
        assert feed.feed.title == "典型示范故事库 · 空白法"
        assert tuple(feed.feed.updated_parsed[:3]) == (2021, 3, 1)  # the site's newest story, not the clock


class _AnyDatetime(type):
    def __instancecheck__(cls, obj) -> bool:  # feedgen type-checks dates against its (patched) `datetime`
        return isinstance(obj, dt.datetime)


def _frozen_clock(year: int):
    class Frozen(dt.datetime, metaclass=_AnyDatetime):
        @classmethod
        def now(cls, tz=None):
            return dt.datetime(year, 7, 7, 7, 7, 7, tzinfo=tz or dt.timezone.utc)

    return Frozen


def test_feeds_are_byte_identical_whatever_the_clock(library, out, monkeypatch):
    outputs = []
    for year in (2098, 2099):
        monkeypatch.setattr(feedgen.feed, "datetime", _frozen_clock(year))
        monkeypatch.setattr(feedgen.entry, "datetime", _frozen_clock(year))
        target = out / str(year)
        write_feeds(library, target, SITE)
        files = {p.relative_to(target): p.read_bytes() for p in sorted(target.rglob("*")) if p.is_file()}
        for path, data in files.items():
            assert str(year).encode() not in data, f"{path} carries the wall clock"
        assert len(files) == 8
        outputs.append(files)
    assert outputs[0] == outputs[1]


def test_feeds_need_an_absolute_site_url(library, out):
    for bad in ("", None, "/", "exemplars.example.org"):
        with pytest.raises(SiteUrlError) as caught:
            write_feeds(library, out, bad)
        assert "mkdocs.yml" in str(caught.value) and "site_url" in str(caught.value)
    assert not out.exists()  # nothing half-written
    written = write_feeds(library, out, "https://exemplars.example.org/sub")  # trailing slash added
    assert parse(written[0]).entries[0].link == "https://exemplars.example.org/sub/stories/hezuo-tiaojie-2021/"


# --- catalogue -----------------------------------------------------------------------------------------------
def check_jsonschema_exe() -> str:
    for folder in (REPO / ".venv" / "bin", Path(sys.executable).parent):
        found = shutil.which("check-jsonschema", path=str(folder))
        if found:
            return found
    pytest.fail("找不到 check-jsonschema：运行 make setup 安装测试依赖")


def test_catalogue_lists_exactly_the_published_stories(library):
    data = catalogue(library, SITE)
    assert data["version"] == 1
    assert [s["id"] for s in data["stories"]] == NEWEST_FIRST
    assert data["generated_from"]["story_count"] == 3
    assert data["generated_from"]["site_url"] == SITE
    assert data["updated"] == "2021-03-02"
    by_id = {s["id"]: s for s in data["stories"]}
    jieliu = by_id["jieliu-2019"]
    assert jieliu["kind"] == "cautionary" and jieliu["kind_label"] == "反面典型"
    assert jieliu["methods"] == ["weimin-mouli", "jiaoyu-shudao"]
    assert jieliu["method_names"] == ["为民谋利法", "教育疏导法"]
    assert jieliu["region"] == ["河南省", "南阳市"]
    assert jieliu["date"] == "2019-09-10" and jieliu["updated"] is None
    assert jieliu["url"] == story_url("jieliu-2019")
    assert by_id["hezuo-tiaojie-2021"]["aliases"] == ["laozhishu-2021"]
    qingshi = by_id["qingshi-yishihui-2019"]
    assert qingshi["methods"] == ["minzhu-xieshang", "weimin-mouli"]  # spelled 为民谋利法 in the file
    assert qingshi["domains"] == ["环境"] and qingshi["tags"] == ["垃圾分类"]
    assert [f.name for f in cat.FIELDS] == list(jieliu)  # the documented order is the written order


def test_catalogue_file_validates_with_check_jsonschema(library, tmp_path):
    data_path = write_catalogue(library, tmp_path / "site", SITE)
    assert data_path == tmp_path / "site" / "stories.json"
    schema_path = write_schema(tmp_path / "site" / "stories.schema.json")
    exe = check_jsonschema_exe()
    for schema in (schema_path, cat.SCHEMA_FILE):
        result = subprocess.run([exe, "--schemafile", str(schema), str(data_path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
    result = subprocess.run([exe, "--check-metaschema", str(schema_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads(data_path.read_text(encoding="utf-8"))
    assert [s["id"] for s in data["stories"]] == NEWEST_FIRST


def test_check_jsonschema_rejects_a_broken_catalogue(library, tmp_path):
    data = catalogue(library, SITE)
    data["stories"][0]["url"] = "stories/hezuo-tiaojie-2021/"
    broken = tmp_path / "stories.json"
    broken.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = subprocess.run(
        [check_jsonschema_exe(), "--schemafile", str(cat.SCHEMA_FILE), str(broken)], capture_output=True, text=True
    )
    assert result.returncode == 1, result.stdout


def validator() -> jsonschema.Draft202012Validator:
    schema = catalogue_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def test_catalogue_validates_in_process(library_copy):
    library = load_library(library_copy({"stories/zhejiang/xiuding-2020.md": REVISED_STORY}))
    data = catalogue(library, SITE)
    validator().validate(data)
    revised = next(s for s in data["stories"] if s["id"] == "xiuding-2020")
    assert revised["updated"] == "2022-01-05" and revised["aliases"] == ["old-xiuding"]
    assert data["updated"] == "2022-01-05"


@pytest.mark.parametrize(
    "breakage",
    [
        lambda d: d["stories"][0].pop("url"),
        lambda d: d["stories"][0].update(date="2021-3-2"),
        lambda d: d["stories"][0].update(kind="hero"),
        lambda d: d["stories"][0].update(kind_label="典型"),
        lambda d: d["stories"][0].update(methods=[]),
        lambda d: d["stories"][0].update(extra=1),
        lambda d: d["stories"][0].update(url="/stories/x/"),
        lambda d: d.update(version=2),
        lambda d: d["generated_from"].update(digest="abc"),
        lambda d: d.pop("generated_from"),
    ],
    ids=[
        "no-url",
        "bad-date",
        "bad-kind",
        "bad-label",
        "no-methods",
        "unknown-field",
        "relative-url",
        "version",
        "digest",
        "no-generated-from",
    ],
)
def test_schema_rejects_broken_catalogues(library, breakage):
    data = catalogue(library, SITE)
    breakage(data)
    assert list(validator().iter_errors(data)), "the schema accepted a broken catalogue"


def test_catalogue_is_deterministic_and_its_digest_tracks_content(library_copy, tmp_path):
    root = library_copy()
    first = write_catalogue(load_library(root), tmp_path / "a", SITE).read_bytes()
    second = write_catalogue(load_library(root), tmp_path / "b", SITE).read_bytes()
    assert first == second
    digest = json.loads(first)["generated_from"]["digest"]
    changed = load_library(library_copy({"stories/zhejiang/xiuding-2020.md": REVISED_STORY}))
    assert catalogue(changed, SITE)["generated_from"]["digest"] != digest
    assert catalogue(load_library(root), "https://other.example.org/")["generated_from"]["digest"] != digest


def test_checked_in_schema_is_current():
    assert cat.SCHEMA_FILE.read_text(encoding="utf-8") == cat.schema_text(), (
        "stories.schema.json 已过时：运行 .venv/bin/python -m exemplars.site.catalogue 重新生成"
    )


def test_docs_page_documents_every_field_and_its_example_is_valid():
    text = (REPO / "docs" / "catalogue.md").read_text(encoding="utf-8")
    front = re.match(r"---\n(.*?)\n---\n", text, re.S)
    assert (
        front
        and re.search(r"^title: \S", front.group(1), re.M)
        and re.search(r"^description: \S", front.group(1), re.M)
    )
    stale = "docs/catalogue.md 的字段表已过时：运行 .venv/bin/python -m exemplars.site.catalogue，把打印的表贴回去"
    assert cat.markdown_table(cat.TOP_FIELDS) in text, stale
    assert cat.markdown_table(cat.FIELDS) in text, stale
    for field in (*cat.TOP_FIELDS, *cat.FIELDS):
        assert f"| `{field.name}` |" in text
    example = json.loads(re.search(r"```json\n(.*?)\n```", text, re.S).group(1))
    validator().validate(example)
    canonical = json.dumps(example["stories"], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert example["generated_from"]["digest"] == "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


# --- QR codes ------------------------------------------------------------------------------------------------
QR_URL = SITE + "stories/qingshi-yishihui-2019/"
SVG_NS = "{http://www.w3.org/2000/svg}"


def svg_matrix(svg: str) -> list[list[int]]:
    """The module matrix drawn by the SVG's dark path (horizontal strokes of width 1, absolute or relative moves)."""
    root = ElementTree.fromstring(svg)
    size = int(root.get("viewBox").split()[2])
    (dark,) = [p for p in root.iter(SVG_NS + "path") if p.get("stroke")]
    assert dark.get("transform") is None
    grid = [[0] * size for _ in range(size)]
    x = y = 0.0
    for command, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", dark.get("d")):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            for column in range(int(x), int(x + float(a))):
                grid[int(y - 0.5)][column] = 1
            x += float(a)
    return grid


def png_of(matrix: list[list[int]], scale: int = 6) -> bytes:
    """A grayscale PNG of a module matrix, written by hand so the decoder sees the SVG's own modules."""
    rows = b"".join(
        b"\x00" + bytes(0 if cell else 255 for cell in row for _ in range(scale))
        for row in matrix
        for _ in range(scale)
    )
    width = height = len(matrix) * scale

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def zbarimg(png: Path) -> str:
    exe = shutil.which("zbarimg") or ("/usr/bin/zbarimg" if os.access("/usr/bin/zbarimg", os.X_OK) else None)
    if exe is None:
        message = "找不到 zbarimg，无法解码二维码：sudo apt-get install zbar-tools"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true：二维码测试不能跳过。{message}", pytrace=False)
        pytest.skip(message)
    result = subprocess.run([exe, "--raw", "-q", str(png)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_qr_svg_is_inline_titled_and_deterministic():
    url = SITE + "stories/x-2020/?from=print&lang=zh"
    svg = qr_svg(url)
    assert svg == qr_svg(url)
    assert svg.startswith("<svg ") and "<?xml" not in svg
    root = ElementTree.fromstring(svg)
    assert root.tag == SVG_NS + "svg"
    assert root.find(SVG_NS + "title").text == url  # escaped in the markup, the URL itself once parsed
    assert "&amp;lang" in svg
    assert root.get("width").endswith("mm") and root.get("viewBox")


def test_qr_svg_draws_the_symbol_and_decodes_to_the_url(tmp_path):
    matrix = [list(row) for row in qr_matrix(QR_URL)]
    assert len(matrix) == 33 and all(len(row) == 33 for row in matrix)  # version 4 at level M
    border = 4
    expected = [[0] * (len(matrix) + 2 * border) for _ in range(border)]
    expected += [[0] * border + row + [0] * border for row in matrix]
    expected += [[0] * (len(matrix) + 2 * border) for _ in range(border)]
    drawn = svg_matrix(qr_svg(QR_URL))
    assert drawn == expected

    assert error_correction_level(matrix) == "M"

    # The drawn modules, rasterised, decode to the URL with zbar, a decoder independent of the encoder.
    from_svg = tmp_path / "svg.png"
    from_svg.write_bytes(png_of(drawn))
    assert zbarimg(from_svg) == QR_URL


def error_correction_level(matrix: list[list[int]]) -> str:
    """The level written in the symbol's format information (the copy beside the top-left finder, ISO 18004
    7.9): its 15 bits unmasked, checked against their BCH code, the top two bits naming the level."""
    cells = [(row, 8) for row in range(6)] + [(7, 8), (8, 8), (8, 7)] + [(8, col) for col in range(5, -1, -1)]
    value = sum(matrix[row][col] << bit for bit, (row, col) in enumerate(cells)) ^ 0x5412
    data, remainder = value >> 10, value >> 10
    for _ in range(10):
        remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537)
    assert value == data << 10 | remainder, "format information fails its BCH check"
    return {1: "L", 0: "M", 3: "Q", 2: "H"}[data >> 3]


def test_write_qr_writes_a_standalone_svg(tmp_path):
    path = write_qr(QR_URL, tmp_path / "stories" / "x" / "qr.svg")
    data = path.read_bytes()
    assert data == qr_svg(QR_URL).encode("utf-8") + b"\n"
    assert ElementTree.parse(io.BytesIO(data)).getroot().tag == SVG_NS + "svg"
    assert svg_matrix(data.decode()) == svg_matrix(qr_svg(QR_URL))
