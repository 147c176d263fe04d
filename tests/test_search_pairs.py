"""search/pairs.py: the pair words indexed by us instead of Pagefind, checked against Pagefind itself.

The same records are indexed twice by the real Pagefind service: once whole (every word Pagefind's, as before
pairs.py) and once split (pair words replaced by placeholders, then put back and posted by pairs.py). Each bundle
is merged alone (search/merge.py), as a build does, and everything a reader's search uses must be the same:
every word with its pages, locations, metadata locations and variants, every page's word count, fragment text,
filters and metadata.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import cbor2
import pytest

from exemplars.search import indexer as indexer_module
from exemplars.search import pairs, postings, worker
from exemplars.search.framing import SIGNATURE
from exemplars.search.indexer import SearchIndexer
from exemplars.search.merge import MergeError, merge_bundles
from exemplars.search.ngrams import index_text
from exemplars.search.records import SearchRecord
from exemplars.search.stable import cbor_head as stable_head

VOCABULARY = (
    "调解 邻里 纠纷 群众 工作 方法 社区 服务 议事 银杏 老人 志愿 热线 村民 协商 我们 一起 的 了 是 在 "
    "网格员 老党员 小区 物业 停车 难题 入户 走访 倾听 诉求 化解 矛盾"
).split()


def _text(seed: int, length: int) -> str:
    words = [VOCABULARY[(seed * 7 + k * k * 3 + k) % len(VOCABULARY)] for k in range(length)]
    return "".join(w + ("，" if k % 5 == 4 else "") for k, w in enumerate(words)) + "。"


def _records() -> list[SearchRecord]:
    records = [
        SearchRecord(
            url=f"stories/r{n}/",
            title=f"第{n}个故事：{VOCABULARY[n % len(VOCABULARY)]}{VOCABULARY[(n * 3) % len(VOCABULARY)]}",
            text=_text(n, 30 + n * 4) + f" ¶ {2015 + n % 9}年{n % 12 + 1}月，" + _text(n + 1, 12),
            filters={"类型": ["正面典型" if n % 3 else "反面典型"], "年份": [str(2015 + n % 9)]},
            meta={"date": f"{2015 + n % 9}-01-0{n % 9 + 1}"},
            sort={"date": f"{2015 + n % 9}-01-0{n % 9 + 1}"},
            extras=["浙江省", "杭州市", f"{2015 + n % 9}", "网格治理"],
        )
        for n in range(24)
    ]
    records += [
        # a method page: all Chinese, no other word (Pagefind leaves out a page without a word in its text)
        SearchRecord(url="methods/a/", title="教育疏导法", text="讲清道理，解开心结。群众工作要耐心细致"),
        # Latin words, compounds, digits, diacritics, typed words that look like pair words, extension B,
        # compatibility ideographs, full-width letters, a zero-width space and a noncharacter
        SearchRecord(
            url="stories/latin/",
            title="Qabcdef 与 café Müller 的 WeChat 群",
            text=(
                "德国志愿者 Müller 每周三在社区 café 里讲故事 Qabcdef，Qabcdef 又 Qabcdef-2 "
                "COVID-19 期间 5G 网络 𠀀𠀁 𠀀 豈 ＡＢＣ１２３ a\u200bb 字\u200b字 \ufdd0 好好好好 好 结尾没有标点"
            ),
            filters={"类型": ["正面典型"]},
            meta={"date": "2024-02-02"},
        ),
        SearchRecord(url="stories/short/", title="短", text="一"),
        SearchRecord(url="stories/title-only/", title="只有标题的页面", text=""),
        SearchRecord(url="stories/latin-only/", title="Latin only", text="no Chinese here at all 2024"),
    ]
    return records


def _load(path: Path):
    return cbor2.loads(gzip.decompress(path.read_bytes())[len(SIGNATURE) :])


def _bundle_view(bundle: Path) -> dict:
    """What a reader's search can see of a bundle, keyed by page URL (page ids and chunk cuts aside)."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    ((_, info),) = entry["languages"].items()
    meta = _load(bundle / f"pagefind.{info['hash']}.pf_meta")
    fragments = []
    for page_id, word_count in meta[1]:
        fragment = json.loads(_load_text(bundle / "fragment" / f"{page_id}.pf_fragment"))
        fragments.append((fragment["url"], word_count, fragment))
    urls = [url for url, _, _ in fragments]

    def by_url(pages: list) -> tuple:
        number, out = 0, []
        for page in pages:
            number += page[0]
            out.append((urls[number], tuple(page[1]), tuple(page[2])))
        return tuple(sorted(out))

    words = {}
    for _, _, chunk in meta[2]:
        ((*entries,),) = _load(bundle / "index" / f"{chunk}.pf_index")
        for word, pages, variants in entries:
            words[word] = (by_url(pages), tuple((form, by_url(form_pages)) for form, form_pages in variants))
    filters = {}
    for name, filter_id in meta[3]:
        _, values = _load(bundle / "filter" / f"{filter_id}.pf_filter")
        filters[name] = {value: sorted(urls[n] for n in numbers) for value, numbers in values}
    return {
        "words": words,
        "pages": {url: (count, fragment) for url, count, fragment in fragments},
        "filters": filters,
        "fields": meta[5],
    }


