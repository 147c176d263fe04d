"""The preview's safety net: a copy of the Library with every personal number masked, for the site to read.

The public build refuses a library with a personal number (`exemplars check` reports it from the raw records).
The preview builds despite errors, so that editors see their work; it masks instead, once, here in the model, so
that every output — story, method and lesson pages, listings, feeds, stories.json, the sitemap, the search index —
shows masked text without any writer knowing about it. Records are not touched: `check` and the `serve` reuse
cache read them as they are on disk. File paths are masked too (a file is usually named after its id, and its
path shows in the edit link and in the preview's problem lists), as text, like links to them in bodies, so that
the site's lookups by path still meet.

Text is masked as editors are told to mask (138****5678). Ids, which become URLs, are masked with `x`
(`case-138xxxx5678`) so that they stay valid slugs; every reference to an id (aliases, related, a lesson's
stories, method ids, body citations) is masked the same way, so links still meet. A `[[story:…]]` citation
written with a number-bearing id inside a body is masked as text, and so shows as unresolved in the preview.
"""

from __future__ import annotations

import functools
from dataclasses import fields, replace

from .diagnostics import Diagnostic
from .library import Library
from .load import Record
from .model import Source
from .personal import mask_numbers, might_hold_number

# Fields holding ids (or lists of ids); everything else that is text is masked as text.
_ID_FIELDS = {"id", "aliases", "related", "stories", "methods"}
_KEEP = {"digest", "kind", "status"}  # never shown as written
_METHOD_ID_FIELDS = {"id"}  # a method's aliases are names (教育疏导), not slugs


def mask_library(library: Library) -> Library:
    """A Library whose stories, lessons and methods carry no personal number; `library` is left as it was."""
    masked = Library(root=library.root, values={_text(path): values for path, values in library.values.items()})
    masked.records = {name: [_record(r) for r in records] for name, records in library.records.items()}
    masked.methods = [_item(m, _METHOD_ID_FIELDS) for m in library.methods]
    masked.stories = [_item(s, _ID_FIELDS) for s in library.stories]
    masked.lessons = [_item(lesson, _ID_FIELDS) for lesson in library.lessons]
    masked.method_refs = {_text(ref): _slug(method_id) for ref, method_id in library.method_refs.items()}
    masked._index()
    return masked


def _item(item, id_fields: set[str]):
    names = _names(type(item))
    values = [getattr(item, name) for name in names]
    # One prefilter over every text of the item (most hold no number): kept as it is, without a per-field pass.
    if not might_hold_number("\n".join(_texts(values))):
        return item
    changes = {}
    for name, value in zip(names, values):
        new = _value(value, _slug if name in id_fields else _text)
        if new is not value:
            changes[name] = new
    return replace(item, **changes) if changes else item


@functools.cache
def _names(cls) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls) if f.name not in _KEEP)


def _texts(values: list) -> list[str]:
    texts = []
    for value in values:
        if type(value) is str:
            texts.append(value)
        elif type(value) is tuple:
            for part in value:
                if type(part) is str:
                    texts.append(part)
                elif type(part) is Source:
                    texts += [part.title, part.url or ""]
    return texts


def _value(value, mask):
    if isinstance(value, str):
        new = mask(value)
        return value if new == value else new
    if isinstance(value, tuple):
        items = tuple(_value(v, mask) for v in value)
        return value if all(a is b for a, b in zip(items, value)) else items
    if isinstance(value, Source):
        return _item(value, set())
    return value


def mask_diagnostics(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics as the preview shows them (its error list, a page's problems): the file path masked like the
    model's paths, so that they still meet. Messages are masked when they are made (messages.render)."""
    return [replace(d, path=_text(d.path)) if might_hold_number(d.path) else d for d in diagnostics]


def _record(record: Record) -> Record:
    """The site reads a record's citations (lessons citing a story) by its path: mask both like the model."""
    if not might_hold_number(record.path) and not any(might_hold_number(ref) for _, ref, _, _ in record.citations):
        return record
    return replace(
        record,
        path=_text(record.path),
        citations=[(kind, _slug(ref), line, _text(written)) for kind, ref, line, written in record.citations],
    )


def _text(value: str) -> str:
    return mask_numbers(value) if might_hold_number(value) else value


def _slug(value: str) -> str:
    return mask_numbers(value, fill="x") if might_hold_number(value) else value
