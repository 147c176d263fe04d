"""The search page: the search form and the filters; results come from the Pagefind bundle in the browser
(search/ and overrides/assets/javascripts/search.js).

Plain Python: nothing here imports MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...library import Library
from .. import urls
from .base import THEME, Page


@dataclass
class SearchView:
    method_order: list[str]  # method names in the library's order, for the method filter


@dataclass(eq=False)
class SearchPage(Page):
    template = "exemplars/search.html"
    # Its own chrome: the header has no search box here, and only this page may compile WebAssembly (site/csp.py).
    frame = THEME
    view: SearchView = None


def search_page(library: Library) -> SearchPage:
    return SearchPage(
        url=urls.search(),
        title="搜索",
        description="在全部故事中搜索，并按方法、类型、省份和年份筛选。",
        view=SearchView(method_order=[m.name for m in library.methods]),
    )
