"""What Pagefind is handed for one page: a small HTML document whose indexed body is the token spelling of the
page's title and text (the browser reads the text back from it, ngrams.readable_text), with the title, display
facts, filter values and sort keys as metadata. The published page itself carries none of it."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape, unescape

from .ngrams import index_text


@dataclass
class SearchFields:
    """What a page contributes to search besides its text: filter values, display metadata, sort keys."""

    filters: dict[str, list[str]] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    sort: dict[str, str] = field(default_factory=dict)


@dataclass
class SearchRecord:
    url: str  # site-relative, e.g. "stories/x/"
    title: str
    text: str  # the readable text (summary + body, tags dropped): indexed as tokens, read back for excerpts
    filters: dict[str, list[str]] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    sort: dict[str, str] = field(default_factory=dict)

    def html(self) -> str:
        parts = ['<html lang="zh"><head><meta charset="utf-8"></head><body><main data-pagefind-body>',
                 f'<h1 data-pagefind-weight="7">{escape(index_text(self.title))}</h1>',
                 f"<p>{escape(index_text(self.text))}</p></main>",
                 f'<span data-pagefind-meta="title" hidden>{escape(self.title)}</span>']
        for name, values in sorted(self.filters.items()):
            parts += [f'<span data-pagefind-filter="{escape(name)}" hidden>{escape(v)}</span>' for v in values]
        for name, value in sorted(self.meta.items()):
            parts.append(f'<span data-pagefind-meta="{escape(name)}" hidden>{escape(value)}</span>')
        for name, value in sorted(self.sort.items()):
            parts.append(f'<span data-pagefind-sort="{escape(name)}" hidden>{escape(value)}</span>')
        parts.append("</body></html>")
        return "".join(parts)


def plain_text(*parts: str) -> str:
    """Readable text of HTML fragments: tags dropped, entities decoded, white space folded."""
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", part)) for part in parts)
    return re.sub(r"\s+", " ", text).strip()


def record_for(url: str, title: str, summary: str, body_html: str, fields: SearchFields) -> SearchRecord:
    return SearchRecord(url=url, title=title, text=plain_text(summary, body_html), filters=fields.filters,
                        meta=fields.meta, sort=fields.sort)
