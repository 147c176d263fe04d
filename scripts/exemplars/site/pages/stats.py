"""The stats page (库情): the library's coverage. Its view model — the figures and the charts — is made by
site/stats.py (`dashboard`); this page type only places it.

Plain Python: nothing here imports MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...library import Library
from .. import urls
from ..stats import Dashboard, dashboard
from .base import THEME, Page


@dataclass(eq=False)
class StatsPage(Page):
    template = "exemplars/stats.html"
    frame = THEME  # in the navigation
    view: Dashboard = None  # site/stats.py: the figures, the charts and the lists under them


def stats_page(library: Library, chart_colour: str) -> StatsPage:
    """`chart_colour` fills the charts: the theme's primary colour (`site.charts.theme_colour`)."""
    return StatsPage(
        url=urls.stats(),
        title="库情",
        description="故事库的覆盖情况：各方法正反面典型数、各省和各年份的故事数、待更新和只有一个来源的故事。",
        view=dashboard(library, chart_colour),
    )
