"""The did-you-mean vocabulary: the library's own words a reader is likely to type — method names and their
aliases, every province (full and short names), the stories' places at every level, domains, tags — plus a few
common terms of the field. Written at build time as search/vocabulary.json; the search page fetches it only when a
query finds nothing, and suggests a word one edit away (search.js `suggest`), so a method name typed one character
off (换位思靠, 教育输导) still leads somewhere."""

from __future__ import annotations

import json

from ..regions import PROVINCES

COMMON_TERMS = ("群众工作", "群众路线", "为人民服务", "矛盾纠纷", "基层治理", "志愿服务", "乡村振兴", "民生实事")


def vocabulary(library) -> list[str]:
    words: list[str] = []
    for method in library.methods:
        words += [method.name, method.name.removesuffix("法"), *method.aliases]
    for name, _, short in PROVINCES:  # every province, with or without stories yet
        words += [name, *short]
    for story in library.public_stories():
        words += [*story.region, *story.domains, *story.tags]
    words += COMMON_TERMS
    return sorted({w for w in words if len(w) >= 2})


def vocabulary_json(library) -> str:
    return json.dumps(vocabulary(library), ensure_ascii=False, separators=(",", ":"))
