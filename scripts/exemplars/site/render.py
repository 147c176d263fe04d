"""Story, lesson and method bodies: Markdown → HTML, once per content version, with links to library files
rewritten to their permanent URLs and `[[story:<id>]]` / `[[lesson:<id>]]` citations drawn as cards (site/cite.py).
One Markdown instance is reused (reset between documents): building one per page is what makes naive builds slow."""

from __future__ import annotations

import hashlib
import posixpath
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

import markdown
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from ..cache import ContentCache, digest
from ..citations import find_citations
from ..media import body_refs, is_external, resolve
from . import urls
from .cite import CiteTarget, block_html, inline_html

# No pymdownx.betterem: it leaves `**先立规矩。**合作社` (bold closing between Chinese punctuation and a character,
# how reports mark a lead-in) as literal asterisks; Python-Markdown's own emphasis handles it.
DEFAULT_EXTENSIONS = [
    "tables",
    "admonition",
    "attr_list",
    "sane_lists",
    "footnotes",
    "pymdownx.tilde",
    "pymdownx.mark",
    "exemplars.site.cjk_lines",
]


@dataclass
class LinkMap:
    """Repository paths of library files → their site URLs, for rewriting `[文字](../henan/x.md)` links."""

    by_path: dict[str, str] = field(default_factory=dict)

    def target(self, source_path: str, href: str) -> str | None:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path or href.startswith("/"):
            return None
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(source_path), unquote(parts.path)))
        url = self.by_path.get(resolved)
        if url is None:
            return None
        return url + (f"#{parts.fragment}" if parts.fragment else "")


class _RewriteLinks(Treeprocessor):
    def __init__(self, md, renderer: "BodyRenderer") -> None:
        super().__init__(md)
        self.renderer = renderer

    def run(self, root: etree.Element) -> None:
        context = self.renderer.current
        if context is None:
            return
        source_path, page_url = context
        for element in root.iter():
            if element.tag == "img" and self.renderer.images is not None and self._published_image(element):
                continue
            attribute = "href" if element.tag == "a" else "src" if element.tag == "img" else None
            if attribute is None or not element.get(attribute):
                continue
            target = self.renderer.links.target(source_path, element.get(attribute))
            if target is not None:
                path, _, fragment = target.partition("#")
                element.set(attribute, urls.relative(page_url, path) + (f"#{fragment}" if fragment else ""))

    def _published_image(self, element: etree.Element) -> bool:
        """A library image: pointed at its middle-width copy (site/images.py), lazy, with its size to keep the
        layout still while it loads. Its srcset is added after the sanitiser (`BodyRenderer._render`), which lets
        no editor-written srcset through."""
        source_path, page_url = self.renderer.current
        src = element.get("src") or ""
        if is_external(src):
            return False
        published = self.renderer.images.get(resolve(posixpath.dirname(source_path), src))
        if published is None:
            return False
        default = published.default()
        element.set("src", urls.relative(page_url, default.url))
        element.set("width", str(default.width))
        element.set("height", str(default.height))
        element.set("loading", "lazy")
        return True


class _Citations(Preprocessor):
    """`[[story:<id>]]` → a card (alone on its line) or a badge link (in running text), stashed as raw HTML.

    Runs after whitespace normalisation (which strips stash markers from the input) and before everything else;
    `find_citations` skips code, so a citation shown as an example in backticks stays text.
    """

    def __init__(self, md, renderer: "BodyRenderer") -> None:
        super().__init__(md)
        self.renderer = renderer

    def run(self, lines: list[str]) -> list[str]:
        context = self.renderer.current
        lookup = self.renderer.citations
        text = "\n".join(lines)
        found = find_citations(text) if context is not None and "[[" in text else []
        if not found:
            return lines
        page_url = context[1]
        for citation in sorted(found, key=lambda c: c.start, reverse=True):
            target = lookup(citation.kind, citation.id) if lookup is not None else None
            line_start = text.rfind("\n", 0, citation.start) + 1
            line_end = text.find("\n", citation.end)
            line_end = len(text) if line_end < 0 else line_end
            line = text[line_start:line_end]
            if line.strip() == text[citation.start : citation.end]:  # alone on its line: a block card
                indent = line[: len(line) - len(line.lstrip())]
                html = block_html(target, citation.kind, citation.id, page_url)
                text = f"{text[:line_start]}\n{indent}{self.md.htmlStash.store(html)}\n{text[line_end:]}"
            else:
                html = inline_html(target, citation.kind, citation.id, page_url)
                text = text[: citation.start] + self.md.htmlStash.store(html) + text[citation.end :]
        return text.split("\n")


