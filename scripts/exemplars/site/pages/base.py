"""The base of every page type: what a page is, what its template may read, and how it is framed.

A `Page` is one output file at a site-relative directory URL: its title and description, the template that
draws its content, a typed view model (`view`, a dataclass defined next to the page type), the Markdown body it
shows (rendered only when the page is written), the search fields of an indexed page, and the checker's findings
about the file behind it (preview only). Each page type is a subclass in a module of its own (story.py,
method.py, listing.py, lesson.py, stats.py, search.py, errors.py, redirect.py); site.py builds them all.

Every page is written through one path, site/pages/html.py, whose template contract is the same for every page
type (documented on `PageRenderer`). How the theme's chrome goes around the content is the page type's `frame`:

- `SHELL`: filled into the chrome rendered once per URL depth (site/shell.py): the many pages alike;
- `THEME`: framed by MkDocs page by page, for pages the navigation names or whose chrome differs (the search
  page has no header search box and may compile WebAssembly);
- `DOCUMENT`: a whole HTML document of its own, no chrome (redirects).

Plain Python: nothing here imports MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar

from ...diagnostics import Diagnostic
from ...search.records import SearchFields
from ..share_meta import ShareImage

SHELL = "shell"
THEME = "theme"
DOCUMENT = "document"

_UNSET = object()


class Deferred:
    """A view-model value worked out only when its page is rendered, once. For what a page shows but its search
    record does not need (related stories): a build then does that work while Pagefind indexes, not before
    Pagefind gets its first record. Templates use it as the list it stands for; its repr is the value's, so
    serve's change key still sees the content."""

    __slots__ = ("_compute", "_value")

    def __init__(self, compute: Callable[[], Any]) -> None:
        self._compute, self._value = compute, _UNSET

    def value(self) -> Any:
        if self._value is _UNSET:
            self._value = self._compute()
        return self._value

    def __iter__(self):
        return iter(self.value())

    def __len__(self) -> int:
        return len(self.value())

    def __bool__(self) -> bool:
        return bool(self.value())

    def __repr__(self) -> str:
        return repr(self.value())


@dataclass(eq=False)
class Page:
    """One page of the site. Subclasses set `template` and `frame`, and type `view`."""

    template: ClassVar[str]
    frame: ClassVar[str] = SHELL
    article: ClassVar[bool] = False  # a story, method or lesson: shared as an Open Graph `article` (share_meta.py)
    noindex: ClassVar[bool] = False  # kept out of search engines and the sitemap (withdrawn notices, redirects)

    url: str  # site-relative directory URL, e.g. "stories/x/"
    title: str
    description: str
    view: Any = None  # the template's view model: a dataclass of the page type's module
    body_source: Callable[[], str] | None = field(default=None, repr=False)  # renders the page's own text to HTML
    source_path: str | None = None  # repository file behind the page (edit link, serve-mode errors)
    edit_url: str | None = None  # where to edit that file on the forge, when the site names one
    search: SearchFields | None = None  # set for pages whose text is indexed (stories, methods, lessons)
    share_image: ShareImage | None = None  # the page's own share-card image (a story's cover)
    problems: list[Diagnostic] = field(default_factory=list)  # preview: the checker's findings about the file
    stale: list[Diagnostic] = field(default_factory=list)  # preview: why this is the last version that built

    def body(self) -> str:
        """The HTML of the page's own text ("" for a page without one)."""
        return self.body_source() if self.body_source is not None else ""

    def shown(self, preview: bool) -> bool:
        """Whether this page is built in the public site (`preview` False) or the preview."""
        return True

    def document(self, site_base: str, favicon: str | None) -> str:
        """The whole HTML file of a DOCUMENT page (`site_base`: the site's absolute URL; `favicon`: the theme's
        icon, site-relative)."""
        raise TypeError(f"{type(self).__name__} is framed ({self.frame}), not a document of its own")

    def change_key(self) -> tuple:
        """Everything of the page a template can show, for serve's "unchanged since the last rebuild" test."""
        return (
            type(self).__name__,
            self.url,
            self.title,
            self.description,
            self.template,
            self.source_path,
            self.edit_url,
            repr(self.view),
            repr(self.share_image),
            repr(self.problems),
            repr(self.stale),
        )
