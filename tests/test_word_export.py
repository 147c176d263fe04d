"""Word out: every lesson's handout as an editable .docx next to the lesson page (linked from the lesson and handout
pages), and opt-in one .docx per story. Built for real (MkDocs + the exemplars plugin) and opened with python-docx:
A4, Chinese fonts as East Asian fonts, the lesson header, flow, every cited story with its facts, sources, URL and a
QR code that decodes to that URL, the discussion questions; same bytes on a rebuild; a story's own file only when
`story_docx: true`. The HTML → Word converter is tested on its own for the general cases."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import FIXTURES, REPO
from docx.opc.packuri import PackURI
from docx.opc.pkgwriter import PackageWriter
from docx.oxml.ns import qn
from lxml import etree
from sitebuild import build_site, resolve_link, soup_of
from test_feeds_catalogue_qr import zbarimg

from exemplars.site.word import (
    COMPRESS_LEVEL,
    ZIP_TIME,
    DocxJob,
    HandoutPart,
    HtmlToDocx,
    StoryPart,
    _add,
    _deflate,
    _FixedTimeZip,
    _run,
    handout_docx,
    qr_png,
    story_docx,
    write_docx_files,
)

SITE = "https://exemplars.example.org/"
RICH_ID = "biaoge-2022"
RICH_STORY = f"""---
id: {RICH_ID}
title: 带表格的议事记录
kind: exemplar
methods: [minzhu-xieshang]
summary: 议事会把三种方案列成表，请村民逐项打分。
region: 浙江省/湖州市/安吉县
date: 2022-04-05
updated: 2022-06-07
status: published
sources:
  - title: 虚构示例：测试用故事
    url: https://example.org/source
    date: 2022-04-06
reviewed_by: 周文澜
---
## 做法

村里先**把方案摆出来**，再请大家*逐项*打分。

- 晒场上开会
- 会后张榜公示
    - 张榜七天

1. 先听意见
2. 再定方案

> 群众的事，群众商量着办。

| 方案 | 得分 |
| --- | --- |
| 甲方案 | 87 |
| 乙方案 | 64 |

### 结果

乙方案被否决。
"""
LESSON = """---
id: word-lesson
title: 用表格议事
audience: 新任村干部
duration: 60
methods: [minzhu-xieshang, jiaoyu-shudao]
stories: [biaoge-2022, hezuo-tiaojie-2021]
objectives: [能把方案列成表请群众打分, 能说出公示的天数]
questions: [打分低的方案怎么向群众解释？, 公示期间有异议怎么办？]
status: published
summary: 测试用的 Word 讲义课程。
---
## 课程流程

### 一、导入

先读 [[story:biaoge-2022]]，再看下面的卡片：

