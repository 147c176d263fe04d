"""The search token spelling, shared with the browser (overrides/assets/javascripts/search.js must agree).

Pagefind matches whole words, and its Chinese segmenter decides what a word is — so 调解 is not found inside
调解员. We take segmentation out of its hands: every Chinese character is indexed as one ASCII word that names
the character *and the one after it* ("Q" in the stored text, "q" in queries since Pagefind lower-cases words;
three base-36 digits of its offset from U+3400 — four for extension B and later, beyond the BMP, where many
personal and place names live — then the next character's code, or "zzz" at the end of a run), in text order.
A query's Chinese run becomes the words of its first n-1 positions, quoted, so Pagefind matches them only at
consecutive positions: an exact substring match, found wherever it occurs. A single character is matched by
prefix (all words starting with it).

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
ASTRAL = 0x20000  # planes 2 and 3: extensions B-H (personal and place names) and the compatibility supplement
ASTRAL_END = 0x3FFFF
CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]+")
_WORD = re.compile(r"[^\W_]+")
END = "zzz"  # "no next character": beyond every character's code

COMPAT = 0xF900  # the compatibility ideographs follow right after U+9FFF, so three digits cover every BMP range
# A BMP character's code is three digits whose first is 0-l (its value is below 22 × 1296); a character of planes
# 2-3 has four, the first m-o (22 + value // 46656). No code is a prefix of another, so a single character is still
# found by the prefix "q" + its code, and a pair word still names exactly two characters.
ASTRAL_LEAD = 22


def encode_char(ch: str) -> str:
    code = ord(ch)
    if code >= ASTRAL:
        value = code - ASTRAL
        return (
            DIGITS[ASTRAL_LEAD + value // 46656]
            + DIGITS[value // 1296 % 36]
            + DIGITS[value // 36 % 36]
            + DIGITS[value % 36]
        )
    value = code - COMPAT + (0xA000 - BASE) if code >= COMPAT else code - BASE
    return DIGITS[value // 1296] + DIGITS[value // 36 % 36] + DIGITS[value % 36]


# One str.translate pass turns a run into its characters' codes, three digits each (four beyond the BMP).
_CODES = {code: encode_char(chr(code)) for start, end in CJK_RANGES for code in range(start, end + 1)}
_ASTRAL_RUN = re.compile(r"[\U00020000-\U0003ffff]")


def pair_codes(run: str) -> list[str]:
    """Each character's code followed by the next one's (END after the last)."""
    if _ASTRAL_RUN.search(run) is None:  # the common case: fixed three-digit codes, sliced in one pass
        codes = run.translate(_CODES) + END
        return [codes[i : i + 6] for i in range(0, len(codes) - 3, 3)]
    codes = [encode_char(c) for c in run] + [END]
    return [codes[i] + codes[i + 1] for i in range(len(run))]


def _spell_run(match: re.Match) -> str:
    # Capital Q in the stored text (Pagefind lower-cases words for matching, so queries use "q"): decoding the
    # text back then leaves a real lower-case word such as "qabcdef" alone.
    return "".join([f" Q{pair} " for pair in pair_codes(match.group(0))])


def index_text(text: str) -> str:
    """What Pagefind indexes for `text`: each Chinese character as its pair word, everything else unchanged."""
    return CJK_RUN.sub(_spell_run, text)


_CODE = "[0-9a-l][0-9a-z]{2}|[m-o][0-9a-z]{3}"
_TOKEN = re.compile(rf" ?(?<![0-9A-Za-z])Q({_CODE})(?:{_CODE}|{END})(?![0-9A-Za-z]) ?")


def _decode(code: str) -> str:
    value = int(code, 36)
    if len(code) == 4:
        return chr(value - ASTRAL_LEAD * 46656 + ASTRAL)
    return chr(value - (0xA000 - BASE) + COMPAT if value >= 0xA000 - BASE else value + BASE)


def readable_text(content: str) -> str:
    """The text back from what Pagefind stored (its fragment's `content`): each word becomes its first character
    again. The reader's excerpts come from this, so the index does not also carry the text (half of Pagefind's
    fragment bytes and a fifth of its time). Only spaces right beside Chinese characters are not restored."""
    return _TOKEN.sub(lambda m: _decode(m.group(1)), content)


def run_terms(run: str) -> str:
    """The Pagefind term for one Chinese run: its first n-1 pair words as a phrase (the last character's pair is
    complete in the text, not in the query), or for one character the prefix its words share."""
    if len(run) == 1:
        return "q" + encode_char(run)
    words = ["q" + pair for pair in pair_codes(run)[:-1]]
    return words[0] if len(words) == 1 else '"' + " ".join(words) + '"'


def part_terms(part: str) -> list[str]:
    """The Pagefind terms of one space-free part of a query, already folded (normalise.fold): each Chinese run as
    run_terms, other words lower-cased. The browser searches each term on its own and keeps the pages found by
    all of them (Pagefind matches one quoted phrase per search), then checks the part's characters stand together
    and in order in the page (normalise.match_form)."""
    terms = []
    last = 0
    for match in CJK_RUN.finditer(part):
        terms += [w.lower() for w in _WORD.findall(part[last : match.start()])]
        terms.append(run_terms(match.group(0)))
        last = match.end()
    terms += [w.lower() for w in _WORD.findall(part[last:])]
    return terms


def query_terms(query: str) -> list[str]:
    """Every Pagefind term for what a reader typed (the Python twin of the browser's rewrite, for tests/bench)."""
    from .normalise import fold

    return [term for part in fold(query).split() for term in part_terms(part)]
