"""Merge the search shards' Pagefind bundles into the one bundle the site serves.

Each shard is indexed by its own Pagefind process (search/sharded.py), so memory is bounded by the shard size;
the reader's browser still loads one bundle, so a search costs what it cost with one index: one metadata file and
one index chunk per word. Merged in the browser (Pagefind's `mergeIndex`), every shard would add its own metadata
and its own chunk for every word — at 10,000 stories in 7 shards a first search grew from ~130 KB of index to
~290 KB — and results would be ranked shard by shard.

Pagefind 1.5's bundle, as far as merging is concerned (all files gzipped, "pagefind_dcd" + CBOR):
- metadata `pagefind.<hash>.pf_meta`: [version, pages [[page hash, word count]], index chunks [[from, to, hash]],
  filters [[name, hash]], sorts (empty: stable.py takes them out), meta field names];
- index chunk `index/<hash>.pf_index`: [[[word, [[page, locations, meta locations], ...], variants], ...]], words
  in byte order, a word's pages in ascending order, each page number the difference from the previous one (the
  first from 0); meta locations are the word's places in the page's metadata, each run of them led by its field's
  marker -(field number + 1), the field number being the field's place in that bundle's meta field names;
  variants are the forms written with diacritics, [[form, pages]] (`café` beside `cafe`), each with its own page
  list numbered the same way;
- filter `filter/<hash>.pf_filter`: [name, [[value, [page numbers, ascending]], ...]];
- fragment `fragment/<page hash>.pf_fragment`: one page's record, named in the metadata's page list;
- and ours, PAIRS_FILE: the shard's pair words (search/pairs.py), each word's page list already encoded, its first
  page's number left to be written here; the merge joins them with Pagefind's words, so a shard is complete only
  once merged.
A page's number is its place in the metadata's page list. Merged, the shards' page lists follow each other in
shard order, so a shard's page numbers move up by the pages before it: in a word's page list only the first page
of each shard changes (differences stay differences), in a filter every number gains the offset. The merged meta
field names are all the shards' names, sorted as Pagefind sorts them, so a shard with fewer fields (only some pages
have a `restore` field, the methods have no `date`) gets its field markers renumbered. Chunks are cut again from
the merged words, and their `from`/`to` bounds are the shortest prefixes that tell neighbouring chunks apart, as
Pagefind 1.5.2 computes them (a `to` stays whole where its prefix would sort before the chunk's `from`). Files are
named after their content, so the same shards always merge into the same bytes. A bundle of another shape raises
MergeError: Pagefind is pinned (constraints.txt) and a test merges real bundles, so an upgrade that changes the
format fails there, not in a reader's browser.
"""

from __future__ import annotations

import bisect
import hashlib
import heapq
import itertools
import json
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import cbor2

from ..fsutil import place_from_cache
from ..parallel import module_process, workers
from . import worker
from .framing import FramingError, pack, unpack
from .pairs import PAIRS_FILE, PairsError, read_postings
from .stable import cbor_head

PARALLEL_PAGES = 2000  # from this many pages the words are merged in one process per core
SPLIT_SAMPLE = 100  # every this-many-th pair word of a shard is a candidate range bound
CHUNK_BYTES = 48_000  # CBOR bytes of words per merged chunk (~20 KB gzipped; Pagefind's own are alike)
_ENTRY = "pagefind-entry.json"


class Postings(NamedTuple):
    """A shard's pair word as pairs.py stored it: its pages, the first and last page's number in the shard, and
    the CBOR of its page list without the array head, the first page's number written as 0."""

    pages: int
    first: int
    last: int
    body: bytes


class MergeError(ValueError):
    pass


def _load(path: Path):
    try:
        return cbor2.loads(unpack(path.read_bytes(), path.name))
    except FramingError as exc:
        raise MergeError(str(exc)) from None


def _gzip(payload: bytes) -> bytes:
    """Level 6, not Pagefind's 9: on index chunks 9 took 4.5 times as long for files 3% smaller (zlib, 22 s of CPU at
    10,000 stories)."""
    return pack(payload, 6)


