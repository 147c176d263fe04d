"""The page types (site/pages/): one class per type, typed view models, one template contract, one home for
"shown in preview", and no function-level imports (tests/test_architecture.py checks cycles and MkDocs)."""

from __future__ import annotations

import ast
import dataclasses
import re

import pytest
from conftest import REPO

from exemplars.library import load_library
from exemplars.site import visibility
from exemplars.site.cite import CitationIndex
from exemplars.site.pages import DOCUMENT, SHELL, THEME, Page, build_site, story_share_codes
from exemplars.site.pages.errors import ErrorsPage
from exemplars.site.pages.lesson import HandoutPage, LessonPage
from exemplars.site.pages.redirect import RedirectPage
from exemplars.site.pages.story import StoryPage, WithdrawnPage

PAGES = REPO / "scripts" / "exemplars" / "site" / "pages"
TEMPLATES = REPO / "overrides"
COLOUR = "#123456"


def fake_render(body: str, path: str, url: str) -> str:
    return f"<p>{path} for {url}</p>"


@pytest.fixture(scope="module")
def library():
    return load_library(REPO)


@pytest.fixture(scope="module")
def public(library):
    return build_site(
        library, fake_render, site_base="https://example.org/", edit_base="https://forge/edit/", chart_colour=COLOUR
    )


@pytest.fixture(scope="module")
def preview(library):
    return build_site(
        library, fake_render, preview=True, diagnostics=[], site_base="https://example.org/", chart_colour=COLOUR
    )


def page_types() -> list[type[Page]]:
    found, todo = [], [Page]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        found.append(cls)
    return found


def test_every_page_type_has_a_template_with_a_content_block_and_a_typed_view(public):
    kinds = {type(page) for page in public.pages}
    for cls in page_types():
        if cls is Page or cls.frame == DOCUMENT:
            continue
        template = TEMPLATES / cls.template
        assert template.is_file(), f"{cls.__name__}: no template {cls.template}"
        assert "{% block content %}" in template.read_text(encoding="utf-8"), template
        view_type = {f.name: f.type for f in dataclasses.fields(cls)}["view"]  # a string: postponed annotations
        assert view_type not in ("Any", "dict", "object"), f"{cls.__name__}.view is untyped: {view_type}"
    built = {cls.__name__ for cls in kinds}
    for name in ("StoryPage", "MethodPage", "ListingPage", "LessonPage", "HandoutPage", "StatsPage", "RedirectPage"):
        assert name in built, f"the sample library builds no {name}"


def test_templates_read_the_one_contract_not_the_old_injected_names():
    old = re.compile(r"\bx\.|\bx_(preview|error_count|share_meta)\b|\{\{ x\b")
    for template in [TEMPLATES / "main.html", *sorted((TEMPLATES / "exemplars").glob("*.html"))]:
        text = template.read_text(encoding="utf-8")
        assert not old.search(text), f"{template.name} reads an injected name: {old.search(text).group(0)}"
        if template.parent.name == "exemplars" and template.name not in ("home.html", "frame.html"):
            # a generated page's body is `content`; `page` is the Page itself, which has no rendered content
            assert "page.content" not in text, template.name


def test_frames_are_what_the_chrome_needs(public):
    frames = {page.url: page.frame for page in public.pages}
    for url in ("methods/", "browse/", "lessons/", "stats/", "search/"):  # named by mkdocs.yml's nav, or search
        assert frames[url] == THEME, url
    assert all(p.frame == SHELL for p in public.pages if isinstance(p, StoryPage))
    assert all(p.frame == DOCUMENT for p in public.pages if isinstance(p, RedirectPage))
    assert any(isinstance(p, RedirectPage) for p in public.pages), "the sample library has an old id"


def test_a_handout_prints_each_story_from_that_story_pages_own_view(public):
    story_views = {id(p.view) for p in public.pages if isinstance(p, StoryPage)}
    handouts = [p for p in public.pages if isinstance(p, HandoutPage)]
    assert handouts and all(h.view.texts for h in handouts)
    for handout in handouts:
        for text in handout.view.texts:
            assert id(text.view) in story_views, f"{handout.url}: {text.view.story.id} has a view of its own"
            assert text.qr == f"stories/{text.view.story.id}/qr.svg"


def test_drafts_and_stories_under_review_are_pages_only_in_the_preview(library, public, preview):
    hidden = [s for s in library.stories if s.status in visibility.PREVIEW_ONLY]
    assert hidden, "the sample library has drafts or stories under review"
    public_urls = {p.url for p in public.pages}
    preview_urls = {p.url for p in preview.pages}
    for story in hidden:
        assert f"stories/{story.id}/" not in public_urls
        assert f"stories/{story.id}/" in preview_urls
    for page in preview.pages:
        if isinstance(page, (StoryPage, LessonPage)):
            assert page.shown(True)
            record = page.view.story if isinstance(page, StoryPage) else page.view.lesson
            assert page.shown(False) == (record.status == "published"), page.url
    # citation cards follow the same rule
    draft = hidden[0]
    assert CitationIndex(library, preview=False)("story", draft.id) is None
    assert CitationIndex(library, preview=True)("story", draft.id) is not None
    assert ErrorsPage(url="_errors/", title="t", description="d").shown(True)
    assert not ErrorsPage(url="_errors/", title="t", description="d").shown(False)


def test_visibility_rule():
    assert visibility.shown("published", False) and visibility.shown("published", True)
    assert visibility.shown("draft", True) and visibility.shown("review", True)
    assert not visibility.shown("draft", False) and not visibility.shown("review", False)
    assert not visibility.shown("withdrawn", True)


def test_withdrawn_notices_and_redirects_stay_out_of_search_engines(public):
    for page in public.pages:
        assert page.noindex == isinstance(page, (WithdrawnPage, RedirectPage)), page.url


def test_pages_from_a_file_link_to_editing_it(public, preview):
    with_source = [p for p in public.pages if p.source_path]
    assert with_source
    assert all(p.edit_url == "https://forge/edit/" + p.source_path for p in with_source)
    assert all(p.edit_url is None for p in public.pages if not p.source_path)
    assert all(p.edit_url is None for p in preview.pages)  # no edit_base given


def test_page_modules_import_at_the_top_only():
    """No function-level import (the way the old pages.py <-> lessons.py cycle was dodged)."""
    for path in sorted(PAGES.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                inner = [n for n in ast.walk(node) if isinstance(n, (ast.Import, ast.ImportFrom))]
                assert not inner, f"{path.name}:{inner[0].lineno}: import inside {node.name}()"


@pytest.mark.parametrize("mode", ["public", "preview"])
def test_the_story_share_codes_known_early_are_the_ones_the_pages_get(library, public, preview, mode):
    """A build draws the stories' QR codes from the loaded library, before the pages exist (site/qr.py DrawAhead):
    every one is a code a shown story's page has, with the same URL, and every story page's code is among them."""
    site = public if mode == "public" else preview
    early = story_share_codes(library, mode == "preview", "https://example.org/")
    stories = {page.view.share.qr: page.view.share.url for page in site.pages if isinstance(page, StoryPage)}
    assert early and early == stories
    assert early.items() <= site.qr_codes.items()
