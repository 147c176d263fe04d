"""Search: the n-gram spelling (Python and browser agree), what Pagefind is handed, and the real search page in
chromium on the sample library: Chinese substrings inside longer words, filters, filter-only browsing."""

from __future__ import annotations

import re
from html import unescape

import pytest
from browser import serve
from conftest import add_eighth_method
from search_truth import found_by
from sitebuild import build_site, copy_repo

from exemplars.search.ngrams import CJK_RUN, END, encode_char, index_text, query_terms, readable_text
from exemplars.search.records import SearchFields, plain_text, record_for

TOKEN_NOISE = re.compile(r"\b[qQ][0-9a-z]{6}\b")
QUERIES = ["调解", "解员", "老支书", "议事会", "QQ 群", "2019年 村民", "垃圾分类办法", "换位思考", "某某", "群"]


def pair(text: str) -> str:
    """The word for the first character of `text` followed by the second (or by the end of its run)."""
    return "q" + encode_char(text[0]) + (encode_char(text[1]) if len(text) > 1 else END)


def test_every_character_is_one_pair_word_in_text_order():
    text = "人民调解员老王, QQ群 2019年"
    indexed = index_text(text).split()
    assert [t.lower() for t in indexed[:7]] == [
        pair("人民"),
        pair("民调"),
        pair("调解"),
        pair("解员"),
        pair("员老"),
        pair("老王"),
        pair("王"),
    ], "Pagefind lower-cases words"
    assert "QQ" in indexed and "2019" in indexed and pair("群") in [t.lower() for t in indexed]
    assert index_text("a<b>&c") == "a<b>&c", "non-Chinese text passes through (records escape it)"
    stored = " ".join(index_text(text).split())  # what Pagefind keeps, white space folded
    assert readable_text(stored) == "人民调解员老王, QQ群2019年", "only spaces beside Chinese are lost"
    assert readable_text("qabcdef " + stored).startswith("qabcdef人民"), "a real lower-case word is not a token"
    assert readable_text(index_text("兀")) == "兀" and readable_text(index_text("\uf900\u9fff")) == "\uf900\u9fff"


def test_chinese_runs_become_exact_phrases():
    assert query_terms("垃圾分类") == ['"' + " ".join([pair("垃圾"), pair("圾分"), pair("分类")]) + '"']
    assert query_terms("QQ群 2019") == ["qq", "q" + encode_char("群"), "2019"], "one character: a prefix"
    assert query_terms("解员") == [pair("解员")], "two characters: one word"
    assert all(t.startswith(q[:4]) for q, t in [(pair("解员"), pair("解")), (pair("解员"), query_terms("解")[0])])


def test_record_indexes_tokens_and_carries_the_readable_text():
    html = "<h2>做法</h2><p>人民调解员&amp;老王 <b>上门</b></p>"
    record = record_for("stories/x/", "老王调解记", "摘要一句。", html, SearchFields(filters={"类型": ["正面典型"]}))
    doc = record.html()
    body = re.search(r"<main data-pagefind-body>(.*)</main>", doc).group(1)
    assert not CJK_RUN.search(body), "the indexed body holds tokens only"
    assert 'data-pagefind-meta="text"' not in doc, "the text is read back from the tokens, not stored twice"
    stored = " ".join(re.sub(r"<[^>]+>", " ", unescape(body.split("</h1>", 1)[1])).split())
    # the summary, the heading and the paragraph stay apart (BREAK), so excerpts can show where a block ended
    assert readable_text(stored) == "摘要一句。 ¶做法¶人民调解员&老王上门⁂"
    assert '<span data-pagefind-filter="类型" hidden>正面典型</span>' in doc
    assert plain_text(html) == "做法 ¶ 人民调解员&老王 上门"


