"""The one rendering path: every page of every type becomes HTML here, whatever frames it.

A page's own template draws its content block, always through `PageRenderer.content` (site/blocks.py), with the
same variables for every page type — the template contract:

- `page`: the Page itself (site/pages/base.py): `url`, `title`, `description`, `edit_url`, `source_path`,
  `problems` and `stale` (the checker's findings about its file, preview only);
- `view`: its typed view model (`StoryView`, `LessonView`, ... next to each page type);
- `content`: the HTML of the page's own Markdown text ("" when it has none);
- `build`: `BuildState` (preview or public, the library's error count); `config`: the MkDocs configuration;
  `base_url`: the path from the page to the site root.

(Hand-written pages in docs/ are MkDocs' own: their templates get MkDocs' `page`; the home page's `view` is
`HomeView`, site.py.)

The chrome around it (header, tabs, footer, scripts) reads `build` and `head_meta` (the page's <meta> tags for
robots and share cards, `head_meta` here), and comes one of three ways, by the page type's `frame`:

- SHELL: the chrome rendered once per URL depth (site/shell.py), filled in here by string joins;
- THEME: MkDocs renders the chrome page by page around the finished content block, with the template
  `exemplars/partials/frame.html` (build/session.py hands the content over in MkDocs' `on_page_context`);
- DOCUMENT: the page is a whole document of its own (`RedirectPage.document`).

Plain Python over Jinja: nothing here imports MkDocs (the environment and the configuration are passed in).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from jinja2 import Environment

from ..blocks import BlockRenderer
from ..share_meta import share_meta
from ..shell import CONTENT, DESCRIPTION, META, TITLE, Shell, depth_of, shell_url
from .base import DOCUMENT, SHELL, THEME, Page

FRAME_TEMPLATE = "exemplars/partials/frame.html"  # the theme's chrome around a finished content block
NOINDEX = '<meta name="robots" content="noindex">'


@dataclass(frozen=True)
class BuildState:
    """What every page's chrome may show about the build itself."""

    preview: bool  # `make serve`: drafts shown, errors tolerated
    error_count: int  # the checker's errors (a preview builds despite them; its banner says so)


@dataclass(eq=False)
class ShellPage(Page):
    """The chrome of SHELL pages at one URL depth: rendered by the theme with markers in place of the title,
    description, canonical address, <meta> tags and content (site/shell.py); never published."""

    template = FRAME_TEMPLATE
    frame = THEME
    view: None = None  # a shell shows no page's data


def shell_pages(pages: list[Page]) -> list[ShellPage]:
    """One shell per URL depth the SHELL pages use."""
    depths = sorted({depth_of(page.url) for page in pages if page.frame == SHELL})
    return [ShellPage(url=shell_url(depth), title=TITLE, description=DESCRIPTION) for depth in depths]


class PageRenderer:
    def __init__(
        self,
        env: Environment,
        config: Any,
        build: BuildState,
        site_name: str,
        site_base: str,
        favicon: str | None,
        shells: dict[int, Shell],
    ) -> None:
        """`site_base` is the site's absolute URL (ending in "/"); `shells` maps a URL depth to its parsed shell,
        filled in as the theme renders the ShellPages (before any SHELL page is written)."""
        self.blocks = BlockRenderer(env, shared={"config": config, "build": build})
        self.build = build
        self.site_name, self.site_base, self.favicon = site_name, site_base, favicon
        self.shells = shells

    def content(self, page: Page, body: str | None = None) -> str:
        """The page's content block (`body`: its rendered text, when already at hand)."""
        if isinstance(page, ShellPage):
            return CONTENT
        if body is None:
            body = page.body()
        depth = depth_of(page.url)
        return self.blocks.render(
            page.template, page=page, view=page.view, content=body, base_url="/".join([".."] * depth)
        )

    def theme_content(self, page: Page, body: str, theme_title: str) -> str:
        """The content block of a THEME page (or a shell), titled as the theme titles it: a page the navigation
        names (mkdocs.yml `nav`) by its name there, which its heading has always shown."""
        return self.content(replace(page, title=theme_title) if theme_title != page.title else page, body)

    def head_meta(self, page: Page | None, title: str, description: str, url: str) -> str:
        """The <meta> tags of a page's <head>: robots (a page kept out of search engines) and its share card.
        `page` is None for a hand-written page (docs/)."""
        if isinstance(page, ShellPage):
            return META
        card = share_meta(
            title=title,
            description=description,
            url=url,
            site_name=self.site_name,
            base=self.site_base,
            article=bool(page and page.article),
            image=page.share_image if page else None,
        )
        return f"{NOINDEX}\n  {card}" if page is not None and page.noindex else card

    def theme_variables(self, page: Page) -> dict[str, Any]:
        """What the chrome of a THEME page reads besides MkDocs' own variables."""
        head_meta = self.head_meta(page, page.title, page.description, page.url)
        return {"view": page.view, "build": self.build, "head_meta": head_meta}

    def html(self, page: Page, body: str | None = None) -> str:
        """The whole file of a SHELL or DOCUMENT page (a THEME page's chrome comes from MkDocs: see `content`)."""
        if page.frame == DOCUMENT:
            return page.document(self.site_base, self.favicon)
        if page.frame != SHELL:
            raise ValueError(f"{page.url}: a {page.frame} page is framed by MkDocs, not written here")
        depth = depth_of(page.url)
        return self.shells[depth].fill(
            title=page.title,
            description=page.description,
            canonical=self.site_base + page.url,
            content=self.content(page, body),
            meta=self.head_meta(page, page.title, page.description, page.url),
        )

    def write(self, out: Path, page: Page, body: str | None = None) -> None:
        target = out / page.url / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(self.html(page, body).encode("utf-8"))
