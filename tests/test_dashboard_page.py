"""The 库情 dashboard page (site/stats/index.html) shows the library's real figures, read back from the built HTML:
the lead sentence, the method × kind heatmap, the province bars, the year line, the stale and single-source lists.
Every figure is compared with a count made here, independently of exemplars.stats (the figures) and site/stats.py
(the view), over the published stories of exemplars.library.load_library. The charts are inline, self-contained
SVG; the page runs no script of its own.

The repository is snapshotted into a temporary folder first (others edit the working tree while tests run), so
the site and the independent count always see the same files."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import FIXTURES
from sitebuild import build_site, copy_repo, parse, resolve_link

from exemplars.library import load_library
from exemplars.schema import KINDS

STALE_YEARS = 5  # the page says which day it counts from; this is the span it promises ("超过五年")


@pytest.fixture(scope="module")
def repo_copy(tmp_path_factory) -> Path:
    return copy_repo(tmp_path_factory.mktemp("dashboard") / "repo")


@pytest.fixture(scope="module")
def site(repo_copy) -> Path:
    return build_site(repo_copy, repo_copy / "site", strict=True)


# --- the independent count --------------------------------------------------------------------------------------


def expected(root: Path) -> dict:
    """What the page must show, counted straight from the stories (published only)."""
    library = load_library(root)
    published = [s for s in library.stories if s.status == "published"]
    assert published, "the sample library has published stories"
    newest = max(s.date for s in published)
    try:
        cutoff = newest.replace(year=newest.year - STALE_YEARS)
    except ValueError:  # 29 February
        cutoff = newest.replace(year=newest.year - STALE_YEARS, day=28)
    years = Counter(s.date.year for s in published)
    oldest_first = sorted(published, key=lambda s: (s.date, s.id))
    return {
        "total": len(published),
        "kinds": {KINDS[k]: sum(1 for s in published if s.kind == k) for k in KINDS},
        "cells": {
            (m.name, KINDS[k]): sum(1 for s in published if s.kind == k and m.id in s.methods)
            for m in library.methods
            for k in KINDS
        },
        "provinces": dict(Counter(s.region[0] for s in published)),
        "years": {y: years.get(y, 0) for y in range(min(years), max(years) + 1)},
        "reference": newest.isoformat(),
        "cutoff": cutoff.isoformat(),
        "stale": [s.id for s in oldest_first if s.date < cutoff and s.updated is None],
        "single_source": [s.id for s in oldest_first if len(s.sources) == 1],
        "by_sources": {n: sum(1 for s in published if min(len(s.sources), 3) == n) for n in (1, 2, 3)},
        "methods": {m.name: m.id for m in library.methods},
    }


# --- reading the page -------------------------------------------------------------------------------------------


def article(site: Path):
    page = site / "stats" / "index.html"
    assert page.is_file(), "stats/index.html was not built"
    body = parse(page).select_one("article")
    assert body is not None
    return body


def chart(site: Path, ident: str):
    svgs = article(site).select(f"svg#{ident}")
    assert len(svgs) == 1, f"{len(svgs)} svg#{ident} on the page"
    return svgs[0]


def number(text: str) -> int:
    assert re.fullmatch(r"\d+", text.strip()), f"not a count: {text!r}"
    return int(text)


def desc_pairs(svg) -> list[tuple[str, int]]:
    """`<desc>` of a bar or line chart: "江苏省 3 篇；浙江省 3 篇" → [("江苏省", 3), ("浙江省", 3)]."""
    pairs = []
    for part in svg.find("desc").get_text().split("；"):
        match = re.fullmatch(r"(.+) (\d+) 篇", part.strip())
        assert match, f"unreadable <desc> part {part!r}"
        pairs.append((match.group(1), int(match.group(2))))
    return pairs


def heatmap_cells(svg) -> dict[tuple[str, str], int]:
    """The numbers written in the heatmap's cells, placed by geometry: a cell's number sits on its row label's
    baseline and under its column heading, as a reader sees it."""
    own = svg.find_all("text", recursive=False)
    columns = {t["x"]: t.get_text() for t in own if t.get("font-weight") == "bold"}
    rows = {t["y"]: t.get_text() for t in own if t.get("text-anchor") == "end"}
    assert columns and rows
    cells = {}
    for group in svg.find_all("g", recursive=False):
        (text,) = group.find_all("text")
        key = (rows[text["y"]], columns[text["x"]])
        assert key not in cells, f"two numbers in cell {key}"
        cells[key] = number(text.get_text())
    return cells


def heatmap_desc(svg) -> dict[tuple[str, str], int]:
    cells = {}
    for row in svg.find("desc").get_text().split("；"):
        label, values = row.split("：", 1)
        for part in values.split("，"):
            column, count = re.fullmatch(r"(.+) (\d+) 篇", part.strip()).groups()
            cells[(label, column)] = int(count)
    return cells


def bars(svg) -> list[tuple[str, int, float]]:
    """(label, written count, bar length) per bar, top to bottom."""
    found = []
    for group in svg.find_all("g", recursive=False):
        label = group.find("text", attrs={"text-anchor": "end"}).get_text()
        value = number(group.find("text", attrs={"text-anchor": "start"}).get_text())
        found.append((label, value, float(group.find("rect")["width"])))
    return found


def line_points(svg) -> list[tuple[str | None, int, float]]:
    """(year label if written, written count, circle height) per point, left to right."""
    points = []
    for group in svg.find_all("g", recursive=False):
        circle = group.find("circle")
        cy = float(circle["cy"])
        above = [t for t in group.find_all("text") if float(t["y"]) < cy]
        below = [t for t in group.find_all("text") if float(t["y"]) > cy]
        assert len(above) == 1 and len(below) <= 1
        points.append((below[0].get_text() if below else None, number(above[0].get_text()), cy))
    return points


def linked_stories(site: Path, section, what: str) -> list[str]:
    """Story ids of the section's list links, in order; every link leads to a built page."""
    ids = []
    for link in section.select("li a"):
        target = resolve_link(site, site / "stats" / "index.html", link["href"])
        assert target is not None and target.is_file(), f"{what}: broken link {link['href']}"
        ids.append(
            re.fullmatch(r"stories/([a-z0-9-]+)/index\.html", target.relative_to(site.resolve()).as_posix()).group(1)
        )
    return ids