def test_sort_orders_leave_the_metadata_for_a_file_of_their_own(tmp_path):
    """Every search downloads Pagefind's metadata first; the date order only browsing needs is taken out of it
    (stable.stabilise, run by SearchIndexer.finish): page ids in the order Pagefind's `sort: {date: "desc"}`
    returned them (newest first, the same date later page first), each naming a fragment of that page."""
    import random

    from exemplars.search import stable
    from exemplars.search.indexer import SearchIndexer

    dates = ["2021-03-01", "2019-07-15", "2021-03-01", "0000-00-00", "2023-01-09", "2019-07-15", "2020-12-31"] * 3
    random.Random(5).shuffle(dates)
    indexer = SearchIndexer()
    for n, date in enumerate(dates):  # handed over in this (shuffled) order: Pagefind numbers the pages so
        indexer.add(
            record_for(f"stories/s{n:02d}/", f"故事{n}", "摘要", f"<p>正文{n}</p>", SearchFields(sort={"date": date}))
        )
    bundle = tmp_path / "pagefind"
    indexer.finish(bundle)

    (meta_path,) = bundle.glob("pagefind.*.pf_meta")
    meta = stable._read(meta_path)
    assert meta[4] == [], "no sort order in the metadata"
    assert not list(bundle.glob("exemplars-sort-*")), "the sort file is the sharded index's, beside the shards"
    page_ids = [page[0] for page in meta[1]]
    ids = indexer.orders["date"]
    assert sorted(ids) == sorted(page_ids) and list(indexer.orders) == ["date"]
    by_page = sorted(range(len(dates)), key=lambda n: dates[n])  # Pagefind: a stable ascending sort by value
    assert [_fragment_url(bundle, i) for i in ids] == [f"/stories/s{n:02d}/" for n in reversed(by_page)]


def test_the_sort_file_merges_every_shards_order(tmp_path):
    """The shards merged into the site's one bundle (ShardedIndex.finish) have one exemplars-sort-date.txt: every
    page of every shard once, newest first; pages of the same date in shard order (the plan's), within a shard in
    Pagefind's own order (the page handed over later first)."""
    import random

    from exemplars.search import stable
    from exemplars.search.sharded import ShardedIndex
    from exemplars.search.shards import ShardKey, plan_shards

    dates = ["2021-03-01", "2019-07-15", "2021-03-01", "0000-00-00", "2023-01-09", "2019-07-15", "2020-12-31"] * 3
    random.Random(7).shuffle(dates)
    # Sorted by the event's date, sharded by the publication date (any order: an old event published lately);
    # a method (0000-00-00) has none and goes to `pages`.
    urls = [f"stories/s{n:02d}/" for n in range(len(dates))]
    published = [None if date.startswith("0000") else 738000 + 17 * n % 400 for n, date in enumerate(dates)]
    plan = plan_shards([ShardKey(url, day) for url, day in zip(urls, published)], size=4)
    assert len(plan.names) >= 4, plan.names  # pages (no date) and several story periods
    at = plan.order()
    handed = sorted(range(len(dates)), key=lambda n: at[plan.shard_of(urls[n])])  # shard by shard, stable
    index = ShardedIndex(plan, tmp_path / "cache")
    try:
        for n in handed:
            record = record_for(urls[n], f"故事{n}", "摘要", f"<p>正文{n}</p>", SearchFields(sort={"date": dates[n]}))
            index.add_html(record.url, record.html(), record.sort)
        out = tmp_path / "pagefind"
        index.finish(out)
    finally:
        index.close()
    (meta_path,) = out.glob("pagefind.*.pf_meta")
    meta = stable._read(meta_path)
    assert meta[4] == [], "no sort order in the metadata"
    url_of = {page[0]: _fragment_url(out, page[0]) for page in meta[1]}
    assert sorted(url_of.values()) == sorted("/" + url for url in urls)
    common, *lines = (out / "exemplars-sort-date.txt").read_text(encoding="utf-8").splitlines()
    merged = [url_of[_owner(common + line, list(url_of))] for line in lines]
    position = {n: handed.index(n) for n in range(len(dates))}
    expected = sorted(
        range(len(dates)), key=lambda n: (dates[n], -at[plan.shard_of(urls[n])], position[n]), reverse=True
    )
    assert merged == ["/" + urls[n] for n in expected]


def _fragment_url(bundle, page_id: str) -> str:
    import gzip
    import json

    raw = gzip.decompress((bundle / "fragment" / f"{page_id}.pf_fragment").read_bytes())
    return json.loads(raw[len(b"pagefind_dcd") :])["url"]


def _owner(prefix: str, ids: list[str]) -> str:
    """The one id a sort-file line names: the only id it begins, or (after a hash collision made one id the start
    of another) the id it spells out whole, as search.js's longest-prefix lookup decides."""
    starting = sorted({i for i in ids if i.startswith(prefix)})
    assert len(starting) == 1 or prefix in starting, (prefix, starting)
    return prefix if prefix in starting else starting[0]