def _load_text(path: Path) -> str:
    return gzip.decompress(path.read_bytes())[len(SIGNATURE) :].decode("utf-8")


def _index(
    records: list[SearchRecord], folder: Path, split: bool, monkeypatch, in_process: bool = False, whole_html=False
) -> dict:
    """`records` indexed into a bundle, merged alone; `in_process`: pairs.py's part runs in this process (where a
    test can change it), not beside it as in a build. Split records are made by SearchRecord.split_html, as a build
    makes them, or with `whole_html` from the whole record by split_pairs."""
    with monkeypatch.context() as patch:
        if not split:  # Pagefind indexes every word itself (a noncharacter is dropped either way)
            patch.setattr(indexer_module, "split_pairs", lambda html: (html.replace(pairs.PLACEHOLDER, ""), "", ""))
        if in_process:
            patch.setattr(indexer_module, "complete_beside", pairs.complete_bundle)
        indexer = SearchIndexer()
        for record in records:
            indexer.add_html(record.url, record.html() if whole_html or not split else record.split_html())
        indexer.finish(folder / "shard")
    merge_bundles([folder / "shard"], folder / "merged")
    return _bundle_view(folder / "merged")


@pytest.fixture(scope="module")
def whole(tmp_path_factory):
    with pytest.MonkeyPatch.context() as monkeypatch:
        return _index(_records(), tmp_path_factory.mktemp("whole"), False, monkeypatch)


def _assert_same(whole: dict, split: dict) -> None:
    assert split["pages"].keys() == whole["pages"].keys()
    assert len(whole["pages"]) == len(_records()), "every page is in the index, the all-Chinese one too"
    for url, (count, fragment) in whole["pages"].items():
        assert split["pages"][url] == (count, fragment), url
    assert split["filters"] == whole["filters"]
    assert split["fields"] == whole["fields"]
    assert split["words"].keys() == whole["words"].keys()
    for word, entries in whole["words"].items():
        assert split["words"][word] == entries, word
    assert sum(word.startswith("q") for word in whole["words"]) > 500, "the records have many pair words"


def test_split_indexing_gives_what_pagefind_gives_for_every_word_and_page(whole, tmp_path, monkeypatch):
    _assert_same(whole, _index(_records(), tmp_path, True, monkeypatch))


def test_records_split_after_they_were_made_index_the_same(whole, tmp_path, monkeypatch):
    """split_pairs on the whole record (SearchRecord.html) gives the same index as split_html: it takes a typed
    look-alike between spaces for a pair word, split_html leaves it to Pagefind, and the merge joins the two."""
    _assert_same(whole, _index(_records(), tmp_path, True, monkeypatch, whole_html=True))