[[story:hezuo-tiaojie-2021]]
"""


def make_library(root: Path, **options: bool) -> Path:
    """The fixture library plus a rich story and a lesson; `options` go under the plugin in its own mkdocs.yml."""
    shutil.copytree(FIXTURES / "library", root)
    (root / "stories" / "zhejiang" / f"{RICH_ID}.md").write_text(RICH_STORY, encoding="utf-8")
    (root / "lessons").mkdir()
    (root / "lessons" / "word-lesson.md").write_text(LESSON, encoding="utf-8")
    if options:
        config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
        assert "\n  - exemplars\n" in config
        settings = "".join(f"      {name}: {str(value).lower()}\n" for name, value in options.items())
        config = config.replace("\n  - exemplars\n", f"\n  - exemplars:\n{settings}")
        (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def lib(tmp_path_factory) -> Path:
    return make_library(tmp_path_factory.mktemp("word") / "lib")


@pytest.fixture(scope="module")
def site(lib, tmp_path_factory) -> Path:
    return build_site(lib, tmp_path_factory.mktemp("word-site") / "site", search=False)


@pytest.fixture(scope="module")
def handout(site):
    return docx.Document(site / "lessons" / "word-lesson" / "handout.docx")


def texts(document, style_prefix: str = "") -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith(style_prefix)]


# --- the handout in a build -----------------------------------------------------------------------------------


def test_handout_docx_is_a4_with_the_lesson_header_flow_questions_and_every_story(handout):
    section = handout.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert texts(handout, "Title") == ["用表格议事"]
    body = "\n".join(p.text for p in handout.paragraphs)
    for expected in (
        "对象：新任村干部",
        "时长：60 分钟",
        "民主协商法",
        "测试用的 Word 讲义课程。",
        "1. 能把方案列成表请群众打分",
        "2. 能说出公示的天数",
        "1. 打分低的方案怎么向群众解释？",
        "2. 公示期间有异议怎么办？",
        f"课程网址：{SITE}lessons/word-lesson/",
    ):
        assert expected in body
    # the flow's own "## 课程流程" stands in for the generic "教学流程" heading, one level up
    assert texts(handout, "Heading 1") == [
        "教学目标",
        "案例",
        "课程流程",
        "讨论题",
        "案例 1：带表格的议事记录",
        "案例 2：老支书调解宅基地纠纷",
    ]
    for heading in handout.paragraphs:
        if heading.text.startswith("案例 "):
            assert heading.paragraph_format.page_break_before  # each case on a new printed page
    # the flow keeps its own headings, and a citation card keeps its badge apart from the place
    assert "一、导入" in texts(handout, "Heading 2")
    assert "先读 【正面典型】带表格的议事记录，再看下面的卡片：" in texts(handout)
    assert any(p.startswith("【正面典型】河南省 · 周口市") for p in texts(handout))


def test_handout_docx_carries_each_story_in_full_with_facts_sources_and_url(handout):
    body = "\n".join(p.text for p in handout.paragraphs)
    assert "地区：浙江省 / 湖州市 / 安吉县" in body and "时间：2022年4月5日" in body
    assert "议事会把三种方案列成表，请村民逐项打分。" in body
    assert "1. 虚构示例：测试用故事（https://example.org/source）（2022-04-06）" in body
    assert "老支书先听，再讲政策，最后请两家坐到一起。" in body
    for story_id in (RICH_ID, "hezuo-tiaojie-2021"):
        assert f"本案例网址：{SITE}stories/{story_id}/" in body
    assert texts(handout, "Heading 2").count("来源") == 2


def test_handout_docx_keeps_the_body_structure(handout):
    assert "做法" in texts(handout, "Heading 2") and "结果" in texts(handout, "Heading 3")
    assert texts(handout, "List Bullet") == ["晒场上开会", "会后张榜公示", "张榜七天"]
    assert [p.style.name for p in handout.paragraphs if p.text == "张榜七天"] == ["List Bullet 2"]
    assert texts(handout, "List Number") == ["先听意见", "再定方案"]
    assert texts(handout, "Quote")[-1] == "群众的事，群众商量着办。"
    bold = [r.text for p in handout.paragraphs for r in p.runs if r.bold and p.style.name == "Normal"]
    italic = [r.text for p in handout.paragraphs for r in p.runs if r.italic and p.style.name == "Normal"]
    assert "把方案摆出来" in bold and "逐项" in italic
    [table] = handout.tables
    assert [[c.text for c in row.cells] for row in table.rows] == [["方案", "得分"], ["甲方案", "87"], ["乙方案", "64"]]


def test_handout_docx_qr_codes_are_png_images_that_decode_to_the_story_urls(site, handout, tmp_path):
    assert len(handout.inline_shapes) == 2
    with zipfile.ZipFile(site / "lessons" / "word-lesson" / "handout.docx") as package:
        images = sorted(n for n in package.namelist() if n.startswith("word/media/"))
        assert images and all(n.endswith(".png") for n in images)
        decoded = set()
        for number, name in enumerate(images):
            (tmp_path / f"{number}.png").write_bytes(package.read(name))
            decoded.add(zbarimg(tmp_path / f"{number}.png"))
    assert decoded == {f"{SITE}stories/{RICH_ID}/", f"{SITE}stories/hezuo-tiaojie-2021/"}


def test_handout_docx_names_chinese_fonts_as_east_asian_fonts(handout):
    def east_asian(style_name: str) -> str:
        fonts = handout.styles[style_name].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsiaTheme")) is None  # a theme font would override the named one
        return fonts.get(qn("w:eastAsia"))

    assert east_asian("Normal") == "宋体"
    assert {east_asian(name) for name in ("Title", "Heading 1", "Heading 2", "Heading 3")} == {"黑体"}


def test_lesson_and_handout_pages_link_the_word_file(site):
    for url in ("lessons/word-lesson/", "lessons/word-lesson/handout/"):
        file, soup = soup_of(site, url)
        [link] = [a for a in soup.select("a[href]") if a["href"].endswith(".docx")]
        assert "Word" in link.get_text() and link.has_attr("download")
        assert resolve_link(site, file, link["href"]) == site / "lessons" / "word-lesson" / "handout.docx"


def test_stories_get_no_word_file_unless_opted_in(site):
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*.docx")) == ["lessons/word-lesson/handout.docx"]
    _, soup = soup_of(site, f"stories/{RICH_ID}/")
    assert not [a for a in soup.select("a[href]") if a["href"].endswith(".docx")]


def test_story_docx_opt_in_writes_one_file_per_published_story(tmp_path):
    lib = make_library(tmp_path / "lib", story_docx=True)
    site = build_site(lib, tmp_path / "site", search=False)
    written = sorted(p.relative_to(site).as_posix() for p in site.rglob("story.docx"))
    assert written == [
        f"stories/{story}/story.docx"
        for story in ("biaoge-2022", "hezuo-tiaojie-2021", "jieliu-2019", "qingshi-yishihui-2019")
    ]
    file, soup = soup_of(site, f"stories/{RICH_ID}/")
    [link] = [a for a in soup.select("a[href]") if a["href"].endswith(".docx")]
    assert resolve_link(site, file, link["href"]) == site / "stories" / RICH_ID / "story.docx"
    story = docx.Document(site / "stories" / RICH_ID / "story.docx")
    assert texts(story, "Title") == ["带表格的议事记录"] and len(story.inline_shapes) == 1
    assert round(story.sections[0].page_height.mm) == 297
    # a second build takes every document from .cache/docx/ and writes the same bytes
    first = {p: p.read_bytes() for p in site.rglob("*.docx")}
    again = build_site(lib, tmp_path / "site2", search=False)
    assert {p.relative_to(site): b for p, b in first.items()} == {
        p.relative_to(again): p.read_bytes() for p in again.rglob("*.docx")
    }


def test_handout_docx_false_writes_no_word_file_and_links_none(tmp_path):
    site = build_site(make_library(tmp_path / "lib", handout_docx=False), tmp_path / "site", search=False)
    assert list(site.rglob("*.docx")) == []
    for url in ("lessons/word-lesson/", "lessons/word-lesson/handout/"):
        _, soup = soup_of(site, url)
        assert soup.select("a[href]") and not [a for a in soup.select("a[href]") if ".docx" in a["href"]]


# --- the documents on their own -------------------------------------------------------------------------------


def story_part(body: str = "<p>正文。</p>", **changes) -> StoryPart:
    fields = dict(
        title="测试故事",
        kind_label="正面典型",
        summary="摘要。",
        methods="民主协商法",
        region="浙江省 / 湖州市",
        date="2022年4月5日",
        sources=("来源甲",),
        url=f"{SITE}stories/ceshi/",
        body=lambda: body,
        stamp=dt.date(2022, 6, 7),
    )
    return StoryPart(**{**fields, **changes})


def handout_part(*stories: StoryPart) -> HandoutPart:
    return HandoutPart(
        title="课",
        summary="",
        audience="干部",
        duration=30,
        methods="民主协商法",
        objectives=("目标",),
        questions=(),
        cases=tuple(s.title for s in stories),
        flow=lambda: "<p>流程。</p>",
        stories=stories,
    )


def test_documents_are_byte_identical_with_fixed_dates_in_the_package():
    first, second = story_docx(story_part()), story_docx(story_part())
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    core = docx.Document(io.BytesIO(first)).core_properties
    assert (
        core.created.replace(tzinfo=None) == core.modified.replace(tzinfo=None) == dt.datetime(2022, 6, 7)
    )  # the story's latest date, not the build's
    assert handout_docx(handout_part(story_part())) == handout_docx(handout_part(story_part()))
    assert docx.Document(io.BytesIO(handout_docx(handout_part()))).core_properties.created.year == 2000


def test_qr_png_is_deterministic_and_decodes(tmp_path):
    url = f"{SITE}stories/some-long-story-id-2024/"
    assert qr_png(url) == qr_png(url)
    (tmp_path / "qr.png").write_bytes(qr_png(url))
    assert zbarimg(tmp_path / "qr.png") == url


def test_a_flow_without_sections_gets_the_generic_heading():
    document = docx.Document(io.BytesIO(handout_docx(handout_part())))
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == ["教学目标", "案例", "教学流程"]
    assert "流程。" in [p.text for p in document.paragraphs]


def test_no_url_means_no_qr_code():
    document = docx.Document(io.BytesIO(story_docx(story_part(url=None))))
    assert len(document.inline_shapes) == 0
    assert not any("网址" in p.text for p in document.paragraphs)


@pytest.mark.parametrize(
    "html, expected",
    [
        ("<h2>甲</h2><h4>乙</h4><h6>丙</h6>", [("Heading 2", "甲"), ("Heading 4", "乙"), ("Heading 4", "丙")]),
        (
            "<ol><li>一<ul><li>二<ol><li>三<ul><li>四</li></ul></li></ol></li></ul></li></ol>",
            [("List Number", "一"), ("List Bullet 2", "二"), ("List Number 3", "三"), ("List Bullet 3", "四")],
        ),
        (
            "<blockquote><p>引一</p><p>引二</p></blockquote><p>后</p>",
            [("Quote", "引一"), ("Quote", "引二"), ("Normal", "后")],
        ),
        ("<p>一行<br>二行</p>", [("Normal", "一行\n二行")]),
        ("<p>图：<img src='a.png' alt='晒场'>完</p>", [("Normal", "图：［图：晒场］完")]),
        ("<p>甲<script>alert(1)</script><svg><title>x</title></svg>乙</p>", [("Normal", "甲乙")]),
        ("<p>注<sup>1</sup></p>", [("Normal", "注1")]),
        ("<p>&lt;不是标签&gt; &amp; 全角　空格</p>", [("Normal", "<不是标签> & 全角　空格")]),
        ("<div>没有段落的文字</div>", [("Normal", "没有段落的文字")]),
    ],
)
def test_html_to_docx_general_cases(html, expected):
    document = docx.Document()
    HtmlToDocx(document).feed_all(html)
    assert [(p.style.name, p.text) for p in document.paragraphs] == expected


def test_html_to_docx_heading_levels_do_not_drift_with_the_position_in_the_html():
    # HTMLParser keeps its own `offset` (the column it has read to): it must never leak into heading levels
    html = "<p>" + "长" * 80 + "</p>\n<h2>甲</h2>\n  <h3>乙</h3>"
    for shift, expected in ((0, ["Heading 2", "Heading 3"]), (-1, ["Heading 1", "Heading 2"])):
        document = docx.Document()
        HtmlToDocx(document, heading_offset=shift).feed_all(html)
        assert [p.style.name for p in document.paragraphs][1:] == expected


def test_html_to_docx_tables_of_uneven_rows_and_a_table_without_rows():
    document = docx.Document()
    HtmlToDocx(document).feed_all(
        "<table><tr><th>甲</th><th>乙</th><th>丙</th></tr><tr><td>1</td></tr></table><table></table><p>表后</p>"
    )
    [table] = document.tables
    assert [[c.text for c in row.cells] for row in table.rows] == [["甲", "乙", "丙"], ["1", "", ""]]
    assert [p.text for p in document.paragraphs] == ["表后"]


def test_the_cache_key_follows_every_input_and_a_cached_document_is_reused(tmp_path):
    base = DocxJob("story", story_part())
    assert base.key() == DocxJob("story", story_part()).key()
    for changed in (
        story_part("<p>正文改了。</p>"),
        story_part(title="新题"),
        story_part(url=None),
        story_part(sources=("来源乙",)),
        story_part(stamp=dt.date(2023, 1, 1)),
    ):
        assert DocxJob("story", changed).key() != base.key()
    assert (
        DocxJob("handout", handout_part(story_part())).key()
        != DocxJob("handout", handout_part(story_part("<p>别的</p>"))).key()
    )
    jobs = {"stories/ceshi/story.docx": base}
    assert write_docx_files(jobs, tmp_path / "a", tmp_path / "cache") == 1
    assert write_docx_files(jobs, tmp_path / "b", tmp_path / "cache") == 0
    assert (
        (tmp_path / "a" / "stories/ceshi/story.docx").read_bytes()
        == (tmp_path / "b" / "stories/ceshi/story.docx").read_bytes()
        == base.build()
    )
    assert write_docx_files(jobs, tmp_path / "c", None) == 1  # no cache: still written


def test_documents_shared_with_a_helper_process_are_the_ones_built_alone(tmp_path):
    # share=True forks a helper for every other block of documents (exemplars.parallel.SharedMap): same files, same
    # count of documents built, whether or not a cache is given
    from exemplars.site.word import SHARE_FROM

    jobs = {
        f"stories/s{n:03d}/story.docx": DocxJob("story", story_part(f"<p>第 {n} 篇的正文。</p>", title=f"题{n}"))
        for n in range(SHARE_FROM + 5)
    }
    assert write_docx_files(jobs, tmp_path / "alone", None) == len(jobs)
    assert write_docx_files(jobs, tmp_path / "shared", tmp_path / "cache", share=True) == len(jobs)
    assert write_docx_files(jobs, tmp_path / "again", tmp_path / "cache", share=True) == 0
    for rel_path in jobs:
        alone = (tmp_path / "alone" / rel_path).read_bytes()
        assert (tmp_path / "shared" / rel_path).read_bytes() == alone
        assert (tmp_path / "again" / rel_path).read_bytes() == alone


# --- the fast paths write what python-docx and zipfile would ---------------------------------------------------


def test_paragraphs_and_runs_are_the_xml_python_docx_writes():
    """_add and _run build elements directly; they must equal python-docx's add_paragraph/add_run/.style/.bold/
    .italic/.font.superscript/.text, including text with spaces at the ends, tabs and line breaks."""
    texts_ = ["正文", " 前有空格", "后有空格 ", "甲\t乙", "一行\n二行\r三行", ""]
    ours, theirs = docx.Document(), docx.Document()
    for style in (None, "Heading 2", "List Bullet 2", "Quote"):
        for bold, italic, superscript in ((0, 0, 0), (1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 1)):
            mine = _add(ours.element.body, texts_[0], style)
            reference = theirs.add_paragraph(texts_[0])
            if style is not None:
                reference.style = theirs.styles[style]
            for text in texts_:
                _run(mine, text, bold=bool(bold), italic=bool(italic), superscript=bool(superscript))
                run = reference.add_run(text)
                if bold:
                    run.bold = True
                if italic:
                    run.italic = True
                if superscript:
                    run.font.superscript = True
    _add(ours.element.body, "")
    theirs.add_paragraph("")
    assert etree.tostring(ours.element.body) == etree.tostring(theirs.element.body)
    assert len(ours.paragraphs) == 21 and ours.element.body[-1].tag == qn("w:sectPr")


def test_the_package_is_what_python_docx_and_zipfile_write_for_the_same_document():
    """A handout built on the shared template parts, re-opened by python-docx (every part parsed) and written
    again the way zipfile writes a ZIP_DEFLATED archive: the same bytes, member for member and as a whole. (Only
    core.xml does not survive a parse byte for byte, `<dc:description></dc:description>` coming back as
    `<dc:description/>`: it is compared as canonical XML and then taken as it is.)"""
    data = handout_docx(handout_part(story_part("<h2>做法</h2><p>先<strong>议</strong>后定。</p>"), story_part()))
    with zipfile.ZipFile(io.BytesIO(data)) as ours:
        members = {name: ours.read(name) for name in ours.namelist()}
    reopened = docx.Document(io.BytesIO(data)).part.package
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:

        class Writer:
            @staticmethod
            def write(pack_uri, blob):
                name = pack_uri.membername
                if name == "docProps/core.xml":
                    assert etree.tostring(etree.fromstring(blob), method="c14n") == etree.tostring(
                        etree.fromstring(members[name]), method="c14n"
                    )
                    blob = members[name]
                assert blob == members[name], name
                entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                entry.compress_type, entry.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
                package.writestr(entry, blob, compresslevel=1)

        PackageWriter._write_content_types_stream(Writer, reopened.parts)
        PackageWriter._write_pkg_rels(Writer, reopened.rels)
        PackageWriter._write_parts(Writer, reopened.parts)
    assert {"word/styles.xml", "word/stylesWithEffects.xml", "word/media/image1.png"} <= set(members)
    assert data == out.getvalue()


def test_the_zip_writer_lays_out_members_as_zipfile_does_and_reuses_only_matching_compressed_bytes():
    members = [("[Content_Types].xml", b"<x/>" * 50), ("word/styles.xml", "样式".encode() * 5000), ("a.bin", b"")]
    reference = io.BytesIO()
    with zipfile.ZipFile(reference, "w", zipfile.ZIP_DEFLATED) as package:
        for name, blob in members:
            entry = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            entry.compress_type, entry.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            package.writestr(entry, blob, compresslevel=COMPRESS_LEVEL)

    def written(known) -> bytes:
        out = io.BytesIO()
        writer = _FixedTimeZip(out, known)
        for name, blob in members:
            writer.write(PackURI("/" + name), blob)
        writer.close()
        return out.getvalue()

    assert written(None) == reference.getvalue()
    styles = members[1][1]
    assert written({"word/styles.xml": (styles, *_deflate(styles))}) == reference.getvalue()
    # a precompressed member whose bytes differ from the part's is not used: the part is compressed afresh
    assert written({"word/styles.xml": (b"other", *_deflate(b"other"))}) == reference.getvalue()
    # and a wrong precompressed stream for the same bytes would show: the check is not vacuous
    assert written({"word/styles.xml": (styles, 0, b"junk")}) != reference.getvalue()
