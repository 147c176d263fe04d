"""The library's figures: what the published library covers and where it is thin (the model, no MkDocs, no
terminal and no HTML).

Figures are computed from a Library (published stories only) and never from the wall clock: "older than five
years" is measured from a reference date, by default the newest published story's date, so the same library
always gives the same figures. Two views show them: the site's 库情 page (`site/stats.py`, with its SVG charts
in `site/charts.py`) and the `exemplars stats` command (`cli/stats.py`, text tables or this module's JSON form).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from .library import Library
from .model import Story
from .regions import PROVINCES
from .schema import KINDS

STALE_YEARS = 5
MIN_EXEMPLARS = 3
SOURCE_BANDS = 3  # the public page counts stories with 1, 2, and 3 or more sources
_PROVINCE_ORDER = {name: index for index, (name, _, _) in enumerate(PROVINCES)}


@dataclass
class MethodRow:
    id: str
    name: str
    counts: dict[str, int]  # kind → published stories of this method and kind

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Figures:
    reference_date: dt.date | None
    stale_before: dt.date | None  # stories that happened before this day and were never updated are stale
    min_exemplars: int
    total: int
    kinds: dict[str, int]
    methods: list[MethodRow]
    provinces: list[tuple[str, int]]  # most stories first
    years: list[tuple[int, int]]  # every year from the first to the last, gaps as 0
    no_cautionary: list[MethodRow] = field(default_factory=list)
    few_exemplars: list[MethodRow] = field(default_factory=list)
    stale: list[Story] = field(default_factory=list)  # oldest first
    single_source: list[Story] = field(default_factory=list)  # oldest first
    by_source_count: dict[int, int] = field(default_factory=dict)  # 1, 2, 3 (= three or more) → stories

    @property
    def single_source_share(self) -> int:
        """Stories with one source, in whole percent of the published ones."""
        return round(100 * len(self.single_source) / self.total) if self.total else 0

    def as_dict(self) -> dict:
        """JSON-ready: dates as YYYY-MM-DD, stories as small records."""

        def method(row: MethodRow) -> dict:
            return {"id": row.id, "name": row.name, **row.counts, "total": row.total}

        return {
            "reference_date": _iso(self.reference_date),
            "stale_before": _iso(self.stale_before),
            "min_exemplars": self.min_exemplars,
            "total": self.total,
            "kinds": dict(self.kinds),
            "methods": [method(row) for row in self.methods],
            "provinces": [{"name": name, "count": count} for name, count in self.provinces],
            "years": [{"year": year, "count": count} for year, count in self.years],
            "no_cautionary": [method(row) for row in self.no_cautionary],
            "few_exemplars": [method(row) for row in self.few_exemplars],
            "stale": [_story_record(s) for s in self.stale],
            "single_source": [_story_record(s) for s in self.single_source],
            "by_source_count": {str(n): count for n, count in self.by_source_count.items()},
        }


def figures(library: Library, reference_date: dt.date | None = None, min_exemplars: int = MIN_EXEMPLARS) -> Figures:
    """Every dashboard figure over the library's published stories."""
    stories = library.public_stories()
    if reference_date is None and stories:
        reference_date = max(s.date for s in stories)
    stale_before = years_before(reference_date, STALE_YEARS) if reference_date else None

    pairs = Counter((m, s.kind) for s in stories for m in s.methods)
    methods = [MethodRow(m.id, m.name, {kind: pairs[(m.id, kind)] for kind in KINDS}) for m in library.methods]
    provinces = Counter(s.province for s in stories)
    years = Counter(s.year for s in stories)
    year_span = range(min(years), max(years) + 1) if years else range(0)
    oldest_first = sorted(stories, key=lambda s: (s.date, s.id))
    return Figures(
        reference_date=reference_date,
        stale_before=stale_before,
        min_exemplars=min_exemplars,
        total=len(stories),
        kinds={kind: sum(1 for s in stories if s.kind == kind) for kind in KINDS},
        methods=methods,
        provinces=sorted(provinces.items(), key=lambda p: (-p[1], _PROVINCE_ORDER.get(p[0], 99), p[0])),
        years=[(year, years[year]) for year in year_span],
        no_cautionary=[row for row in methods if row.counts["cautionary"] == 0],
        few_exemplars=[row for row in methods if row.counts["exemplar"] < min_exemplars],
        stale=[s for s in oldest_first if stale_before and s.date < stale_before and s.updated is None],
        single_source=[s for s in oldest_first if len(s.sources) == 1],
        by_source_count={
            n: sum(1 for s in stories if min(len(s.sources), SOURCE_BANDS) == n) for n in range(1, SOURCE_BANDS + 1)
        },
    )


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _story_record(story: Story) -> dict:
    return {
        "id": story.id,
        "title": story.title,
        "path": story.path,
        "url": story.url,
        "kind": story.kind,
        "date": story.date.isoformat(),
        "updated": _iso(story.updated),
        "sources": len(story.sources),
    }
