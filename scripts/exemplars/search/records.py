"""What Pagefind is handed for one page: a small HTML document whose indexed body is the token spelling of the
page's folded title and text (normalise.fold; the browser reads the text back from it, ngrams.readable_text, and
undoes the folding with the `restore` metadata), then, after EXTRAS, the words a page is found by without showing
them: its region at every level, its year, domains and tags, and the joined spellings of its Latin words. The
title, display facts, filter values and sort keys are metadata. The published page itself carries none of it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html import escape, unescape

from .ngrams import index_text
from .normalise import fold, latin_joins_folded, restore_map

EXTRAS = "\u2042"  # ⁂: punctuation, so Pagefind indexes nothing for it; the browser cuts the shown text here
BREAK = "\u00b6"  # ¶ between paragraphs, headings and list items: excerpts show a break there (search.js)
_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|tr|div|dd|dt|pre|table|ul|ol)\s*>|<br\s*/?>", re.IGNORECASE)


@dataclass
class SearchFields:
    """What a page contributes to search besides its text: filter values, display metadata, sort keys."""

    filters: dict[str, list[str]] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    sort: dict[str, str] = field(default_factory=dict)
    extras: list[str] = field(default_factory=list)  # found by, not shown: region levels, year, domains, tags
    published: int | None = None  # day (date.toordinal) the page went up: picks its search shard (shards.py)


@dataclass
class SearchRecord:
    url: str  # site-relative, e.g. "stories/x/"
    title: str
    text: str  # the readable text (summary + body, tags dropped): indexed as tokens, read back for excerpts
    filters: dict[str, list[str]] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    sort: dict[str, str] = field(default_factory=dict)
    extras: list[str] = field(default_factory=list)

    def html(self) -> str:
        title, text = fold(self.title), fold(self.text)
        found_by = [fold(e).replace(EXTRAS, " ") for e in self.extras] + latin_joins_folded(f"{title} {text}")
        parts = [
            '<html lang="zh"><head><meta charset="utf-8"></head><body><main data-pagefind-body>',
            f'<h1 data-pagefind-weight="7">{escape(index_text(title))}</h1>',
            f"<p>{escape(index_text(text))}</p>",
            # each fact apart (BREAK), so a query cannot match across two of them
            f"<p>{EXTRAS} {escape(index_text(f' {BREAK} '.join(found_by)))}</p></main>",
            f'<span data-pagefind-meta="title" hidden>{escape(self.title)}</span>',
        ]
        restoring = restore_map(self.title + self.text, title + text)
        if restoring:  # only for text that folding changed (traditional characters, full-width letters)
            parts.append(
                '<span data-pagefind-meta="restore" hidden>'
                f"{escape(json.dumps(restoring, ensure_ascii=False, separators=(',', ':')))}</span>"
            )
        for name, values in sorted(self.filters.items()):
            parts += [f'<span data-pagefind-filter="{escape(name)}" hidden>{escape(v)}</span>' for v in values]
        for name, value in sorted(self.meta.items()):
            parts.append(f'<span data-pagefind-meta="{escape(name)}" hidden>{escape(value)}</span>')
        for name, value in sorted(self.sort.items()):
            parts.append(f'<span data-pagefind-sort="{escape(name)}" hidden>{escape(value)}</span>')
        parts.append("</body></html>")
        return "".join(parts)


def plain_text(*parts: str) -> str:
    """Readable text of HTML fragments: tags dropped, entities decoded, white space folded, BREAK between blocks
    (paragraphs, headings, list items) and between the parts."""
    blocks = []
    for part in parts:
        marked = _BLOCK_END.sub(f" {BREAK} ", part.replace(BREAK, " ").replace(EXTRAS, " "))
        blocks.append(unescape(re.sub(r"<[^>]+>", " ", marked)).replace(EXTRAS, " "))
    text = re.sub(r"\s+", " ", f" {BREAK} ".join(blocks)).strip()
    text = re.sub(rf"{BREAK}(?: {BREAK})+", BREAK, text)  # empty blocks leave one break
    return text.strip(f" {BREAK}")


def record_for(url: str, title: str, summary: str, body_html: str, fields: SearchFields) -> SearchRecord:
    return SearchRecord(
        url=url,
        title=title,
        text=plain_text(summary, body_html),
        filters=fields.filters,
        meta=fields.meta,
        sort=fields.sort,
        extras=fields.extras,
    )
