"""Trainers' pages, built for real (MkDocs + the exemplars plugin): lesson pages with cited cards in teaching
order, citation cards inside bodies, lessons listed on story and method pages, lesson redirects, withdrawn
stories (a notice at the old URL and nowhere else), and the share box with a QR code that decodes to the page's
public URL."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import feedparser
import pytest
from conftest import FIXTURES, REPO
from expected import lessons_citing, public_lessons
from sitebuild import (
    build_sample,
    build_site,
    card_urls,
    html_files,
    page,
    parse,
    resolve_link,
    search_fragments,
    site_url,
    soup_of,
)
from test_feeds_catalogue_qr import png_of, svg_matrix, zbarimg

from exemplars.library import load_library
from exemplars.site.qr import DrawAhead, cached_svg_path, qr_svg, write_qr_files

SITE = "https://exemplars.example.org/"
WITHDRAWN_ID = "chehui-2020"
WITHDRAWN_TITLE = "已撤回的示例故事"
WITHDRAWN_TEXT = "撤回正文标记句"
WITHDRAWN_SUMMARY = "撤回摘要标记句"
WITHDRAWN_STORY = f"""---
id: {WITHDRAWN_ID}
title: {WITHDRAWN_TITLE}
kind: exemplar
methods: [weimin-mouli]
summary: {WITHDRAWN_SUMMARY}。
region: 河南省/郑州市
date: 2099-03-01
updated: 2099-05-06
status: withdrawn
aliases: [jiu-chehui-2020]
sources:
  - title: 虚构示例：测试用故事
---
## 做法

{WITHDRAWN_TEXT}。
"""
# Teaching order on purpose not the date order of the stories: the page must keep the lesson's order.
LESSON_A = """---
id: lesson-a
title: 测试课程甲
audience: 新任村干部
duration: 90
methods: [weimin-mouli, jiaoyu-shudao]
stories: [jieliu-2019, hezuo-tiaojie-2021, chehui-2020]
objectives: [能说出为民谋利的三个要点, 能识别截留补助的苗头]
questions: [截留补助为什么屡禁不止？]
status: published
aliases: [jiu-lesson-a]
summary: 测试用课程甲。
---
## 流程

先读一个正面典型：

[[story:qingshi-yishihui-2019]]

再对照反面典型 [[story:jieliu-2019]] 讨论。延伸阅读 [[lesson:lesson-b]]。

写法示例：`[[story:bu-cunzai]]` 不是引用。
"""
LESSON_B = """---
id: lesson-b
title: 测试课程乙
audience: 社区工作者
duration: 45
methods: [minzhu-xieshang]
stories: [qingshi-yishihui-2019]
objectives: [能组织议事会]
status: published
---
## 流程

