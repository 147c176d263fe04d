"""Citations inside Markdown bodies: `[[story:<id>]]`, `[[lesson:<id>]]`, and plain links to story or lesson files
(`[x](../henan/foo.md)`) or pages (`[x](/stories/foo/)`).

One parser for everyone: the checker verifies what it finds, `exemplars mv` rewrites it, the site renders
citations as cards. What Markdown shows as code (fenced blocks, inline code spans) is not a citation.
Scanning is a single pass over the text (plus a C-speed pre-check), because it runs on every file.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote

from .body_rules import is_local_markdown, markdown_links, visible_lines

# What a citation, a link to a page or `exemplars mv` can name: stories and lessons, whose ids and old ids share one
# namespace (Library.resolve), each with the Chinese noun messages use for it. Not schema.KINDS, which lists the
# values of a story's `kind` field (正面典型 / 反面典型).
CITABLE = {"story": "故事", "lesson": "课程"}
FOLDERS = {"stories": "story", "lessons": "lesson"}

# Loose on purpose: `[[story: Foo_Bar ]]` is still a citation (of an id no story has), so the checker reports it
# instead of letting it print as literal brackets. Group 1: kind, group 2: the id as written.
CITATION = re.compile(r"\[\[[ \t]*(story|lesson)[ \t]*:[ \t]*([^\[\]\n]*?)[ \t]*\]\]")
# A link to a generated page by its site-absolute URL: /stories/<id>/ or /lessons/<id>/ (anchor allowed).
_PAGE_URL = re.compile(r"^/(stories|lessons)/([^/#?]+)/?(?:[#?].*)?$")


@dataclass(frozen=True)
class Citation:
    kind: str  # "story" or "lesson"
    id: str  # as written (stripped)
    line: int  # 1-based, relative to the scanned text
    col: int  # 1-based column of the opening [[
    start: int  # offsets of the whole `[[...]]` in the scanned text
    end: int


@dataclass(frozen=True)
class StoryLink:
    """A Markdown link to a story or lesson: by file (`path`, repo-relative) or by page URL (`id`)."""

    kind: str  # "story" or "lesson"
    line: int  # 1-based, relative to the scanned text
    target: str  # the link target exactly as written
    path: str | None = None  # for file links: the repo-relative POSIX path it points to
    id: str | None = None  # for page links: the id in the URL


def find_citations(text: str) -> list[Citation]:
    """Every `[[story:…]]` / `[[lesson:…]]` outside code, in text order."""
    if "[[" not in text:
        return []
    starts = _line_starts(text)
    found = []
    for line_no, line in visible_lines(text, 1):
        if "[[" not in line:
            continue
        for match in CITATION.finditer(line):
            offset = starts[line_no - 1] + match.start()
            found.append(
                Citation(
                    kind=match.group(1),
                    id=match.group(2),
                    line=line_no,
                    col=match.start() + 1,
                    start=offset,
                    end=offset + len(match.group(0)),
                )
            )
    return found


def story_links(text: str, source_path: str) -> list[StoryLink]:
    """Links in `text` (the body of `source_path`) that point at a story or lesson file or page."""
    found = []
    for line_no, target in markdown_links(text, 1):
        link = classify_link(target, source_path)
        if link is not None:
            kind, path, page_id = link
            found.append(StoryLink(kind=kind, line=line_no, target=target, path=path, id=page_id))
    return found


def classify_link(target: str, source_path: str) -> tuple[str, str | None, str | None] | None:
    """(kind, file path, page id) when `target` points at a story or lesson; None for any other link."""
    page = _PAGE_URL.match(target)
    if page:
        return FOLDERS[page.group(1)], None, unquote(page.group(2))
    if not is_local_markdown(target):
        return None
    path = link_path(target, source_path)
    if path is None:
        return None
    top = path.split("/", 1)[0]
    return (FOLDERS[top], path, None) if top in FOLDERS else None


def link_path(target: str, source_path: str) -> str | None:
    """The repo-relative POSIX path a relative file link resolves to; None when it leaves the repository."""
    bare = unquote(target.split("#", 1)[0].split("?", 1)[0])
    path = posixpath.normpath(posixpath.join(posixpath.dirname(source_path), bare))
    return None if path.startswith("../") or path == ".." else path


def _line_starts(text: str) -> list[int]:
    starts, position = [0], text.find("\n")
    while position != -1:
        starts.append(position + 1)
        position = text.find("\n", position + 1)
    return starts
