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
# Capital Q in the stored text (Pagefind lower-cases words for matching, so queries use "q"): decoding the text
# back then leaves a real lower-case word such as "qabc" alone.
_SPELLING = {code: f" Q{encode_char(chr(code))} " for start, end in CJK_RANGES for code in range(start, end + 1)}


def index_text(text: str) -> str:
    """What Pagefind indexes for `text`: each Chinese character as its token, everything else unchanged."""
    return text.translate(_SPELLING)


_TOKEN = re.compile(r" ?(?<![0-9A-Za-z])Q([0-9a-z]{3})(?![0-9A-Za-z]) ?")


def _decode(value: int) -> str:
    return chr(value - (0xA000 - BASE) + COMPAT if value >= 0xA000 - BASE else value + BASE)


def readable_text(content: str) -> str:
    """The text back from what Pagefind stored (its fragment's `content`): tokens become their characters again.
    The reader's excerpts come from this, so the index does not also carry the text (half of Pagefind's
    fragment bytes and a fifth of its time). Only spaces right beside Chinese characters are not restored."""
    return _TOKEN.sub(lambda m: _decode(int(m.group(1), 36)), content)


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