def story_list(site: Path, section_id: str) -> tuple[int, list[str]]:
    """(count in the section heading, story ids of its links, in order); every link leads to a built page."""
    section = article(site).select_one(f"section[aria-labelledby={section_id}]")
    assert section is not None, section_id
    count = number(re.search(r"（(\d+) 篇）", section.find("h2").get_text()).group(1))
    return count, linked_stories(site, section, section_id)


def sources_section(site: Path) -> tuple[int, list[str], dict[int, int]]:
    """(single-source count as stated, ids of the single-source stories it lists, stories by number of sources
    from its table: 1, 2, 3 = three or more)."""
    section = article(site).select_one("section[aria-labelledby=ex-stats-sources]")
    assert section is not None
    count = number(re.search(r"只有一个来源的故事 (\d+) 篇", section.get_text()).group(1))
    ids = linked_stories(site, section, "sources")
    bands = {}
    for row in section.select("table tbody tr"):
        label, value = row.find("th").get_text(), row.find("td").get_text()
        bands[number(re.match(r"(\d+) 个", label).group(1))] = number(value)
    return count, ids, bands


def lead(site: Path) -> dict:
    text = article(site).select_one("p.ex-lead").get_text()
    match = re.search(r"已发布故事 (\d+) 篇：正面典型 (\d+) 篇，反面典型 (\d+) 篇", text)
    assert match, text
    dates = re.search(r"（(\d{4}-\d{2}-\d{2})）计算：(\d{4}-\d{2}-\d{2}) 以前", text)
    assert dates, text
    return {
        "total": int(match.group(1)),
        "kinds": {KINDS["exemplar"]: int(match.group(2)), KINDS["cautionary"]: int(match.group(3))},
        "reference": dates.group(1),
        "cutoff": dates.group(2),
    }


