"""The editors' dashboard: what the published library covers and where it is thin.

Figures are computed from a Library (published stories only) and never from the wall clock: "older than five
years" is measured from a reference date, by default the newest published story's date, so the same library
always gives the same dashboard. Charts are inline SVG strings (no script, no external references, text labels,
`role="img"` with a <title> and <desc>), so the site can embed them without JavaScript.

`exemplars stats` (cli/stats.py) prints the same figures as text tables; `dashboard()` hands a template everything it
needs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import math
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from .library import Library
from .model import Story
from .regions import PROVINCES
from .schema import KINDS

STALE_YEARS = 5
MIN_EXEMPLARS = 3
SOURCE_BANDS = 3  # the public page counts stories with 1, 2, and 3 or more sources
SINGLE_SOURCE_LIST_MAX = 10  # the page names single-source stories only while they are this few (and a minority)
_PROVINCE_ORDER = {name: index for index, (name, _, _) in enumerate(PROVINCES)}


# --- figures -----------------------------------------------------------------------------------------------------
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


def _worth_listing(stories: list[Story], total: int) -> bool:
    """A list of stories helps only while it picks out a few: when most stories have one source (the sample
    library: all), listing them repeats the catalogue and the count says it all."""
    return 0 < len(stories) <= SINGLE_SOURCE_LIST_MAX and 2 * len(stories) < total


# --- the dashboard page --------------------------------------------------------------------------------------
def dashboard(library: Library, reference_date: dt.date | None = None, min_exemplars: int = MIN_EXEMPLARS) -> dict:
    """Everything a dashboard template needs: the figures (model objects, for links) and the charts (SVG)."""
    fig = figures(library, reference_date, min_exemplars)
    kinds = list(KINDS)
    heatmap = svg_heatmap(
        rows=[row.name for row in fig.methods],
        columns=[KINDS[k] for k in kinds],
        values=[[row.counts[k] for k in kinds] for row in fig.methods],
        title="各方法的正面典型与反面典型数量",
        ident="ex-chart-methods",
    )
    provinces = svg_bars(fig.provinces, title="各省份已发布的故事数量", ident="ex-chart-provinces")
    years = svg_line(
        [(str(y), n) for y, n in fig.years], title="各年份的故事数量（按发生日期）", ident="ex-chart-years"
    )
    return {
        "figures": fig,
        "data": fig.as_dict(),
        "kinds": dict(KINDS),
        "reference_date": fig.reference_date,
        "stale_before": fig.stale_before,
        "min_exemplars": fig.min_exemplars,
        "total": fig.total,
        "methods": fig.methods,
        "provinces": fig.provinces,
        "years": fig.years,
        "no_cautionary": fig.no_cautionary,
        "few_exemplars": fig.few_exemplars,
        "stale": fig.stale,
        "single_source": fig.single_source,
        "single_source_listed": fig.single_source if _worth_listing(fig.single_source, fig.total) else [],
        "single_source_share": fig.single_source_share,
        "by_source_count": fig.by_source_count,
        "svg": {"methods": heatmap, "provinces": provinces, "years": years},
    }


# --- SVG ------------------------------------------------------------------------------------------------------
FONT = 13
HUE = "#9b1c1c"  # the site's primary colour; cells and bars vary only its opacity, text uses currentColor


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def quoteattr(text: str) -> str:
    return '"' + html.escape(text, quote=True) + '"'


def _n(value: float) -> str:
    """Coordinates with one decimal at most, so output is byte-for-byte stable."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def text_width(text: str, size: float = FONT) -> float:
    """Rough rendered width: CJK and full-width characters are square, the rest about 0.6 em."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.6 for ch in text)


def _ident(ident: str | None, *parts: object) -> str:
    if ident:
        return ident
    return "ex-chart-" + hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()[:10]


def _svg(ident: str, width: float, height: float, title: str, desc: str, body: list[str]) -> str:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="ex-chart" id={quoteattr(ident)} '
        f'aria-labelledby="{ident}-title {ident}-desc" width="{_n(width)}" height="{_n(height)}" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" font-size="{FONT}" fill="currentColor">'
    )
    return "\n".join(
        [
            head,
            f'<title id="{ident}-title">{escape(title)}</title>',
            f'<desc id="{ident}-desc">{escape(desc)}</desc>',
            *body,
            "</svg>",
        ]
    )


def _text(x: float, y: float, text: object, anchor: str = "start", **attrs: str) -> str:
    extra = "".join(f" {key.replace('_', '-')}={quoteattr(value)}" for key, value in attrs.items())
    return f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}"{extra}>{escape(str(text))}</text>'


def svg_heatmap(
    rows: list[str], columns: list[str], values: list[list[int]], title: str, ident: str | None = None
) -> str:
    """A table of counts as coloured cells, each with its number written in it (colour is never the only cue)."""
    ident = _ident(ident, "heatmap", rows, columns, values, title)
    cell_w = max([64.0] + [text_width(c) + 16 for c in columns])
    cell_h, head_h, pad = 30.0, 26.0, 8.0
    label_w = max([0.0] + [text_width(r) for r in rows]) + 12
    width = label_w + cell_w * len(columns) + pad
    height = head_h + cell_h * len(rows) + pad
    peak = max([0] + [v for row in values for v in row])
    body = [
        _text(label_w + cell_w * (j + 0.5), head_h - 9, c, "middle", font_weight="bold") for j, c in enumerate(columns)
    ]
    for i, (label, row) in enumerate(zip(rows, values)):
        y = head_h + cell_h * i
        body.append(_text(label_w - 8, y + cell_h / 2 + FONT * 0.35, label, "end"))
        for j, value in enumerate(row):
            x = label_w + cell_w * j
            strength = 0.0 if peak == 0 else value / peak
            opacity = 0.06 if value == 0 else 0.15 + 0.75 * strength
            body.append(
                f"<g><title>{escape(f'{label}・{columns[j]}：{value} 篇')}</title>"
                f'<rect x="{_n(x + 1)}" y="{_n(y + 1)}" width="{_n(cell_w - 2)}" height="{_n(cell_h - 2)}" '
                f'rx="3" fill="{HUE}" fill-opacity="{opacity:.2f}"/>'
                + _text(
                    x + cell_w / 2,
                    y + cell_h / 2 + FONT * 0.35,
                    value,
                    "middle",
                    **({"fill": "#ffffff"} if opacity > 0.72 else {}),
                )
                + "</g>"
            )
    desc = (
        "；".join(
            f"{label}：" + "，".join(f"{c} {v} 篇" for c, v in zip(columns, row)) for label, row in zip(rows, values)
        )
        or "没有数据"
    )
    return _svg(ident, width, height, title, desc, body)


def svg_bars(items: list[tuple[str, int]], title: str, ident: str | None = None) -> str:
    """Horizontal bars, one per label, with the count written after each bar."""
    ident = _ident(ident, "bars", items, title)
    row_h, bar_w, pad = 24.0, 240.0, 8.0
    label_w = max([0.0] + [text_width(label) for label, _ in items]) + 12
    peak = max([0] + [value for _, value in items])
    value_w = text_width(str(peak)) + 12
    width = label_w + bar_w + value_w + pad
    height = row_h * len(items) + pad * 2
    body = []
    for i, (label, value) in enumerate(items):
        y = pad + row_h * i
        length = 0.0 if peak == 0 else bar_w * value / peak
        body.append(
            f"<g><title>{escape(f'{label}：{value} 篇')}</title>"
            + _text(label_w - 8, y + row_h / 2 + FONT * 0.35, label, "end")
            + f'<rect x="{_n(label_w)}" y="{_n(y + 4)}" width="{_n(length)}" height="{_n(row_h - 8)}" '
            f'rx="2" fill="{HUE}" fill-opacity="0.8"/>'
            + _text(label_w + length + 6, y + row_h / 2 + FONT * 0.35, value)
            + "</g>"
        )
    desc = "；".join(f"{label} {value} 篇" for label, value in items) or "没有数据"
    return _svg(ident, width, height, title, desc, body)


def svg_line(points: list[tuple[str, int]], title: str, ident: str | None = None) -> str:
    """A line over ordered categories (years), each point labelled with its count; x labels thinned if crowded."""
    ident = _ident(ident, "line", points, title)
    step, plot_h, left, top, bottom = 44.0, 160.0, 32.0, 22.0, 28.0
    width = left + step * max(len(points) - 1, 0) + left
    height = top + plot_h + bottom
    peak = max([0] + [value for _, value in points])
    every = 1 if len(points) <= 16 else math.ceil(len(points) / 12)
    base = top + plot_h

    def y_of(value: int) -> float:
        return base - (0.0 if peak == 0 else plot_h * value / peak)

    coords = [(left + step * i, y_of(value)) for i, (_, value) in enumerate(points)]
    body = [
        f'<line x1="{_n(left)}" y1="{_n(base)}" x2="{_n(width - left / 2)}" y2="{_n(base)}" '
        f'stroke="currentColor" stroke-opacity="0.4"/>'
    ]
    if len(coords) > 1:
        path = " ".join(f"{_n(x)},{_n(y)}" for x, y in coords)
        body.append(f'<polyline points="{path}" fill="none" stroke="{HUE}" stroke-width="2"/>')
    for i, ((label, value), (x, y)) in enumerate(zip(points, coords)):
        shown = i % every == 0 or i == len(points) - 1
        body.append(
            f"<g><title>{escape(f'{label}：{value} 篇')}</title>"
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3.5" fill="{HUE}"/>'
            + _text(x, y - 7, value, "middle")
            + (_text(x, base + 18, label, "middle") if shown else "")
            + "</g>"
        )
    desc = "；".join(f"{label} {value} 篇" for label, value in points) or "没有数据"
    return _svg(ident, width, height, title, desc, body)