class BodyRenderer:
    """Render Markdown bodies for pages at known URLs; `postprocess` (e.g. the HTML sanitiser) runs last."""

    def __init__(
        self,
        links: LinkMap | None = None,
        extensions: list | None = None,
        extension_configs: dict | None = None,
        postprocess: Callable[[str], str] | None = None,
        citations: Callable[[str, str], CiteTarget | None] | None = None,
        images=None,
    ) -> None:
        self.links = links or LinkMap()
        self.images = images  # a site.images.MediaIndex: library images → their published copies
        self.citations = citations  # (kind, id or alias) → what the citation shows; None: every citation 未找到
        self.current: tuple[str, str] | None = None
        self.postprocess = postprocess
        self._setup = (list(extensions or DEFAULT_EXTENSIONS), extension_configs or {})
        self.md = markdown.Markdown(
            extensions=list(extensions or DEFAULT_EXTENSIONS), extension_configs=extension_configs or {}
        )
        self.md.treeprocessors.register(_RewriteLinks(self.md, self), "exemplars_links", 1)
        self.md.preprocessors.register(_Citations(self.md, self), "exemplars_citations", 29)

    def use_cache(self, cache: ContentCache) -> None:
        """Reuse bodies rendered by earlier builds. The key covers the body, where it is published, the link
        map, the URL prefixes, the Markdown set-up, the source of every module of the package (see
        `code_signature`) and the versions of the libraries that shape the HTML, so no entry can go stale."""
        links = "\n".join(f"{k}\t{v}" for k, v in sorted(self.links.by_path.items()))
        self._cache = cache
        self._signature = digest(
            code_signature(),
            links,
            repr(self._setup),
            repr(getattr(self.postprocess, "__qualname__", None)),
            repr(urls.prefixes()),  # a citation card links to the cited page (and a story card to its region)
        )

    def render(self, body: str, source_path: str, page_url: str) -> str:
        cache = getattr(self, "_cache", None)
        if cache is None:
            return self._render(body, source_path, page_url)
        inputs = digest(source_path, body, self._cited(body), self._pictured(body, source_path))  # hashed once
        # A render without a link, an image or a card is the same on every page (nothing else is written relative
        # to the page): it is kept once for all pages, so a lesson or Word handout showing a story reuses the story
        # page's render (1,000 stories: ~800 Markdown renders fewer). Decided on the HTML, not the Markdown: an
        # extension may add a link the source does not spell out.
        anywhere = digest(self._signature, _ANY_PAGE, inputs)
        html = cache.get(anywhere, count_miss=False)
        if html is None:
            here = digest(self._signature, page_url, inputs)
            html = cache.get(here)
            if html is None:
                html = self._render(body, source_path, page_url)
                cache.put(here if _placed(html) else anywhere, html)
        return html

    def _cited(self, body: str) -> str:
        """What the body's citation cards show (titles, summaries, status), so a cited story's edit is a new key."""
        if "[[" not in body:
            return ""
        lookup = self.citations
        return "\n".join(repr(lookup(c.kind, c.id) if lookup else None) for c in find_citations(body))

    def _pictured(self, body: str, source_path: str) -> str:
        """The published copies the body's images point at (named by content), so a replaced photo is a new key."""
        if self.images is None or ("![" not in body and "<img" not in body.lower()):
            return ""
        found = (self.images.get(ref.path) for ref in body_refs(source_path, body, 1))
        return "\n".join(p.srcset("") if p is not None else "-" for p in found)

    def _render(self, body: str, source_path: str, page_url: str) -> str:
        self.current = (source_path, page_url)
        try:
            html = self.md.reset().convert(body)
        finally:
            self.current = None
        html = self.postprocess(html) if self.postprocess else html
        return self.images.with_srcset(html, page_url) if self.images is not None and "<img" in html else html


_ANY_PAGE = "\x00any page"  # the page slot of a render that is the same on every page: never a URL


def _placed(html: str) -> bool:
    """Whether a rendered body may depend on the page it is shown on: any link, image or image set (page-relative
    URLs are written only there; a citation card is a link too)."""
    return " href=" in html or " src=" in html or " srcset=" in html


# Installed libraries whose code shapes a body's HTML. An extension added to mkdocs.yml that brings its own library
# (pymdownx.highlight → Pygments) must be added here too; the extension list itself is already in the key.
SHAPING_DISTRIBUTIONS = ("exemplars", "Markdown", "pymdown-extensions", "nh3")


@lru_cache(maxsize=1)
def code_signature() -> str:
    """A digest of everything in the render path that is code rather than content: every file of the `exemplars`
    package (render, cite, views, urls, citations, sanitize, and whatever they come to import — listing modules
    by hand is how the cite.py change once served stale cards) and the installed versions of the package and of
    Markdown, pymdown-extensions and nh3. The body render uses no template: cards are built in cite.py.

    Computed once per process (about 2 ms for ~350 KB), on purpose: it must describe the code this process
    runs, and `mkdocs serve` keeps running the code it imported even if a file changes under it."""
    package = Path(__file__).resolve().parent.parent  # site/ → the exemplars package
    h = hashlib.sha256()
    for path in sorted(
        p
        for p in package.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo")
    ):
        rel = path.relative_to(package).as_posix().encode("utf-8")
        data = path.read_bytes()
        h.update(len(rel).to_bytes(8, "little") + rel + len(data).to_bytes(8, "little") + data)
    for name in SHAPING_DISTRIBUTIONS:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "?"
        h.update(f"{name}=={version}\n".encode("utf-8"))
    return h.hexdigest()
