"""Rules that need only one file (its body and placeholders). They run where the file is read — in the
worker processes for large libraries — so `check` spends its single-threaded time on cross-file rules only.
They also collect the body's citations onto the Record, for check.py to look up."""

from __future__ import annotations

import re
from pathlib import Path

from .body_rules import is_local_markdown, markdown_links, personal_numbers, placeholder_lines, resolve_link, scan_body
from .citations import find_citations, story_links
from .diagnostics import Diagnostic
from .load import Record
from .personal import find_numbers, might_hold_number
from .schema import PLACEHOLDER, SPACES, STATUSES


def is_placeholder(value: object) -> bool:
    return isinstance(value, str) and value.strip(SPACES).startswith(PLACEHOLDER)


def story_file_rules(root: Path, record: Record) -> list[Diagnostic]:
    if not record.readable:
        return []
    collect_citations(record)
    return (
        _body_rules(root, record)
        + _placeholders(record)
        + _guessed(record)
        + _empty_body(record)
        + front_matter_numbers(record)
    )


def lesson_file_rules(root: Path, record: Record) -> list[Diagnostic]:
    """Lessons are published like stories: the same body rules (markup, personal data, links, placeholders)."""
    return story_file_rules(root, record)


def method_file_rules(root: Path, record: Record) -> list[Diagnostic]:
    """Method pages are written by the maintainers: their links and citations are checked, and, as they are
    published pages too, personal numbers anywhere in them."""
    if not record.readable:
        return []
    collect_citations(record)
    diags = [
        Diagnostic.make("E-LINK-MISSING", record.path, line, target=target)
        for line, target in markdown_links(record.body, record.body_line)
        if is_local_markdown(target) and not resolve_link(root, record.path, target).is_file()
    ]
    diags += [
        Diagnostic.make(code, record.path, line, **args)
        for code, line, args in personal_numbers(record.body, record.body_line)
    ]
    return diags + front_matter_numbers(record)


FILE_RULES = {"story": story_file_rules, "lesson": lesson_file_rules, "method": method_file_rules}


def collect_citations(record: Record) -> None:
    offset = record.body_line - 1
    record.citations = [
        (c.kind, c.id, c.line + offset, record.body[c.start : c.end]) for c in find_citations(record.body)
    ]
    record.citations += [
        (link.kind, link.id, link.line + offset, link.target)
        for link in story_links(record.body, record.path)
        if link.id is not None
    ]


def _body_rules(root: Path, record: Record) -> list[Diagnostic]:
    diags = [
        Diagnostic.make(code, record.path, line, **args)
        for code, line, args in scan_body(record.body, record.body_line)
    ]
    for line, target in markdown_links(record.body, record.body_line):
        if is_local_markdown(target) and not resolve_link(root, record.path, target).is_file():
            diags.append(Diagnostic.make("E-LINK-MISSING", record.path, line, target=target))
    return diags


_HTML_COMMENT = re.compile(r"<!--.*?(-->|$)", re.DOTALL)
_VISIBLE = re.compile(r"[^\s#>*_`~|\-=+.:\[\](){}!\\]")  # not blank, not a bare Markdown mark


def has_visible_text(body: str) -> bool:
    """Whether a reader would see any text: HTML comments and bare Markdown marks (##, ---, > …) do not count.
    Stops at the first visible character, so a normal body costs next to nothing."""
    if "<!--" in body:
        body = _HTML_COMMENT.sub("", body)
    return _VISIBLE.search(body) is not None


def _empty_body(record: Record) -> list[Diagnostic]:
    """A story or lesson in review or published needs a body with visible text (HTML comments and bare Markdown
    marks do not count): an empty page is never what was meant. A draft is only reminded; a withdrawn page shows
    its notice instead of the body."""
    status = record.meta.get("status")
    if status not in ("draft", "review", "published") or has_visible_text(record.body):
        return []
    if status == "draft":
        return [Diagnostic.make("W-BODY-EMPTY", record.path, record.body_line - 1)]
    what = "课程" if record.path.startswith("lessons/") else "故事"
    return [
        Diagnostic.make(
            "E-BODY-EMPTY", record.path, record.body_line - 1, what=what, status=status, status_label=STATUSES[status]
        )
    ]


def _placeholders(record: Record) -> list[Diagnostic]:
    """Scaffold placeholders anywhere in the front matter (a story's summary and sources, a lesson's objectives
    and questions …) or the body: a warning in a draft, an error once the file is sent for review or published."""
    meta = record.meta
    code = "W-PLACEHOLDER" if meta.get("status") == "draft" else "E-PLACEHOLDER"
    diags = [
        Diagnostic.make(code, record.path, record.line_of(*path), field=path[0], value=text[:30])
        for path, text in _leaves(meta, ())
        if is_placeholder(text)
    ]
    for line, text in placeholder_lines(record.body, record.body_line):
        diags.append(Diagnostic.make(code, record.path, line, field="正文", value=text))
    return diags


def _guessed(record: Record) -> list[Diagnostic]:
    """Fields `exemplars import` guessed from a Word document's text, listed under `guessed` until an editor has
    verified them: a warning in a draft, an error once the story is sent for review or published."""
    meta = record.meta
    listed = meta.get("guessed")
    if not isinstance(listed, list):
        return []
    code = "W-GUESSED" if meta.get("status") == "draft" else "E-GUESSED"
    diags = []
    for index, name in enumerate(listed):
        if isinstance(name, str) and name:
            value = meta.get(name)
            shown = "、".join(map(str, value)) if isinstance(value, list) else str(value)
            diags.append(
                Diagnostic.make(code, record.path, record.line_of("guessed", index), field=name, value=shown[:30])
            )
    return diags


def _leaves(value: object, path: tuple):
    """(key path, value) of every scalar in a front-matter value, lists and mappings included."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    else:
        yield path, value


def front_matter_numbers(record: Record) -> list[Diagnostic]:
    """Personal numbers in any front-matter value (titles, summaries, ids, region, sources, tags, lesson
    objectives …, known field or not, text or number), reported on the line of the key or list item; and in the
    file's name, which readers see in the page's edit link (a file is usually named after its id)."""
    diags = [
        Diagnostic.make(found.code, record.path, 1, value=found.masked, where="文件名")
        for found in find_numbers(record.path)
    ]
    for path, text in _number_texts(record.meta):
        for found in find_numbers(text):
            diags.append(
                Diagnostic.make(
                    found.code, record.path, record.line_of(*path), value=found.masked, where=_field_name(path)
                )
            )
    return diags


def _number_texts(meta: dict):
    """(key path, text) of every string or number in the front matter that might hold a personal number."""
    for path, value in _leaves(meta, ()):
        if isinstance(value, str):
            if might_hold_number(value):
                yield path, value
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            yield path, str(value)


def _field_name(path: tuple) -> str:
    """("sources", 0, "title") → 文件头字段 `sources` 第 1 项的 `title`: items counted from 1, as an editor counts."""
    name = f"文件头字段 `{path[0]}`"
    for part in path[1:]:
        name += f" 第 {part + 1} 项" if isinstance(part, int) else f"的 `{part}`"
    return name + " 中"
