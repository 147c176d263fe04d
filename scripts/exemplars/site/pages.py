"""The pages a Library publishes, as specs: URL, title, template, description and a view model.

`build_site` does the whole-library work once (groupings, counts, related-story buckets); each spec then holds
only what its own page shows, so rendering stays linear in the number of stories.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Callable

from ..diagnostics import Diagnostic
from ..library import Library
from ..media import cover_ref
from ..model import Story
from ..schema import KINDS
from ..search.records import SearchFields
from . import urls
from .images import MediaIndex, cover_view
from .settings import DEFAULT, Settings
from .share import share_box
from .share_meta import ShareImage
from .stats import dashboard
from .views import Card, Link, RelatedIndex, card, format_date, method_tiles, paginate, region_links
from .word import STORY_FILE, DocxJob, story_part

METHOD_PAGE_CARDS = 12  # per kind on a method page; the rest are one click away, paginated
HOME_NEWEST = 8
HOME_FEATURED = 4


_UNSET = object()


class Deferred:
    """A view-model value worked out only when its page is rendered, once. For what a page shows but its search
    record does not need (related stories): a build then does that work while Pagefind indexes, not before
    Pagefind gets its first record. Its repr is the value's, so serve's change key still sees the content."""

    __slots__ = ("_compute", "_value")

    def __init__(self, compute: Callable[[], object]) -> None:
        self._compute, self._value = compute, _UNSET

    def value(self) -> object:
        if self._value is _UNSET:
            self._value = self._compute()
        return self._value

    def __repr__(self) -> str:
        return repr(self.value())


@dataclass
class PageSpec:
    url: str  # site-relative directory URL, e.g. "stories/x/"
    title: str
    template: str
    description: str
    context: dict = field(default_factory=dict)
    render_body: Callable[[], str] | None = None  # HTML of the page's own text, rendered when the page is built
    source_path: str | None = None  # repository file behind the page (edit link, serve-mode errors)
    search: SearchFields | None = None  # set for pages whose text is indexed (stories, methods, lessons)
    bulk: bool = False  # one of many alike pages: filled into a pre-rendered shell instead of a full theme render
    article: bool = False  # a story, method or lesson: shared as an Open Graph `article` (site/share_meta.py)

    def view(self) -> dict:
        """The template's view model: `context` with every Deferred value worked out."""
        return {key: value.value() if isinstance(value, Deferred) else value for key, value in self.context.items()}


@dataclass
class Site:
    pages: list[PageSpec]
    redirects: dict[str, str]  # old URL → new URL
    home: dict  # view model added to the hand-written home page
    qr_codes: dict[str, str] = field(default_factory=dict)  # site-relative QR code file → the URL it encodes
    docx: dict = field(default_factory=dict)  # site-relative .docx file → its DocxJob (site/word.py)


