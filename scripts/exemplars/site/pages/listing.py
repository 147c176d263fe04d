"""Browse pages: the browse index (by kind, region, year, domain, tag), an index page per facet (every value and
its count) and the paginated card listing of every value, region prefix and kind. Method pages use the same
listing for a kind's full list of stories (site/pages/method.py).

Plain Python: nothing here imports MkDocs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ...model import Story
from ...schema import KINDS
from .. import urls
from ..settings import DEFAULT
from ..views import Card, Link, Pager, paginate
from .base import THEME, Page


@dataclass
class ListingView:
    cards: list[Card]
    pager: Pager
    parents: list[Link]  # breadcrumbs
    children: list[Link]  # the next level down (regions), on the first page only
    children_title: str


@dataclass(eq=False)
class ListingPage(Page):
    template = "exemplars/listing.html"
    view: ListingView = None


@dataclass
class IndexView:
    links: list[Link]  # every value of the facet, with its count
    parents: list[Link]


@dataclass(eq=False)
class IndexPage(Page):
    template = "exemplars/facet.html"
    view: IndexView = None


@dataclass(frozen=True)
class BrowseSection:
    title: str
    links: list[Link]
    more: Link | None = None  # the facet's full index, when the section shows only part of it


@dataclass
class BrowseView:
    sections: list[BrowseSection] = field(default_factory=list)


@dataclass(eq=False)
class BrowsePage(Page):
    template = "exemplars/browse.html"
    frame = THEME  # in the navigation
    view: BrowseView = None


def listing_pages(
    title: str,
    base_url: str,
    items: list[Card],
    description: str,
    parents: list[Link] | None = None,
    children: list[Link] | None = None,
    children_title: str = "",
    page_size: int = DEFAULT.page_size,
) -> list[ListingPage]:
    pages = []
    for part in paginate(items, base_url, page_size):
        suffix = f"（第 {part.number} 页）" if part.number > 1 else ""
        pages.append(
            ListingPage(
                url=part.url,
                title=title + suffix,
                description=description + suffix,
                view=ListingView(
                    cards=part.items,
                    pager=part.pager,
                    parents=parents or [],
                    children=(children or []) if part.number == 1 else [],
                    children_title=children_title,
                ),
            )
        )
    return pages


def index_page(title: str, url: str, links: list[Link], parent: Link, description: str) -> IndexPage:
    return IndexPage(url=url, title=title, description=description, view=IndexView(links=links, parents=[parent]))


def browse_pages(shown: list[Story], cards: dict[str, Card], page_size: int = DEFAULT.page_size) -> list[Page]:
    pages: list[Page] = []
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
        BrowseSection("按类型", [Link(KINDS[k], urls.kind(k), len(by_kind[k])) for k in KINDS]),
        BrowseSection(
            "按地区",
            links({k: v for k, v in by_region.items() if len(k) == 1}, urls.region),
            Link("全部地区", urls.region(())),
        ),
        BrowseSection("按年份", links(by_year, urls.year, sorted(by_year, reverse=True))),
        BrowseSection("按领域", links(by_domain, urls.domain)),
        BrowseSection("按标签", links(by_tag, urls.tag)[:30], Link("全部标签", urls.tag())),
    ]
    pages.append(
        BrowsePage(
            url=urls.browse_index(),
            title="浏览",
            description=f"按类型、地区、年份、领域和标签浏览全部 {len(shown)} 个故事。",
            view=BrowseView(sections=sections),
        )
    )

    for kind, label in KINDS.items():
        stories = by_kind.get(kind, [])
        pages += listing_pages(
            label,
            urls.kind(kind),
            [cards[s.id] for s in stories],
            f"全部{label}，共 {len(stories)} 个，按时间由新到旧排列。",
            parents=[browse],
            page_size=page_size,
        )

    pages.append(
        index_page(
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
        pages += listing_pages(
            "".join(prefix[-1:]),
            urls.region(prefix),
            [cards[s.id] for s in stories],
            f"{'/'.join(prefix)}的 {len(stories)} 个故事，按时间由新到旧排列。",
            parents=parent_links,
            children=child_links,
            children_title="下一级",
            page_size=page_size,
        )

    # Years, domains and tags: an index page of counts, then a listing per value (years newest first).
    facets = (
        (
            "年份",
            "按年份浏览",
            urls.year,
            by_year,
            sorted(by_year, reverse=True),
            "每年的故事数。",
            "{v}年",
            "{v}年的 {n} 个故事。",
        ),
        (
            "领域",
            "按领域浏览",
            urls.domain,
            by_domain,
            None,
            "各民生领域的故事数。",
            "领域：{v}",
            "{v}领域的 {n} 个故事。",
        ),
        (
            "标签",
            "按标签浏览",
            urls.tag,
            by_tag,
            None,
            "全部标签及其故事数。",
            "标签：{v}",
            "标签“{v}”下的 {n} 个故事。",
        ),
    )
    for name, index_title, url_of, groups, order, index_text, title, text in facets:
        pages.append(index_page(index_title, url_of(), links(groups, url_of, order), browse, index_text))
        for value, stories in groups.items():
            pages += listing_pages(
                title.format(v=value),
                url_of(value),
                [cards[s.id] for s in stories],
                text.format(v=value, n=len(stories)),
                parents=[browse, Link(name, url_of())],
                page_size=page_size,
            )
    return pages
