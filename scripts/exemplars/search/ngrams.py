"""The n-gram token spelling, shared with the browser (overrides/assets/javascripts/search.js must agree).

A Chinese character from U+3400 on becomes three base-36 digits of its offset; a token is "q" followed by the
digits of up to GRAM consecutive characters. Fixed width keeps prefixes meaningful: the token of 调解 is a prefix
of the token of 调解员老, which is what Pagefind's prefix matching needs.
"""
from __future__ import annotations

import re

GRAM = 4
BASE = 0x3400
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_PIECES = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")
_WORD = re.compile(r"[^\W_]+")


def encode_char(ch: str) -> str:
    value = ord(ch) - BASE
    return DIGITS[value // 1296] + DIGITS[value // 36 % 36] + DIGITS[value % 36]


def token(chars: str) -> str:
    return "q" + "".join(encode_char(c) for c in chars)


def index_text(text: str, gram: int = GRAM) -> str:
    """What Pagefind indexes for `text`: one token per position of every Chinese run; other words as they are."""
    out: list[str] = []
    for piece in _PIECES.split(text):
        if not piece:
            continue
        if CJK_RUN.fullmatch(piece):
            out.extend(token(piece[i:i + gram]) for i in range(len(piece)))
        else:
            out.extend(word.lower() for word in _WORD.findall(piece))
    return " ".join(out)


def query_terms(query: str, gram: int = GRAM) -> list[str]:
    """The Pagefind query for what a reader typed (the Python twin of the browser's rewrite, for tests/bench)."""
    terms = []
    for part in query.split():
        last = 0
        for match in CJK_RUN.finditer(part):
            terms += [w.lower() for w in _WORD.findall(part[last:match.start()])]
            run = match.group(0)
            starts = sorted({*range(0, max(1, len(run) - gram + 1), gram), max(0, len(run) - gram)})
            terms.extend(token(run[i:i + gram]) for i in starts)
            last = match.end()
        terms += [w.lower() for w in _WORD.findall(part[last:])]
    return terms
