"""search/merge.py: Pagefind bundles of several shards merged into one, checked against the shards themselves.

Real Pagefind bundles (the service, as a build makes them) of three shards whose pages share many words; the merged
bundle must hold exactly the shards' words, each with the pages of every shard (page numbers moved up by the pages
before the shard), the filters with every shard's pages, one page list, and chunks Pagefind's own lookup finds each
word in. The browser side of the same bundle is tested through the search page (test_search_reader.py).
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import cbor2
import pytest

from exemplars.search import merge as merge_module
from exemplars.search import worker
from exemplars.search.framing import SIGNATURE
from exemplars.search.indexer import SearchIndexer
from exemplars.search.merge import MergeError, merge_bundles
from exemplars.search.pairs import PAIRS_FILE, read_postings
from exemplars.search.records import SearchRecord

WORDS = "调解 邻里 纠纷 群众 工作 方法 社区 服务 议事 银杏 老人 志愿 热线 村民 协商".split()


def _load(path: Path):
    return cbor2.loads(gzip.decompress(path.read_bytes())[len(SIGNATURE) :])


def _record(shard: int, number: int) -> SearchRecord:
    text = "".join(WORDS[(shard * 7 + number * 3 + k) % len(WORDS)] for k in range(6)) + f"第{shard}组第{number}篇"
    return SearchRecord(
        url=f"stories/s{shard}-{number}/",
        title=f"故事{shard}-{number}",
        text=text,
        filters={"类型": ["正面典型" if number % 2 else "反面典型"], "年份": [str(2020 + shard)]},
        meta={"date": f"202{shard}-01-{number + 1:02d}"},
        sort={"date": f"202{shard}-01-{number + 1:02d}"},
    )


def _shard(folder: Path, shard: int, pages: int) -> Path:
    indexer = SearchIndexer()
    for number in range(pages):
        indexer.add(_record(shard, number))
    indexer.finish(folder)
    return folder


@pytest.fixture(scope="module")
def shards(tmp_path_factory) -> list[Path]:
    root = tmp_path_factory.mktemp("shards")
    return [_shard(root / f"s{at}", at, pages) for at, pages in enumerate((9, 14, 6))]


def _pages(bundle: Path) -> list[list]:
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    ((language, info),) = entry["languages"].items()
    return _load(bundle / f"pagefind.{info['hash']}.pf_meta")


def _word_pages(bundle: Path):
    """(word, page number, [page delta, locations, meta locations]) for each page of each word of a bundle: a
    shard's pair words too (search/pairs.py; a merged bundle has them in its chunks)."""
    words = []
    for _, _, chunk in _pages(bundle)[2]:
        ((*entries,),) = _load(bundle / "index" / f"{chunk}.pf_index")
        words += [(word, pages) for word, pages, _ in entries]
    for word, count, first, _, body in read_postings(bundle / PAIRS_FILE):
        pages = cbor2.loads(bytes([0x80 | count]) + body if count < 24 else cbor2.dumps([None] * count)[:-count] + body)
        pages[0][0] = first
        words.append((word, pages))
    for word, pages in sorted(words, key=lambda item: item[0]):
        number = 0
        for page in pages:
            number += page[0]
            yield word, number, page


def _postings(bundle: Path, offset: int = 0) -> dict[str, list[tuple[int, tuple]]]:
    """Every word of a bundle → its (page number, (weight, position) places), numbers absolute and moved up by
    `offset`. A shard may list a page of a word twice (Pagefind's and pairs.py's part, see _word_pages): one entry
    with both parts' places, as the merge writes it."""
    words: dict[str, dict[int, set]] = {}
    for word, number, page in _word_pages(bundle):
        words.setdefault(word, {}).setdefault(number + offset, set()).update(_places(page[1]))
    return {word: [(n, tuple(sorted(places))) for n, places in sorted(pages.items())] for word, pages in words.items()}


def _places(locations: list[int]) -> list[tuple[int, int]]:
    """Pagefind's location list as (weight × 24, position): -(w + 1) sets the weight, then an absolute position;
    other numbers are differences."""
    places, weight, position, absolute = [], 25, 0, False
    for value in locations:
        if value < 0:
            weight, absolute = -value - 1, True
            continue
        position = value if absolute else position + value
        absolute = False
        places.append((weight, position))
    return places


