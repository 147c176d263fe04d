"""The one detector of personal numbers (resident ID-card and mobile numbers) in any text a reader can see.

Used by the body scan, the front-matter scan (both in `exemplars check`) and the preview's masking (privacy.py),
so that what the checker reports and what the preview hides are the same numbers.

Text is normalised before matching: NFKC (full-width digits １３８, ＋, Ｘ, the full-width hyphen and the
ideographic space, all of which Chinese input methods type easily) and every dash-like character to `-`. Between
any two digits of a number a separator may stand: one or two spaces, or a dash with up to two spaces around it
(`138 5711 2345`, `138-5711-2345`, `138 — 5711 — 2345`); a mobile number may carry `+86` / `86`. Guards against
false alarms: an ID number must have a real birth date and a valid check digit; a mobile number followed by an
amount word (元, 万, 人 …) is a quantity; digits glued to letters, to more digits or to a decimal point are
part of something else (an order number, a decimal, a longer number).
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterator

# Cheap first look, on the raw text: at least seven digits (any width) in a run that may hold separators. Text
# without one holds no personal number, so most strings of a library skip the normalising pass entirely.
_PREFILTER = re.compile(r"\d[\d \t\u00a0\u3000\-－—–‐‑‒―−]{5,}\d")

_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−﹘﹣"}) | str.maketrans({"\t": " "})
_SEP = r"(?:[ ]{0,2}-[ ]{0,2}|[ ]{1,2})?"
_D = rf"{_SEP}[0-9]"

# 18 characters: 6-digit area code, birth date, 3-digit sequence, check digit.
_IDCARD = re.compile(rf"(?<![0-9A-Za-z])([1-8](?:{_D}){{16}}{_SEP}[0-9Xx])(?![0-9A-Za-z])")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# Mobile numbers: 11 digits from 13x–19x, optionally after +86 / 86. Not glued to a preceding letter, digit or
# point, nor followed by another digit (directly or after a dash), a letter or a decimal part.
_MOBILE = re.compile(rf"(?<![0-9A-Za-z_.])(?:\+?86{_SEP})?(1{_SEP}[3-9](?:{_D}){{9}})"
                     r"(?![0-9A-Za-z_])(?![ ]?-[ ]?[0-9])(?![.,][0-9])")
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
    norm, origin = _normalise(text)
    found: list[Found] = []
    for match in _IDCARD.finditer(norm):
        digits = _NOT_DIGIT.sub("", match.group(1)).upper()
        if valid_id_number(digits):
            found.append(_found(IDCARD, match, 1, digits, origin))
    for match in _MOBILE.finditer(norm):
        if _AMOUNT_AFTER.match(norm, match.end()):
            continue
        candidate = _found(MOBILE, match, 1, _NOT_DIGIT.sub("", match.group(1)), origin)
        if not any(f.start < candidate.end and candidate.start < f.end for f in found):
            found.append(candidate)
    return sorted(found, key=lambda f: f.start)


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
    if not found:
        return text
    parts, last = [], 0
    for item in found:
        parts += [text[last:item.start], mask(item.digits, fill).lower() if fill == "x" else mask(item.digits, fill)]
        last = item.end
    parts.append(text[last:])
    return "".join(parts)


def _normalise(text: str) -> tuple[str, list[int] | None]:
    """(normalised text, index in `text` of each normalised character; None when they are the same)."""
    if text.isascii():
        return text.translate(_DASHES), None
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        new = unicodedata.normalize("NFKC", char).translate(_DASHES) if ord(char) > 127 else char
        chars.append(new)
        origin.extend([index] * len(new))
    return "".join(chars), origin


def _found(code: str, match: re.Match, group: int, digits: str, origin: list[int] | None) -> Found:
    start, end = match.span(group)
    if origin is not None:
        start, end = origin[start], origin[end - 1] + 1
    return Found(code, start, end, digits)
