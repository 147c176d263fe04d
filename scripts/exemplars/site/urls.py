"""Every public URL in one place. URLs are site-relative directory paths ("stories/<id>/"); templates make
them page-relative (templates reach these functions as `ex_urls`). Story and lesson URLs are permanent: they are
cited from lessons, slides and other sites.

The prefixes of story, method, lesson and browse pages are settings (mkdocs.yml: story_url, …; site/settings.py).
The build session sets them with `use` for the length of a build and puts the defaults back at its end: they are
the one piece of module state in the site layer, so that every URL, in Python and in templates, follows them.
"""

from __future__ import annotations

import functools
import posixpath
import re

from .settings import DEFAULT, Settings

_UNSAFE = re.compile(r"[\s/\\?#%&<>\"'|*:]+")
_prefixes = DEFAULT


def use(settings: Settings) -> None:
    """Build pages at `settings`' URL prefixes from now on (the build session; DEFAULT when it ends)."""
    global _prefixes
    _prefixes = settings


def prefixes() -> tuple[str, str, str, str]:
    """The prefixes in use (story, method, lesson, browse): part of the body cache's key (site/render.py)."""
    return (_prefixes.story_url, _prefixes.method_url, _prefixes.lesson_url, _prefixes.browse_url)


@functools.lru_cache(maxsize=4096)  # the same few hundred names, asked for by every listing page's links
def segment(text: str) -> str:
    """A URL path segment for a Chinese name (region level, domain, tag): readable, never path-breaking."""
    return _UNSAFE.sub("-", text.strip()).strip("-.") or "_"


def story(story_id: str) -> str:
    return f"{_prefixes.story_url}{story_id}/"


def method(method_id: str) -> str:
    return f"{_prefixes.method_url}{method_id}/"


def method_kind(method_id: str, kind: str) -> str:
    return f"{_prefixes.method_url}{method_id}/{kind}/"


FEED_FILES = {"atom": "feed.atom.xml", "rss": "feed.rss.xml"}


def feed(fmt: str, method_id: str | None = None) -> str:
    """A feed file ("atom" or "rss"): the whole site's ("feed.atom.xml") or a method's ("methods/<id>/feed.rss.xml")."""
    return (method(method_id) if method_id else "") + FEED_FILES[fmt]


def lesson(lesson_id: str) -> str:
    return f"{_prefixes.lesson_url}{lesson_id}/"


def lesson_handout(lesson_id: str) -> str:
    return f"{_prefixes.lesson_url}{lesson_id}/handout/"


def lessons_index() -> str:
    return _prefixes.lesson_url


def methods_index() -> str:
    return _prefixes.method_url


def browse_index() -> str:
    return _prefixes.browse_url


def stats() -> str:
    return "stats/"


def search() -> str:
    return "search/"


def kind(kind_id: str) -> str:
    return f"{_prefixes.browse_url}kind/{kind_id}/"


def region(levels: tuple[str, ...] | list[str]) -> str:
    if not levels:
        return f"{_prefixes.browse_url}region/"
    return f"{_prefixes.browse_url}region/" + "".join(segment(level) + "/" for level in levels)


def year(value: int | None = None) -> str:
    return f"{_prefixes.browse_url}year/" if value is None else f"{_prefixes.browse_url}year/{value}/"


def domain(name: str | None = None) -> str:
    return f"{_prefixes.browse_url}domain/" if name is None else f"{_prefixes.browse_url}domain/{segment(name)}/"


def tag(name: str | None = None) -> str:
    return f"{_prefixes.browse_url}tag/" if name is None else f"{_prefixes.browse_url}tag/{segment(name)}/"


def paged(base: str, number: int) -> str:
    """Page 1 of a listing is its base URL; later pages live below it."""
    return base if number <= 1 else f"{base}page/{number}/"


def relative(from_url: str, to_url: str) -> str:
    """`to_url` as seen from the page at `from_url` (both site-relative directory URLs)."""
    start = posixpath.dirname(from_url.rstrip("/") + "/index.html") or "."
    target = posixpath.relpath(to_url or ".", start if start != "" else ".")
    if (not to_url or to_url.endswith("/")) and not target.endswith("/"):
        target += "/"
    return "./" if target in (".", "./") else target
