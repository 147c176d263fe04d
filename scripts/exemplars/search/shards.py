"""Which search shard each page goes into: a stable plan, so that a change touches as few shards as possible.

The search index is built as several Pagefind bundles (shards), each by its own Pagefind process, because one
process indexing a whole large library needs memory in proportion to it (4 GiB at 10,000 stories). A shard holds
at most `size` pages. Stories are placed by when they were published (`Story.published_on`): the time line is
cut in halves, recursively, until every piece holds at most `size` stories; a piece still too full on a single
day is cut by a hash of the page's URL, the same way. The cuts are fixed calendar points, not positions, so
adding a story changes only the shard whose period holds its date (which splits in two when it passes `size`),
and new stories land in the newest shard. Deleting a story moves no other page, except when it brings a
period from `size` + 1 stories back to `size`: then that period's pieces are one shard again.

Pages without a publication date (methods, lessons) sit on the calendar's first day: with every page in a small
library, in a shard of their own (named from 0001-01-01) in a large one, never moved by a story. Shards are named
after their period (`20230101-20241231`, plus `-h` and the hash bits when a day is cut; STORIES while all pages fit
in one), so a name says what it holds and stays the same from build to build.

Plain Python: nothing here imports MkDocs or Pagefind.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

STORIES = "stories"  # every page, while they fit in one shard
# Pages per shard. One Pagefind process peaks near 0.55 MB per page while it writes, which bounds it from above; the
# last shard's write, completion and merge are the end of a cold build, which bounds it from below: at 1,000 pages a
# 1,000-page shard was a cold 1,000-story build's last 3-4 s (600 cuts that library into 532 + 468 + 41, and the
# first is indexed while the others are rendered).
DEFAULT_SIZE = 600
_DAY_BITS = 22  # day ordinals (date.toordinal) are below 2**22: every date Python has
_HASH_BITS = 16  # a single day with more than `size` stories is cut by up to 16 bits of a hash of the URL
_FIRST_DAY, _LAST_DAY = dt.date.min.toordinal(), dt.date.max.toordinal()


@dataclass(frozen=True)
class ShardKey:
    """Where a page sits in the plan: its publication day and its URL."""

    url: str
    day: int | None = None  # date.toordinal() of the publication date; None: the calendar's first day

    def bits(self, undated: int) -> tuple[int, int]:
        """Where the page sits on the time line (`undated` for a page without a date) and its URL's hash."""
        digest = hashlib.sha1(self.url.encode("utf-8")).digest()
        return (self.day if self.day is not None else undated), int.from_bytes(digest[:2], "big")


@dataclass
class ShardPlan:
    """The shards of one library: their names in order (newest period first) and which one each page's URL
    belongs to."""

    size: int
    names: list[str] = field(default_factory=list)
    by_url: dict[str, str] = field(default_factory=dict)
    _ranks: dict[str, int] | None = field(default=None, init=False, repr=False, compare=False)

    def shard_of(self, url: str) -> str:
        return self.by_url[url]

    def order(self) -> dict[str, int]:
        return {name: at for at, name in enumerate(self.names)}

    def rank(self, url: str) -> int:
        """The place of the URL's shard in `names`: a build hands pages over in this order, shard by shard."""
        if self._ranks is None:  # the plan is complete when first asked
            self._ranks = self.order()
        return self._ranks[self.by_url[url]]


def plan_shards(keys: Iterable[ShardKey], size: int = DEFAULT_SIZE) -> ShardPlan:
    if size < 1:
        raise ValueError("shard size must be at least 1")
    plan = ShardPlan(size=size)
    # Pages without a date (methods, lessons) sit on the first day of the calendar: with every page while the
    # library fits in one shard (one Pagefind bundle, used as it is), in a shard of their own once it does not,
    # where no story, however new or old, ever moves them.
    dated = sorted((*key.bits(_FIRST_DAY), key.url) for key in keys)
    pieces: list[tuple[str, int, list[tuple[int, int, str]]]] = []  # name, newest day, its pages
    _cut(dated, 0, 0, size, pieces)
    for name, _, members in sorted(pieces, key=lambda piece: (-piece[1], piece[0])):
        plan.names.append(name)
        plan.by_url.update((url, name) for _, _, url in members)
    return plan


def _cut(pages: list[tuple[int, int, str]], prefix: int, depth: int, size: int, out: list) -> None:
    """Split `pages` (sorted by day, hash) by the next bit of (day, hash) until each piece holds at most `size`."""
    if not pages:
        return
    if len(pages) <= size or depth == _DAY_BITS + _HASH_BITS:
        out.append((_name(prefix, depth), pages[-1][0], pages))
        return
    if depth < _DAY_BITS:
        shift = _DAY_BITS - 1 - depth
        low = [p for p in pages if not (p[0] >> shift) & 1]
        high = pages[len(low) :]  # sorted by day: the zeros come first
    else:
        shift = _HASH_BITS - 1 - (depth - _DAY_BITS)
        low = [p for p in pages if not (p[1] >> shift) & 1]
        high = [p for p in pages if (p[1] >> shift) & 1]
    _cut(low, prefix << 1, depth + 1, size, out)
    _cut(high, prefix << 1 | 1, depth + 1, size, out)


def _name(prefix: int, depth: int) -> str:
    """A piece's name: its first and last day, and below a single day the hash bits that pick it; the whole time
    line (a library within one shard) is STORIES."""
    if depth == 0:
        return STORIES
    day_depth = min(depth, _DAY_BITS)
    day_prefix = prefix >> (depth - day_depth)
    span = _DAY_BITS - day_depth
    first = max(_FIRST_DAY, day_prefix << span)
    last = min(_LAST_DAY, ((day_prefix + 1) << span) - 1)
    name = f"{_day(first)}-{_day(last)}"
    if depth > _DAY_BITS:
        bits = depth - _DAY_BITS
        name += "-h" + format(prefix & ((1 << bits) - 1), f"0{bits}b")
    return name


def _day(ordinal: int) -> str:
    day = dt.date.fromordinal(ordinal)
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"
