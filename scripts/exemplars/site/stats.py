"""The 库情 page's view model: the library's figures (`exemplars/stats.py`) as the template shows them, with its
three charts drawn (`site/charts.py`). The template is overrides/exemplars/stats.html.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..library import Library
from ..model import Story
from ..schema import KINDS
from ..stats import MIN_EXEMPLARS, Figures, figures
from .charts import svg_bars, svg_heatmap, svg_line

SINGLE_SOURCE_LIST_MAX = 10  # the page names single-source stories only while they are this few (and a minority)


@dataclass(frozen=True)
class Charts:
    """The page's charts, each an inline SVG string."""

    methods: str  # heatmap: methods × kinds
    provinces: str  # bars: stories per province, most first
    years: str  # line: stories per year of their date


class _Figure:
    """A figure the template reads by its own name on the Dashboard: `d.total` is `d.figures.total` (typed there,
    in stats.Figures)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, board: Dashboard | None, owner: type | None = None):
        return self if board is None else getattr(board.figures, self.name)


@dataclass(frozen=True)
class Dashboard:
    """What stats.html shows: the figures (model objects, for links), the charts, and the single-source stories
    worth naming. Each figure the template reads is also here under its own name."""

    figures: Figures
    svg: Charts
    single_source_listed: list[Story]  # empty unless a few stories, a minority, have one source

    total = _Figure()
    reference_date = _Figure()
    stale_before = _Figure()
    min_exemplars = _Figure()
    no_cautionary = _Figure()
    few_exemplars = _Figure()
    stale = _Figure()
    single_source = _Figure()
    single_source_share = _Figure()
    by_source_count = _Figure()


def dashboard(
    library: Library, colour: str, reference_date: dt.date | None = None, min_exemplars: int = MIN_EXEMPLARS
) -> Dashboard:
    """The page's view model over `library`'s published stories; `colour` fills the charts (`theme_colour`)."""
    fig = figures(library, reference_date, min_exemplars)
    kinds = list(KINDS)
    heatmap = svg_heatmap(
        rows=[row.name for row in fig.methods],
        columns=[KINDS[k] for k in kinds],
        values=[[row.counts[k] for k in kinds] for row in fig.methods],
        title="各方法的正面典型与反面典型数量",
        ident="ex-chart-methods",
        colour=colour,
    )
    provinces = svg_bars(fig.provinces, title="各省份已发布的故事数量", ident="ex-chart-provinces", colour=colour)
    years = svg_line(
        [(str(y), n) for y, n in fig.years],
        title="各年份的故事数量（按发生日期）",
        ident="ex-chart-years",
        colour=colour,
    )
    listed = fig.single_source if _worth_listing(fig.single_source, fig.total) else []
    return Dashboard(
        figures=fig, svg=Charts(methods=heatmap, provinces=provinces, years=years), single_source_listed=listed
    )


def _worth_listing(stories: list[Story], total: int) -> bool:
    """A list of stories helps only while it picks out a few: when most stories have one source (the sample
    library: all), listing them repeats the catalogue and the count says it all."""
    return 0 < len(stories) <= SINGLE_SOURCE_LIST_MAX and 2 * len(stories) < total
