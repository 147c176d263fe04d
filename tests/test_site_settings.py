"""The site settings of mkdocs.yml (exemplars/config.py, site/settings.py): a changed option really changes the
built site, and a wrong value stops the build with mkdocs.yml's line and what to write, in Chinese.

One build of the sample library (stories, methods, lessons: every page type) with several options changed at
once: one card per listing page, stories under anli/ instead of stories/, one story per feed, another site name.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from conftest import REPO
from lxml import etree
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from sitebuild import build_site, html_files, listing_urls, make_project, page, parse, resolve_link

from exemplars.library import load_library
from exemplars.site import urls
from exemplars.site.settings import DEFAULT

OPTIONS = """  - exemplars:
      page_size: 1
      story_url: anli/
      feed_size: 1
      site_title: 测试案例库
"""


def with_options(root: Path, options: str) -> Path:
    """`root` made buildable, its mkdocs.yml's plain `- exemplars` replaced by `options`; returns mkdocs.yml."""
    config = make_project(root)
    text = config.read_text(encoding="utf-8")
    assert "  - exemplars\n" in text
    config.write_text(text.replace("  - exemplars\n", options), encoding="utf-8")
    return config


@pytest.fixture(scope="module")
def configured(tmp_path_factory):
    """(library, site) of the sample library built with OPTIONS."""
    root = tmp_path_factory.mktemp("settings") / "lib"
    for folder in ("stories", "methods", "lessons"):
        shutil.copytree(REPO / folder, root / folder)
    with_options(root, OPTIONS)
    site = build_site(root, tmp_path_factory.mktemp("settings-site") / "site")
    return load_library(root), site


def test_the_defaults_are_the_site_as_it_was():
    assert (DEFAULT.story_url, DEFAULT.method_url, DEFAULT.lesson_url, DEFAULT.browse_url) == (
        "stories/",
        "methods/",
        "lessons/",
        "browse/",
    )
    assert (DEFAULT.page_size, DEFAULT.feed_size, DEFAULT.site_title) == (50, 50, "典型示范故事库")


def test_one_card_per_page_gives_one_listing_page_per_story(configured):
    library, site = configured
    for kind in ("exemplar", "cautionary"):
        shown = sorted(
            (s for s in library.stories if s.is_public and s.kind == kind), key=lambda s: (-s.date.toordinal(), s.id)
        )
        assert len(shown) >= 1
        assert listing_urls(site, f"browse/kind/{kind}/") == [f"anli/{s.id}/" for s in shown]
        pages = list((site / "browse" / "kind" / kind / "page").glob("*/index.html"))
        assert len(pages) + 1 == len(shown)  # page 1 is the listing's own URL
        for file in [page(site, f"browse/kind/{kind}/"), *pages]:
            assert len(parse(file).select("li.ex-card")) == 1


def test_a_story_url_prefix_moves_story_pages_and_every_link_to_them(configured):
    library, site = configured
    public = [s for s in library.stories if s.is_public]
    assert public
    for story in public:
        assert page(site, f"anli/{story.id}/").is_file()
    assert not (site / "stories").exists()
    followed = 0
    for file in html_files(site):
        for element in parse(file).select("a[href]"):
            href = element["href"]
            target = resolve_link(site, file, href)
            if target is None:
                continue
            rel = target.relative_to(site.resolve()).as_posix()
            assert not rel.startswith("stories/"), f"{file.relative_to(site)}: {href}"
            followed += rel.startswith("anli/")
    assert followed >= 3 * len(public)  # cards on the home page, listings, method pages
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert all(f"anli/{s.id}/" in sitemap for s in public) and "/stories/" not in sitemap


def test_feed_size_and_site_title_reach_the_feeds_and_the_citation_line(configured):
    library, site = configured
    feed = etree.parse(str(site / "feed.atom.xml"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert feed.findtext("a:title", namespaces=ns) == "测试案例库"
    assert feed.findtext("a:author/a:name", namespaces=ns) == "测试案例库"
    entries = feed.findall("a:entry", namespaces=ns)
    assert len(entries) == 1 and "/anli/" in entries[0].findtext("a:id", namespaces=ns)
    newest = library.newest_published()[0]
    box = parse(page(site, f"anli/{newest.id}/")).select_one(".ex-share")
    assert f"《{newest.title}》，测试案例库，" in box.get_text()


def test_the_build_puts_the_default_urls_back_when_it_ends(configured):
    assert urls.story("x") == "stories/x/" and urls.browse_index() == "browse/"


def _config_errors(config: Path, caplog) -> str:
    caplog.set_level(logging.ERROR, logger="mkdocs")
    with pytest.raises(Abort):
        load_config(config_file=str(config))
    return "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)


@pytest.mark.parametrize(
    ("option", "shown", "need"),
    [
        ("page_size: 很多", "“很多”", "应为正整数（每个列表页的故事数）"),
        ("page_size: 0", "0", "应为正整数（每个列表页的故事数）"),
        ("feed_size: true", "True", "应为正整数（每个订阅源的故事数）"),
        ("story_url: /gushi", "“/gushi”", "应为以斜杠结尾的网址前缀"),
        ("site_title: ''", "“”", "应为非空的文字（网站名称）"),
        # reader-visible text holding a mobile number (full-width here): refused, and the message masks it
        (
            "feed_subtitle: 咨询电话１３８１２３４５６７８",
            "“咨询电话138****5678”",
            "应为不含身份证号或手机号的文字",
        ),
        ("site_title: 典型库 13812345678", "“典型库 138****5678”", "应为不含身份证号或手机号的文字"),
    ],
)
def test_a_wrong_value_names_the_line_what_it_takes_and_an_example(library_copy, caplog, option, shown, need):
    config = with_options(library_copy(), f"  - exemplars:\n      {option}\n")
    line = config.read_text(encoding="utf-8").splitlines().index(f"      {option}") + 1
    key = option.split(":")[0]
    errors = _config_errors(config, caplog)
    assert f"mkdocs.yml:{line}: 错误：exemplars 插件的设置 `{key}` 是 {shown}，{need}" in errors
    assert f"改成例如 `{key}: " in errors and "或删去这一行用默认值" in errors


def test_a_number_in_reader_text_is_never_echoed(library_copy, caplog):
    config = with_options(library_copy(), "  - exemplars:\n      site_title: 联系１３８１２３４５６７８\n")
    errors = _config_errors(config, caplog)
    assert "138****5678" in errors
    assert "12345678" not in errors and "１２３４５６７８" not in errors and "13812345678" not in errors


def test_two_url_prefixes_that_collide_are_refused(library_copy, caplog):
    config = with_options(library_copy(), "  - exemplars:\n      story_url: methods/cases/\n")
    errors = _config_errors(config, caplog)
    assert "`story_url` 是 “methods/cases/”，应为与 `method_url`（methods/）不同、也不在它下面的前缀" in errors
