"""The public site, built for real: MkDocs + the exemplars plugin over the fixture library and the repo's samples.

Every expectation is computed from the library model (exemplars.library), then looked up in the parsed HTML.
Builds are session-scoped and shared; only tests that need a library of their own build one.
"""

from __future__ import annotations

import gzip
import re
import shutil
from pathlib import Path

import lxml.html
import pytest
from conftest import FIXTURES, REPO, add_eighth_method
from expected import stories_by_method
from mkdocs.exceptions import Abort
from sitebuild import (
    build_site,
    card_urls,
    group_urls,
    html_files,
    listing_urls,
    make_project,
    page,
    parse,
    resolve_link,
    site_url,
    soup_of,
)

from exemplars.library import Library, load_library

KIND_LABELS = {"exemplar": "正面典型", "cautionary": "反面典型"}

# A story waiting for review: complete (passes the checker), but must stay out of the public site.
REVIEW_ID = "daishen-suifang-2023"
REVIEW_STORY = f"""---
id: {REVIEW_ID}
title: 社区医生每周上门随访独居老人
kind: exemplar
methods: [weimin-mouli]
summary: 社区医生每周上门随访独居老人，一年里没有漏过一次。
region: 河南省/郑州市/金水区
date: 2023-04-08
status: review
author: 林晓
sources:
  - title: 虚构示例：测试用待审故事
---
## 做法

医生每周二上门，量血压、送药、聊家常。
"""
DRAFT_ID = "draft-caogao-2024"  # in tests/fixtures/library
UNPUBLISHED = {DRAFT_ID: "草稿", REVIEW_ID: "待审"}


