"""Every public URL in one place. URLs are site-relative directory paths ("stories/<id>/"); templates make
them page-relative. Story and lesson URLs are permanent: they are cited from lessons, slides and other sites."""

from __future__ import annotations

import posixpath
import re

_UNSAFE = re.compile(r"[\s/\\?#%&<>\"'|*:]+")


def segment(text: str) -> str:
    """A URL path segment for a Chinese name (region level, domain, tag): readable, never path-breaking."""
    return _UNSAFE.sub("-", text.strip()).strip("-.") or "_"


def story(story_id: str) -> str:
    return f"stories/{story_id}/"


def method(method_id: str) -> str:
    return f"methods/{method_id}/"


def method_kind(method_id: str, kind: str) -> str:
    return f"methods/{method_id}/{kind}/"


def lesson(lesson_id: str) -> str:
    return f"lessons/{lesson_id}/"


def lesson_handout(lesson_id: str) -> str:
    return f"lessons/{lesson_id}/handout/"


def lessons_index() -> str:
    return "lessons/"


def methods_index() -> str:
    return "methods/"


def browse_index() -> str:
    return "browse/"


def stats() -> str:
    return "stats/"


def search() -> str:
    return "search/"


def kind(kind_id: str) -> str:
    return f"browse/kind/{kind_id}/"


def region(levels: tuple[str, ...] | list[str]) -> str:
    if not levels:
        return "browse/region/"
    return "browse/region/" + "".join(segment(level) + "/" for level in levels)


def year(value: int | None = None) -> str:
    return "browse/year/" if value is None else f"browse/year/{value}/"


def domain(name: str | None = None) -> str:
    return "browse/domain/" if name is None else f"browse/domain/{segment(name)}/"


def tag(name: str | None = None) -> str:
    return "browse/tag/" if name is None else f"browse/tag/{segment(name)}/"


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