def _url(bundle: Path, page_hash: str) -> str:
    return json.loads(gzip.decompress((bundle / "fragment" / f"{page_hash}.pf_fragment").read_bytes())[12:])["url"]


def _expected(shards: list[Path]):
    words: dict[str, list] = {}
    pages: list[str] = []
    for bundle in shards:
        offset = len(pages)
        for word, postings in _postings(bundle, offset).items():
            words.setdefault(word, []).extend(postings)
        pages += [_url(bundle, page_hash) for page_hash, _ in _pages(bundle)[1]]
    return words, pages


def test_the_merged_bundle_holds_every_shards_words_and_pages(shards, tmp_path):
    out = tmp_path / "merged"
    assert merge_bundles(shards, out) == {}
    words, urls = _expected(shards)
    meta = _pages(out)
    assert [_url(out, page_hash) for page_hash, _ in meta[1]] == urls
    assert _postings(out) == words
    entry = json.loads((out / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["und"]["page_count"] == len(urls) == 29
    assert (out / "pagefind.js").is_file() and list(out.glob("wasm.*.pagefind"))


def test_filters_list_every_shards_pages(shards, tmp_path):
    out = tmp_path / "merged"
    merge_bundles(shards, out)
    urls = [_url(out, page_hash) for page_hash, _ in _pages(out)[1]]
    merged = {}
    for name, filter_hash in _pages(out)[3]:
        filter_name, values = _load(out / "filter" / f"{filter_hash}.pf_filter")
        assert filter_name == name
        merged[name] = {value: sorted(urls[n] for n in numbers) for value, numbers in values}
    truth: dict[str, dict[str, list[str]]] = {}
    for at, pages in enumerate((9, 14, 6)):
        for number in range(pages):
            record = _record(at, number)
            for name, values in record.filters.items():
                for value in values:
                    truth.setdefault(name, {}).setdefault(value, []).append("/" + record.url)
    assert merged == {name: {v: sorted(u) for v, u in values.items()} for name, values in truth.items()}


def _prefixes(a: str, b: str) -> tuple[str, str]:
    """pagefind/src/index/mod.rs get_prefixes: both cut one character past their common prefix."""
    common = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return a[: common + 1], b[: common + 1]


def _chunk_meta(words: list[list[str]]) -> list[list[str]]:
    """Pagefind 1.5.2's chunk_meta (pagefind/src/index/mod.rs): each chunk's [from, to] from its words; between
    neighbours the next `from` is always cut, a `to` only where the cut one is not below its (cut) `from`."""
    bounds = [[chunk[0], chunk[-1]] for chunk in words]
    for left, right in zip(bounds, bounds[1:]):
        last, first = _prefixes(left[1], right[0])
        if last >= left[0]:
            left[1] = last
        right[0] = first
    return bounds


def _chunk_words(bundle: Path) -> list[list[str]]:
    words = []
    for _, _, name in _pages(bundle)[2]:
        ((*entries,),) = _load(bundle / "index" / f"{name}.pf_index")
        words.append([word for word, _, _ in entries])
    return words


def test_chunk_bounds_follow_pagefinds_own_example():
    """The example of pagefind/src/index/mod.rs's build_chunk_meta test: `apple`, then `apricot`…`banana`, then
    `peach`; the first `to` stays `apple` (`app` would sort before its `from`)."""
    chunks = [["apple", "apple", "a"], ["apricot", "banana", "b"], ["peach", "peach", "c"]]
    merge_module._bound(chunks)
    assert chunks == [["apple", "apple", "a"], ["apr", "b", "b"], ["p", "peach", "c"]]


def _in_ranges(monkeypatch) -> list[int]:
    """Merge in word ranges even these small shards (every third pair word a candidate bound): returns the list the
    number of ranges of each such merge is appended to — the last range is merged here, the others each in a
    process of its own."""
    monkeypatch.setattr(merge_module, "PARALLEL_PAGES", 1)
    monkeypatch.setattr(merge_module, "SPLIT_SAMPLE", 3)
    counts: list[int] = []
    in_processes = merge_module._in_processes

    def counted(shards, out, language, fields, ranges):
        counts.append(len(ranges))
        return in_processes(shards, out, language, fields, ranges)

    monkeypatch.setattr(merge_module, "_in_processes", counted)
    return counts


@pytest.mark.parametrize("parallel", [False, True])
def test_chunks_are_cut_and_bounded_as_pagefind_cuts_them(shards, tmp_path, monkeypatch, parallel):
    """Words in byte order across chunks; each chunk's `from` is a prefix of its first word and its `to` of its
    last, cut against the neighbouring chunk as Pagefind does, so the browser's lookup (which compares a word with
    these bounds) treats a merged bundle as one Pagefind wrote."""
    monkeypatch.setattr(merge_module, "CHUNK_BYTES", 300)  # many small chunks: every bound is exercised
    ranges = _in_ranges(monkeypatch) if parallel else []
    out = tmp_path / "merged"
    merge_bundles(shards, out)
    assert not parallel or (len(ranges) == 1 and ranges[0] >= 2), "word ranges, all but one in other processes"
    chunks = _pages(out)[2]
    assert len(chunks) > 10
    words = _chunk_words(out)
    flat = [word for chunk in words for word in chunk]
    assert flat == sorted(flat, key=lambda w: w.encode()) and len(set(flat)) == len(flat)
    assert [[start, end] for start, end, _ in chunks] == _chunk_meta(words)
    for at in range(len(chunks) - 1):
        assert all(chunks[at][0] <= word < chunks[at + 1][0] for word in words[at])
    assert _postings(out) == _expected(shards)[0]


def test_a_chunks_to_is_not_cut_below_its_from(tmp_path, monkeypatch):
    """Numbers one to a chunk: 1000's chunk is followed by 1005's, 1005's by 101's, 101's by 11's. Cut against the
    next word, 1005's `to` would be 100 and 101's 10, each below its own `from` (1005, 101); Pagefind 1.5.2 keeps
    them whole, and so does the merge. Each number is a page of its own (no joined spellings between them), the
    pages in two shards."""
    numbers = [["1", "100", "1005", "11"], ["10", "1000", "101"]]
    bundles = []
    for at, texts in enumerate(numbers):
        indexer = SearchIndexer()
        for text in texts:
            indexer.add(SearchRecord(url=f"stories/n{text}/", title="数字", text=f"{text} 调解"))
        indexer.finish(tmp_path / f"n{at}")
        bundles.append(tmp_path / f"n{at}")
    monkeypatch.setattr(merge_module, "CHUNK_BYTES", 1)  # every word a chunk of its own
    out = tmp_path / "merged"
    merge_bundles(bundles, out)
    words = _chunk_words(out)
    assert all(len(chunk) == 1 for chunk in words)
    bounds = {chunk[0]: [start, end] for chunk, (start, end, _) in zip(words, _pages(out)[2])}
    assert [word for (word,) in words[:7]] == ["1", "10", "100", "1000", "1005", "101", "11"]
    assert bounds["1000"] == ["1000", "1000"] and bounds["1005"] == ["1005", "1005"] and bounds["101"] == ["101", "101"]
    assert list(bounds.values()) == _chunk_meta(words)


def test_merging_in_word_ranges_gives_the_same_index(shards, tmp_path, monkeypatch):
    monkeypatch.setattr(merge_module, "CHUNK_BYTES", 300)
    one, two = tmp_path / "one", tmp_path / "two"
    merge_bundles(shards, one)
    ranges = _in_ranges(monkeypatch)
    merge_bundles(shards, two)
    assert len(ranges) == 1 and ranges[0] >= 2
    assert _postings(one) == _postings(two)
    assert _pages(one)[1] == _pages(two)[1]


def test_the_same_shards_merge_into_the_same_bytes(shards, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    merge_bundles(shards, first)
    merge_bundles(shards, second)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)


def test_a_page_name_two_shards_share_is_renamed_and_still_found(shards, tmp_path):
    """Pagefind names a page by 7 hex digits of its hash, unique within one shard: two shards can clash."""
    clash = tmp_path / "s1"
    shutil.copytree(shards[1], clash)
    meta_path = next(clash.glob("pagefind.*.pf_meta"))
    meta = _load(meta_path)
    theirs = _pages(shards[0])[1][0][0]
    mine = meta[1][0][0]
    (clash / "fragment" / f"{mine}.pf_fragment").rename(clash / "fragment" / f"{theirs}.pf_fragment")
    meta[1][0][0] = theirs
    meta_path.write_bytes(gzip.compress(SIGNATURE + cbor2.dumps(meta), mtime=0))
    out = tmp_path / "merged"
    renamed = merge_bundles([shards[0], clash], out)
    assert renamed == {(1, theirs): f"{theirs}x1"}
    pages = _pages(out)[1]
    assert pages[9][0] == f"{theirs}x1", "shard 1's first page follows shard 0's nine"
    assert _url(out, f"{theirs}x1") == _url(shards[1], mine)
    assert _url(out, theirs) == _url(shards[0], theirs)
    assert _postings(out) == _expected(shards[:2])[0], "its words still point at it"


def test_a_bundle_of_another_shape_is_refused(shards, tmp_path):
    odd = tmp_path / "odd"
    shutil.copytree(shards[0], odd)
    meta_path = next(odd.glob("pagefind.*.pf_meta"))
    meta = _load(meta_path)
    meta.append("something new")
    meta_path.write_bytes(gzip.compress(SIGNATURE + cbor2.dumps(meta), mtime=0))
    with pytest.raises(MergeError):
        merge_bundles([shards[0], odd], tmp_path / "merged")


# --- meta field numbers ------------------------------------------------------------------------------------------
# Shards with different meta field names, as a build has them: stories with a traditional character in the title
# carry a `restore` field (records.py), stories without one do not, and the methods have only `kind` and `title`.
# Every title word is a word of its own (spaces between) found nowhere else: in the index it has meta locations only.
STORY = {"date": "二〇二一年", "kind": "正面", "region": "浙江 杭州"}


def _titled(shard: int, number: int, traditional: bool, meta: dict[str, str]) -> SearchRecord:
    title = (
        f"題名{shard}甲{number} 标题{shard}乙{number}"
        if traditional
        else f"标题{shard}丙{number} 题名{shard}丁{number}"
    )
    return SearchRecord(url=f"pages/m{shard}-{number}/", title=title, text="调解邻里纠纷的故事", meta=meta)


MIXED = {  # shard → its pages' records; shards 0 and 3 have every field, 1 and 2 fewer
    0: [_titled(0, n, n % 2 == 0, STORY) for n in range(4)],
    1: [_titled(1, n, False, STORY) for n in range(5)],
    2: [_titled(2, n, False, {"kind": "method"}) for n in range(3)],
    3: [_titled(3, n, True, STORY) for n in range(4)],
}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> list[Path]:
    root = tmp_path_factory.mktemp("mixed")
    bundles = []
    for shard, records in MIXED.items():
        indexer = SearchIndexer()
        for record in records:
            indexer.add(record)
        indexer.finish(root / f"m{shard}")
        bundles.append(root / f"m{shard}")
    return bundles


def _meta_locations(bundle: Path) -> dict[tuple[str, str], list[tuple[str, int]]]:
    """(word, page URL) → the word's places in that page's metadata as (field name, word position), decoded with
    the bundle's own field names as Pagefind's reader decodes them (pagefind_web/src/index.rs)."""
    meta = _pages(bundle)
    fields, urls = meta[5], [_url(bundle, page_hash) for page_hash, _ in meta[1]]
    found: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for word, number, (_, _, meta_locations) in _word_pages(bundle):
        field, position, places = None, 0, []
        for location in meta_locations:
            if location < 0:
                field, position = fields[-location - 1], 0
            else:
                position += location
                places.append((field, position))
        if places:
            found[(word, urls[number])] = places
    return found


def _raw_meta_locations(bundle: Path) -> dict[tuple[str, str], list[int]]:
    """(word, page URL) → the page's meta locations as the bundle stores them (field markers and all)."""
    urls = [_url(bundle, page_hash) for page_hash, _ in _pages(bundle)[1]]
    return {(word, urls[number]): page[2] for word, number, page in _word_pages(bundle) if page[2]}


@pytest.mark.parametrize("parallel", [False, True])
def test_meta_field_markers_name_the_same_field_in_the_merged_bundle(mixed, tmp_path, monkeypatch, parallel):
    """Pagefind numbers a word's meta field by the field's place in its own bundle's sorted field names; merged,
    the names are every shard's, so a shard with fewer fields must have its markers renumbered: a title word still
    says `title` (the reader ranks a title match by the field's name), and so does every other word's field."""
    fields = [_pages(bundle)[5] for bundle in mixed]
    assert fields[0] == fields[3] == ["date", "kind", "region", "restore", "title"]
    assert fields[1] == ["date", "kind", "region", "title"] and fields[2] == ["kind", "title"], "they differ"
    ranges = _in_ranges(monkeypatch) if parallel else []
    if parallel:
        monkeypatch.setattr(merge_module, "CHUNK_BYTES", 300)
    out = tmp_path / "merged"
    merge_bundles(mixed, out)
    assert not parallel or (len(ranges) == 1 and ranges[0] >= 2), "word ranges, all but one in other processes"
    assert _pages(out)[5] == fields[0]
    merged = _meta_locations(out)

    titles = 0
    for records in MIXED.values():
        for record in records:
            for position, word in enumerate(record.title.split()):
                assert merged[(word, "/" + record.url)] == [("title", position)], (word, record.url)
                titles += 1
    assert titles == 2 * sum(len(records) for records in MIXED.values())
    expected = {}
    for bundle in mixed:
        expected.update(_meta_locations(bundle))
    assert merged == expected, "every word's meta places name the field they named in the word's shard"
    assert any(field == "restore" for places in merged.values() for field, _ in places)

    raw = _raw_meta_locations(out)
    for at in (0, 3):  # the same field names as merged: stored as they were (not renumbered)
        assert all(raw[key] == locations for key, locations in _raw_meta_locations(mixed[at]).items())
    renumbered = [key for key, locations in _raw_meta_locations(mixed[2]).items() if raw[key] != locations]
    assert renumbered, "the methods' shard had its markers renumbered"


def test_shards_with_the_merged_field_names_are_not_renumbered(mixed, monkeypatch):
    """Only a shard whose field names differ from the merged ones has its words rewritten: the rest are read as
    they are."""
    calls = []
    renumber = merge_module._Shard._renumber
    monkeypatch.setattr(merge_module._Shard, "_renumber", lambda self, *a: calls.append(self.at) or renumber(self, *a))
    shards = [merge_module._Shard(bundle, at) for at, bundle in enumerate(mixed)]
    for shard in shards:
        shard.use_fields(_pages(mixed[0])[5])
        list(shard.words())
    assert [shard.markers is None for shard in shards] == [True, False, False, True]
    assert sorted(set(calls)) == [1, 2]


def _variant_postings(bundle: Path, offset: int = 0) -> dict[tuple[str, str], list[tuple[int, tuple]]]:
    """Every (word, form written with diacritics) of a bundle → its (page number, locations), numbers absolute."""
    meta = _pages(bundle)
    forms: dict[tuple[str, str], list] = {}
    for _, _, chunk in meta[2]:
        ((*entries,),) = _load(bundle / "index" / f"{chunk}.pf_index")
        for word, _, variants in entries:
            for form, pages in variants:
                number = 0
                for page in pages:
                    number += page[0]
                    forms.setdefault((word, form), []).append((number + offset, tuple(page[1])))
    return forms


def test_words_written_with_diacritics_keep_their_forms_across_shards(tmp_path):
    """Pagefind indexes `café` as `cafe` and keeps `café` beside it as a variant with its own pages (a shard where
    only `café` occurs has `cafe` with no pages of its own). A story naming Müller or a café used to stop every
    build of a library in more than one shard (MergeError); the merged bundle now carries each variant's pages."""
    texts = [
        ["邻里咖啡馆 café 开张", "Müller 先生来调解"],
        ["cafe 与 café 都在社区", "naïve 的想法", "没有外文的一篇"],
        ["Muller 和 Müller 是两种写法", "cafe\u0301 用组合符号写成"],
    ]
    bundles = []
    for at, shard_texts in enumerate(texts):
        indexer = SearchIndexer()
        for number, text in enumerate(shard_texts):
            # shard 1's pages carry a `date` field the others lack: its meta field numbers differ from the merge's
            meta = {"date": f"2024-0{number + 1}-01"} if at == 1 else {}
            title = f"外文{at}-{number} Müller" if number == 0 else f"外文{at}-{number}"
            indexer.add(SearchRecord(url=f"stories/v{at}-{number}/", title=title, text=text, meta=meta))
        indexer.finish(tmp_path / f"v{at}")
        bundles.append(tmp_path / f"v{at}")
    expected_forms: dict[tuple[str, str], list] = {}
    offset = 0
    for bundle in bundles:
        for key, postings in _variant_postings(bundle, offset).items():
            expected_forms.setdefault(key, []).extend(postings)
        offset += len(_pages(bundle)[1])
    assert ("cafe", "café") in expected_forms and ("muller", "müller") in expected_forms, "Pagefind keeps variants"
    assert _postings(bundles[0]).get("cafe") is None, "shard 0 has cafe only as its variant café"

    out = tmp_path / "merged"
    merge_bundles(bundles, out)
    assert _variant_postings(out) == expected_forms
    assert _postings(out) == _expected(bundles)[0]
    assert [page[0] for page in expected_forms[("cafe", "café")]] == [0, 2], "café in shards 0 and 1"
    # Müller in every shard's first title: the variant's metadata places name `title` in the merged field list
    merged_fields = _pages(out)[5]
    assert merged_fields == ["date", "title"]
    (entries,) = [
        e for _, _, c in _pages(out)[2] for e in _load(out / "index" / f"{c}.pf_index")[0] if e[0] == "muller"
    ]
    ((form, pages),) = entries[2]
    assert form == "müller" and len(pages) == 4, "three titles and one text (shard 0's second page)"
    in_titles = [page[2] for page in pages if page[2]]
    assert len(in_titles) == 3 and all(m[0] == -(merged_fields.index("title") + 1) for m in in_titles), pages
    # a combining accent is not a letter to Pagefind: cafe + U+0301 is plain cafe (shards 1 and 2)
    assert [page for page, _ in _postings(out)["cafe"]] == [2, 6]


def _files(bundle: Path) -> dict[str, bytes]:
    return {str(path.relative_to(bundle)): path.read_bytes() for path in sorted(bundle.rglob("*")) if path.is_file()}


def test_a_merge_beside_a_running_build_runs_in_another_process(shards, tmp_path, monkeypatch):
    """sharded.py merges in a thread while the build still renders: the whole merge (fragments, words, filters)
    then runs in a separate Python process even for a small library — in the build's own process the two would take
    turns under one interpreter lock — and gives the same bytes and the same renamed pages."""
    clash = tmp_path / "s1"  # a page name shard 0 has too: the renamed pages come back from the other process
    shutil.copytree(shards[1], clash)
    meta_path = next(clash.glob("pagefind.*.pf_meta"))
    meta = _load(meta_path)
    theirs, mine = _pages(shards[0])[1][0][0], meta[1][0][0]
    (clash / "fragment" / f"{mine}.pf_fragment").rename(clash / "fragment" / f"{theirs}.pf_fragment")
    meta[1][0][0] = theirs
    meta_path.write_bytes(gzip.compress(SIGNATURE + cbor2.dumps(meta), mtime=0))
    bundles = [shards[0], clash, shards[2]]
    alone = merge_bundles(bundles, tmp_path / "alone")

    def not_here(*args):
        raise AssertionError("merged in the build's own process")

    for name in ("_merge_pages", "_merge_index", "_merge_range", "_merge_filters"):
        monkeypatch.setattr(merge_module, name, not_here)
    worker.close_all()
    beside = merge_bundles(bundles, tmp_path / "beside", beside=True)
    assert len(worker._idle) == 1, "merged in a worker process, which stays for the next task"
    assert beside == alone == {(1, theirs): f"{theirs}x1"}
    assert _files(tmp_path / "beside") == _files(tmp_path / "alone")
    assert _postings(tmp_path / "beside") == _postings(tmp_path / "alone")


def test_a_merge_beside_a_build_that_is_refused_says_why(shards, tmp_path):
    """The other process's refusal comes back as the same MergeError, its message whole (no traceback)."""
    odd = tmp_path / "odd"
    shutil.copytree(shards[0], odd)
    (odd / "pagefind-entry.json").write_text("{", encoding="utf-8")
    with pytest.raises(MergeError) as beside:
        merge_bundles([odd, shards[1]], tmp_path / "beside", beside=True)
    with pytest.raises(MergeError) as alone:
        merge_bundles([odd, shards[1]], tmp_path / "alone")
    assert str(beside.value) == str(alone.value)
    assert str(beside.value).startswith("搜索分片 odd 读不出来：") and "Traceback" not in str(beside.value)