def build_site(
    library: Library,
    render: Callable[[str, str, str], str],
    preview: bool = False,
    diagnostics: list[Diagnostic] | None = None,
    site_base: str | None = None,
    images: MediaIndex | None = None,
    handout_docx: bool = True,
    story_docx: bool = False,
    *,
    chart_colour: str,
    settings: Settings = DEFAULT,
) -> Site:
    """All page specs for `library`. `render(body, source_path, page_url)` turns a Markdown body into HTML.
    With `site_base` (the site's absolute URL) story and lesson pages get a share box with a QR code.

    In preview (`make serve`) drafts and stories under review are published too, marked as such, and
    checker diagnostics ride along to the pages they concern. With `handout_docx` (the default) every lesson gets
    a Word handout; with `story_docx` every shown story gets its own .docx too (opt-in: ~15 ms a story cold).
    `chart_colour` fills the 库情 page's charts: the theme's primary colour (`site.charts.theme_colour`).
    `settings` (site/settings.py): listing page size, the site's name in citation lines.
    """
    shown = sorted(
        (s for s in library.stories if s.is_public or (preview and s.status in ("draft", "review"))),
        key=lambda s: (-s.date.toordinal(), s.id),
    )
    problems: dict[str, list[Diagnostic]] = defaultdict(list)
    for diag in diagnostics or []:
        problems[diag.path].append(diag)
    cards = {s.id: card(s, library) for s in shown}
    related = RelatedIndex.build(shown)
    pages: list[PageSpec] = []
    from .lessons import build_lessons  # it builds PageSpecs, defined here

    lessons = build_lessons(
        library, cards, render, preview, site_base, problems, handout_docx, site_name=settings.site_title
    )
    qr_codes = dict(lessons.qr_codes)
    docx = dict(lessons.docx)
    for story in shown:
        spec = _story_page(story, library, cards, related, render, problems.get(story.path, []))
        if images is not None and story.cover:
            published = images.get(cover_ref(story.path, story.cover, 1, images.root).path)
            spec.context["cover"] = cover_view(published, spec.url, story.cover_alt or story.title)
            if published is not None:
                share = published.share
                spec.context["share_image"] = ShareImage(
                    share.url, share.width, share.height, spec.context["cover"].alt
                )
        spec.context["lessons"] = lessons.by_story.get(story.id, [])
        if site_base:
            spec.context["share"] = share = share_box(story.title, spec.url, site_base, settings.site_title)
            qr_codes[share.qr] = share.url
        if story_docx:
            spec.context["docx"] = urls.story(story.id) + STORY_FILE
            docx[spec.context["docx"]] = DocxJob("story", story_part(story, library, render, spec.url, site_base))
        pages.append(spec)
    withdrawn = library.withdrawn_stories()
    pages.extend(_withdrawn_page(story) for story in withdrawn)

    counts = Counter((m, s.kind) for s in shown for m in s.methods)
    tiles = method_tiles(library, counts)
    intro = library.root / "methods" / "README.md"  # the index's own text, beside the methods it introduces
    intro_text = intro.read_text(encoding="utf-8") if intro.is_file() else ""
    pages.append(
        PageSpec(
            url=urls.methods_index(),
            title="群众工作方法",
            template="exemplars/methods.html",
            description=f"本库按 {len(library.methods)} 种群众工作方法归类正面典型和反面典型，每个方法一页。",
            context={"tiles": tiles},
            source_path="methods/README.md" if intro_text else None,
            render_body=lambda: render(intro_text, "methods/README.md", urls.methods_index()),
        )
    )
    for method in library.methods:
        method_pages = _method_pages(method, shown, cards, render, settings.page_size)
        method_pages[0].context["lessons"] = lessons.by_method.get(method.id, [])
        pages.extend(method_pages)
    pages.extend(lessons.pages)

    pages.extend(_browse_pages(shown, cards, settings.page_size))
    redirects = {urls.story(alias): urls.story(s.id) for s in (*shown, *withdrawn) for alias in s.aliases}
    redirects.update(lessons.redirects)
    pages.append(
        PageSpec(
            url=urls.stats(),
            title="库情",
            template="exemplars/stats.html",
            description="故事库的覆盖情况：各方法正反面典型数、各省和各年份的故事数、待更新和只有一个来源的故事。",
            context={"dashboard": dashboard(library, chart_colour)},
        )
    )
    pages.append(
        PageSpec(
            url=urls.search(),
            title="搜索",
            template="exemplars/search.html",
            description="在全部故事中搜索，并按方法、类型、省份和年份筛选。",
            context={"method_order": [m.name for m in library.methods]},
        )
    )
    if preview and diagnostics:
        pages.append(
            PageSpec(
                url="_errors/",
                title="故事库检查结果",
                template="exemplars/errors.html",
                description="故事库的检查错误和警告。",
                context={"diagnostics": diagnostics},
            )
        )
    home = {
        "tiles": tiles,
        "newest": [cards[s.id] for s in shown[:HOME_NEWEST]],
        "featured": [cards[s.id] for s in shown if s.featured][:HOME_FEATURED],
        "total": len(shown),
        "kinds": [Link(label, urls.kind(k), sum(1 for s in shown if s.kind == k)) for k, label in KINDS.items()],
    }
    return Site(pages=pages, redirects=redirects, home=home, qr_codes=qr_codes, docx=docx)


def _withdrawn_page(story: Story) -> PageSpec:
    """A withdrawn story keeps its URL (lessons, slides and other sites cite it) but shows only a notice."""
    return PageSpec(
        url=urls.story(story.id),
        title=story.title,
        template="exemplars/withdrawn.html",
        description="此故事已撤回。",
        context={"story": story, "updated": format_date(story.updated) if story.updated else None, "noindex": True},
    )