class _Names:
    """Content-derived file names, `<language>_<first hex digits of sha256>`, longer on a clash."""

    def __init__(self, language: str, length: int = 7) -> None:
        self.language = language
        self.length = length
        self.taken: dict[str, bytes] = {}

    def name(self, payload: bytes, length: int | None = None) -> str:
        length = length or self.length
        digest = hashlib.sha256(payload).hexdigest()
        while True:
            name = f"{self.language}_{digest[:length]}"
            if self.taken.get(name, payload) == payload:
                self.taken[name] = payload
                return name
            length += 1


class _Shard:
    def __init__(self, bundle: Path, at: int) -> None:
        self.bundle, self.at = bundle, at
        try:
            entry = json.loads((bundle / _ENTRY).read_text(encoding="utf-8"))
            ((self.language, info),) = entry["languages"].items()
            self.entry = entry
            self.meta = _load(bundle / f"pagefind.{info['hash']}.pf_meta")
        except (OSError, ValueError, KeyError, TypeError, EOFError) as exc:
            raise MergeError(f"搜索分片 {bundle.name} 读不出来：{exc}") from exc
        if not (isinstance(self.meta, list) and len(self.meta) == 6 and self.meta[4] == []):
            raise MergeError(f"搜索分片 {bundle.name} 的元数据格式不认识")
        self.pages: list[list] = self.meta[1]
        self.offset = 0
        self.fields: list[str] = self.meta[5]
        self.markers: list[int] | None = None  # this shard's field marker -(n + 1) → the merged one; None: the same
        self._pairs: list | None = None  # PAIRS_FILE's table, read when first needed
        self._pair_words: list[str] = []

    def pairs(self) -> list:
        if self._pairs is None:
            try:
                self._pairs = read_postings(self.bundle / PAIRS_FILE)
            except (OSError, PairsError) as exc:
                raise MergeError(f"搜索分片 {self.bundle.name} 的双字词读不出来：{exc}") from exc
            self._pair_words = [row[0] for row in self._pairs]
        return self._pairs

    def use_fields(self, fields: list[str]) -> None:
        """The merged bundle's meta field names (every shard's, sorted): a shard whose own list differs gets its
        field markers renumbered as its words are read."""
        if self.fields == fields:
            self.markers = None
            return
        try:
            self.markers = [-(fields.index(name) + 1) for name in self.fields]
        except ValueError as exc:
            raise MergeError(f"搜索分片 {self.bundle.name} 的字段不在合并后的字段中：{exc}") from exc

    def _renumber(self, word: str, pages: list) -> None:
        markers = self.markers
        for page in pages:
            if len(page) < 3 or not page[2]:
                continue
            try:
                page[2] = [markers[-location - 1] if location < 0 else location for location in page[2]]
            except (IndexError, TypeError) as exc:
                raise MergeError(f"搜索分片 {self.bundle.name} 的元数据字段编号不认识（{word}）") from exc

    def words(self, low: str | None = None, high: str | None = None):
        """(word, shard position, page list or Postings, variants) in word order, for the words from `low` up to
        (not including) `high`: Pagefind's and the pair words (a word may come once from each)."""
        return heapq.merge(self._indexed_words(low, high), self._pairs_between(low, high), key=lambda w: w[0])

    def _pairs_between(self, low: str | None, high: str | None):
        table = self.pairs()
        start = 0 if low is None else bisect.bisect_left(self._pair_words, low)
        end = len(table) if high is None else bisect.bisect_left(self._pair_words, high)
        at = self.at
        for word, pages, first, last, body in table[start:end]:
            yield word, at, Postings(pages, first, last, body), []

    def _indexed_words(self, low: str | None, high: str | None):
        """Pagefind's words from `low` up to `high`; chunks that cannot hold such a word are not read. A chunk's
        words are at least its `from` and below the next chunk's `from` (Pagefind's bounds are prefixes that tell
        neighbours apart)."""
        chunks = self.meta[2]
        for at, (start, _, chunk) in enumerate(chunks):
            below = chunks[at + 1][0] if at + 1 < len(chunks) else None
            if (high is not None and start >= high) or (low is not None and below is not None and below <= low):
                continue
            (words,) = _load(self.bundle / "index" / f"{chunk}.pf_index")
            for word, pages, variants in words:
                if not all(isinstance(v, list) and len(v) == 2 and isinstance(v[0], str) for v in variants):
                    raise MergeError(f"搜索分片 {self.bundle.name} 的索引格式不认识（{word}）")
                if (low is None or word >= low) and (high is None or word < high):
                    if self.markers is not None:
                        self._renumber(word, pages)
                        for _, form_pages in variants:
                            self._renumber(word, form_pages)
                    yield word, self.at, pages, variants