def test_sort_file_names_each_page_by_its_shortest_distinct_prefix():
    from exemplars.search.stable import sort_file

    ids = ["und_5f3a0c1", "und_5f3a0c12", "und_09bb771", "und_5e00000", "und_09bb771", "und_fffffff"]
    common, *lines = sort_file(ids).splitlines()
    assert common == "und_" and len(lines) == len(ids)
    assert lines == ["5f3a0c1", "5f3a0c12", "0", "5e", "0", "f"]
    assert [_owner(common + line, ids) for line in lines] == ids
    # the same lookup as search.js: the longest prefix of a result's id that is a line
    places = {}
    for at, line in enumerate(lines):
        places.setdefault(line, at)

    def place(page_id: str) -> int:
        rest = page_id[len(common) :]
        return next(places[rest[:end]] for end in range(len(rest), 0, -1) if rest[:end] in places)

    assert [place(i) for i in ids] == [0, 1, 2, 3, 2, 5]
    assert sort_file(["und_a"]).splitlines() == ["und_", "a"]


# --- the real thing, in chromium ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sample_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("sample")
    copy_repo(root, ("stories", "methods"))
    return build_site(root, tmp_path_factory.mktemp("site"))


def _page(browser, **options):
    """A page with generous waits: CI machines can be slow, and a timeout here would be a false failure."""
    page = browser.new_page(**options)
    page.set_default_timeout(90_000)
    return page