def test_split_html_is_split_pairs_of_the_whole_record_but_for_typed_look_alikes():
    records = _records()
    typed = [r for r in records if pairs._PAIR_TOKEN.search(r.title + " " + r.text)]
    assert typed, "the records hold typed look-alikes between spaces"
    for record in records:
        if record not in typed:
            assert record.split_html() == pairs.split_pairs(record.html()), record.url


def test_the_comparison_sees_a_wrong_weight(whole, tmp_path, monkeypatch):
    """The check above can fail: a body word written at weight 23 instead of 24 is found."""
    monkeypatch.setattr(postings, "BODY_MARK", b"\x38\x17")
    with pytest.raises(AssertionError):
        _assert_same(whole, _index(_records(), tmp_path, True, monkeypatch, in_process=True))


def _expected_table(pages: list[tuple[int, list[int], list[str], int]]) -> list[list]:
    """What PairPostings must give, word by word in plain Python: per page [gap from the word's last page (0 for
    its first), locations (body run, then title run: mark, first position, differences), []]."""
    found: dict[str, dict[int, tuple[list[int], list[int]]]] = {}
    for number, places, words, titled in pages:
        for at, (place, word) in enumerate(zip(places, words)):
            body, title = found.setdefault(word, {}).setdefault(number, ([], []))
            (title if at < titled else body).append(place)
    table = []
    for word in sorted(found):
        entries, previous = [], None
        for number, (body, title) in sorted(found[word].items()):
            locations = []
            for mark, run in ((-25, body), (-169, title)):
                if run:
                    locations += [mark, run[0], *(b - a for a, b in zip(run, run[1:]))]
            entries.append([0 if previous is None else number - previous, locations, []])
            previous = number
        pages_of = sorted(found[word])
        table.append([word, len(pages_of), pages_of[0], pages_of[-1], entries])
    return table


def _decoded(table: list[list]) -> list[list]:
    return [[*row[:4], cbor2.loads(stable_head(4, row[1]) + row[4])] for row in table]