def merge_bundles(bundles: list[Path], out: Path, *, beside: bool = False) -> dict[tuple[int, str], str]:
    """Merge `bundles` (stabilised shards, in shard order) into the bundle folder `out`, which must not exist.
    Returns the pages renamed on the way, (shard position, page id) → page id: a page whose id a page of an
    earlier shard already had. `beside`: the caller is a thread beside a build still rendering (sharded.py), so
    the whole merge runs in a worker process (search/worker.py) even for a small library — in this one it would
    hold the build's interpreter lock and the two would take turns on one core (measured at 10,000 stories:
    linking the fragments and reading the pair tables took 3.3 s in a thread beside the page writing, most of it
    waiting for the lock)."""
    if beside:
        return _whole_in_process(bundles, out)
    if not bundles:
        raise MergeError("没有可合并的搜索分片")
    shards = [_Shard(Path(bundle), at) for at, bundle in enumerate(bundles)]
    languages = {shard.language for shard in shards}
    if len(languages) != 1:
        raise MergeError(f"搜索分片的语言不一致：{sorted(languages)}")
    language = languages.pop()
    out = Path(out)
    shutil.copytree(
        shards[0].bundle, out, ignore=shutil.ignore_patterns("*.pf_meta", "index", "filter", "fragment", PAIRS_FILE)
    )
    for folder in ("index", "filter", "fragment"):
        (out / folder).mkdir()

    fields = sorted({field for shard in shards for field in shard.fields})  # Pagefind's order (a BTreeSet)
    for shard in shards:
        shard.use_fields(fields)
    pages, renamed = _merge_pages(shards, out)
    chunks = _merge_index(shards, out, language, fields)
    names = _Names(language)
    filters = _merge_filters(shards, out, names)
    meta = cbor2.dumps([shards[0].meta[0], pages, chunks, filters, [], fields])
    meta_name = names.name(meta, 11)
    (out / f"pagefind.{meta_name}.pf_meta").write_bytes(_gzip(meta))
    entry = shards[0].entry
    entry["languages"] = {language: {**entry["languages"][language], "hash": meta_name, "page_count": len(pages)}}
    (out / _ENTRY).write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return renamed


def _whole_in_process(bundles: list[Path], out: Path) -> dict[tuple[int, str], str]:
    try:
        return worker.run("search.merge", "_merge_alone", [Path(bundle) for bundle in bundles], Path(out), CHUNK_BYTES)
    except worker.WorkerRefused as exc:  # a MergeError or a file that could not be read: its message, as raised
        raise MergeError(str(exc)) from None
    except worker.WorkerFailed as exc:
        raise MergeError(f"合并搜索分片的{exc}") from None


def _merge_alone(bundles: list[Path], out: Path, chunk_bytes: int) -> dict[tuple[int, str], str]:
    """merge_bundles in a worker process (search/worker.py), with the caller's chunk size."""
    global CHUNK_BYTES
    CHUNK_BYTES = chunk_bytes
    return merge_bundles(bundles, out)


def _merge_pages(shards: list[_Shard], out: Path) -> tuple[list[list], dict[tuple[int, str], str]]:
    """The merged page list, each shard's fragments linked (or copied) in; a fragment name two different pages
    share (Pagefind names a page by 7 hex digits of its hash, unique within one shard only) gets the shard's
    number appended. Identical pages share one name, as Pagefind does within a shard."""
    pages: list[list] = []
    renamed: dict[tuple[int, str], str] = {}
    for shard in shards:
        shard.offset = len(pages)
        for page_hash, word_count in shard.pages:
            source = shard.bundle / "fragment" / f"{page_hash}.pf_fragment"
            name = page_hash
            target = out / "fragment" / f"{name}.pf_fragment"
            if target.exists():
                if target.read_bytes() != source.read_bytes():
                    name = renamed[(shard.at, page_hash)] = f"{page_hash}x{shard.at}"
                    place_from_cache(source, out / "fragment" / f"{name}.pf_fragment")
            else:
                place_from_cache(source, target)
            pages.append([name, word_count])
    return pages, renamed


