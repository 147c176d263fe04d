"""Ids for new stories and lessons from Chinese titles: pinyin grouped by word, hyphen-joined, plus the year.

测试输入校验的故事 (2024) → ceshi-shuru-jiaoyan-de-gushi-2024. pypinyin alone gives one syllable per character, so
a word segmenter (jieba) decides where the words are; each word's syllables are glued together and words are joined
by hyphens. Runs of ASCII letters or digits (AI, 12345) are words of their own. The id is bounded by whole words:
words are kept while the part before the year stays within MAX_LENGTH characters, and the first word that would
cross it ends the id, so no word is ever cut (把群众的事时刻放在心上办 keeps its last 办). Only a single first word
longer than the bound on its own is shortened, at a syllable boundary.

Ids are made only for new files (`exemplars new`, `exemplars new-lesson`); ids already in files are never
recomputed. Importing this module loads pypinyin's and jieba's dictionaries: import it only where an id is made.
"""

from __future__ import annotations

import logging
import os
import re
import unicodedata
import warnings
from functools import lru_cache
from pathlib import Path

from pypinyin import Style, lazy_pinyin

MAX_LENGTH = 48  # characters before the year: about ten syllables, enough for a usual headline's main clause
_HAN_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"  # CJK, extensions A–H
_HAN = re.compile(f"[{_HAN_RANGES}]+")
_PIECES = re.compile(f"[{_HAN_RANGES}]+|[A-Za-z0-9]+")


def slug_from_title(title: str, year: int | None = None, fallback: str = "story") -> str:
    """A valid id (schema's slug pattern) for a new file titled `title`; `fallback` when nothing is spellable."""
    words = _words(unicodedata.normalize("NFKC", title))  # full-width Ａ１ → A1
    kept: list[str] = []
    length = 0
    for word, head in words:
        added = len(word) + (1 if kept else 0)
        if length + added > MAX_LENGTH:
            if not kept:  # a single word longer than the whole bound: its first syllables
                kept.append(head)
            break
        kept.append(word)
        length += added
    stem = "-".join(kept) or fallback
    return f"{stem}-{year}" if year else stem


def _words(title: str) -> list[tuple[str, str]]:
    """The title's words in order, each as (word, head): ASCII runs lowercased, Chinese words as glued pinyin; the
    head is the word's start within MAX_LENGTH (at a syllable boundary), used only when a single word is too long."""
    words: list[tuple[str, str]] = []
    for token in _segmenter().lcut(title):
        for piece in _PIECES.findall(token):
            if not _HAN.fullmatch(piece):
                words.append((piece.lower(), piece.lower()[:MAX_LENGTH]))
                continue
            syllables = [
                re.sub(r"[^a-z]", "", s.lower().replace("ü", "v")) for s in lazy_pinyin(piece, style=Style.NORMAL)
            ]
            syllables = [s for s in syllables if s]
            if not syllables:
                continue
            head = ""
            for syllable in syllables:
                if len(head) + len(syllable) > MAX_LENGTH:
                    break
                head += syllable
            words.append(("".join(syllables), head))
    return words


@lru_cache(maxsize=1)
def _segmenter():
    """jieba's tokenizer, quiet: it logs "Building prefix dict…" to stderr and writes its dictionary cache to the
    temp dir; editors must see neither, so its logger is silenced and the cache goes to the user's cache folder
    (~/.cache/exemplars, or $XDG_CACHE_HOME/exemplars). A cache that cannot be written only costs ~1 s."""
    with warnings.catch_warnings():  # older jieba code trips SyntaxWarning/DeprecationWarning on new Pythons
        warnings.simplefilter("ignore")
        import jieba
    logging.getLogger("jieba").setLevel(logging.CRITICAL + 1)
    jieba.setLogLevel(logging.CRITICAL + 1)
    tokenizer = jieba.Tokenizer()
    cache_home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "exemplars"
    try:
        cache_home.mkdir(parents=True, exist_ok=True)
        tokenizer.tmp_dir = str(cache_home)
    except OSError:
        pass  # jieba then tries the temp dir; a failure there is logged, and the log is silenced
    return tokenizer