def _story_page(
    story: Story, library: Library, cards: dict[str, Card], related: RelatedIndex, render, problems: list[Diagnostic]
) -> PageSpec:
    url = urls.story(story.id)
    context = {
        "story": story,
        "card": cards[story.id],
        "methods": [Link(library.method(m).name, urls.method(m)) for m in story.methods],
        "region": region_links(story.region),
        "date": format_date(story.date),
        "updated": format_date(story.updated) if story.updated else None,
        "related": Deferred(lambda: [cards[s.id] for s in related.related(story, library) if s.id in cards]),
        "problems": problems,
    }
    return PageSpec(
        url=url,
        title=story.title,
        template="exemplars/story.html",
        description=story.summary or story.title,
        context=context,
        render_body=lambda: render(story.body, story.path, url),
        source_path=story.path,
        bulk=True,
        article=True,
        search=SearchFields(
            filters={
                "方法": [library.method(m).name for m in story.methods],
                "类型": [story.kind_label],
                "省份": [story.province],
                "年份": [str(story.year)],
            },
            meta={"kind": story.kind, "date": format_date(story.date), "region": " · ".join(story.region)},
            sort={"date": story.date.isoformat()},
            # Found by its place (every level), year, domains and tags too, as the result card shows them.
            extras=[*story.region, f"{story.year}年", *story.domains, *story.tags],
        ),
    )


def _method_pages(method, shown: list[Story], cards, render, page_size: int) -> list[PageSpec]:
    url = urls.method(method.id)
    groups, listings = [], []
    for kind, label in KINDS.items():
        stories = [s for s in shown if method.id in s.methods and s.kind == kind]
        all_url = urls.method_kind(method.id, kind) if len(stories) > METHOD_PAGE_CARDS else None
        groups.append(
            {
                "kind": kind,
                "label": label,
                "count": len(stories),
                "cards": [cards[s.id] for s in stories[:METHOD_PAGE_CARDS]],
                "all_url": all_url,
            }
        )
        if all_url:  # the rest of the group is one click away, paginated
            listings += _listing(
                f"{method.name}：{label}",
                all_url,
                [cards[s.id] for s in stories],
                f"{method.name}的全部{label}，共 {len(stories)} 个，按时间由新到旧排列。",
                parents=[Link(method.name, url)],
                page_size=page_size,
            )
    page = PageSpec(
        url=url,
        title=method.name,
        template="exemplars/method.html",
        description=method.summary,
        context={"method": method, "groups": groups},
        render_body=lambda: render(method.body, method.path, url),
        source_path=method.path,
        bulk=True,
        article=True,
        search=SearchFields(
            filters={"方法": [method.name]},
            meta={"kind": "method"},
            sort={"date": "0000-00-00"},
            extras=list(method.aliases),
        ),
    )  # found by its other names too
    return [page, *listings]


def _listing(
    title: str,
    base_url: str,
    items: list[Card],
    description: str,
    parents: list[Link] | None = None,
    children: list[Link] | None = None,
    children_title: str = "",
    page_size: int = DEFAULT.page_size,
) -> list[PageSpec]:
    specs = []
    for page in paginate(items, base_url, page_size):
        suffix = f"（第 {page.number} 页）" if page.number > 1 else ""
        specs.append(
            PageSpec(
                url=page.url,
                title=title + suffix,
                template="exemplars/listing.html",
                description=description + suffix,
                context={
                    "cards": page.items,
                    "pager": page.pager,
                    "parents": parents or [],
                    "children": children if page.number == 1 else [],
                    "children_title": children_title,
                },
                bulk=True,
            )
        )
    return specs