def _merge_index(shards: list[_Shard], out: Path, language: str, fields: list[str]) -> list[list]:
    """Every word of every shard, merged into new chunks. Large libraries merge in word ranges, one per core: the
    last range here, the others each in a fresh Python process meanwhile (not forked: a fork of a large build would
    count its memory again); chunk names then carry more hex digits, and a clash between ranges is checked."""
    total = sum(len(shard.pages) for shard in shards)
    splits = _split_words(shards, workers() if total >= PARALLEL_PAGES else 1)
    ranges = list(zip([None, *splits], [*splits, None]))
    if len(ranges) == 1:
        chunks = _merge_range(shards, out, language, 7, None, None)
    else:
        chunks = [chunk for part in _in_processes(shards, out, language, fields, ranges) for chunk in part]
    names = [name for _, _, name in chunks]
    if len(set(names)) != len(names):
        raise MergeError("合并后的索引块重名，请删除 .cache/exemplars/search 后重新构建")
    _bound(chunks)
    return chunks


def _bound(chunks: list[list]) -> None:
    """Pagefind 1.5.2's chunk_meta, on [first word, last word, hash] in order: between neighbours, the next chunk's
    `from` is cut to the shortest prefix that tells it from this chunk's last word, and this chunk's `to` likewise,
    unless that prefix would sort before its own `from` (already cut): a chunk from 1000 to 1005 followed by one
    from 101 keeps `to` 1005, as 100 sorts before 1000."""
    for left, right in zip(chunks, chunks[1:]):
        last, first = _prefixes(left[1], right[0])
        if last >= left[0]:
            left[1] = last
        right[0] = first


def _in_processes(shards: list[_Shard], out: Path, language: str, fields: list[str], ranges: list) -> list[list[list]]:
    """The word ranges' chunks, in range order: every range but the last in a process of its own, the last here."""
    running = []
    for low, high in ranges[:-1]:
        task = {
            "bundles": [str(shard.bundle) for shard in shards],
            "offsets": [shard.offset for shard in shards],
            "out": str(out),
            "language": language,
            "fields": fields,
            "range": [low, high],
            "chunk_bytes": CHUNK_BYTES,
        }
        command, environment = module_process("exemplars.search.merge", json.dumps(task))
        running.append(subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment))
    try:
        last = _merge_range(shards, out, language, 10, *ranges[-1])
    except BaseException:
        for process in running:
            process.kill()
            process.wait()
        raise
    results = []
    for process in running:
        stdout, stderr = process.communicate()
        if process.returncode != 0:
            raise MergeError(f"合并搜索分片的进程失败：{stderr.decode('utf-8', 'replace')[-800:]}")
        results.append(json.loads(stdout))
    return [*results, last]


