"""The search token spelling, shared with the browser (overrides/assets/javascripts/search.js must agree).

Pagefind matches whole words, and its Chinese segmenter decides what a word is — so 调解 is not found inside
调解员. We take segmentation out of its hands: every Chinese character is indexed as one ASCII word that names
the character *and the one after it* ("q", three base-36 digits of its offset from U+3400, three more for the
next character, or "zzz" at the end of a run), in text order. A query's Chinese run becomes the words of its
first n-1 positions, quoted, so Pagefind matches them only at consecutive positions: an exact substring match,
found wherever it occurs. A single character is matched by prefix (all words starting with it).

Why pairs and not single characters: a word's postings are fetched whole, and a common character (的, 一, 是)
occurs thousands of times per thousand stories, so one-character words made a first search download ~165 KB of
index at 10,000 stories; a pair is rare enough that the chunks holding a query's words total ~47 KB. The price is
paid at build time: more distinct words per page (Pagefind's memory and time grow with them; see the README's
性能 section). Other words (Latin letters, digits) are indexed as they are.
"""
from __future__ import annotations

import re

BASE = 0x3400
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[^\W_]+")
END = "zzz"  # "no next character": beyond every character's code (the largest is 0x7FFF)

COMPAT = 0xF900  # the compatibility ideographs follow right after U+9FFF, so three digits cover every range


def encode_char(ch: str) -> str:
    code = ord(ch)
    value = code - COMPAT + (0xA000 - BASE) if code >= COMPAT else code - BASE
    return DIGITS[value // 1296] + DIGITS[value // 36 % 36] + DIGITS[value % 36]


# One str.translate pass turns a run into its characters' codes, three digits each.
_CODES = {code: encode_char(chr(code)) for start, end in CJK_RANGES for code in range(start, end + 1)}


def _pairs(run: str) -> list[str]:
    """Each character's code followed by the next one's (END after the last): six digits per character."""
    codes = run.translate(_CODES) + END
    return [codes[i:i + 6] for i in range(0, len(codes) - 3, 3)]


def _spell_run(match: re.Match) -> str:
    # Capital Q in the stored text (Pagefind lower-cases words for matching, so queries use "q"): decoding the
    # text back then leaves a real lower-case word such as "qabcdef" alone.
    return "".join([f" Q{pair} " for pair in _pairs(match.group(0))])


def index_text(text: str) -> str:
    """What Pagefind indexes for `text`: each Chinese character as its pair word, everything else unchanged."""
    return CJK_RUN.sub(_spell_run, text)


_TOKEN = re.compile(r" ?(?<![0-9A-Za-z])Q([0-9a-z]{3})[0-9a-z]{3}(?![0-9A-Za-z]) ?")


def _decode(value: int) -> str:
    return chr(value - (0xA000 - BASE) + COMPAT if value >= 0xA000 - BASE else value + BASE)


def readable_text(content: str) -> str:
    """The text back from what Pagefind stored (its fragment's `content`): each word becomes its first character
    again. The reader's excerpts come from this, so the index does not also carry the text (half of Pagefind's
    fragment bytes and a fifth of its time). Only spaces right beside Chinese characters are not restored."""
    return _TOKEN.sub(lambda m: _decode(int(m.group(1), 36)), content)


def run_terms(run: str) -> str:
    """The Pagefind term for one Chinese run: its first n-1 pair words as a phrase (the last character's pair is
    complete in the text, not in the query), or for one character the prefix its words share."""
    if len(run) == 1:
        return "q" + run.translate(_CODES)
    words = ["q" + pair for pair in _pairs(run)[:-1]]
    return words[0] if len(words) == 1 else '"' + " ".join(words) + '"'


def query_terms(query: str) -> list[str]:
    """The Pagefind query for what a reader typed (the Python twin of the browser's rewrite, for tests/bench):
    each Chinese run as run_terms, other words lower-cased as they are."""
    terms = []
    for part in query.split():
        last = 0
        for match in CJK_RUN.finditer(part):
            terms += [w.lower() for w in _WORD.findall(part[last:match.start()])]
            terms.append(run_terms(match.group(0)))
            last = match.end()
        terms += [w.lower() for w in _WORD.findall(part[last:])]
    return terms
