"""The search token spelling, shared with the browser (overrides/assets/javascripts/search.js must agree).

Pagefind matches whole words, and its Chinese segmenter decides what a word is — so 调解 is not found inside
调解员. We take segmentation out of its hands: every Chinese character is indexed as one ASCII word, "q"
followed by three base-36 digits of its offset from U+3400, in text order. A query's Chinese run becomes the
same words wrapped in quotes, which makes Pagefind match them only at consecutive positions: an exact
substring match, found wherever it occurs, with Pagefind's own index sizes (one word per character costs
about what its segmenter's words cost; every n-gram spelling we measured doubled the indexer's time and memory).
Other words (Latin letters, digits) are indexed as they are.
"""
from __future__ import annotations

import re

BASE = 0x3400
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[^\W_]+")


COMPAT = 0xF900  # the compatibility ideographs follow right after U+9FFF, so three digits cover every range


def encode_char(ch: str) -> str:
    code = ord(ch)
    value = code - COMPAT + (0xA000 - BASE) if code >= COMPAT else code - BASE
    return DIGITS[value // 1296] + DIGITS[value // 36 % 36] + DIGITS[value % 36]


def token(ch: str) -> str:
    return "q" + encode_char(ch)


# One str.translate pass spells a whole text: ~1 µs per character instead of a Python loop per character.
_SPELLING = {code: f" q{encode_char(chr(code))} " for start, end in CJK_RANGES for code in range(start, end + 1)}


def index_text(text: str) -> str:
    """What Pagefind indexes for `text`: each Chinese character as its token, everything else unchanged."""
    return text.translate(_SPELLING)


def query_terms(query: str) -> list[str]:
    """The Pagefind query for what a reader typed (the Python twin of the browser's rewrite, for tests/bench):
    each Chinese run of two or more characters as a quoted phrase of its tokens, other words as they are."""
    terms = []
    for part in query.split():
        last = 0
        for match in CJK_RUN.finditer(part):
            terms += [w.lower() for w in _WORD.findall(part[last:match.start()])]
            tokens = [token(ch) for ch in match.group(0)]
            terms.append(tokens[0] if len(tokens) == 1 else '"' + " ".join(tokens) + '"')
            last = match.end()
        terms += [w.lower() for w in _WORD.findall(part[last:])]
    return terms
