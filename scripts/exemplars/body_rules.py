"""Rules over a story's Markdown body: unsafe HTML, personal data, placeholders and broken relative links.

Lines inside fenced code blocks and inline code spans are skipped by the markup rules: Markdown renders them as
escaped text. Personal numbers are looked for on every line: escaped text is still read.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Iterator

from .personal import find_numbers
from .schema import PLACEHOLDER

_FENCE = re.compile(r"^(`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
_SCRIPT = re.compile(r"<\s*script\b", re.IGNORECASE)
_FRAME = re.compile(r"<\s*(iframe|frame|frameset|object|embed|applet|base|meta)\b", re.IGNORECASE)
_EVENT_IN_TAG = re.compile(r"<[a-zA-Z][^<>]*?[\s/\"'](on[a-zA-Z]{3,})\s*=", re.IGNORECASE)
_EVENT_IN_ATTR_LIST = re.compile(r"\{[^{}]*?\b(on[a-zA-Z]{3,})\s*=", re.IGNORECASE)
_SCRIPT_URL = re.compile(r"(?:java|vb)script\s*:", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x20]+")

_MD_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'(][^)]*)?\)")
_REF_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")


def visible_lines(body: str, first_line: int) -> Iterator[tuple[int, str]]:
    """(file line, text) for body lines outside code, with inline code spans blanked.

    Only what Markdown really renders as code is skipped: a fence at column 0 with a matching closing fence. An
    indented or unclosed "fence" is ordinary text to Python-Markdown, so it is scanned like any other line.
    """
    lines = body.split("\n")
    skip: set[int] = set()
    index = 0
    while index < len(lines):
        match = _FENCE.match(lines[index])
        if match:
            fence = match.group(1)
            close = re.compile(rf"^{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
            end = next((j for j in range(index + 1, len(lines)) if close.match(lines[j])), None)
            if end is not None:
                skip.update(range(index, end + 1))
                index = end + 1
                continue
        index += 1
    for offset, line in enumerate(lines):
        if offset not in skip:
            yield first_line + offset, _INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line)


# Anything the markup rules below could match starts with one of these; most bodies contain none, and one
# C-speed search over the whole body lets them skip the line-by-line pass (personal numbers have their own).
_SUSPICIOUS = re.compile(r"[<&{]|script", re.IGNORECASE)


def scan_body(body: str, first_line: int) -> Iterator[tuple[str, int, dict]]:
    """Yield (code, line, args) for unsafe markup and personal data in the body."""
    yield from personal_numbers(body, first_line)
    if not _SUSPICIOUS.search(body):
        return
    for line_no, line in visible_lines(body, first_line):
        decoded = html.unescape(line)
        if _SCRIPT.search(decoded):
            yield "E-HTML-SCRIPT", line_no, {}
        for match in _FRAME.finditer(decoded):
            yield "E-HTML-FRAME", line_no, {"tag": match.group(1).lower()}
        for match in (*_EVENT_IN_TAG.finditer(decoded), *_EVENT_IN_ATTR_LIST.finditer(decoded)):
            yield "E-HTML-EVENT", line_no, {"attr": match.group(1).lower()}
        if _SCRIPT_URL.search(_CONTROL.sub("", decoded)):
            yield "E-HTML-JSURL", line_no, {}


def personal_numbers(body: str, first_line: int) -> Iterator[tuple[str, int, dict]]:
    """The whole body, code included (a number in a code block is escaped, not hidden: a reader still sees it),
    so that a number wrapped onto the next line is found too; reported on the line where it starts."""
    for found in find_numbers(body):
        yield found.code, first_line + body.count("\n", 0, found.start), {"value": found.masked, "where": "正文"}


def placeholder_lines(body: str, first_line: int) -> Iterator[tuple[int, str]]:
    if PLACEHOLDER not in body:
        return
    for line_no, line in visible_lines(body, first_line):
        if PLACEHOLDER in line:
            yield line_no, line.strip()[:30]


def markdown_links(body: str, first_line: int) -> Iterator[tuple[int, str]]:
    """(line, target) for every inline or reference-style link and image in the body."""
    if "](" not in body and "]:" not in body:
        return
    for line_no, line in visible_lines(body, first_line):
        for match in _MD_LINK.finditer(line):
            yield line_no, match.group(1)
        ref = _REF_LINK.match(line)
        if ref:
            yield line_no, ref.group(1)


def is_local_markdown(target: str) -> bool:
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith(("/", "#")):
        return False  # absolute URL, site-absolute path or in-page anchor
    return target.split("#", 1)[0].split("?", 1)[0].lower().endswith((".md", ".markdown"))


def resolve_link(root: Path, source_path: str, target: str) -> Path:
    from urllib.parse import unquote

    return (root / source_path).parent / unquote(target.split("#", 1)[0].split("?", 1)[0])
