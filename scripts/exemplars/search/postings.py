"""The pair words' postings of one search shard, encoded as Pagefind 1.5.2 encodes a word's page list — for all
words of the shard at once, with numpy.

The completion step (pairs.complete_bundle) hands over each page's pair words and their positions; a shard of 600
stories has ~500,000 such (page, word, position) entries. Encoded word by word and page by page in Python that was
~1 ms a page, half of the completion's time (10,000 stories: ~9 s of CPU); here a page costs two list extends and
the shard is encoded in one pass of array operations when it is written.

A word's page list, as pairs.py's docstring describes it: per page [page, locations, meta locations] — the page as
the difference from the word's previous page (its first page written as 0: the merge renumbers it), the locations
body first (weight 1: mark -25) then title (weight 7: mark -169), each run its mark, its first position, then the
differences, and meta locations always empty (pair words are never in the metadata). Nothing here imports MkDocs
or Pagefind.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

import numpy as np

BODY_MARK = b"\x38\x18"  # -25 (weight 1 × 24, written -(24 + 1)) as CBOR: negative integer, -1 - 24
TITLE_MARK = b"\x38\xa8"  # -169 (data-pagefind-weight="7", 7 × 24 = 168): -1 - 168
_ENTRY = 0x83  # a page entry: an array of three
_NO_META = 0x80  # its meta locations: an empty array
_UNSIGNED, _ARRAY = 0, 4  # CBOR major types


class PairPostings:
    """Collects a shard's pages (in ascending page order) and gives its table: per word, in code point (= UTF-8
    byte) order, [word, pages, first page, last page, the CBOR of its page list without the array head] — the first
    page written as 0, so that the merge renumbers a shard's part of a word by rewriting one number, never decoding
    it."""

    def __init__(self) -> None:
        self._words: list[str] = []
        self._places: list[int] = []
        self._pages: list[int] = []  # per page: its number, its word count, how many of them are the title's
        self._counts: list[int] = []
        self._titled: list[int] = []

    def add_page(self, number: int, places: list[int], words: list[str], titled: int) -> None:
        """One page's pair words at their positions, the first `titled` of them the title's; as written (the table
        lower-cases each distinct word once, not every entry)."""
        if len(places) != len(words):
            raise ValueError(f"page {number}: {len(places)} positions for {len(words)} words")
        if self._pages and number <= self._pages[-1]:
            raise ValueError(f"page {number} added after page {self._pages[-1]}")
        self._words.extend(words)
        self._places.extend(places)
        self._pages.append(number)
        self._counts.append(len(words))
        self._titled.append(titled)

    def table(self) -> list[list]:
        total = len(self._words)
        if not total:
            return []
        # each word's number in order of first appearance (one hash lookup per entry, all in C), then its rank
        numbers: defaultdict[str, int] = defaultdict(itertools.count().__next__)
        seen = np.fromiter(map(numbers.__getitem__, self._words), dtype=np.int64, count=total)
        # indexed lower-cased, as Pagefind indexes every word: spellings that differ only in case are one word
        lowered = [spelled.lower() for spelled in numbers]
        ordered = sorted(set(lowered))
        rank_of = dict(zip(ordered, range(len(ordered))))
        word = np.fromiter(map(rank_of.__getitem__, lowered), dtype=np.int64, count=len(lowered))[seen]
        counts = np.array(self._counts, dtype=np.int64)
        page = np.repeat(np.array(self._pages, dtype=np.int64), counts)
        place = np.array(self._places, dtype=np.int64)
        if place.min() < 0 or place.max() >= 1 << 32 or self._pages[-1] >= 1 << 32:
            raise ValueError("a position or page number outside 0 … 2³² - 1")
        starts = np.cumsum(counts) - counts
        title = (np.arange(total) - np.repeat(starts, counts)) < np.repeat(np.array(self._titled), counts)
        # word, then page, then body before title; a page's positions are already ascending within each part,
        # and a stable sort keeps them so
        if len(ordered) * (self._pages[-1] + 1) * 2 < 1 << 62:
            order = np.argsort((word * (self._pages[-1] + 1) + page) * 2 + title, kind="stable")
        else:
            order = np.lexsort((np.arange(total), title, page, word))
        word, page, title, place = word[order], page[order], title[order], place[order]

        new_word = _starts(word)
        new_entry = new_word | _starts(page)
        new_run = new_entry | _starts(title)
        value = place.copy()  # each run's first position, then the differences
        value[1:] -= place[:-1]
        value[new_run] = place[new_run]

        entry_at = np.flatnonzero(new_entry)
        entry_end = np.append(entry_at[1:], total)
        items = np.add.reduceat(new_run.astype(np.int64), entry_at) + (entry_end - entry_at)
        gap = np.where(new_word[entry_at], 0, page[entry_at] - page[entry_at - 1])
        head = 1 + _length(gap) + _length(items)  # [ page, locations' array head …

        size = _length(value) + 2 * new_run  # each position, after its run's mark
        size[entry_at] += head
        size[entry_end - 1] += 1  # … ], meta locations []
        offset = np.cumsum(size) - size
        out = np.zeros(int(size.sum()), dtype=np.uint8)
        at = offset[entry_at]
        out[at] = _ENTRY
        _put(out, at + 1, gap, _UNSIGNED)
        _put(out, at + 1 + _length(gap), items, _ARRAY)
        position = offset.copy()
        position[entry_at] += head
        marks = position[new_run]
        out[marks] = BODY_MARK[0]
        out[marks + 1] = np.where(title[new_run], TITLE_MARK[1], BODY_MARK[1])
        _put(out, position + 2 * new_run, value, _UNSIGNED)
        out[offset[entry_end - 1] + size[entry_end - 1] - 1] = _NO_META

        word_at = np.flatnonzero(new_word)
        word_end = np.append(word_at[1:], total) - 1
        begin = offset[word_at].tolist()
        end = (offset[word_end] + size[word_end]).tolist()
        pages = np.add.reduceat(new_entry.astype(np.int64), word_at).tolist()
        first, last = page[word_at].tolist(), page[word_end].tolist()
        data = out.tobytes()
        return list(map(list, zip(ordered, pages, first, last, map(data.__getitem__, map(slice, begin, end)))))


def _starts(values: np.ndarray) -> np.ndarray:
    """True where a value differs from the one before (and at the first)."""
    changed = np.empty(len(values), dtype=bool)
    changed[0] = True
    np.not_equal(values[1:], values[:-1], out=changed[1:])
    return changed


def _length(values: np.ndarray) -> np.ndarray:
    """The bytes of a CBOR head holding each value (below 2³²): 1, 2, 3 or 5."""
    return 1 + (values >= 24) + (values >= 256) + 2 * (values >= 1 << 16)


def _put(out: np.ndarray, at: np.ndarray, values: np.ndarray, major: int) -> None:
    """Write CBOR heads of type `major` holding `values` at the offsets `at` (big-endian, shortest form)."""
    base = major << 5
    tiny = values < 24
    out[at[tiny]] = base + values[tiny]
    for extra, low, high in ((1, 24, 256), (2, 256, 1 << 16), (4, 1 << 16, 1 << 32)):
        chosen = (values >= low) & (values < high)
        where, held = at[chosen], values[chosen]
        out[where] = base + {1: 24, 2: 25, 4: 26}[extra]
        for byte in range(extra):
            out[where + 1 + byte] = (held >> (8 * (extra - 1 - byte))) & 0xFF