def _split_words(shards: list[_Shard], parts: int) -> list[str]:
    """Words that cut the index into `parts` ranges of about equal size (by the shards' chunk bounds and every
    SPLIT_SAMPLE-th pair word)."""
    if parts < 2:
        return []
    starts = sorted(
        [start for shard in shards for start, _, _ in shard.meta[2][1:]]
        + [row[0] for shard in shards for row in shard.pairs()[SPLIT_SAMPLE::SPLIT_SAMPLE]]
    )
    return sorted({starts[len(starts) * k // parts] for k in range(1, parts)}) if starts else []


def _merge_range(shards: list[_Shard], out: Path, language: str, length: int, low: str | None, high: str | None):
    with ThreadPoolExecutor(max_workers=2) as pool:  # zlib-ng lets go of the GIL while it compresses
        return _merge_words(shards, out, _Names(language, length), pool, low, high)


def _range_process() -> None:
    """`python -m exemplars.search.merge TASK`: one word range of a merge (TASK in JSON, a few hundred bytes per
    shard; the range's chunks as JSON on stdout)."""
    task = json.loads(sys.argv[1])
    shards = [_Shard(Path(bundle), at) for at, bundle in enumerate(task["bundles"])]
    for shard, offset in zip(shards, task["offsets"]):
        shard.offset = offset
        shard.use_fields(task["fields"])
    global CHUNK_BYTES
    CHUNK_BYTES = task["chunk_bytes"]
    chunks = _merge_range(shards, Path(task["out"]), task["language"], 10, *task["range"])
    sys.stdout.buffer.write(json.dumps(chunks, ensure_ascii=False).encode("utf-8"))


def _merge_words(
    shards: list[_Shard], out: Path, names: _Names, pool: ThreadPoolExecutor, low: str | None, high: str | None
) -> list[list]:
    chunks: list[list] = []  # [first word, last word, hash]
    pending: list[bytes] = []
    size = 0
    first = last = ""
    writes = []

    def flush() -> None:
        nonlocal pending, size
        payload = b"\x81" + cbor_head(4, len(pending)) + b"".join(pending)  # [[word, ...]]
        name = names.name(payload)
        chunks.append([first, last, name])
        writes.append(pool.submit(_write, out / "index" / f"{name}.pf_index", payload))
        pending, size = [], 0

    merged = heapq.merge(*(shard.words(low, high) for shard in shards), key=lambda w: w[0])
    for word, entries in itertools.groupby(merged, key=lambda w: w[0]):
        entries = list(entries)
        encoded = _joined_pairs(shards, word, entries)
        if encoded is None:
            encoded = cbor2.dumps(_merged_word(shards, word, entries))
        if not pending:
            first = word
        pending.append(encoded)
        last = word
        size += len(encoded)
        if size >= CHUNK_BYTES:
            flush()
    if pending:
        flush()
    for write in writes:
        write.result()
    return chunks


def _joined_pairs(shards: list[_Shard], word: str, entries: list[tuple]) -> bytes | None:
    """A word only pairs.py indexed (each shard's part stored encoded), written as Pagefind writes a word — its
    parts put one after the other, each one's first page renumbered — or None for any other word."""
    parts = []
    previous = total = 0  # the merged number of the last page so far; pages so far
    for _, at, postings, _ in entries:
        if not isinstance(postings, Postings) or postings.body[:2] != b"\x83\x00":
            return None
        first = shards[at].offset + postings.first
        parts.append(b"\x83" + cbor_head(0, first - previous) + postings.body[2:])
        previous = shards[at].offset + postings.last
        total += postings.pages
    return b"\x83" + cbor2.dumps(word) + cbor_head(4, total) + b"".join(parts) + b"\x80"


def _merged_word(shards: list[_Shard], word: str, entries: list[tuple]) -> list:
    """One word of every shard that has it, as Pagefind writes a word: [word, pages, variants]. A variant is the
    word as written with diacritics (`café` is indexed as `cafe`, with `café` beside it) and has its own page list;
    a shard may have a word only as a variant, so its own page list is empty. Variants are listed by form."""
    entries = _one_per_shard(entries)
    pages = _join(shards, [(at, word_pages) for _, at, word_pages, _ in entries if word_pages])
    forms: dict[str, list[tuple[int, list]]] = {}
    for _, at, _, variants in entries:
        for form, form_pages in variants:
            if form_pages:
                forms.setdefault(form, []).append((at, form_pages))
    return [word, pages, [[form, _join(shards, forms[form])] for form in sorted(forms)]]


def _join(shards: list[_Shard], group: list[tuple[int, list]]) -> list:
    """One word's (or variant's) page lists from several shards as one list of page-number differences."""
    group.sort(key=lambda item: item[0])  # shard order: page numbers only go up
    if not group:
        return []
    if len(group) == 1:
        at, word_pages = group[0]
        word_pages[0][0] += shards[at].offset
        return word_pages
    joined: list = []
    previous = 0  # the merged number of the last page so far
    for at, word_pages in group:
        offset = shards[at].offset
        local_last = sum(page[0] for page in word_pages)
        word_pages[0][0] += offset - previous
        previous = offset + local_last
        joined.extend(word_pages)
    return joined


def _one_per_shard(entries: list[tuple]) -> list[tuple]:
    """The word's entries with pair words decoded into page lists, and a shard that has the word both from
    Pagefind and from pairs.py (an editor's `Qabcdef，` beside a pair word) given one list: pages joined, a page in
    both with its locations joined as Pagefind would have listed them."""
    by_shard: dict[int, tuple] = {}
    for word, at, pages, variants in entries:
        if isinstance(pages, Postings):
            pages = _decoded(pages)
        if at in by_shard:
            _, _, other_pages, other_variants = by_shard[at]
            by_shard[at] = (word, at, _union(other_pages, pages), other_variants + variants)
        else:
            by_shard[at] = (word, at, pages, variants)
    return [by_shard[at] for at in sorted(by_shard)]


def _decoded(postings: Postings) -> list:
    pages = cbor2.loads(cbor_head(4, postings.pages) + postings.body)
    pages[0][0] = postings.first
    return pages


def _union(a: list, b: list) -> list:
    """Two page lists of one word in one shard (page numbers as differences) as one."""
    joined: dict[int, list] = {}
    for pages in (a, b):
        number = 0
        for page in pages:
            number += page[0]
            locations, meta = (page[1], page[2] if len(page) > 2 else [])
            if number in joined:
                had = joined[number]
                locations = _locations(_places(had[0], 25) + _places(locations, 25))
                meta = _meta_locations(_places(had[1], None) + _places(meta, None))
            joined[number] = [locations, meta]
    out, previous = [], 0
    for number in sorted(joined):
        out.append([number - previous, *joined[number]])
        previous = number
    return out


def _places(encoded: list[int], start) -> list[tuple]:
    """Pagefind's location list (or meta location list) back into (weight or field, position) pairs: a negative
    number -(n + 1) sets n and is followed by an absolute position, the others are differences (meta locations
    start each field from 0)."""
    found, mark, last, absolute = [], start, 0, False
    for value in encoded:
        if value < 0:
            mark, absolute = -value - 1, True
            if start is None:
                last = 0
            continue
        last = value if absolute else last + value
        absolute = False
        found.append((mark, last))
    return found


def _locations(found: list[tuple[int, int]]) -> list[int]:
    """(weight, position) pairs as Pagefind lists them: by weight, then position."""
    out, current, last = [], 25, 0
    for weight, position in sorted(set(found)):
        if weight != current:
            out += [-weight - 1, position]
            current = weight
        else:
            out.append(position - last)
        last = position
    return out


def _meta_locations(found: list[tuple[int, int]]) -> list[int]:
    out, current, last = [], None, 0
    for field, position in sorted(set(found)):
        if field != current:
            out.append(-field - 1)
            current, last = field, 0
        out.append(position - last)
        last = position
    return out


def _merge_filters(shards: list[_Shard], out: Path, names: _Names) -> list[list]:
    values: dict[str, dict[str, list[int]]] = {}
    for shard in shards:
        for filter_name, filter_hash in shard.meta[3]:
            loaded = _load(shard.bundle / "filter" / f"{filter_hash}.pf_filter")
            if not (isinstance(loaded, list) and len(loaded) == 2 and loaded[0] == filter_name):
                raise MergeError(f"搜索分片 {shard.bundle.name} 的筛选条件 {filter_name} 格式不认识")
            for value, numbers in loaded[1]:
                values.setdefault(filter_name, {}).setdefault(value, []).extend(n + shard.offset for n in numbers)
    filters = []
    for filter_name in sorted(values):
        payload = cbor2.dumps(
            [filter_name, [[value, numbers] for value, numbers in sorted(values[filter_name].items())]]
        )
        name = names.name(payload)
        _write(out / "filter" / f"{name}.pf_filter", payload)
        filters.append([filter_name, name])
    return filters


def _write(path: Path, payload: bytes) -> None:
    path.write_bytes(_gzip(payload))


def _prefixes(a: str, b: str) -> tuple[str, str]:
    """Pagefind's get_prefixes: both words cut one character after their common prefix."""
    common = 0
    for x, y in zip(a, b):
        if x != y:
            break
        common += 1
    return a[: common + 1], b[: common + 1]


if __name__ == "__main__":
    _range_process()