def _run_search(page, base: str, query: str | None = None, chips: tuple = ()) -> list[str]:
    page.goto(base + "search/" + (f"?q={query}" if query else ""))
    for group, value in chips:
        page.locator(f".ex-chip[data-group='{group}'][data-value='{value}']").click()
    # Predicates are functions, not expression strings: Playwright evals a string in the page, which the CSP refuses.
    page.wait_for_function(
        "() => document.querySelector('.ex-search__status').textContent.includes('个') || "
        "document.querySelector('.ex-search__status').textContent.includes('没有')"
    )
    for _ in range(50):  # "显示更多" until every verified result is on the page
        if not page.locator(".ex-search__more").is_visible():
            break
        count = page.locator(".ex-result").count()
        page.locator(".ex-search__more").click()
        page.wait_for_function(
            f"() => document.querySelectorAll('.ex-result').length > {count} || "
            "document.querySelector('.ex-search__more').hidden"
        )
    return [
        re.search(r"stories/([^/]+)/", h).group(1) if "stories/" in h else h
        for h in page.locator(".ex-result__title a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    ]


@pytest.mark.browser
def test_browser_rewrite_matches_python(sample_site, browser):  # noqa: F811
    with serve(sample_site) as base:
        page = _page(browser)
        page.goto(base + "search/")
        for query in QUERIES:
            terms = page.evaluate(
                "async (q) => (await import('../assets/javascripts/search.js')).rewrite(q).terms", query
            )
            assert sorted(terms) == sorted(query_terms(query)), query
        page.close()


@pytest.mark.browser
@pytest.mark.parametrize("query", ["调解", "解员", "老支书", "议事会", "换位思考", "群"])
def test_header_search_finds_every_story_containing_the_query(sample_site, browser, library, query):  # noqa: F811
    texts = found_by(library)
    expected = {sid for sid, text in texts.items() if query in text}
    assert expected, f"the sample library should contain {query}"
    with serve(sample_site) as base:
        page = _page(browser, viewport={"width": 1280, "height": 900})
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(base)
        page.fill("#ex-header-q", query)
        page.press("#ex-header-q", "Enter")
        page.wait_for_url("**/search/?q=*")
        found = _run_search(page, base, query)
        stories = {f for f in found if not f.startswith("/")}
        assert stories == expected
        excerpts = page.locator(".ex-result__excerpt").all_inner_texts()
        assert excerpts and not any(TOKEN_NOISE.search(e) for e in excerpts), "excerpts show real text only"
        marks = page.locator(".ex-result__excerpt mark").all_inner_texts()
        assert marks and all(m == query for m in marks)
        assert errors == []
        page.close()


@pytest.mark.browser
def test_method_filter_narrows_results(sample_site, browser, library):  # noqa: F811
    texts = found_by(library)
    method = library.method("yiqing-dongren")
    with serve(sample_site) as base:
        page = _page(browser)
        everything = _run_search(page, base, "村")
        narrowed = _run_search(page, base, "村", chips=(("方法", method.name),))
        expected = {s.id for s in library.public_stories() if method.id in s.methods and "村" in texts[s.id]}
        assert set(narrowed) - {n for n in narrowed if n.startswith("/")} == expected
        assert len(narrowed) < len(everything)
        assert page.locator(".ex-chip[aria-pressed='true']").all_inner_texts()[0].startswith(method.name)
        assert "%E6%96%B9%E6%B3%95=" in page.url, "the filter is kept in the address, so it can be shared"
        page.close()


@pytest.mark.browser
def test_filter_alone_browses_a_kind(sample_site, browser, library):  # noqa: F811
    with serve(sample_site) as base:
        page = _page(browser, viewport={"width": 390, "height": 844})
        found = _run_search(page, base, None, chips=(("类型", "反面典型"),))
        expected = [s.id for s in library.public_stories() if s.kind == "cautionary"]
        assert found == expected, "all cautionary cases, newest first"
        page.close()


@pytest.mark.browser
def test_browsing_lists_the_newest_first_in_the_order_the_date_sort_gave(sample_site, browser, library):  # noqa: F811
    """The sample has exemplars of the same date; Pagefind's page order alone would list those the other way round,
    so this sees the order file applied: newest first, the same date the later id first (as Pagefind's own date
    sort returned them while the order was in its metadata)."""
    exemplars = [s for s in library.public_stories() if s.kind == "exemplar"]
    assert len({s.date for s in exemplars}) < len(exemplars), "the sample must have exemplars of the same date"
    with serve(sample_site) as base:
        page = _page(browser)
        found = _run_search(page, base, None, chips=(("类型", "正面典型"),))
        expected = [s.id for s in sorted(exemplars, key=lambda s: (s.date, s.id), reverse=True)]
        assert found == expected
        page.close()


@pytest.mark.browser
def test_keyboard_moves_through_results(sample_site, browser):  # noqa: F811
    with serve(sample_site) as base:
        page = _page(browser)
        _run_search(page, base, "调解")
        page.focus("#ex-search-q")
        page.keyboard.press("ArrowDown")
        first = page.evaluate("document.activeElement.closest('.ex-result') !== null")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowUp")
        page.keyboard.press("ArrowUp")
        assert first and page.evaluate("document.activeElement.id") == "ex-search-q"
        page.close()


@pytest.mark.browser
def test_an_eighth_method_is_a_filter_value(tmp_path, browser):  # noqa: F811
    root = tmp_path / "lib"
    copy_repo(root, ("stories", "methods"))
    add_eighth_method(root)
    site = build_site(root, tmp_path / "site")
    with serve(site) as base:
        page = _page(browser)
        page.goto(base + "search/")
        page.wait_for_selector(".ex-chip[data-group='方法']")
        values = page.locator(".ex-chip[data-group='方法']").evaluate_all("els => els.map(e => e.dataset.value)")
        assert values[-1] == "试点引路法" and len(values) == 8
        page.close()


# Where the first result stands the moment it is inserted (the chips are not there yet).
_FIRST_RESULT_TOP = """
new MutationObserver((_, observer) => {
  const item = document.querySelector('.ex-search__results li');
  if (item) {
    window.__firstTop = item.getBoundingClientRect().top;
    window.__chipsAtFirst = document.querySelectorAll('.ex-chip').length;
    observer.disconnect();
  }
}).observe(document, { childList: true, subtree: true });
"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_results_do_not_move_when_the_filter_chips_arrive(sample_site, browser, width):  # noqa: F811
    with serve(sample_site) as base:
        context = browser.new_context(viewport={"width": width, "height": 900})
        context.add_init_script(_FIRST_RESULT_TOP)
        page = context.new_page()
        page.set_default_timeout(90_000)
        page.goto(base + "search/?q=调解")
        page.wait_for_selector(".ex-chip")
        assert page.evaluate("() => window.__chipsAtFirst") == 0, "results render before the filter index loads"
        first_top = page.evaluate("() => window.__firstTop")
        top_now = page.evaluate("() => document.querySelector('.ex-search__results li').getBoundingClientRect().top")
        assert abs(top_now - first_top) < 2, f"the results moved by {top_now - first_top:.0f}px"
        context.close()