def shown(site: Path) -> dict:
    """Every figure the page shows, in the shape of `expected`."""
    head = lead(site)
    heatmap = chart(site, "ex-chart-methods")
    province_bars = bars(chart(site, "ex-chart-provinces"))
    points = line_points(chart(site, "ex-chart-years"))
    year_desc = desc_pairs(chart(site, "ex-chart-years"))
    stale_count, stale = story_list(site, "ex-stats-stale")
    single_count, single, _ = sources_section(site)
    return {
        **head,
        "cells": heatmap_cells(heatmap),
        "cells_desc": heatmap_desc(heatmap),
        "provinces": {label: value for label, value, _ in province_bars},
        "provinces_desc": dict(desc_pairs(chart(site, "ex-chart-provinces"))),
        "years": {int(year): value for (year, value) in year_desc},
        "year_values": [value for _, value, _ in points],
        "stale": stale,
        "stale_count": stale_count,
        "single_source": single,
        "single_count": single_count,
    }


# --- figures ----------------------------------------------------------------------------------------------------


def test_total_and_kinds(site, repo_copy):
    want, got = expected(repo_copy), lead(site)
    assert got["total"] == want["total"]
    assert got["kinds"] == want["kinds"]
    assert sum(got["kinds"].values()) == got["total"]
    assert (got["reference"], got["cutoff"]) == (want["reference"], want["cutoff"])


def test_method_by_kind_heatmap(site, repo_copy):
    want = expected(repo_copy)
    svg = chart(site, "ex-chart-methods")
    cells = heatmap_cells(svg)
    assert cells == want["cells"], "the numbers written in the heatmap's cells"
    assert heatmap_desc(svg) == want["cells"], "the heatmap's <desc>"
    rows = [t.get_text() for t in svg.find_all("text", recursive=False) if t.get("text-anchor") == "end"]
    assert sorted(rows) == sorted(want["methods"]), "one row per method, each once"


def test_province_bars(site, repo_copy):
    want = expected(repo_copy)
    svg = chart(site, "ex-chart-provinces")
    found = bars(svg)
    assert {label: value for label, value, _ in found} == want["provinces"]
    assert len(found) == len(want["provinces"]), "each province once"
    assert desc_pairs(svg) == [(label, value) for label, value, _ in found], "<desc> says what the bars say"
    values = [value for _, value, _ in found]
    assert values == sorted(values, reverse=True), "most stories first"
    peak = max(values)
    longest = max(length for _, _, length in found)
    for label, value, length in found:  # the bars are drawn to scale, not just labelled
        assert length == pytest.approx(longest * value / peak, abs=0.15), label


def test_year_line(site, repo_copy):
    want = expected(repo_copy)
    svg = chart(site, "ex-chart-years")
    pairs = desc_pairs(svg)
    assert {int(year): value for year, value in pairs} == want["years"]
    assert [int(year) for year, _ in pairs] == sorted(want["years"]), "every year in order, gaps included"
    points = line_points(svg)
    assert [value for _, value, _ in points] == [value for _, value in pairs], "the numbers written on the line"
    labels = [(label, year) for (label, _, _), (year, _) in zip(points, pairs, strict=True) if label is not None]
    assert labels and all(label == year for label, year in labels)
    assert points[-1][0] == pairs[-1][0], "the last year is always labelled"
    for (_, a, ya), (_, b, yb) in zip(points, points[1:], strict=False):  # higher counts are drawn higher (smaller y)
        assert (a > b) == (ya < yb) and (a == b) == (ya == yb)


def test_stale_and_single_source_lists(site, repo_copy):
    want = expected(repo_copy)
    count, ids = story_list(site, "ex-stats-stale")
    assert ids == want["stale"] and count == len(want["stale"])
    count, ids, bands = sources_section(site)
    # Changed with issue 18: the page counts single-source stories and names them only while they are a few and a
    # minority (in the sample library every story has one source, and a list of all of them told nobody anything).
    assert count == len(want["single_source"])
    assert bands == want["by_sources"] and sum(bands.values()) == want["total"]
    few = 0 < len(want["single_source"]) <= 10 and 2 * len(want["single_source"]) < want["total"]
    assert ids == (want["single_source"] if few else [])


def test_stats_page_shows_readers_no_field_names(site):
    text = article(site).get_text()
    for field in ("updated", "single_source", "sources", "published"):
        assert not re.search(rf"\b{field}\b", text), f"the raw field name {field!r} shows on /stats/"