@pytest.mark.parametrize("scale", [1, 30, 300, 70_000, 20_000_000])
def test_postings_encode_every_size_of_number_as_cbor_does(scale):
    """Positions, gaps and page numbers take one, two, three or five bytes (and a long run's array head two): the
    vectorised encoder writes each as cbor2 would, and the pages decode to the plain-Python answer."""
    pages = []
    for number in (0, 1, 3, 4 + scale // 50, 9 + scale // 10):
        words = ["qaaaaaa", "qbbbbbb", "qaaaaaa", "qcccccc", "qbbbbbb"] + ["qdddddd"] * (number % 5) * 7
        places = [number + k * scale + k for k in range(len(words))]
        pages.append((number, places, words, 2 if number % 2 else 0))
    table = _postings_of(pages)
    assert _decoded(table) == _expected_table(pages)
    # byte for byte what cbor2 writes for the same page lists
    for row, (_, _, _, _, entries) in zip(table, _expected_table(pages)):
        assert row[4] == b"".join(cbor2.dumps(entry) for entry in entries)


def test_postings_of_random_pages_decode_to_the_plain_answer():
    """Many small pages with repeated words, title words and words in both title and body."""
    import random

    rng = random.Random(7)
    vocabulary = [f"q{k:06d}" for k in range(60)]
    pages = []
    for number in sorted(rng.sample(range(400), 120)):
        words = [rng.choice(vocabulary[: rng.randint(3, 60)]) for _ in range(rng.randint(1, 80))]
        places = sorted(rng.sample(range(3 * len(words) + 300), len(words)))
        pages.append((number, places, words, rng.randint(0, min(5, len(words)))))
    table = _postings_of(pages)
    assert _decoded(table) == _expected_table(pages)
    for row, (_, _, _, _, entries) in zip(table, _expected_table(pages)):
        assert row[4] == b"".join(cbor2.dumps(entry) for entry in entries)


def test_postings_index_words_lower_cased_and_join_spellings_that_differ_only_in_case():
    spelled = _postings_of([(0, [1, 2], ["Qabcdef", "Qghijkl"], 0), (2, [5], ["qabcdef"], 0)])
    lowered = _postings_of([(0, [1, 2], ["qabcdef", "qghijkl"], 0), (2, [5], ["qabcdef"], 0)])
    assert spelled == lowered and [row[0] for row in spelled] == ["qabcdef", "qghijkl"] and spelled[0][1] == 2


def test_postings_refuse_pages_out_of_order_and_ragged_lists():
    collected = postings.PairPostings()
    collected.add_page(3, [1], ["qaaaaaa"], 0)
    with pytest.raises(ValueError):
        collected.add_page(3, [2], ["qaaaaaa"], 0)
    with pytest.raises(ValueError):
        collected.add_page(4, [1, 2], ["qaaaaaa"], 0)
    assert postings.PairPostings().table() == []
    with pytest.raises(ValueError):  # past what a CBOR head of five bytes holds, and past any real page
        _postings_of([(0, [1 << 32], ["qaaaaaa"], 0)])


def _postings_of(pages) -> list[list]:
    collected = postings.PairPostings()
    for page in pages:
        collected.add_page(*page)
    return collected.table()


def test_pagefind_is_left_one_pair_word_per_page(tmp_path):
    """The work moved: Pagefind's own chunks hold a page's first pair word (kept so that the page has a word) and
    the typed look-alikes (`Qabcdef，`, `Qabcdef-2`), every other pair word is in pairs.py's table."""
    records = _records()
    indexer = SearchIndexer()
    for record in records:
        indexer.add(record)
    indexer.finish(tmp_path / "shard")
    meta = _bundle_meta(tmp_path / "shard")
    pagefind_postings = 0  # (pair word, page) entries Pagefind wrote
    for _, _, chunk in meta[2]:
        ((*entries,),) = _load(tmp_path / "shard" / "index" / f"{chunk}.pf_index")
        for word, pages, _ in entries:  # places in the text (metadata words are Pagefind's: the title's Qabcdef)
            if word.startswith("q") and pairs._PAIR_TOKEN.fullmatch("Q" + word[1:]):
                pagefind_postings += sum(1 for page in pages if page[1])
    table = pairs.read_postings(tmp_path / "shard" / pairs.PAIRS_FILE)
    assert sum(pages for _, pages, _, _, _ in table) > 2000
    assert pagefind_postings <= len(records) + 2


def _bundle_meta(bundle: Path):
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    ((_, info),) = entry["languages"].items()
    return _load(bundle / f"pagefind.{info['hash']}.pf_meta")


def test_split_leaves_the_first_pair_word_and_drops_noncharacters():
    html, title_words, rest_words = pairs.split_pairs(
        SearchRecord(url="x/", title="调解", text="邻里\ufdd0纠纷 Qabcdef，").html()
    )
    title_pairs, text_pairs = index_text("调解").split(), index_text("邻里 纠纷").split()
    assert title_words.split() == title_pairs[1:], "the title's first pair word stays in for Pagefind"
    assert rest_words.split() == text_pairs
    body = html[: html.index("</main>")]
    assert pairs._PAIR_TOKEN.findall(body) == title_pairs[:1]
    assert body.count(pairs.PLACEHOLDER) == len(title_pairs) - 1 + len(text_pairs)
    assert "Qabcdef，" in body, "a token that is not exactly a pair word stays Pagefind's"


def test_a_page_whose_words_do_not_line_up_is_reported_not_written(tmp_path):
    indexer = SearchIndexer()
    indexer.add(SearchRecord(url="stories/a/", title="调解邻里纠纷", text="群众工作方法"))
    indexer._pairs["/stories/a/"] = ("Q000000", "")  # fewer words than the page has placeholders
    with pytest.raises(indexer_module.SearchIndexError, match="搜索索引未能补全双字词：.*占位词.*双字词"):
        indexer.finish(tmp_path / "shard")


def test_a_damaged_pairs_table_is_a_merge_error_not_a_traceback(tmp_path):
    assert pairs.read_postings(tmp_path / "missing") == []
    indexer = SearchIndexer()
    indexer.add(SearchRecord(url="stories/a/", title="调解邻里纠纷", text="群众工作方法"))
    indexer.finish(tmp_path / "shard")
    (tmp_path / "shard" / pairs.PAIRS_FILE).write_bytes(b"\xff\x00 not CBOR")
    with pytest.raises(MergeError, match="双字词读不出来"):
        merge_bundles([tmp_path / "shard"], tmp_path / "merged")


def _shard_records(shard: int) -> list[SearchRecord]:
    return [
        SearchRecord(
            url=f"stories/s{shard}n{n}/", title=f"第{n}个{VOCABULARY[(shard + n) % 9]}故事", text=_text(n + shard, 20)
        )
        for n in range(6)
    ]


def _files(bundle: Path) -> dict[str, bytes]:
    return {str(path.relative_to(bundle)): path.read_bytes() for path in sorted(bundle.rglob("*")) if path.is_file()}


@pytest.fixture()
def completers(monkeypatch) -> list:
    """The worker processes (search/worker.py) started from here on (none idle to begin with)."""
    worker.close_all()
    started = []
    original = worker._Worker.__init__

    def counted(self):
        original(self)
        started.append(self.process.pid)

    monkeypatch.setattr(worker._Worker, "__init__", counted)
    yield started
    worker.close_all()


def _finish(records: list[SearchRecord], folder: Path) -> None:
    indexer = SearchIndexer()
    for record in records:
        indexer.add_html(record.url, record.split_html())
    indexer.finish(folder)


def test_one_process_completes_shard_after_shard(tmp_path, monkeypatch, completers):
    """A build completes its shards one after another in the same process (a new one per shard cost its start-up
    each time), and the bundles are exactly what completing them in this process gives."""
    for shard in range(3):
        _finish(_shard_records(shard), tmp_path / f"beside{shard}")
    assert len(completers) == 1
    with monkeypatch.context() as patch:
        patch.setattr(indexer_module, "complete_beside", pairs.complete_bundle)
        for shard in range(3):
            _finish(_shard_records(shard), tmp_path / f"here{shard}")
    for shard in range(3):
        beside, here = _files(tmp_path / f"beside{shard}"), _files(tmp_path / f"here{shard}")
        assert beside == here and any(name.startswith("fragment/") for name in beside)
    merge_bundles([tmp_path / f"beside{shard}" for shard in range(3)], tmp_path / "merged", beside=True)
    assert len(completers) == 1, "the merge goes to the same process"


def test_a_worker_started_with_the_build_takes_the_first_task(tmp_path, completers):
    worker.start()
    worker.start()  # one is idle already: no second
    assert len(completers) == 1
    _finish(_shard_records(0), tmp_path / "shard")
    assert len(completers) == 1 and len(worker._idle) == 1


@pytest.mark.parametrize(
    "command, options, started",
    [("build", {}, 1), ("gh-deploy", {}, 1), ("serve", {}, 0), ("build", {"search": False}, 0)],
)
def test_the_plugin_starts_a_worker_at_startup_for_a_build_with_search(command, options, started, completers):
    """`mkdocs build` starts the search worker before the build's own modules are imported (its start-up runs on
    the other core meanwhile); `serve` indexes in the background, and a build without search needs none."""
    from exemplars.plugin import ExemplarsPlugin

    plugin = ExemplarsPlugin()
    errors, _ = plugin.load_config(options)
    assert errors == []
    plugin.on_startup(command=command, dirty=False)
    assert len(completers) == len(worker._idle) == started
    plugin.on_shutdown()


def test_a_build_of_several_shards_starts_two_workers_and_no_more(completers):
    worker.start(2)
    assert len(completers) == 2 and len(worker._idle) == 2
    worker.start(5)  # never more than KEEP
    assert len(completers) == worker.KEEP == 2


def test_a_small_build_runs_its_tasks_one_after_another_in_one_worker(tmp_path, completers):
    """start(1) (a library of one or two shards): two shards finished at once share the one worker."""
    import threading

    worker.start(1)
    done = []

    def finish(number: int) -> None:
        _finish(_shard_records(number), tmp_path / f"shard-{number}")
        done.append(number)

    threads = [threading.Thread(target=finish, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(done) == [0, 1] and len(completers) == 1
    worker.close_all()
    assert worker._limit == worker.KEEP, "the limit was this build's"


def test_a_refusal_keeps_the_process_and_a_crash_or_kill_replaces_it(tmp_path, completers):
    indexer = SearchIndexer()
    indexer.add(SearchRecord(url="stories/a/", title="调解邻里纠纷", text="群众工作方法"))
    indexer._pairs["/stories/a/"] = ("Q000000", "")  # fewer words than the page has placeholders
    with pytest.raises(indexer_module.SearchIndexError, match="占位词"):
        indexer.finish(tmp_path / "refused")
    _finish(_shard_records(0), tmp_path / "after-refusal")
    assert len(completers) == 1, "a refused page is an answer, not a failure of the process"

    with pytest.raises(pairs.PairsError, match="(?s)补全双字词的进程意外退出.*AttributeError"):
        pairs.complete_beside(tmp_path / "after-refusal", ["not", "a", "page", "map"])  # the process dies of it
    _finish(_shard_records(1), tmp_path / "after-crash")
    assert len(completers) == 2

    (idle,) = worker._idle
    idle.process.kill()
    idle.process.wait()
    _finish(_shard_records(2), tmp_path / "after-kill")
    assert len(completers) == 3, "a process that ended while idle is not used again"
    assert (tmp_path / "after-kill" / pairs.PAIRS_FILE).is_file()


def _assets(folder: Path) -> None:
    folder.mkdir(parents=True)
    for name in indexer_module.BUNDLE_ASSETS:
        (folder / name).write_text("{}", encoding="utf-8")
    (folder / "wasm.unknown.pagefind").write_bytes(b"wasm")


def _settled_after(folder: Path, write, quiet: float) -> tuple[float, dict[str, int]]:
    """wait_until_settled on `folder` while `write` runs 0.3 s later in another thread: how long it took, and the
    files' sizes the moment it returned."""
    import threading
    import time

    writer = threading.Timer(0.3, write)
    started = time.monotonic()
    writer.start()
    indexer_module.wait_until_settled(folder, quiet=quiet)
    took, sizes = time.monotonic() - started, indexer_module._sizes(folder)
    writer.join()
    return took, {Path(path).name: size for path, size in sizes.items()}


def test_settling_waits_for_a_file_still_being_written_and_no_longer(tmp_path):
    """Pagefind answers WriteFiles while the last piece of a file may still be on its way (tokio hands files over
    16 KiB at a time): an empty file, or one whole steps long, is not yet written. Once none is, the bundle is
    settled at once, not after a fixed quiet wait."""
    step = 16 * 1024
    for name, before, after in (("empty", b"", b"x" * 900), ("stepped", b"x" * 2 * step, b"x" * (2 * step + 700))):
        folder = tmp_path / name
        _assets(folder)
        (folder / "fragment").mkdir()
        part = folder / "fragment" / "a.pf_fragment"
        part.write_bytes(before)
        took, sizes = _settled_after(folder, lambda part=part, after=after: part.write_bytes(after), quiet=30)
        assert sizes["a.pf_fragment"] == len(after) and took < 10, (name, took)

    # a complete file can be whole steps long: then the sizes must stay put for `quiet` seconds
    folder = tmp_path / "whole-steps"
    _assets(folder)
    (folder / "index.pf_index").write_bytes(b"x" * step)
    took, sizes = _settled_after(folder, lambda: (folder / "late.pf_filter").write_bytes(b"y" * 300), quiet=1.0)
    assert sizes.get("late.pf_filter") == 300 and took >= 1.0
