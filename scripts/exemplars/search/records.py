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
from .pairs import PLACEHOLDER, Split, keep_first, spell_apart

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
        """The whole record, every pair word in its text (search/pairs.py's split_pairs takes them out again)."""
        title, text, found_by = self._indexed()
        spelled = (escape(index_text(title)), f"<p>{escape(index_text(text))}</p>", index_text(found_by))
        return self._document(title + text, *spelled)

    def split_html(self) -> Split:
        """The record as Pagefind is given it (pairs.Split): what split_pairs makes of `html()`, made directly. The
        only difference: a typed look-alike of a pair word between spaces (`Qabcdef` in a story) stays in the text
        for Pagefind to index; the merge joins it with ours (search/merge.py), so the index is the same."""
        title, text, found_by = self._indexed()
        folded = title + text
        title_words: list[str] = []
        rest_words: list[str] = []
        title = spell_apart(title, title_words)
        text = spell_apart(text, rest_words)
        found_by = spell_apart(found_by, rest_words)
        if title_words:
            title = keep_first(title, title_words)
        elif rest_words:
            if PLACEHOLDER in text:
                text = keep_first(text, rest_words)
            else:
                found_by = keep_first(found_by, rest_words)
        html = self._document(folded, escape(title), f"<p>{escape(text)}</p>", found_by)
        return Split(html, " ".join(title_words), " ".join(rest_words))

    def _indexed(self) -> tuple[str, str, str]:
        """The folded title, text and found-by words, as they are indexed."""
        title, text = fold(self.title), fold(self.text)
        found_by = [fold(e).replace(EXTRAS, " ") for e in self.extras] + latin_joins_folded(f"{title} {text}")
        return title, text, f" {BREAK} ".join(found_by)  # each fact apart, so a query cannot match across two

    def _document(self, folded: str, title: str, text: str, found_by: str) -> str:
        """The record around its indexed parts (`folded`: the folded title and text, for the restore map)."""
        parts = [
            '<html lang="zh"><head><meta charset="utf-8"></head><body><main data-pagefind-body>',
            f'<h1 data-pagefind-weight="7">{title}</h1>',
            text,
            f"<p>{EXTRAS} {escape(found_by)}</p></main>",
            f'<span data-pagefind-meta="title" hidden>{escape(self.title)}</span>',
        ]
        restoring = restore_map(self.title + self.text, folded)
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
