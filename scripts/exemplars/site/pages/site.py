"""The whole site as pages: `build_site` turns a checked Library into every page of every type, in the order the
build writes them, with the home page's view model, the QR codes and the Word files the pages link to.

It does the whole-library work once (which stories are shown, cards, groupings, counts, related-story buckets);
each page then holds only what it shows, so building stays linear in the number of stories.

Plain Python: nothing here imports MkDocs.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Callable

from ...diagnostics import Diagnostic
from ...library import Library
from ...media import cover_ref
from ...schema import KINDS
from ...search.shards import ShardKey, ShardPlan, plan_shards
from .. import urls, visibility
from ..images import MediaIndex, cover_view
from ..settings import DEFAULT, Settings
from ..share import share_box
from ..share_meta import ShareImage
from ..views import Card, Link, RelatedIndex, card, method_tiles
from ..word import STORY_FILE, DocxJob, story_part
from .base import Page
from .errors import errors_page
from .lesson import lesson_index, lesson_pages
from .listing import browse_pages
from .method import METHODS_INTRO, method_pages, methods_index_page
from .redirect import redirect_pages
from .search import search_page
from .stats import stats_page
from .story import StoryPage, story_page, story_view, withdrawn_page

HOME_NEWEST = 8
HOME_FEATURED = 4


@dataclass
class HomeView:
    """What the hand-written home page (docs/index.md, template home.html) shows besides its own text."""

    tiles: list  # views.MethodTile per method
    newest: list[Card]
    featured: list[Card]
    total: int
    kinds: list[Link]  # per kind: its listing and its count


@dataclass
class Site:
    pages: list[Page]  # in writing order; redirects last
    home: HomeView
    qr_codes: dict[str, str] = field(default_factory=dict)  # site-relative QR code file → the URL it encodes
    docx: dict = field(default_factory=dict)  # site-relative .docx file → its DocxJob (site/word.py)
    shards: ShardPlan = field(default_factory=lambda: ShardPlan(size=1))  # the search shards (search/shards.py)


def shard_plan(pages: list[Page], size: int) -> ShardPlan:
    """Which search shard each searchable page is indexed in (search/shards.py); the shards are merged into one
    bundle for the site (search/merge.py)."""
    return plan_shards((ShardKey(page.url, page.search.published) for page in pages if page.search is not None), size)


def _shown(library: Library, preview: bool):
    return (s for s in library.stories if visibility.shown(s.status, preview))


def story_share_codes(library: Library, preview: bool, site_base: str) -> dict[str, str]:
    """The QR codes of the shown stories' share boxes (file → URL), as build_site makes them, known as soon as the
    library is loaded: a build starts drawing them (site/qr.py DrawAhead) while it plans the pages."""
    boxes = (share_box("", urls.story(story.id), site_base) for story in _shown(library, preview))
    return {box.qr: box.url for box in boxes}


def build_site(
    library: Library,
    render: Callable[[str, str, str], str],
    preview: bool = False,
    diagnostics: list[Diagnostic] | None = None,
    site_base: str | None = None,
    images: MediaIndex | None = None,
    handout_docx: bool = True,
    story_docx: bool = False,
    edit_base: str | None = None,
    *,
    chart_colour: str,
    settings: Settings = DEFAULT,
) -> Site:
    """All pages for `library`. `render(body, source_path, page_url)` turns a Markdown body into HTML.
    With `site_base` (the site's absolute URL) story and lesson pages get a share box with a QR code; with
    `edit_base` (the forge's edit address, ending in "/") pages from a file link to editing it.

    In preview (`make serve`) drafts and stories under review are published too, marked as such, and
    checker diagnostics ride along to the pages they concern. With `handout_docx` (the default) every lesson gets
    a Word handout; with `story_docx` every shown story gets its own .docx too (opt-in: ~15 ms a story cold).
    `chart_colour` fills the 库情 page's charts: the theme's primary colour (`site.charts.theme_colour`).
    `settings` (site/settings.py): listing page size, the site's name in citation lines.
    """
    shown = sorted(_shown(library, preview), key=lambda s: (-s.date.toordinal(), s.id))
    problems: dict[str, list[Diagnostic]] = defaultdict(list)
    for diag in diagnostics or []:
        problems[diag.path].append(diag)
    cards = {s.id: card(s, library) for s in shown}
    related = RelatedIndex.build(shown)
    lessons = lesson_index(library, preview)
    qr_codes: dict[str, str] = {}
    docx: dict[str, DocxJob] = {}

    story_pages: list[StoryPage] = []
    for story in shown:
        view = story_view(story, library, cards, related)
        page = story_page(story, view, library, render)
        page.problems = problems.get(story.path, [])
        if images is not None and story.cover:
            published = images.get(cover_ref(story.path, story.cover, 1, images.root).path)
            view.cover = cover_view(published, page.url, story.cover_alt or story.title)
            if published is not None:
                share = published.share
                page.share_image = ShareImage(share.url, share.width, share.height, view.cover.alt)
        view.lessons = lessons.by_story.get(story.id, [])
        if site_base:
            view.share = share = share_box(story.title, page.url, site_base, settings.site_title)
            qr_codes[share.qr] = share.url
        if story_docx:
            view.docx = urls.story(story.id) + STORY_FILE
            docx[view.docx] = DocxJob("story", story_part(story, library, render, page.url, site_base))
        story_pages.append(page)
    story_views = {page.view.story.id: page.view for page in story_pages}
    lesson_site = lesson_pages(
        lessons, library, story_views, render, site_base, problems, handout_docx, site_name=settings.site_title
    )
    qr_codes = {**lesson_site.qr_codes, **qr_codes}
    docx = {**lesson_site.docx, **docx}

    pages: list[Page] = [*story_pages]
    withdrawn = library.withdrawn_stories()
    pages.extend(withdrawn_page(story) for story in withdrawn)
    counts = Counter((m, s.kind) for s in shown for m in s.methods)
    tiles = method_tiles(library, counts)
    intro = library.root / METHODS_INTRO
    intro_text = intro.read_text(encoding="utf-8") if intro.is_file() else ""
    pages.append(methods_index_page(tiles, len(library.methods), intro_text, render))
    for method in library.methods:
        pages.extend(
            method_pages(method, shown, cards, render, lessons.by_method.get(method.id, []), settings.page_size)
        )
    pages.extend(lesson_site.pages)
    pages.extend(browse_pages(shown, cards, settings.page_size))
    pages.append(stats_page(library, chart_colour))
    pages.append(search_page(library))
    if diagnostics:
        pages.append(errors_page(diagnostics))
    redirects = {urls.story(alias): urls.story(s.id) for s in (*shown, *withdrawn) for alias in s.aliases}
    redirects.update(lesson_site.redirects)
    pages.extend(redirect_pages(redirects))
    pages = [page for page in pages if page.shown(preview)]
    shards = shard_plan(pages, settings.search_shard_size)
    if edit_base:
        for page in pages:
            if page.source_path:
                page.edit_url = edit_base + page.source_path

    home = HomeView(
        tiles=tiles,
        newest=[cards[s.id] for s in shown[:HOME_NEWEST]],
        featured=[cards[s.id] for s in shown if s.featured][:HOME_FEATURED],
        total=len(shown),
        kinds=[Link(label, urls.kind(k), sum(1 for s in shown if s.kind == k)) for k, label in KINDS.items()],
    )
    return Site(pages=pages, home=home, qr_codes=qr_codes, docx=docx, shards=shards)