def test_method_gaps_are_stated(site, repo_copy):
    want = expected(repo_copy)
    section = article(site).select_one("section[aria-labelledby=ex-stats-methods]")
    text = section.get_text()
    threshold = int(re.search(r"正面典型(?:都不)?少于 (\d+) 个", text).group(1))
    no_cautionary = {name for name in want["methods"] if want["cells"][(name, KINDS["cautionary"])] == 0}
    few = {name for name in want["methods"] if want["cells"][(name, KINDS["exemplar"])] < threshold}
    gaps = {p.get_text().split("：")[0]: {a.get_text() for a in p.select("a")} for p in section.select("p.ex-gap")}
    assert gaps.get("还没有反面典型的方法", set()) == no_cautionary
    assert gaps.get(f"正面典型少于 {threshold} 个的方法", set()) == few
    assert (f"正面典型都不少于 {threshold} 个" in text) == (not no_cautionary and not few)


# --- self-contained charts, no scripts -------------------------------------------------------------------------


def test_charts_are_inline_accessible_svg(site):
    body = article(site)
    svgs = body.find_all("svg")
    assert [svg["id"] for svg in svgs] == ["ex-chart-methods", "ex-chart-provinces", "ex-chart-years"]
    assert body.find_all(["img", "iframe", "object", "embed", "picture"]) == []
    for svg in svgs:
        assert svg.get("role") == "img"
        children = [child for child in svg.children if getattr(child, "name", None)]
        assert children[0].name == "title" and children[0].get_text(strip=True), svg["id"]
        assert children[1].name == "desc" and children[1].get_text(strip=True), svg["id"]
        for ref in svg["aria-labelledby"].split():
            assert svg.find(id=ref) is not None, f"{svg['id']}: aria-labelledby names missing #{ref}"
        for element in svg.find_all(True):
            assert element.name not in {"script", "image", "use", "foreignobject", "a", "style"}, element.name
            for name, value in element.attrs.items():
                assert not re.search(r"href|src", name, re.IGNORECASE), f"{svg['id']}: {element.name} {name}"
                assert not name.lower().startswith("on"), f"{svg['id']}: event attribute {name}"
                assert "url(" not in str(value), f"{svg['id']}: external reference in {name}"


def scripts(page: Path) -> list[str]:
    return [s.get("src") or "inline:" + (s.string or "") for s in parse(page).find_all("script")]


def test_no_script_besides_the_sites_own(site):
    stats = site / "stats" / "index.html"
    plain = site / "about" / "index.html"  # a hand-written page: only the theme's own scripts
    assert scripts(stats) == scripts(plain)
    assert article(site).find_all("script") == []
    for src in scripts(stats):
        parts = urlsplit(src)
        assert src.startswith("inline:") or not (parts.scheme or parts.netloc), f"external script {src}"
    for element in article(site).find_all(True):
        assert not any(name.lower().startswith("on") for name in element.attrs), element.name


# --- the page follows the library -------------------------------------------------------------------------------

NEW_STORY = """---
id: {id}
title: 测试：新发布的一个故事
kind: {kind}
methods: [{method}]
summary: 用来检验库情页面跟随故事库变化的测试故事。
region: {region}
date: {date}
status: published
author: 林晓
reviewed_by: 周文澜
sources:
  - title: 虚构示例：测试用来源
---
## 做法

测试正文。
"""


def chart_colours(site: Path) -> set[str]:
    """Every colour the charts paint with, besides white (numbers on strong cells) and the text's currentColor."""
    found = set()
    for svg in article(site).find_all("svg"):
        for element in svg.find_all(True):
            found |= {element.get(name) for name in ("fill", "stroke") if element.get(name)}
    return found - {"#ffffff", "currentColor", "none"}


def primary_colour(root: Path) -> str:
    css = (root / "overrides" / "assets" / "stylesheets" / "exemplars.css").read_text(encoding="utf-8")
    return re.search(r"--md-primary-fg-color:\s*(#[0-9a-fA-F]+);", css).group(1)