def _browse_pages(shown: list[Story], cards: dict[str, Card], page_size: int) -> list[PageSpec]:
    pages: list[PageSpec] = []
    browse = Link("浏览", urls.browse_index())

    by_kind = defaultdict(list)
    by_year = defaultdict(list)
    by_domain = defaultdict(list)
    by_tag = defaultdict(list)
    by_region = defaultdict(list)  # every prefix of a region path → stories under it
    children = defaultdict(set)
    for story in shown:
        by_kind[story.kind].append(story)
        by_year[story.year].append(story)
        for value in story.domains:
            by_domain[value].append(story)
        for value in story.tags:
            by_tag[value].append(story)
        for depth in range(1, len(story.region) + 1):
            prefix = story.region[:depth]
            by_region[prefix].append(story)
            children[prefix[:-1]].add(prefix)

    def links(groups: dict, url_of, order=None) -> list[Link]:
        keys = order or sorted(groups, key=lambda k: (-len(groups[k]), str(k)))
        return [Link(str(k) if not isinstance(k, tuple) else k[-1], url_of(k), len(groups[k])) for k in keys]

    sections = [
        {"title": "按类型", "links": [Link(KINDS[k], urls.kind(k), len(by_kind[k])) for k in KINDS]},
        {
            "title": "按地区",
            "links": links({k: v for k, v in by_region.items() if len(k) == 1}, urls.region),
            "more": Link("全部地区", urls.region(())),
        },
        {"title": "按年份", "links": links(by_year, urls.year, sorted(by_year, reverse=True))},
        {"title": "按领域", "links": links(by_domain, urls.domain)},
        {"title": "按标签", "links": links(by_tag, urls.tag)[:30], "more": Link("全部标签", urls.tag())},
    ]
    pages.append(
        PageSpec(
            url=urls.browse_index(),
            title="浏览",
            template="exemplars/browse.html",
            description=f"按类型、地区、年份、领域和标签浏览全部 {len(shown)} 个故事。",
            context={"sections": sections},
        )
    )

    for kind, label in KINDS.items():
        stories = by_kind.get(kind, [])
        pages += _listing(
            label,
            urls.kind(kind),
            [cards[s.id] for s in stories],
            f"全部{label}，共 {len(stories)} 个，按时间由新到旧排列。",
            parents=[browse],
            page_size=page_size,
        )

    pages.append(
        _index_page(
            "按地区浏览",
            urls.region(()),
            links({k: v for k, v in by_region.items() if len(k) == 1}, urls.region),
            browse,
            "各省级行政区的故事数。",
        )
    )
    for prefix, stories in by_region.items():
        parent_links = [browse, Link("地区", urls.region(()))] + [
            Link(level, urls.region(prefix[: i + 1])) for i, level in enumerate(prefix[:-1])
        ]
        child_links = [
            Link(c[-1], urls.region(c), len(by_region[c]))
            for c in sorted(children.get(prefix, ()), key=lambda c: (-len(by_region[c]), c))
        ]
        pages += _listing(
            "".join(prefix[-1:]),
            urls.region(prefix),
            [cards[s.id] for s in stories],
            f"{'/'.join(prefix)}的 {len(stories)} 个故事，按时间由新到旧排列。",
            parents=parent_links,
            children=child_links,
            children_title="下一级",
            page_size=page_size,
        )

    pages.append(
        _index_page(
            "按年份浏览",
            urls.year(),
            links(by_year, urls.year, sorted(by_year, reverse=True)),
            browse,
            "每年的故事数。",
        )
    )
    for value, stories in by_year.items():
        pages += _listing(
            f"{value}年",
            urls.year(value),
            [cards[s.id] for s in stories],
            f"{value}年的 {len(stories)} 个故事。",
            parents=[browse, Link("年份", urls.year())],
            page_size=page_size,
        )
    pages.append(
        _index_page("按领域浏览", urls.domain(), links(by_domain, urls.domain), browse, "各民生领域的故事数。")
    )
    for value, stories in by_domain.items():
        pages += _listing(
            f"领域：{value}",
            urls.domain(value),
            [cards[s.id] for s in stories],
            f"{value}领域的 {len(stories)} 个故事。",
            parents=[browse, Link("领域", urls.domain())],
            page_size=page_size,
        )
    pages.append(_index_page("按标签浏览", urls.tag(), links(by_tag, urls.tag), browse, "全部标签及其故事数。"))
    for value, stories in by_tag.items():
        pages += _listing(
            f"标签：{value}",
            urls.tag(value),
            [cards[s.id] for s in stories],
            f"标签“{value}”下的 {len(stories)} 个故事。",
            parents=[browse, Link("标签", urls.tag())],
            page_size=page_size,
        )
    return pages


def _index_page(title: str, url: str, links: list[Link], parent: Link, description: str) -> PageSpec:
    return PageSpec(
        url=url,
        title=title,
        template="exemplars/index.html",
        description=description,
        context={"links": links, "parents": [parent]},
        bulk=True,
    )
