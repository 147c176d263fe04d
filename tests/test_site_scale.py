"""The site at 1,000 stories: pages stay small (no page carries the whole library), listings paginate.

A story page's weight apart from its own text must not grow with the library; listing pages are bounded by
pagination. Build time and output size are printed for the record, not asserted (machines differ).
"""

from __future__ import annotations

import time
from pathlib import Path

import lxml.html
import pytest
from conftest import REPO
from expected import stories_by_method
from sitebuild import build_site, group_urls, html_files, page, parse

from exemplars.library import load_library
from exemplars.synth import make_library

STORIES = 1000
STORY_PAGE_LIMIT = 60 * 1024  # bytes, the page minus the story's own rendered text
LISTING_LIMIT = 200 * 1024  # bytes, any page under browse/ or methods/

pytestmark = pytest.mark.slow


def story_body_html(raw: bytes) -> str:
    """Inner HTML of the page's `div.ex-story__body` (lxml: a thousand pages through BeautifulSoup is slow)."""
    bodies = lxml.html.fromstring(raw).find_class("ex-story__body")
    assert len(bodies) == 1, "a story page has exactly one div.ex-story__body"
    body = bodies[0]
    assert body.tag == "div"
    return (body.text or "") + "".join(lxml.html.tostring(child, encoding="unicode") for child in body)


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> tuple[Path, Path, float]:
    """(library root, built site, build seconds)."""
    tmp = tmp_path_factory.mktemp("scale")
    root = make_library(tmp / "lib", STORIES, REPO)
    start = time.perf_counter()
    site = build_site(root, tmp / "site")
    return root, site, time.perf_counter() - start


def test_a_thousand_story_site_stays_small_and_paginates(big, capsys):
    _, site, seconds = big
    stories = sorted((site / "stories").glob("*/index.html"))
    assert len(stories) == STORIES

    heavy, largest = [], 0
    for file in stories:
        raw = file.read_bytes()
        own_text = len(story_body_html(raw).encode("utf-8"))
        largest = max(largest, len(raw) - own_text)
        if len(raw) - own_text >= STORY_PAGE_LIMIT:
            heavy.append((file.parent.name, len(raw) - own_text))
    assert heavy == [], f"story pages over {STORY_PAGE_LIMIT} bytes without their own text: {heavy[:10]}"

    listings = [f for folder in ("browse", "methods") for f in html_files(site / folder)]
    assert len(listings) > 100
    too_big = [(f.relative_to(site).as_posix(), f.stat().st_size) for f in listings if f.stat().st_size > LISTING_LIMIT]
    assert too_big == [], too_big

    assert page(site, "browse/kind/exemplar/page/2/").is_file()
    second = parse(page(site, "browse/kind/exemplar/page/2/"))
    assert second.select("li.ex-card"), "page 2 of the exemplar listing has no cards"

    total = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
    with capsys.disabled():
        print(
            f"\n[scale] {STORIES} stories: build {seconds:.1f} s, output {total / 1e6:.1f} MB "
            f"({len(html_files(site))} HTML files); largest story page without its text {largest / 1024:.1f} KB, "
            f"largest listing {max(f.stat().st_size for f in listings) / 1024:.1f} KB"
        )


def test_method_pages_show_the_newest_and_link_to_every_story(big):
    """At this size every method group overflows its page: the rest must be one click away, complete, in order."""
    root, site, _ = big
    library = load_library(root)
    for method in library.methods:
        for kind in ("exemplar", "cautionary"):
            expected = [f"stories/{s.id}/" for s in stories_by_method(library, method.id, kind)]
            shown, everything, count = group_urls(site, method.id, kind)
            assert len(expected) > len(shown) > 0, (method.id, kind)
            assert shown == expected[: len(shown)], (method.id, kind)
            assert everything == expected, (method.id, kind)
            assert count == f"{len(expected)} 个", (method.id, kind)