def test_page_follows_the_library(site, repo_copy, tmp_path):
    """Publish one more story in a copy and rebuild: the figures it touches go up by exactly one, nothing else
    moves. A page with cached or made-up numbers fails here. The copy's theme also gets another primary colour,
    and the charts follow it: the stylesheet is the one place that colour is set."""
    before = shown(site)
    assert before["total"] == expected(repo_copy)["total"]
    library = load_library(repo_copy)
    published = [s for s in library.stories if s.status == "published"]
    province = max(before["provinces"], key=lambda p: (before["provinces"][p], p))  # an existing province
    earliest = min(s.date for s in published)  # its year stays inside the charted span; old enough to be stale
    method = library.methods[0]
    story_id = "dashboard-test-story-" + str(earliest.year)
    assert library.story(story_id) is None
    root = copy_repo(tmp_path / "repo")
    (root / "stories" / "test").mkdir(exist_ok=True)
    (root / "stories" / "test" / f"{story_id}.md").write_text(
        NEW_STORY.format(
            id=story_id, kind="cautionary", method=method.id, region=f"{province}/测试市", date=earliest.isoformat()
        ),
        encoding="utf-8",
    )
    stylesheet = root / "overrides" / "assets" / "stylesheets" / "exemplars.css"
    css = stylesheet.read_text(encoding="utf-8")
    stylesheet.write_text(
        css.replace(f"--md-primary-fg-color: {primary_colour(root)};", "--md-primary-fg-color: #1d4e89;"),
        encoding="utf-8",
    )
    after_site = build_site(root, root / "site", strict=True)
    after = shown(after_site)

    assert chart_colours(site) == {primary_colour(repo_copy)}
    assert chart_colours(after_site) == {"#1d4e89"}

    assert after["total"] == before["total"] + 1
    assert after["kinds"] == {**before["kinds"], KINDS["cautionary"]: before["kinds"][KINDS["cautionary"]] + 1}
    cell = (method.name, KINDS["cautionary"])
    assert after["cells"] == {**before["cells"], cell: before["cells"][cell] + 1}
    assert after["cells_desc"] == after["cells"]
    assert after["provinces"] == {**before["provinces"], province: before["provinces"][province] + 1}
    assert after["provinces_desc"] == after["provinces"]
    assert after["years"] == {**before["years"], earliest.year: before["years"][earliest.year] + 1}
    assert after["year_values"] == list(after["years"].values())
    assert story_id in after["stale"] and after["stale_count"] == before["stale_count"] + 1
    assert after["single_count"] == before["single_count"] + 1
    assert after["reference"] == before["reference"]
    want = expected(root)  # and the rebuilt page still agrees with a fresh count, figure by figure
    assert (after["total"], after["kinds"], after["cells"], after["provinces"], after["years"]) == (
        want["total"],
        want["kinds"],
        want["cells"],
        want["provinces"],
        want["years"],
    )
    assert after["stale"] == want["stale"] and after["single_count"] == len(want["single_source"])


def test_empty_library_page_says_nothing_about_dates(tmp_path):
    root = tmp_path / "lib"
    shutil.copytree(FIXTURES / "library" / "methods", root / "methods")
    draft = FIXTURES / "library" / "stories" / "zhejiang" / "draft-caogao-2024.md"
    (root / "stories" / "zhejiang").mkdir(parents=True)
    shutil.copy2(draft, root / "stories" / "zhejiang" / draft.name)
    built = build_site(root, tmp_path / "site", strict=True)
    text = article(built).select_one("p.ex-lead").get_text()
    assert "已发布故事 0 篇" in text
    assert "None" not in text


def test_single_source_stories_are_named_only_while_they_are_a_few(library_copy):
    """All three published fixture stories have one source: counted, not listed. Give two of them more sources and
    the one left is a minority worth naming; the bands count 1, 2 and 3-or-more sources."""
    from exemplars.site.stats import dashboard

    root = library_copy()
    board = dashboard(load_library(root), "#000000")
    assert {s.id for s in board.single_source} == {"jieliu-2019", "qingshi-yishihui-2019", "hezuo-tiaojie-2021"}
    assert board.single_source_listed == [] and board.single_source_share == 100
    assert board.by_source_count == {1: 3, 2: 0, 3: 0}

    extra = "  - title: 虚构示例：第二个来源\n  - title: 虚构示例：第三个来源\n  - title: 虚构示例：第四个来源\n"
    for rel, more in (("stories/henan/hezuo-tiaojie-2021.md", 1), ("stories/henan/jieliu-2019.md", 3)):
        path = root / rel
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace("reviewed_by:", "".join(extra.splitlines(True)[:more]) + "reviewed_by:"), encoding="utf-8"
        )
    board = dashboard(load_library(root), "#000000")
    assert [s.id for s in board.single_source_listed] == ["qingshi-yishihui-2019"]
    assert board.single_source_share == 33
    assert board.by_source_count == {1: 1, 2: 1, 3: 1}