# --- session-scoped builds ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def fixture_lib(tmp_path_factory) -> Path:
    """tests/fixtures/library (as conftest's `library_copy` copies it) plus one story under review."""
    root = tmp_path_factory.mktemp("fixture") / "lib"
    shutil.copytree(FIXTURES / "library", root)
    (root / "stories" / "henan" / f"{REVIEW_ID}.md").write_text(REVIEW_STORY, encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def fixture_site(fixture_lib, tmp_path_factory) -> Path:
    return build_site(fixture_lib, tmp_path_factory.mktemp("fixture-site") / "site")


@pytest.fixture(scope="session")
def fixture_preview(fixture_lib, tmp_path_factory) -> Path:
    return build_site(fixture_lib, tmp_path_factory.mktemp("fixture-preview") / "site", preview=True)


@pytest.fixture(scope="session")
def fixture_library(fixture_lib) -> Library:
    return load_library(fixture_lib)


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The repository itself, built the way `make site` builds it (strict)."""
    return build_site(REPO, tmp_path_factory.mktemp("sample-site") / "site", strict=True)


@pytest.fixture(scope="session")
def sample_library() -> Library:
    return load_library(REPO)


@pytest.fixture(params=["fixture", "sample"])
def built(request) -> tuple[Library, Path]:
    """(library model, public site) for the fixture library and for the repo's sample library."""
    return request.getfixturevalue(f"{request.param}_library"), request.getfixturevalue(f"{request.param}_site")


# --- helpers ------------------------------------------------------------------------------------------------


def tiles(site: Path, url: str) -> list[tuple[str, str, int, int]]:
    file, soup = soup_of(site, url)
    grids = soup.select("ul.ex-tiles")
    assert len(grids) == 1, f"{url or 'home'}: {len(grids)} method grids"
    rows = []
    for tile in grids[0].select("li.ex-tile"):
        link = tile.select_one(".ex-tile__name a")
        numbers = [
            int(re.search(r"\d+", tile.select_one(f".ex-count--{k}").get_text()).group())
            for k in ("exemplar", "cautionary")
        ]
        rows.append((link.get_text(strip=True), site_url(site, file, link["href"]), *numbers))
    return rows


def expected_tiles(library: Library) -> list[tuple[str, str, int, int]]:
    return [
        (
            m.name,
            f"methods/{m.id}/",
            len(stories_by_method(library, m.id, "exemplar")),
            len(stories_by_method(library, m.id, "cautionary")),
        )
        for m in sorted(library.methods, key=lambda m: (m.order, m.id))
    ]


def texts_of_output(site: Path):
    """(file, text) for every file in the output; gzip files (sitemap, search index fragments) decompressed."""
    for file in sorted(site.rglob("*")):
        if not file.is_file():
            continue
        data = file.read_bytes()
        if data[:2] == b"\x1f\x8b":
            try:
                data = gzip.decompress(data)
            except (OSError, EOFError):
                pass
        yield file, data.decode("utf-8", errors="replace")


# --- method pages -------------------------------------------------------------------------------------------


def test_a_story_is_on_each_of_its_method_pages_in_its_own_group(built):
    library, site = built
    stories = library.public_stories()
    assert stories
    groups = {(m.id, k): group_urls(site, m.id, k)[1] for m in library.methods for k in KIND_LABELS}
    for story in stories:
        assert story.methods
        other = "cautionary" if story.kind == "exemplar" else "exemplar"
        for method_id in story.methods:
            assert f"stories/{story.id}/" in groups[(method_id, story.kind)], (story.id, method_id)
            assert f"stories/{story.id}/" not in groups[(method_id, other)], (story.id, method_id)


def test_method_groups_show_their_count_and_newest_first(built):
    library, site = built
    for method in library.methods:
        for kind, label in KIND_LABELS.items():
            expected = stories_by_method(library, method.id, kind)
            shown, everything, count = group_urls(site, method.id, kind)
            assert count == f"{len(expected)} 个", (method.id, kind)
            assert everything == [f"stories/{s.id}/" for s in expected], (method.id, kind)
            assert shown == everything[: len(shown)] and (shown or not expected), (method.id, kind)
            dates = [library.story(url.split("/")[1]).date for url in everything]
            assert dates == sorted(dates, reverse=True), f"{method.id}/{kind}: not newest first"
            heading = parse(page(site, f"methods/{method.id}/")).select_one(f"section.ex-group--{kind} h2")
            assert heading.get_text(strip=True).startswith(label)


def test_sample_method_groups_are_not_trivial(sample_library):
    """The ordering test above means something only if groups hold several stories of different dates."""
    assert any(
        len({s.date for s in stories_by_method(sample_library, m.id, k)}) >= 3
        for m in sample_library.methods
        for k in KIND_LABELS
    )


@pytest.mark.parametrize("url", ["methods/", ""], ids=["methods-index", "home"])
def test_method_grid_lists_every_method_in_order_with_counts(built, url):
    library, site = built
    assert tiles(site, url) == expected_tiles(library)


# --- unpublished stories ------------------------------------------------------------------------------------


def test_drafts_and_stories_under_review_are_nowhere_in_the_public_build(fixture_site, fixture_library):
    statuses = {s.id: s.status for s in fixture_library.stories}
    assert statuses[DRAFT_ID] == "draft" and statuses[REVIEW_ID] == "review"
    titles = {s.id: s.title for s in fixture_library.stories}
    for story_id in UNPUBLISHED:
        assert not (fixture_site / "stories" / story_id).exists(), story_id
    leaks = [
        (file.relative_to(fixture_site).as_posix(), word)
        for file, text in texts_of_output(fixture_site)
        for story_id in UNPUBLISHED
        for word in (story_id, titles[story_id])
        if word in text
    ]
    assert leaks == []
    for file in html_files(fixture_site):
        soup = parse(file)
        targets = {site_url(fixture_site, file, a["href"]) for a in soup.select("a[href]")}
        assert not targets & {f"stories/{i}/" for i in UNPUBLISHED}, file
    # Pages that exist only because of the unpublished stories are not built either.
    for url in (
        "browse/region/河南省/郑州市/",
        "browse/year/2023/",
        "browse/year/2024/",
        "browse/region/浙江省/杭州市/",
    ):
        assert not page(fixture_site, url).exists(), url
    home = parse(fixture_site / "index.html").select_one(".ex-home__stats").get_text()
    assert f"共收录 {len(fixture_library.public_stories())} 个故事" in home


def test_preview_shows_drafts_and_stories_under_review_with_a_banner(fixture_preview, fixture_library):
    for story_id, state in UNPUBLISHED.items():
        story = fixture_library.story(story_id)
        file, soup = soup_of(fixture_preview, f"stories/{story_id}/")
        banner = soup.select("p.ex-state")
        assert len(banner) == 1 and banner[0].get_text(strip=True).startswith(state), story_id
        assert soup.select_one(".ex-story__head h1").get_text(strip=True) == story.title
        for method_id in story.methods:
            mfile, msoup = soup_of(fixture_preview, f"methods/{method_id}/")
            cards = [
                c
                for c in msoup.select(f"section.ex-group--{story.kind} li.ex-card")
                if card_urls(fixture_preview, mfile, c) == [f"stories/{story_id}/"]
            ]
            assert len(cards) == 1, (story_id, method_id)
            assert cards[0].select_one(".ex-badge--state").get_text(strip=True) == state
    for story in fixture_library.public_stories():
        _, soup = soup_of(fixture_preview, f"stories/{story.id}/")
        assert soup.select("p.ex-state") == [], story.id


# --- old ids ------------------------------------------------------------------------------------------------


def test_an_old_id_redirects_to_the_story(fixture_site, fixture_library):
    assert "laozhishu-2021" in fixture_library.story("hezuo-tiaojie-2021").aliases
    file = fixture_site / "stories" / "laozhishu-2021" / "index.html"
    assert file.is_file()
    soup = parse(file)
    refresh = soup.select_one('meta[http-equiv="refresh"]')
    assert refresh is not None
    target = re.fullmatch(r"\s*0\s*;\s*url=(.+)", refresh["content"], re.IGNORECASE)
    assert target and target.group(1).strip() == "../hezuo-tiaojie-2021/"
    assert (
        resolve_link(fixture_site, file, target.group(1))
        == (fixture_site / "stories" / "hezuo-tiaojie-2021" / "index.html").resolve()
    )
    assert soup.select_one('link[rel="canonical"]')["href"].endswith("/stories/hezuo-tiaojie-2021/")


# --- broken libraries ---------------------------------------------------------------------------------------


def test_a_broken_story_stops_the_build_with_the_checkers_message(library_copy, tmp_path):
    bad = (FIXTURES / "bad" / "invalid-date.md").read_text(encoding="utf-8")
    root = library_copy({"stories/zhejiang/invalid-date.md": bad})
    with pytest.raises(Abort) as failure:
        build_site(root, tmp_path / "site")
    message = failure.value.message
    assert "E-DATE-INVALID" in message
    assert "stories/zhejiang/invalid-date.md:8" in message
    assert "故事库检查未通过" in message
    for leak in ("Traceback", 'File "', "jinja2", "Jinja", "UndefinedError"):
        assert leak not in message, leak


def test_preview_builds_a_broken_library_and_lists_the_problem(library_copy, tmp_path):
    bad = (FIXTURES / "bad" / "invalid-date.md").read_text(encoding="utf-8")
    root = library_copy({"stories/zhejiang/invalid-date.md": bad})
    # Not strict: preview (`mkdocs serve`) reports the library's errors as warnings and keeps going.
    site = build_site(root, tmp_path / "site", strict=False, preview=True)
    file, soup = soup_of(site, "_errors/")
    items = [li.get_text(" ", strip=True) for li in soup.select("ul.ex-diagnostics li")]
    assert any("E-DATE-INVALID" in item and "stories/zhejiang/invalid-date.md:8" in item for item in items), items
    announce = parse(site / "index.html").select_one(".ex-announce a")
    assert announce is not None and site_url(site, site / "index.html", announce["href"]) == "_errors/"


def test_the_public_build_has_no_preview_furniture(fixture_site):
    assert not (fixture_site / "_errors").exists()
    for file in html_files(fixture_site):
        soup = parse(file)
        assert soup.select(".ex-announce, .ex-problems, p.ex-state, .ex-badge--state") == [], file


# --- story pages --------------------------------------------------------------------------------------------


def _facts(soup, label: str):
    for dt in soup.select("dl.ex-facts dt"):
        if dt.get_text(strip=True) == label:
            return dt.find_next_sibling("dd")
    raise AssertionError(f"no {label} in dl.ex-facts")


def test_story_pages_show_the_story(built):
    library, site = built
    for story in library.public_stories():
        file, soup = soup_of(site, f"stories/{story.id}/")
        where = story.id
        assert soup.html.get("lang") == "zh", where
        description = soup.select_one('meta[name="description"]')
        assert description is not None and description["content"] == story.summary, where
        h1 = soup.select("h1")
        assert [h.get_text(strip=True) for h in h1] == [story.title], where
        kicker = soup.select_one(".ex-story__kicker")
        badge = kicker.select(f".ex-badge--{story.kind}")
        assert len(badge) == 1 and badge[0].get_text(strip=True) == KIND_LABELS[story.kind], where
        other = "cautionary" if story.kind == "exemplar" else "exemplar"
        assert kicker.select(f".ex-badge--{other}") == [], where

        methods = _facts(soup, "方法").select("a")
        assert [site_url(site, file, a["href"]) for a in methods] == [f"methods/{m}/" for m in story.methods]
        assert [a.get_text(strip=True) for a in methods] == [library.method(m).name for m in story.methods]
        for a in methods:
            assert resolve_link(site, file, a["href"]).is_file(), (where, a["href"])

        regions = _facts(soup, "地区").select("a")
        assert [a.get_text(strip=True) for a in regions] == list(story.region), where
        for depth, a in enumerate(regions, start=1):
            assert site_url(site, file, a["href"]) == "browse/region/" + "".join(
                f"{level}/" for level in story.region[:depth]
            ), (where, a["href"])
            assert resolve_link(site, file, a["href"]).is_file(), (where, a["href"])

        time = _facts(soup, "时间").select_one("time")
        assert time["datetime"] == story.date.isoformat(), where
        assert time.get_text(strip=True) == f"{story.date.year}年{story.date.month}月{story.date.day}日", where
        assert soup.select_one("p.ex-story__summary").get_text(strip=True) == story.summary, where

        sources = soup.select("section.ex-sources li")
        assert len(sources) == len(story.sources), where
        for item, source in zip(sources, story.sources):
            assert source.title in item.get_text(), where
            link = item.select_one("a")
            assert (link["href"] if link else None) == source.url, where

        note = soup.select("p.ex-sample-note")
        if story.sample:
            assert len(note) == 1 and "虚构示例" in note[0].get_text(), where
            assert kicker.select_one(".ex-badge--sample") is not None, where
        else:
            assert note == [] and kicker.select_one(".ex-badge--sample") is None, where
        assert soup.select_one("div.ex-story__body").get_text(strip=True), where


def test_both_libraries_cover_sample_and_non_sample_stories(fixture_library, sample_library):
    assert not any(s.sample for s in fixture_library.public_stories())
    assert all(s.sample for s in sample_library.public_stories())


# --- browse pages -------------------------------------------------------------------------------------------


def test_browse_pages_exist_and_count_their_stories(built):
    library, site = built
    stories = library.public_stories()
    for kind in KIND_LABELS:
        expected = [f"stories/{s.id}/" for s in stories if s.kind == kind]
        assert listing_urls(site, f"browse/kind/{kind}/") == expected, kind
    prefixes: dict[tuple[str, ...], list[str]] = {}
    for story in stories:
        for depth in range(1, len(story.region) + 1):
            prefixes.setdefault(story.region[:depth], []).append(f"stories/{story.id}/")
    for prefix, expected in prefixes.items():
        url = "browse/region/" + "".join(f"{level}/" for level in prefix)
        assert listing_urls(site, url) == expected, url
        children = {p for p in prefixes if len(p) == len(prefix) + 1 and p[:-1] == prefix}
        file, soup = soup_of(site, url)
        links = {site_url(site, file, a["href"]) for a in soup.select("section.ex-children a")}
        assert links == {url + f"{child[-1]}/" for child in children}, url
        for link in links:
            assert page(site, link).is_file(), link
    for year in {s.year for s in stories}:
        assert listing_urls(site, f"browse/year/{year}/") == [f"stories/{s.id}/" for s in stories if s.year == year], (
            year
        )
    domains = {d for s in stories for d in s.domains}
    assert domains
    for domain in domains:
        assert listing_urls(site, f"browse/domain/{domain}/") == [
            f"stories/{s.id}/" for s in stories if domain in s.domains
        ], domain


# --- the sample site as a whole -----------------------------------------------------------------------------


def broken_links(site: Path) -> list[str]:
    """Every internal href/src of every HTML file that does not resolve to a file of the output.

    Plain lxml rather than BeautifulSoup: the sample site has hundreds of pages and only attributes matter.
    """
    site = site.resolve()
    broken = []
    for file in html_files(site):
        for element in lxml.html.fromstring(file.read_bytes()).iter():
            for attr in ("href", "src"):
                ref = element.get(attr)
                if ref is None or ref.startswith("#") or re.match(r"(https?|mailto):", ref, re.IGNORECASE):
                    continue
                target = resolve_link(site, file, ref)
                if target is None or not target.is_file():
                    broken.append(f"{file.relative_to(site).as_posix()}: {attr}={ref}")
    return broken


def test_sample_site_builds_strict_and_every_internal_link_resolves(sample_site, sample_library):
    assert (sample_site / "index.html").is_file()
    assert len(html_files(sample_site)) > len(sample_library.public_stories())
    assert broken_links(sample_site) == []


@pytest.mark.parametrize("which", ["fixture_site", "fixture_preview"])
def test_fixture_sites_have_no_broken_internal_links(request, which):
    assert broken_links(request.getfixturevalue(which)) == []


def test_the_link_checker_sees_a_broken_link(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(
        '<a href="../b/">b</a><a href="../a/?q=1#x">self</a><img src="%E5%9B%BE.png"><a href="mailto:x@y">m</a>',
        encoding="utf-8",
    )
    (tmp_path / "a" / "图.png").write_bytes(b"")
    assert broken_links(tmp_path) == ["a/index.html: href=../b/"]


# --- an eighth method: data only, no code change ------------------------------------------------------------


def test_an_eighth_method_appears_on_the_site(tmp_path):
    root = tmp_path / "lib"
    for folder in ("methods", "stories"):
        shutil.copytree(REPO / folder, root / folder)
    method_id = add_eighth_method(root)  # and a story that names it by an alias, beside minzhu-xieshang
    site = build_site(root, tmp_path / "site")
    library = load_library(root)
    assert len(library.methods) == len(load_library(REPO).methods) + 1
    for url in ("methods/", ""):
        rows = tiles(site, url)
        assert rows == expected_tiles(library)
        assert rows[-1] == ("试点引路法", f"methods/{method_id}/", 1, 0), url
    shown, _, count = group_urls(site, method_id, "exemplar")
    assert shown == ["stories/shidian-2019/"] and count == "1 个"
    file, soup = soup_of(site, "stories/shidian-2019/")
    assert [site_url(site, file, a["href"]) for a in _facts(soup, "方法").select("a")] == [
        "methods/minzhu-xieshang/",
        f"methods/{method_id}/",
    ]


def test_missing_site_url_stops_the_build_with_file_and_line(library_copy, tmp_path):
    root = library_copy()
    config = make_project(root)
    text = config.read_text(encoding="utf-8")
    config.write_text(
        "\n".join('site_url: ""' if line.startswith("site_url:") else line for line in text.splitlines()) + "\n",
        encoding="utf-8",
    )
    line = next(
        n for n, t in enumerate(config.read_text(encoding="utf-8").splitlines(), 1) if t.startswith("site_url:")
    )
    with pytest.raises(Abort) as caught:
        build_site(root, tmp_path / "site")
    assert f"mkdocs.yml:{line}: 错误 E-SITE-URL" in str(caught.value)
    assert "Traceback" not in str(caught.value)


# --- Chinese emphasis -----------------------------------------------------------------------------------------
def test_bold_that_ends_in_chinese_punctuation_is_bold_on_every_sample_story(sample_site):
    """`**先立规矩。**合作社…` and `**记者：**…` are how Chinese interviews and reports mark a lead-in: the closing
    `**` sits between a punctuation mark and a character. pymdownx.betterem left such marks as literal asterisks;
    no story page may show one, and the sample's lead-ins are bold."""
    shown = {}
    for path in sorted((sample_site / "stories").glob("*/index.html")):
        article = parse(path).find("article") or parse(path)
        text = article.get_text()
        if "**" in text:
            shown[path.parent.name] = text[text.index("**") - 8 : text.index("**") + 10]
    assert not shown, f"literal ** on story pages: {shown}"
    story = parse(sample_site / "stories" / "chaqing-yijia-2016" / "index.html")
    assert "先立规矩。" in [strong.get_text() for strong in story.find_all("strong")]
