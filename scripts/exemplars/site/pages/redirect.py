"""Redirect pages: an old id's URL (a story's or lesson's `aliases`) answers with a small document that sends the
reader to the page's current URL. A whole document, no theme chrome: see site/redirects.py for its HTML.

Plain Python: nothing here imports MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import urls
from ..redirects import redirect_html
from .base import DOCUMENT, Page


@dataclass(eq=False)
class RedirectPage(Page):
    template = ""  # a document of its own (`document`), drawn by no template
    frame = DOCUMENT
    noindex = True
    target: str = ""  # site-relative URL of the page it moved to

    def document(self, site_base: str, favicon: str | None) -> str:
        """The redirect's HTML; `site_base` is the site's absolute URL, `favicon` the theme's icon (site-relative)."""
        return redirect_html(
            urls.relative(self.url, self.target),
            site_base + self.target,
            icon=urls.relative(self.url, favicon) if favicon else None,
        )

    def change_key(self) -> tuple:
        return (*super().change_key(), self.target)


def redirect_pages(redirects: dict[str, str]) -> list[RedirectPage]:
    """`redirects` maps old URL → new URL."""
    return [RedirectPage(url=old, title="页面已移动", description="", target=new) for old, new in redirects.items()]