讲一讲。
"""
LESSON_DRAFT = """---
id: lesson-draft
title: 还在写的课程
audience: 社区工作者
duration: 30
methods: [minzhu-xieshang]
stories: [qingshi-yishihui-2019]
objectives: [待定]
status: draft
---
草稿。
"""


@pytest.fixture(scope="module")
def lib(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("trainers") / "lib"
    shutil.copytree(FIXTURES / "library", root)
    (root / "stories" / "henan" / f"{WITHDRAWN_ID}.md").write_text(WITHDRAWN_STORY, encoding="utf-8")
    (root / "lessons").mkdir()
    for name, text in (("lesson-a", LESSON_A), ("lesson-b", LESSON_B), ("lesson-draft", LESSON_DRAFT)):
        (root / "lessons" / f"{name}.md").write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def site(lib, tmp_path_factory) -> Path:
    return build_site(lib, tmp_path_factory.mktemp("trainers-site") / "site")


def links_in(site: Path, file: Path, scope, selector: str = "a[href]") -> list[str]:
    return [site_url(site, file, a["href"]) for a in scope.select(selector)]


# --- lesson pages -------------------------------------------------------------------------------------------


def test_a_lesson_page_shows_its_stories_as_cards_in_teaching_order(site):
    file, soup = soup_of(site, "lessons/lesson-a/")
    cited = soup.select_one("section.ex-cited")
    assert card_urls(site, file, cited) == ["stories/jieliu-2019/", "stories/hezuo-tiaojie-2021/"]
    items = cited.select("li.ex-cited__item")
    assert len(items) == 3
    withdrawn = items[2].select_one(".ex-cite--withdrawn")
    assert withdrawn is not None and WITHDRAWN_TITLE in withdrawn.get_text()
    assert "此故事已撤回" in withdrawn.get_text()
    assert items[2].select("li.ex-card") == []
    kinds = [li.select_one(".ex-badge").get_text(strip=True) for li in cited.select("li.ex-card")]
    assert kinds == ["反面典型", "正面典型"]


def test_a_lesson_page_shows_objectives_flow_questions_and_facts(site):
    _, soup = soup_of(site, "lessons/lesson-a/")
    text = soup.select_one(".ex-lesson-page").get_text(" ", strip=True)
    for expected in (
        "测试课程甲",
        "新任村干部",
        "90 分钟",
        "为民谋利法",
        "教育疏导法",
        "能说出为民谋利的三个要点",
        "能识别截留补助的苗头",
        "截留补助为什么屡禁不止？",
        "流程",
    ):
        assert expected in text
    assert [li.get_text(strip=True) for li in soup.select(".ex-objectives li")] == [
        "能说出为民谋利的三个要点",
        "能识别截留补助的苗头",
    ]


def test_citations_in_a_body_become_cards_and_badge_links(site):
    file, soup = soup_of(site, "lessons/lesson-a/")
    body = soup.select_one(".ex-flow .ex-story__body")
    blocks = body.select("div.ex-cite")
    assert len(blocks) == 1, "the citation on a line of its own is a block card"
    block = blocks[0]
    assert block.parent is body, "a block card is not wrapped in a paragraph"
    assert "ex-cite--exemplar" in block["class"]
    assert links_in(site, file, block) == ["stories/qingshi-yishihui-2019/"]
    assert block.select_one(".ex-badge").get_text(strip=True) == "正面典型"
    summary = load_library(FIXTURES / "library").story("qingshi-yishihui-2019").summary
    assert block.select_one(".ex-cite__summary").get_text(strip=True) == summary

    inline = body.select("p a.ex-cite-inline")
    assert [site_url(site, file, a["href"]) for a in inline] == ["stories/jieliu-2019/", "lessons/lesson-b/"]
    assert inline[0].select_one(".ex-badge").get_text(strip=True) == "反面典型"
    assert inline[1].get_text(strip=True) == "课程测试课程乙"
    code = [c.get_text() for c in body.select("code")]
    assert "[[story:bu-cunzai]]" in code, "a citation shown as code stays text"
    assert "[[" not in body.get_text().replace("[[story:bu-cunzai]]", "")


def test_an_unknown_citation_is_a_visible_marker_in_preview(library_copy, tmp_path):
    root = library_copy(
        {
            "stories/zhejiang/qingshi-yishihui-2019.md": (
                FIXTURES / "library" / "stories" / "zhejiang" / "qingshi-yishihui-2019.md"
            ).read_text(encoding="utf-8")
            + "\n参见：\n\n[[story:mei-you-zhe-ge]]\n"
        }
    )
    site = build_site(root, tmp_path / "site", strict=False, preview=True)
    _, soup = soup_of(site, "stories/qingshi-yishihui-2019/")
    missing = soup.select(".ex-story__body .ex-cite--missing")
    assert len(missing) == 1 and "未找到" in missing[0].get_text() and "mei-you-zhe-ge" in missing[0].get_text()


def test_the_lessons_index_lists_published_lessons_and_the_nav_has_a_lessons_tab(site, lib):
    file, soup = soup_of(site, "lessons/")
    expected = [f"lessons/{lesson.id}/" for lesson in public_lessons(load_library(lib))]
    assert sorted(expected) == ["lessons/lesson-a/", "lessons/lesson-b/"]
    assert links_in(site, file, soup, ".ex-lesson-item__title a") == expected
    assert not page(site, "lessons/lesson-draft/").exists(), "a draft lesson stays out of the public site"
    _, home = soup_of(site, "")
    tabs = {a.get_text(strip=True): site_url(site, site / "index.html", a["href"]) for a in home.select(".md-tabs a")}
    assert tabs.get("课程") == "lessons/"


def test_story_pages_list_the_lessons_that_use_them(site, lib):
    expected = {
        "stories/jieliu-2019/": ["lessons/lesson-a/"],
        "stories/hezuo-tiaojie-2021/": ["lessons/lesson-a/"],
        "stories/qingshi-yishihui-2019/": ["lessons/lesson-a/", "lessons/lesson-b/"],  # a: by a body citation
    }
    library = load_library(lib)
    for url, lessons in expected.items():
        model = [f"lessons/{lesson.id}/" for lesson in lessons_citing(library, url.split("/")[1])]
        assert sorted(model) == lessons
        lessons = model  # the page keeps the model's order
        file, soup = soup_of(site, url)
        section = soup.select_one("section.ex-used-in")
        assert section is not None and section.h2.get_text(strip=True) == "用于以下课程", url
        assert links_in(site, file, section, ".ex-lesson-item__title a") == lessons, url


def test_method_pages_list_their_lessons(site):
    expected = {
        "weimin-mouli": ["lessons/lesson-a/"],
        "jiaoyu-shudao": ["lessons/lesson-a/"],
        "minzhu-xieshang": ["lessons/lesson-b/"],
    }
    for method_id, lessons in expected.items():
        file, soup = soup_of(site, f"methods/{method_id}/")
        section = soup.select_one("section.ex-group--lessons")
        assert section is not None, method_id
        assert links_in(site, file, section, ".ex-lesson-item__title a") == lessons


def test_an_old_lesson_id_redirects(site):
    for old, new in (
        ("lessons/jiu-lesson-a/", "lessons/lesson-a/"),
        ("lessons/jiu-lesson-a/handout/", "lessons/lesson-a/handout/"),
    ):
        file = page(site, old)
        refresh = parse(file).select_one('meta[http-equiv="refresh"]')["content"]
        assert site_url(site, file, refresh.split("url=", 1)[1]) == new
        assert parse(file).select_one('link[rel="canonical"]')["href"] == SITE + new


def test_the_handout_holds_the_lesson_and_every_cited_storys_full_text(site, lib):
    file, soup = soup_of(site, "lessons/lesson-a/handout/")
    library = load_library(lib)
    stories = soup.select("article.ex-handout__story")
    assert [a["id"] for a in stories] == ["case-jieliu-2019", "case-hezuo-tiaojie-2021"]
    for article in stories:
        story = library.story(article["id"].removeprefix("case-"))
        text = article.get_text(" ", strip=True)
        assert story.title in text
        for line in story.body.splitlines():
            line = line.strip().lstrip("#").strip()
            if line:
                assert line in text, f"{story.id}: {line!r} missing from the handout"
        assert SITE + f"stories/{story.id}/" in text
    lesson = soup.select_one("article.ex-handout__lesson").get_text(" ", strip=True)
    assert "能说出为民谋利的三个要点" in lesson and "截留补助为什么屡禁不止？" in lesson
    assert WITHDRAWN_TITLE in lesson and WITHDRAWN_TEXT not in soup.get_text()


# --- withdrawn stories --------------------------------------------------------------------------------------


def test_a_withdrawn_story_keeps_its_url_with_a_notice_and_no_text(site):
    _, soup = soup_of(site, f"stories/{WITHDRAWN_ID}/")
    content = soup.select_one(".md-content").get_text(" ", strip=True)
    assert WITHDRAWN_TITLE in content and "此故事已撤回" in content and "2099年5月6日" in content
    assert WITHDRAWN_TEXT not in soup.get_text() and WITHDRAWN_SUMMARY not in soup.get_text()
    assert soup.select(".ex-share") == [], "no share box: the page is not to be cited any more"
    assert soup.select_one('meta[name="robots"]')["content"] == "noindex", "search engines drop it"
    assert f"stories/{WITHDRAWN_ID}/" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    _, live = soup_of(site, "stories/jieliu-2019/")
    assert live.select_one('meta[name="robots"]') is None and "stories/jieliu-2019/" in (
        site / "sitemap.xml"
    ).read_text(encoding="utf-8")
    old = page(site, "stories/jiu-chehui-2020/")
    refresh = parse(old).select_one('meta[http-equiv="refresh"]')["content"]
    assert site_url(site, old, refresh.split("url=", 1)[1]) == f"stories/{WITHDRAWN_ID}/"


def pagefind_records(site: Path) -> list[dict]:
    return list(search_fragments(site).values())


def test_a_withdrawn_story_is_in_no_listing_feed_catalogue_or_search_record(site):
    needle = f"stories/{WITHDRAWN_ID}/"
    own = {page(site, needle), page(site, "stories/jiu-chehui-2020/")}
    citing = {page(site, "lessons/lesson-a/"), page(site, "lessons/lesson-a/handout/")}  # they show the notice
    for file in html_files(site):
        if file in own:
            continue
        soup = parse(file)
        assert [a for a in soup.select("li.ex-card a[href]") if site_url(site, file, a["href"]) == needle] == []
        if file in citing:
            continue
        assert [a for a in soup.select("a[href]") if site_url(site, file, a["href"]) == needle] == [], file
        assert WITHDRAWN_TITLE not in soup.get_text(), file
    for name in ("feed.atom.xml", "feed.rss.xml", "methods/weimin-mouli/feed.atom.xml"):
        feed = feedparser.parse((site / name).read_bytes())
        assert feed.entries and all(WITHDRAWN_ID not in e.link for e in feed.entries), name
    catalogue = json.loads((site / "stories.json").read_text(encoding="utf-8"))
    assert WITHDRAWN_ID not in {s["id"] for s in catalogue["stories"]}
    records = pagefind_records(site)
    urls = {r["url"] for r in records}
    assert "/stories/jieliu-2019/" in urls and "/" + needle not in urls
    assert all(WITHDRAWN_TEXT not in json.dumps(r, ensure_ascii=False) for r in records)


def test_lesson_pages_are_search_records_of_kind_lesson(site):
    records = {r["url"]: r for r in pagefind_records(site)}
    lesson = records["/lessons/lesson-a/"]
    assert lesson["meta"]["kind"] == "lesson"
    assert lesson["filters"]["类型"] == ["课程"]
    assert sorted(lesson["filters"]["方法"]) == sorted(["为民谋利法", "教育疏导法"])
    assert "/lessons/lesson-a/handout/" not in records, "the handout repeats the stories: not indexed twice"


# --- share box and QR codes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url,title", [("stories/jieliu-2019/", "某村干部截留补助被查处"), ("lessons/lesson-a/", "测试课程甲")]
)
def test_story_and_lesson_pages_have_a_share_box_whose_qr_decodes_to_the_public_url(site, url, title, tmp_path):
    file, soup = soup_of(site, url)
    box = soup.select_one("section.ex-share")
    assert box["data-url"] == SITE + url
    assert box.select_one(".ex-share__url a")["href"] == SITE + url
    cite = box.select_one("[data-ex-cite]").get_text()
    assert cite == f"《{title}》，典型示范故事库，{SITE}{url}，访问日期。", "the build writes no date"
    assert {b["data-ex-copy"] for b in box.select("button")} == {"url", "cite"}
    qr = resolve_link(site, file, box.select_one("img.ex-share__qr")["src"])
    assert qr == (site / url / "qr.svg").resolve() and qr.is_file()
    png = tmp_path / "qr.png"
    png.write_bytes(png_of(svg_matrix(qr.read_text(encoding="utf-8"))))
    assert zbarimg(png) == SITE + url


def test_qr_codes_drawn_ahead_in_their_own_process_are_the_ones_drawn_at_the_end(tmp_path):
    """A cold build draws its codes in a separate process from on_files on (DrawAhead): once it is waited for,
    every code is in the cache with the bytes write_qr_files draws, and nothing is left to draw at the end."""
    codes = {f"stories/s{i}/qr.svg": f"{SITE}stories/s{i}/" for i in range(DrawAhead.MINIMUM + 3)}
    cache = tmp_path / "cache"
    ahead = DrawAhead(codes, cache)
    assert ahead.process is not None, "enough codes to be worth a process"
    ahead.wait()
    assert sorted(p.name for p in cache.iterdir() if p.is_file()) == [], "its list of URLs is removed"
    for url in list(codes.values())[:: len(codes) // 5]:
        assert cached_svg_path(url, cache).read_text(encoding="utf-8") == qr_svg(url) + "\n"
    assert write_qr_files(codes, tmp_path / "site", cache) == 0
    assert DrawAhead(codes, cache).process is None, "a warm build starts nothing"


def test_a_stopped_draw_ahead_leaves_the_codes_to_the_end(tmp_path):
    codes = {f"stories/s{i}/qr.svg": f"{SITE}stories/s{i}/" for i in range(DrawAhead.MINIMUM + 3)}
    cache = tmp_path / "cache"
    ahead = DrawAhead(codes, cache)
    ahead.stop()  # at once, as when the build fails: whatever it drew stays, the rest is drawn by write_qr_files
    drawn = write_qr_files(codes, tmp_path / "site", cache)
    assert drawn <= len(codes)
    for rel, url in codes.items():
        assert (tmp_path / "site" / rel).read_text(encoding="utf-8") == qr_svg(url) + "\n"


def test_qr_codes_come_from_the_build_cache_the_second_time(tmp_path):
    codes = {f"stories/s{i}/qr.svg": f"{SITE}stories/s{i}/" for i in range(3)}
    cache = tmp_path / "cache"
    assert write_qr_files(codes, tmp_path / "one", cache) == 3
    assert write_qr_files(codes, tmp_path / "two", cache) == 0
    for rel, url in codes.items():
        assert (tmp_path / "two" / rel).read_text(encoding="utf-8") == qr_svg(url) + "\n"
        assert cached_svg_path(url, cache).is_file()
    assert write_qr_files(codes, tmp_path / "three", None) == 3
    assert (tmp_path / "three" / "stories/s1/qr.svg").read_bytes() == (
        tmp_path / "one" / "stories/s1/qr.svg"
    ).read_bytes()


def test_the_sample_library_has_lessons_citing_both_kinds_with_pages(tmp_path_factory):
    library = load_library(REPO)
    lessons = public_lessons(library)
    assert len(lessons) >= 3
    site = build_sample(tmp_path_factory.mktemp("sample"))
    for lesson in lessons:
        file, soup = soup_of(site, f"lessons/{lesson.id}/")
        expected = [f"stories/{s.id}/" for s in library.lesson_stories(lesson) if s.is_public]
        assert card_urls(site, file, soup.select_one("section.ex-cited")) == expected
        kinds = {library.story(u.split("/")[1]).kind for u in expected}
        assert kinds == {"exemplar", "cautionary"}, lesson.id
        assert page(site, f"lessons/{lesson.id}/handout/").is_file()
