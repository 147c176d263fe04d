"""Small view values shared by several page types: cards, links, pagers (`PagerSlice`), related stories.

Each page type's own view model is a dataclass beside it in site/pages/<type>.py. Built per page from a Library,
never by walking all of it."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from operator import eq

from ..library import Library
from ..model import Story
from . import urls
from .settings import DEFAULT

PAGE_SIZE = DEFAULT.page_size  # mkdocs.yml: page_size (site/settings.py)
RELATED_COUNT = 6


@dataclass(frozen=True)
class Link:
    text: str
    url: str  # site-relative
    count: int | None = None


@dataclass(frozen=True)
class Card:
    id: str
    url: str
    title: str
    kind: str
    kind_label: str
    summary: str
    region: str
    date: str  # as readers see it: 2019年6月18日
    iso_date: str  # for <time datetime>: the shown text is not a valid HTML date, so the attribute carries one
    year: int
    methods: tuple[Link, ...]
    status: str


def card(story: Story, library: Library) -> Card:
    return Card(
        id=story.id,
        url=urls.story(story.id),
        title=story.title,
        kind=story.kind,
        kind_label=story.kind_label,
        summary=story.summary,
        region=" · ".join(story.region),
        date=format_date(story.date),
        iso_date=story.date.isoformat(),
        year=story.year,
        methods=tuple(Link(library.method(m).name, urls.method(m)) for m in story.methods),
        status=story.status,
    )


def format_date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def region_links(region: tuple[str, ...]) -> tuple[Link, ...]:
    return _region_links(region, urls.browse_index())


@functools.lru_cache(maxsize=4096)  # a library has far fewer places than stories; Links are immutable
def _region_links(region: tuple[str, ...], browse: str) -> tuple[Link, ...]:  # `browse`: the URL prefix, for the key
    return tuple(Link(level, urls.region(region[: i + 1])) for i, level in enumerate(region))


@dataclass(frozen=True)
class Pager:
    number: int
    count: int
    total: int  # items across all pages
    pages: tuple[Link, ...]  # a window of page links around the current one
    previous: str | None
    next: str | None


@dataclass(frozen=True)
class PagerSlice:
    url: str
    number: int
    items: list
    pager: Pager


def paginate(items: list, base_url: str, size: int = PAGE_SIZE) -> list[PagerSlice]:
    count = max(1, -(-len(items) // size))
    pages = []
    for number in range(1, count + 1):
        window = sorted({1, count, *range(max(1, number - 2), min(count, number + 2) + 1)})
        pager = Pager(
            number=number,
            count=count,
            total=len(items),
            pages=tuple(Link(str(n), urls.paged(base_url, n)) for n in window),
            previous=urls.paged(base_url, number - 1) if number > 1 else None,
            next=urls.paged(base_url, number + 1) if number < count else None,
        )
        pages.append(
            PagerSlice(urls.paged(base_url, number), number, items[(number - 1) * size : number * size], pager)
        )
    return pages


@dataclass
class RelatedIndex:
    """Candidates for "related stories", bucketed so that each story looks at a bounded number of others."""

    by_method_province: dict = field(default_factory=lambda: defaultdict(list))
    by_method: dict = field(default_factory=lambda: defaultdict(list))
    by_province: dict = field(default_factory=lambda: defaultdict(list))
    # Per story id, what the ranking compares, worked out once rather than for each of ~90 candidates of each story
    # (900,000 comparisons at 10,000 stories): its methods as bits of an integer, and its date's day number.
    method_bits: dict[str, int] = field(default_factory=dict)
    days: dict[str, int] = field(default_factory=dict)
    _bit: dict[str, int] = field(default_factory=dict)

    @classmethod
    def build(cls, stories: list[Story]) -> "RelatedIndex":
        index = cls()
        for story in stories:  # newest first, so every bucket is too
            for method in story.methods:
                index.by_method_province[(method, story.province)].append(story)
                index.by_method[method].append(story)
            index.by_province[story.province].append(story)
            index.method_bits[story.id] = index.bits(story.methods)
            index.days[story.id] = story.date.toordinal()
        return index

    def bits(self, methods) -> int:
        """`methods` as an integer with one bit per method id: the methods two stories share are the bits set in
        both."""
        value = 0
        for method in methods:
            value |= 1 << self._bit.setdefault(method, len(self._bit))
        return value

    def related(self, story: Story, library: Library, limit: int = RELATED_COUNT) -> list[Story]:
        """Explicit `related` first, then stories sharing methods (most shared, then same place), then region."""
        chosen: list[Story] = []
        seen = {story.id}
        for ref in story.related:
            other = library.story(ref)
            if other is not None and other.id not in seen and other.is_public:
                chosen.append(other)
                seen.add(other.id)
        candidates: list[Story] = []
        for method in story.methods:
            candidates += self.by_method_province.get((method, story.province), [])[:24]
            candidates += self.by_method.get(method, [])[:24]
        candidates += self.by_province.get(story.province, [])[:12]

        methods, region = self.bits(story.methods), story.region
        method_bits, days = self.method_bits, self.days

        def score(other: Story) -> tuple:
            shared = (methods & method_bits[other.id]).bit_count()  # methods in common
            place = sum(map(eq, other.region, region))  # region levels in common
            return (-shared, -place, -days[other.id], other.id)

        for other in sorted({c.id: c for c in candidates if c.id not in seen}.values(), key=score):
            if len(chosen) >= limit:
                break
            chosen.append(other)
            seen.add(other.id)
        return chosen


@dataclass(frozen=True)
class MethodTile:
    id: str
    name: str
    url: str
    summary: str
    exemplars: int
    cautionary: int


def method_tiles(library: Library, counts: dict) -> list[MethodTile]:
    return [
        MethodTile(
            m.id,
            m.name,
            urls.method(m.id),
            m.summary,
            counts.get((m.id, "exemplar"), 0),
            counts.get((m.id, "cautionary"), 0),
        )
        for m in library.methods
    ]
