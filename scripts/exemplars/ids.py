"""Story ids from Chinese titles: pinyin (pypinyin) by phrase, ASCII only, plus the year.

余村“板凳议事会”：垃圾分类大家定 → yucun-bandengyishihui-2019: each run of text between punctuation becomes one
hyphen-separated word, and whole phrases are kept while they fit in MAX_SYLLABLES.
"""
from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

MAX_SYLLABLES = 8
_SEPARATORS = re.compile(r"[^\w]+|_")


def slug_from_title(title: str, year: int | None = None) -> str:
    words: list[str] = []
    budget = MAX_SYLLABLES
    for phrase in _SEPARATORS.split(title):
        syllables = [re.sub(r"[^a-z0-9]", "", s.lower().replace("ü", "v"))
                     for s in lazy_pinyin(phrase, style=Style.NORMAL, errors=lambda chars: re.findall(r"[A-Za-z0-9]+", chars))]
        syllables = [s for s in syllables if s]
        if not syllables:
            continue
        if len(syllables) > budget:
            if words:
                break
            syllables = syllables[:budget]  # a title that is one long phrase: keep its start
        words.append("".join(syllables))
        budget -= len(syllables)
    slug = "-".join(words) or "story"
    return f"{slug}-{year}" if year else slug
