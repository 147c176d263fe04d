"""The one detector of personal numbers (resident ID-card and mobile numbers) in any text a reader can see.

Used by the body scan, the front-matter scan (both in `exemplars check`) and the preview's masking (privacy.py),
so that what the checker reports and what the preview hides are the same numbers.

Text is normalised before matching: NFKC (full-width digits １３８, ＋, Ｘ, the full-width hyphen and the
ideographic space, all of which Chinese input methods type easily; also mathematical, circled and superscript
digits), character by character so that spans stay those of the original text, and every dash-like character to
`-`. Between any two digits of a number a separator may stand: one or two spaces, a dash with up to two spaces
around it (`138 5711 2345`, `138-5711-2345`, `138 — 5711 — 2345`) or one line break; a mobile number may carry
`+86`. Guards against false alarms: an ID number must have a real birth date and a valid check digit; a mobile
number followed by an amount word (元, 万, 人 …) is a quantity; digits glued to letters, to more digits or to a
decimal point are part of something else (an order number, a decimal, a longer number).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

# Cheap first look, on the raw text: at least seven digits (any form) in a run that may hold separators. Text
# without one holds no personal number, so most strings of a library skip the rest entirely.
_DIGIT = r"\d\u00b2\u00b3\u00b9\u2070-\u2089\u2460-\u2468\u24ea\u2776-\u2792"
_PREFILTER = re.compile(
    rf"[{_DIGIT}][{_DIGIT} \t\n\u00a0\u2000-\u200a\u202f\u205f\u3000\-－—–‐‑‒―−﹘﹣]{{5,}}[{_DIGIT}]"
)


def _nfkc_table() -> dict[int, str]:
    """NFKC for every character that can form or delimit a number, as a 1:1 table: full-width digits, letters,
    ＋ and －, the ideographic and other wide spaces, mathematical and segmented digits, circled and super-/
    subscript single digits; plus every dash-like character → `-`. Applied with str.translate (C speed), it keeps
    each character where it stood, so a match in the normalised text is a span of the original."""
    blocks = [
        range(0xFF01, 0xFF5F),
        range(0x1D7CE, 0x1D800),
        range(0x1FBF0, 0x1FBFA),
        range(0x2000, 0x200B),
        range(0x2070, 0x20A0),
        range(0x2460, 0x2474),
        range(0x24EA, 0x24EB),
        range(0x2776, 0x2794),
        (0x00A0, 0x00B2, 0x00B3, 0x00B9, 0x202F, 0x205F, 0x3000),
    ]
    table = {}
    for block in blocks:
        for code in block:
            new = unicodedata.normalize("NFKC", chr(code))
            if len(new) == 1 and new != chr(code) and (new.isascii() and (new.isalnum() or new in "+- ")):
                table[code] = new
    table.update({ord(c): "-" for c in "‐‑‒–—―−﹘﹣－"})
    table[ord("\t")] = " "
    return table


_NORMAL = _nfkc_table()


def _char_class(codes: list[int]) -> str:
    """A regex class with runs of code points as ranges: a class of single characters is scanned ~10× slower."""
    parts, start = [], None
    for index, code in enumerate(codes):
        start = code if start is None else start
        if index + 1 == len(codes) or codes[index + 1] != code + 1:
            parts.append(re.escape(chr(start)) + ("" if code == start else "-" + re.escape(chr(code))))
            start = None
    return "[" + "".join(parts) + "]"


_SPECIAL = re.compile(_char_class(sorted(_NORMAL)))
_RUN = re.compile(r"[0-9][0-9 \n-]{9,}[0-9]")  # in normalised text: 11 characters or more, where a number could be
_LOOKAHEAD = 6  # characters after a run that the patterns' guards look at (a check digit X, " - 5", ".5")
# One line break may stand between two digits too: Markdown joins the lines of a paragraph, so a number wrapped
# in the source reads as one on the page.
_SEP = r"(?:[ ]{0,2}-[ ]{0,2}|[ ]{1,2}|[ ]{0,2}\n[ ]{0,2})?"
_D = rf"{_SEP}[0-9]"

# 18 characters: 6-digit area code, birth date, 3-digit sequence, check digit.
_IDCARD = re.compile(rf"(?<![0-9A-Za-z])([1-8](?:{_D}){{16}}{_SEP}[0-9Xx])(?![0-9A-Za-z])")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# Mobile numbers: 11 digits from 13x–19x, optionally after +86 / 86. Not glued to a preceding letter, digit or
# point, nor followed by another digit (directly or after a dash), a letter or a decimal part.
_MOBILE = re.compile(
    rf"(?<![0-9A-Za-z_.])(?:\+?86{_SEP})?(1{_SEP}[3-9](?:{_D}){{9}})"
    r"(?![0-9A-Za-z_])(?![ ]?-[ ]?[0-9])(?![.,][0-9])"
)
_AMOUNT_AFTER = re.compile(r"\s*(元|万|亿|美元|人|户|次|吨|斤|公斤|千克|平方|米|亩|件|个|份|%)")
_NOT_DIGIT = re.compile(r"[^0-9Xx]")

IDCARD, MOBILE = "E-PII-IDCARD", "E-PII-MOBILE"


@dataclass(frozen=True)
class Found:
    code: str  # E-PII-IDCARD or E-PII-MOBILE
    start: int  # span in the original text
    end: int
    digits: str  # the number itself, ASCII, separators removed

    @property
    def masked(self) -> str:
        return mask(self.digits)


def might_hold_number(text: str) -> bool:
    return _PREFILTER.search(text) is not None


def find_numbers(text: str) -> list[Found]:
    """Every personal number in `text`, in order, not overlapping; spans index the original text."""
    if not _PREFILTER.search(text):
        return []
    norm = _normalise(text)
    found: dict[tuple[int, int], Found] = {}
    # The full patterns run only around digit runs: at every position of a long body they cost ~50 ns a character.
    for run in _RUN.finditer(norm):
        start, end = max(0, run.start() - 3), run.end() + _LOOKAHEAD
        for match in _IDCARD.finditer(norm, start, end):
            digits = _NOT_DIGIT.sub("", match.group(1)).upper()
            if valid_id_number(digits):
                found[match.span(1)] = Found(IDCARD, *match.span(1), digits)
        for match in _MOBILE.finditer(norm, start, end):
            if _AMOUNT_AFTER.match(norm, match.end()):
                continue
            candidate = Found(MOBILE, *match.span(1), _NOT_DIGIT.sub("", match.group(1)))
            if not any(f.start < candidate.end and candidate.start < f.end for f in found.values()):
                found[match.span(1)] = candidate
    return sorted(found.values(), key=lambda f: f.start)


def _normalise(text: str) -> str:
    """One character for one, so that a span of the result is the same span of `text`; only the characters of
    the table are looked up (a Python call each), the rest of the text is scanned at C speed."""
    return _SPECIAL.sub(lambda m: _NORMAL[ord(m.group())], text)


def valid_id_number(digits: str) -> bool:
    """18 characters with a real birth date and the right check digit (GB 11643)."""
    if len(digits) != 18 or not digits[:17].isdigit() or digits[6:8] not in ("19", "20"):
        return False
    try:
        dt.date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
    except ValueError:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == digits[17].upper()


def mask(value: str, fill: str = "*") -> str:
    """Never echo a full personal number: keep the first three and the last four characters."""
    value = value.strip()
    return value[:3] + fill * max(0, len(value) - 7) + value[-4:]


def mask_numbers(text: str, fill: str = "*") -> str:
    """`text` with every personal number replaced by its masked form (`fill="x"` keeps an id a valid slug)."""
    found = find_numbers(text)
    return mask_found(text, found, fill) if found else text


def mask_found(text: str, found: list, fill: str = "*") -> str:
    """`text` with the numbers `find_numbers(text)` returned replaced by their masked forms."""
    parts, last = [], 0
    for item in found:
        parts += [text[last : item.start], mask(item.digits, fill).lower() if fill == "x" else mask(item.digits, fill)]
        last = item.end
    parts.append(text[last:])
    return "".join(parts)
