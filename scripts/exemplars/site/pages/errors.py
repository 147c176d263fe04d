"""The preview's /_errors/ page: every finding of the checker, linked from the preview's banner. Never built in
the public site (a public build with errors stops before any page).

Plain Python: nothing here imports MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...diagnostics import Diagnostic
from .base import THEME, Page

ERRORS_URL = "_errors/"


@dataclass
class ErrorsView:
    diagnostics: list[Diagnostic]


@dataclass(eq=False)
class ErrorsPage(Page):
    template = "exemplars/errors.html"
    frame = THEME
    view: ErrorsView = None

    def shown(self, preview: bool) -> bool:
        return preview


def errors_page(diagnostics: list[Diagnostic]) -> ErrorsPage:
    return ErrorsPage(
        url=ERRORS_URL,
        title="故事库检查结果",
        description="故事库的检查错误和警告。",
        view=ErrorsView(diagnostics=diagnostics),
    )
