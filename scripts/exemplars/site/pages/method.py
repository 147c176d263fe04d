"""Method pages: the index of the methods (群众工作方法) and one page per method, showing its text and the newest
stories of each kind that illustrate it; a kind with more stories than fit links to its full, paginated listing
(site/pages/listing.py).

Plain Python: nothing here imports MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ...model import Method, Story
from ...schema import KINDS
from ...search.records import SearchFields
from .. import urls
from ..views import Card, Link
from .base import THEME, Page
from .listing import ListingPage, listing_pages

METHOD_PAGE_CARDS = 12  # per kind on a method page; the rest are one click away, paginated
METHODS_INTRO = "methods/README.md"  # the index's own text, beside the methods it introduces


@dataclass(frozen=True)
class MethodGroup:
    """The stories of one kind on a method page."""

    kind: str
    label: str
    count: int
    cards: list[Card]  # the newest METHOD_PAGE_CARDS
    all_url: str | None  # the full listing, when there are more


@dataclass
class MethodView:
    method: Method
    groups: list[MethodGroup]
    lessons: list = field(default_factory=list)  # LessonCards of the lessons on this method


@dataclass(eq=False)
class MethodPage(Page):
    template = "exemplars/method.html"
    article = True
    view: MethodView = None


@dataclass
class MethodsIndexView:
    tiles: list  # views.MethodTile, one per method


@dataclass(eq=False)
class MethodsIndexPage(Page):
    template = "exemplars/methods.html"
    frame = THEME  # in the navigation
    view: MethodsIndexView = None


def methods_index_page(tiles: list, method_count: int, intro_text: str, render: Callable) -> MethodsIndexPage:
    url = urls.methods_index()
    return MethodsIndexPage(
        url=url,
        title="群众工作方法",
        description=f"本库按 {method_count} 种群众工作方法归类正面典型和反面典型，每个方法一页。",
        view=MethodsIndexView(tiles=tiles),
        source_path=METHODS_INTRO if intro_text else None,
        body_source=lambda: render(intro_text, METHODS_INTRO, url),
    )


def method_pages(
    method: Method, shown: list[Story], cards: dict[str, Card], render: Callable, lessons: list, page_size: int
) -> list[Page]:
    """The method's page, then the full listings of its kinds that have more stories than the page shows."""
    url = urls.method(method.id)
    groups: list[MethodGroup] = []
    listings: list[ListingPage] = []
    for kind, label in KINDS.items():
        stories = [s for s in shown if method.id in s.methods and s.kind == kind]
        all_url = urls.method_kind(method.id, kind) if len(stories) > METHOD_PAGE_CARDS else None
        groups.append(
            MethodGroup(kind, label, len(stories), [cards[s.id] for s in stories[:METHOD_PAGE_CARDS]], all_url)
        )
        if all_url:  # the rest of the group is one click away, paginated
            listings += listing_pages(
                f"{method.name}：{label}",
                all_url,
                [cards[s.id] for s in stories],
                f"{method.name}的全部{label}，共 {len(stories)} 个，按时间由新到旧排列。",
                parents=[Link(method.name, url)],
                page_size=page_size,
            )
    page = MethodPage(
        url=url,
        title=method.name,
        description=method.summary,
        view=MethodView(method=method, groups=groups, lessons=lessons),
        body_source=lambda: render(method.body, method.path, url),
        source_path=method.path,
        search=SearchFields(
            filters={"方法": [method.name]},
            meta={"kind": "method"},
            sort={"date": "0000-00-00"},
            extras=list(method.aliases),  # found by its other names too
        ),
    )
    return [page, *listings]
