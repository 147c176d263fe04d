"""Search as a Chinese reader expects (issue 23), through the real search page in chromium on a fixture library
that holds each edge case: full/half width, Wi-Fi/wifi, simplified/traditional, a soft line break, an extension B
name, reordered mixed-script queries (must miss), two four-character words (must hit), a region and a year,
typos one edit from a library word, an input method's composition; plus the normalisation run by Python and by
the browser's generated module on the same strings. The fixture is indexed as many small search shards (issue 20,
SHARD_SIZE) merged into the one bundle the site serves: the tests at the end check that the reader gets one whole
answer (no part before the index has answered), in date order, with the right filter counts, from every shard."""

from __future__ import annotations

import json
import random
import re
import subprocess
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

import pytest
from browser import serve
from search_truth import found_by
from sitebuild import build_site, make_project

from exemplars.library import load_library
from exemplars.search.ngrams import index_text, query_terms, readable_text
from exemplars.search.normalise import (
    FOLD_RANGES,
    browser_module,
    browser_table_module,
    cjk_table,
    fold,
    latin_joins,
    match_form,
    query_forms,
    restore,
    restore_map,
)
from exemplars.search.records import BREAK, SearchFields, plain_text, record_for
from exemplars.search.shards import ShardKey, plan_shards
from exemplars.site.render import BodyRenderer

EXT_B = "\U0002023c"  # 𠈼, a CJK extension B character (outside the Basic Multilingual Plane)
FILLER = 12  # stories sharing one word, more than a page of results (search.js BATCH = 10)


def _story(
    sid: str,
    title: str,
    body: str,
    *,
    region: str = "浙江省/湖州市/安吉县",
    date: str = "2021-06-01",
    tags: str = "[]",
    summary: str = "一个用于测试搜索的虚构故事。",
    kind: str = "exemplar",
    published: str = "",
) -> str:
    return (
        f"---\nid: {sid}\ntitle: {title}\nkind: {kind}\nmethods: [jiaoyu-shudao]\nsummary: {summary}\n"
        f"region: {region}\ndate: {date}\nstatus: published\nreviewed_by: 周文澜\ntags: {tags}\nsample: true\n"
        + (f"published: {published}\n" if published else "")
        + f"sources:\n  - title: 虚构示例：测试用故事\n---\n{body}\n"
    )


STORIES = {
    "quanjiao-2021": _story("quanjiao-2021", "全角数字的台账", "## 经过\n\n２０２３年起，居民用ＡＰＰ预约上门服务。"),
    "wifi-2021": _story(
        "wifi-2021", "村口的无线网络", "## 经过\n\n村委会在广场装了 Wi-Fi 热点，New York 来的志愿者也来帮忙。"
    ),
    "fanti-2021": _story("fanti-2021", "鄰里糾紛調解記", "## 經過\n\n調解員三次上門，化解了鄰里糾紛。"),
    "ruanhang-2021": _story(
        "ruanhang-2021", "议事会的来历", "## 经过\n\n每月初一，村民在银杏树下\n议事会上商量村里的事。"
    ),
    "extb-2021": _story(
        "extb-2021",
        "老党员的故事",
        f"## 经过\n\n老党员王{EXT_B}明带头捐款。\n\n## 启示\n\n实践证明，带头人很重要。" + f"他叫王{EXT_B}明。" * 3,
    ),
    "hunhe-2021": _story("hunhe-2021", "热线与基站", "## 经过\n\n居民拨打12345热线反映信号差，5G基站很快建好。"),
    "liangci-2021": _story(
        "liangci-2021", "两个方法", "## 经过\n\n干部学会换位思考，又用网络互动收集意见。", tags="[换位思考]"
    ),
    "yici-2021": _story("yici-2021", "一个方法", "## 经过\n\n干部学会换位思考，耐心倾听。"),
    # Latin words with diacritics, in stories of different shards: Pagefind keeps café beside cafe (a variant)
    "waiyu-a": _story(
        "waiyu-a", "咖啡馆里的志愿者", "## 经过\n\n德国志愿者 Müller 在社区 café 里帮忙。", published="2021-07-01"
    ),
    "waiyu-b": _story("waiyu-b", "志愿者的一天", "## 经过\n\nMüller 先生又来了。", published="2024-06-01"),
    "weiyuan-2023": _story(
        "weiyuan-2023",
        "山里的合作社",
        "## 经过\n\n合作社让山货卖了出去。",
        region="甘肃省/定西市/渭源县",
        date="2023-05-01",
        tags="[山货电商]",
    ),
    **{
        f"tiantian-{n:02d}": _story(
            f"tiantian-{n:02d}", f"田间故事第{n}篇", "## 经过\n\n田间课堂开到了地头。", date=f"2020-01-{n:02d}"
        )
        for n in range(1, FILLER + 1)
    },
    # Stories published late about old events and early about recent ones: their order by `date` (what a listing
    # shows) is not the order of their shards (by `published`, newest first).
    **{
        sid: _story(
            sid,
            f"街巷议事{sid[-1]}",
            "## 经过\n\n居民在街巷议事会上商量停车难题。",
            kind=kind,
            region=region,
            date=date,
            published=published,
        )
        for sid, kind, region, date, published in [
            ("jiexiang-a", "exemplar", "河北省/保定市", "2018-04-02", "2025-03-01"),
            ("jiexiang-b", "cautionary", "河北省/唐山市", "2022-11-20", "2024-12-01"),
            ("jiexiang-c", "exemplar", "山西省/大同市", "2023-08-15", "2023-09-01"),
            ("jiexiang-d", "cautionary", "河北省/保定市", "2016-05-05", "2022-05-01"),
            ("jiexiang-e", "exemplar", "河北省/廊坊市", "2021-12-30", "2022-01-05"),
            ("jiexiang-f", "cautionary", "江苏省/苏州市", "2019-07-07", "2019-08-01"),
            ("jiexiang-g", "exemplar", "江苏省/苏州市", "2017-03-03", "2018-01-01"),
        ]
    },
}
SHARD_SIZE = 3  # pages per search shard in the reader site: many shards, so every test searches across them


@pytest.fixture(scope="module")
def reader_site(tmp_path_factory):
    import shutil

    root = tmp_path_factory.mktemp("reader") / "lib"
    shutil.copytree(Path(__file__).parent / "fixtures" / "library", root)
    for sid, text in STORIES.items():
        (root / "stories" / f"{sid}.md").write_text(text, encoding="utf-8")
    config = make_project(root)
    text = config.read_text(encoding="utf-8")
    assert "\n  - exemplars\n" in text, "the repository's mkdocs.yml names the plugin without options"
    config.write_text(
        text.replace("\n  - exemplars\n", f"\n  - exemplars:\n      search_shard_size: {SHARD_SIZE}\n"),
        encoding="utf-8",
    )
    site = build_site(root, tmp_path_factory.mktemp("site"))
    return root, site


@pytest.fixture(scope="module")
def reader_base(reader_site):
    """The reader site served on 127.0.0.1 for the module's browser tests; its base URL."""
    with serve(reader_site[1]) as base:
        yield base


# --- one normalisation, Python and browser --------------------------------------------------------------------
SAMPLES = [
    "調解員",
    "鄰里糾紛",
    "２０２３年",
    "ＡＰＰ预约",
    "Wi-Fi",
    "WiFi 和 wi-fi",
    "New York City",
    "乾隆年間",
    f"王{EXT_B}明",
    "\uf900\ufa0e",
    "一 二\t三\n四",
    "Ｎｅｗ－Ｙｏｒｋ",
    "頭髮與後來",
    "ß İ Ω",
    '"调解员" 调解，纠纷',
    "阿卜杜·热合曼 a_b ①",
]


def _node(module: Path, script: str, payload) -> object:
    code = f"import * as m from {json.dumps(module.as_uri())};\nconst input = JSON.parse(process.argv[1]);\n{script}"
    done = subprocess.run(
        ["node", "--input-type=module", "-e", code, json.dumps(payload)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout)


def _modules(folder: Path) -> Path:
    """fold.js and the fold-table.js it imports on demand, as the site ships them."""
    (folder / "package.json").write_text('{"type": "module"}', encoding="utf-8")
    (folder / "fold-table.js").write_text(browser_table_module(), encoding="utf-8")
    module = folder / "fold.js"
    module.write_text(browser_module(), encoding="utf-8")
    return module


def test_python_and_browser_normalise_the_same_strings(tmp_path):
    module = _modules(tmp_path)
    rng = random.Random(23)
    table_chars = rng.sample(sorted(cjk_table()), 400)  # a sample of the whole OpenCC table, astral ones included
    strings = SAMPLES + ["".join(rng.sample(table_chars, 8)) for _ in range(50)]
    script = (
        "const [strings, maps] = input;\n"
        "await m.ready(strings);\n"
        "console.log(JSON.stringify(strings.map((s, i) => [m.fold(s), m.matchForm(s), m.latinJoins(s),"
        " m.restore(m.fold(s), maps[i]), m.queryForms(s)])));"
    )
    got = _node(module, script, [strings, [restore_map(s) for s in strings]])
    expected = [[fold(s), match_form(s), latin_joins(s), s, query_forms(s)] for s in strings]
    assert got == expected
    assert fold("調解 鄰里糾紛 ２０２３ ＡＰＰ") == "调解 邻里纠纷 2023 APP"
    assert match_form("Wi-Fi") == match_form("wifi") == match_form("WiFi") == "wifi"
    assert match_form("New York") == "newyork" and "newyork" in latin_joins("来自 New York 的人")
    assert all(len(fold(c)) == 1 for c in table_chars), "one code point stays one code point"
    assert all(fold(fold(c)) == fold(c) for c in cjk_table()), "folding twice changes nothing more"


def test_browser_knows_which_characters_fold_without_loading_the_table(tmp_path):
    """fold.js alone answers "does this character fold?" for every CJK code point exactly as Python's table does,
    folds text without such characters as Python does without fetching fold-table.js, and asks for the table
    (ready) exactly when a text holds one."""
    module = _modules(tmp_path)
    rng = random.Random(7)
    simplified = [chr(c) for c in range(0x4E00, 0x9FFF) if chr(c) not in cjk_table()]
    plain = [s for s in SAMPLES if cjk_table().keys().isdisjoint(s)]
    plain += ["".join(rng.sample(simplified, 12)) + "Ｗｉ－Ｆｉ ２０２６" for _ in range(30)]
    folding = ["调解" + c for c in rng.sample(sorted(cjk_table()), 30)]
    script = (
        "const [ranges, plain, folding] = input;\n"
        "const folds = [];\n"
        "for (const [start, end] of ranges) for (let c = start; c <= end; c++)"
        " if (m.folds(String.fromCodePoint(c))) folds.push(c);\n"
        "const alone = plain.map((s) => [m.needsTable([s]), m.fold(s), m.matchForm(s), m.queryForms(s)]);\n"
        "const asked = folding.map((s) => m.needsTable(['调解', s]));\n"
        "let threw = false;\n"
        "try { m.fold(folding[0]); } catch (_) { threw = true; }\n"
        "await m.ready(folding);\n"
        "console.log(JSON.stringify({ folds, alone, asked, threw, after: m.needsTable(folding),"
        " folded: folding.map(m.fold) }));"
    )
    got = _node(module, script, [FOLD_RANGES, plain, folding])
    assert got["folds"] == sorted(ord(c) for c in cjk_table()), "the compact test is the table's own key set"
    assert got["alone"] == [[False, fold(s), match_form(s), query_forms(s)] for s in plain]
    assert got["asked"] == [True] * len(folding) and got["threw"], "never a silent wrong fold"
    assert got["after"] is False and got["folded"] == [fold(s) for s in folding]


def test_browser_modules_are_compact():
    import gzip

    always = len(gzip.compress(browser_module().encode("utf-8"), 9))
    table = len(gzip.compress(browser_table_module().encode("utf-8"), 9))
    assert always < 6_000, f"what every search loads: rules + which characters fold (~5 KB gzipped), {always}"
    assert table < 20_000, f"the character map, loaded only for text that folds (~15 KB gzipped), {table}"


def test_extension_b_characters_are_spelled_and_read_back():
    text = f"王{EXT_B}明，{EXT_B}村 \U00030000\U000323af"
    indexed = index_text(text)
    assert not re.search(r"[\U00020000-\U0003ffff]", indexed), "every CJK character becomes a token word"
    assert readable_text(" ".join(indexed.split())) == f"王{EXT_B}明，{EXT_B}村\U00030000\U000323af"
    single = query_terms(EXT_B)[0]
    assert all(w.lower().startswith(single) for w in index_text(EXT_B + "村").split()[:1])
    assert not any(w.lower().startswith(single) for w in index_text("王明" + "\u4e00").split()), "no prefix clash"


def test_record_folds_the_index_keeps_the_original_and_is_found_by_its_facts():
    record = record_for(
        "stories/x/",
        "鄰里糾紛調解記",
        "摘要",
        "<h2>經過</h2><p>乾隆年間，Wi-Fi 和干部</p>",
        SearchFields(extras=["甘肃省", "定西市", "渭源县", "2023年", "调解"]),
    )
    doc = record.html()
    body = re.search(r"<main data-pagefind-body>(.*)</main>", doc).group(1)
    assert "wifi" in body and index_text("渭源县").split()[0] in body
    restoring = json.loads(
        re.search(r'data-pagefind-meta="restore" hidden>([^<]*)<', doc).group(1).replace("&quot;", '"')
    )
    shown = readable_text(" ".join(re.sub(r"<[^>]+>", " ", body.split("\u2042")[0]).split()))
    assert fold(record.title) in shown and "鄰" not in shown, "the index holds the folded text"
    assert restore(shown, restoring).startswith("鄰里糾紛調解記"), "and the reader gets the original back"
    assert "乾隆年間" in restore(shown, restoring) and "干部" in restore(shown, restoring), "乾 and 干 both kept"
    assert "restore" not in record_for("s/", "调解", "", "<p>简体</p>", SearchFields()).html(), "no cost when unchanged"
    assert plain_text("<h2>做法</h2><p>一</p><ul><li>二</li></ul>") == f"做法 {BREAK} 一 {BREAK} 二"


def test_soft_line_breaks_join_chinese_lines_only():
    html = BodyRenderer().render("银杏树下\n议事会，\n**村民**\n商量。\nWi-Fi\nsignal `代码\n中`", "a.md", "x/")
    assert "银杏树下议事会，<strong>村民</strong>商量。" in html
    assert "Wi-Fi\nsignal" in html and "<code>代码\n中</code>" in html, "Latin words and code keep their break"


# --- the real search page ---------------------------------------------------------------------------------------
def _page(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(90_000)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return page, errors


_SETTLED = (
    "() => { const s = document.querySelector('.ex-search__status').textContent;"
    " return s.includes('个结果') || s.includes('没有'); }"
)


def _show_all(page) -> list[str]:
    """Click 显示更多 until every result is shown; the results' pages in the order shown ("stories/x")."""
    while page.locator(".ex-search__more").is_visible():
        count = page.locator(".ex-result").count()
        page.locator(".ex-search__more").click()
        page.wait_for_function(
            f"() => document.querySelectorAll('.ex-result').length > {count} || "
            "document.querySelector('.ex-search__more').hidden"
        )
    hrefs = page.locator(".ex-result__title a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    return [re.search(r"((?:stories|methods|lessons)/[^/]+)/", h).group(1) for h in hrefs]


def _search(page, base: str, query: str, *, everything: bool = True) -> list[str]:
    page.goto(base + "search/?q=" + query)
    page.wait_for_function(_SETTLED)
    if not everything:
        return []
    return sorted(url.removeprefix("stories/") for url in _show_all(page) if url.startswith("stories/"))


def _expected(truth: dict[str, str], query: str) -> list[str]:
    forms = query_forms(query)
    return sorted(sid for sid, text in truth.items() if all(f in text for f in forms))


FOUND = {  # query → stories that must be among the results (the rest is checked against the normalised truth)
    "2023": {"quanjiao-2021", "weiyuan-2023"},  # full-width digits in the text; the year of a story
    "２０２３": {"quanjiao-2021", "weiyuan-2023"},
    "ＡＰＰ预约": {"quanjiao-2021"},
    "app预约": {"quanjiao-2021"},
    "wifi": {"wifi-2021"},
    "WiFi": {"wifi-2021"},
    "Wi-Fi": {"wifi-2021"},
    "wi-fi": {"wifi-2021"},
    "newyork": {"wifi-2021"},
    "New York": {"wifi-2021"},
    "调解": {"fanti-2021"},
    "調解": {"fanti-2021"},
    "邻里纠纷": {"fanti-2021"},
    "银杏树下议事会": {"ruanhang-2021"},
    f"王{EXT_B}明": {"extb-2021"},
    f"{EXT_B}明": {"extb-2021"},
    "换位思考 网络互动": {"liangci-2021"},
    "网络互动 换位思考": {"liangci-2021"},
    "渭源县": {"weiyuan-2023"},
    "定西": {"weiyuan-2023"},
    "甘肃省 合作社": {"weiyuan-2023"},
    "山货电商": {"weiyuan-2023"},
    "2023年": {"quanjiao-2021", "weiyuan-2023"},  # a tag; a year as written
    "12345热线": {"hunhe-2021"},
    '"调解员"': {"fanti-2021"},
    "调解，纠纷": {"fanti-2021"},
    "5G基站": {"hunhe-2021"},
    "２０２３年": {"quanjiao-2021", "weiyuan-2023"},
    "Müller": {"waiyu-a", "waiyu-b"},  # in two shards: one word with its variant, merged
    "café": {"waiyu-a"},
}
MISSED = {  # reordered mixed-script queries: the characters are all there, not in this order
    "热线12345": "hunhe-2021",
    "基站5G": "hunhe-2021",
    "预约APP": "quanjiao-2021",
    "年２０２３": "quanjiao-2021",
    f"明{EXT_B}王": "extb-2021",
    f"{EXT_B}村": "extb-2021",
}


@pytest.mark.browser
def test_reader_queries_find_exactly_the_normalised_matches(reader_site, reader_base, browser):  # noqa: F811
    root, _ = reader_site
    truth = found_by(load_library(root))
    page, errors = _page(browser)
    for query, must in FOUND.items():
        found = _search(page, reader_base, query)
        assert must <= set(found), query
        assert found == _expected(truth, query), query
    for query, story in MISSED.items():
        found = _search(page, reader_base, query)
        assert story not in found and found == _expected(truth, query), query
    assert _search(page, reader_base, "换位思考 网络互动") == ["liangci-2021"], "two 4-character words: AND"
    assert errors == []
    page.close()


@pytest.mark.browser
def test_excerpts_show_the_text_as_written_with_breaks_and_the_right_highlight(reader_base, browser):  # noqa: F811
    page, errors = _page(browser)
    _search(page, reader_base, "调解")
    item = page.locator(".ex-result", has=page.locator("a[href*='fanti-2021']"))
    assert item.locator(".ex-result__excerpt mark").all_inner_texts() == ["調解"], "original text"
    assert "經過" in item.locator(".ex-result__excerpt").inner_text()
    assert item.locator(".ex-result__break").count() >= 1, "a heading and its paragraph stay apart"

    _search(page, reader_base, "2023")
    item = page.locator(".ex-result", has=page.locator("a[href*='quanjiao-2021']"))
    assert item.locator(".ex-result__excerpt mark").all_inner_texts() == ["２０２３"], "full width, as written"

    _search(page, reader_base, f"王{EXT_B}明")
    excerpt = page.locator(".ex-result__excerpt").first
    marks = excerpt.locator("mark").all_inner_texts()
    assert marks and all(m == f"王{EXT_B}明" for m in marks), "the matched occurrence, not 明 of 实践证明"
    assert "\ufffd" not in excerpt.inner_text()

    _search(page, reader_base, "议事会")
    text = page.locator(".ex-result", has=page.locator("a[href*='ruanhang-2021']")).inner_text()
    assert "银杏树下议事会" in text
    page.goto(reader_base + "stories/ruanhang-2021/")
    assert "银杏树下议事会" in page.locator("article").inner_text(), "the story page has no stray space either"

    # a cut anywhere in a text of extension B characters never leaves half a character
    cuts = page.evaluate(
        """async (ch) => {
      const s = await import('../../assets/javascripts/search.js');
      const text = ('甲' + ch).repeat(40) + '目标' + (ch + '乙').repeat(40);
      const out = [];
      for (let n = 90; n < 100; n++) out.push(s.excerpt(text, s.rewrite('目标'), n));
      return out;
    }""",
        EXT_B,
    )
    lone = re.compile(r"[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]")
    assert all(
        not lone.search(c.encode("utf-16", "surrogatepass").decode("utf-16", "replace")) and "\ufffd" not in c
        for c in cuts
    )
    assert errors == []
    page.close()


@pytest.mark.browser
def test_count_is_exact_once_every_result_is_shown(reader_base, browser):  # noqa: F811
    page, _ = _page(browser)
    _search(page, reader_base, "田间课堂", everything=False)
    status = page.locator(".ex-search__status")
    assert status.inner_text() == f"约 {FILLER} 个结果", "an estimate while results are still unchecked"
    _search(page, reader_base, "田间课堂")
    assert status.inner_text() == f"共 {FILLER} 个结果"
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    "typo, word", [("换位思靠", "换位思考"), ("教育输导", "教育疏导"), ("群众工做", "群众工作"), ("甘素省", "甘肃省")]
)
def test_did_you_mean_only_when_nothing_is_found(reader_base, browser, typo, word):  # noqa: F811
    page, errors = _page(browser)
    _search(page, reader_base, typo)
    hint = page.locator(".ex-search__suggest")
    hint.wait_for(state="visible")
    assert hint.locator("a").inner_text() == word
    hint.locator("a").click()
    page.wait_for_function(_SETTLED)
    assert page.locator("#ex-search-q").input_value() == word
    assert not page.locator(".ex-search__suggest").is_visible()
    _search(page, reader_base, "换位思考")
    assert not page.locator(".ex-search__suggest").is_visible(), "no suggestion when the query finds something"
    assert errors == []
    page.close()


@pytest.mark.browser
def test_input_method_composition_is_not_searched(reader_base, browser):  # noqa: F811
    page, _ = _page(browser)
    page.goto(reader_base + "search/")
    page.wait_for_selector(".ex-chip")
    page.focus("#ex-search-q")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.imeSetComposition", {"text": "tianjian", "selectionStart": 8, "selectionEnd": 8})
    page.wait_for_timeout(800)  # well past the 250 ms typing delay
    assert "q=" not in page.url and page.locator(".ex-search__status").inner_text() == "", "pinyin is not searched"
    cdp.send("Input.insertText", {"text": "田间"})  # the reader picks the characters: composition ends
    page.wait_for_function(_SETTLED)
    assert "q=%E7%94%B0%E9%97%B4" in page.url and page.locator(".ex-result").count() > 0
    page.close()


@pytest.mark.browser
def test_a_direct_search_link_loads_only_what_the_search_needs(reader_base, browser):  # noqa: F811
    """A /search/?q= link in a fresh browser: the page, its styles and scripts, and the search's own files — no
    did-you-mean words and no filter index before the first results (those come only when needed, or after)."""
    context = browser.new_context()
    context.add_init_script(
        "new MutationObserver((_, o) => { if (document.querySelector('.ex-result')) "
        "{ window.__shownAt = Date.now(); o.disconnect(); } })"
        ".observe(document, { childList: true, subtree: true });"
    )
    requests = []
    context.on(
        "request", lambda request: requests.append(request)
    )  # the context sees Pagefind's web worker's requests too
    page = context.new_page()
    page.set_default_timeout(90_000)
    page.goto(reader_base + "search/?q=田间课堂")
    page.wait_for_selector(".ex-result")
    page.wait_for_selector(".ex-chip")  # the filter index, fetched once results are on screen
    shown_at = page.evaluate("() => window.__shownAt")
    before = [r.url.replace(reader_base, "/") for r in requests if r.timing["startTime"] <= shown_at]
    after = [r.url.replace(reader_base, "/") for r in requests if r.timing["startTime"] > shown_at]
    assert any("/pagefind/index/" in u for u in before) and any("/pagefind/filter/" in u for u in after)
    assert not [u for u in before if "vocabulary.json" in u or "/pagefind/filter/" in u], before
    # The shards are one bundle (search/merge.py): one metadata file and one index chunk for the one word, as
    # with a single index, however many shards the library was indexed in.
    assert len([u for u in before if re.match(r"/pagefind/pagefind\.\w+\.pf_meta$", u)]) == 1, before
    assert len([u for u in before if "/pagefind/index/" in u]) == 1, before
    scripts = [u for u in before + after if "/assets/javascripts/" in u]
    assert scripts.count("/assets/javascripts/search.js") == scripts.count("/assets/javascripts/fold.js") == 1
    assert "/assets/javascripts/fold-table.js" not in scripts, "simplified query, simplified pages: no table"
    assert not any("vocabulary.json" in u for u in before + after), "did-you-mean words only on no results"
    # A traditional query needs the table: fetched once, and it finds the page as the simplified query would
    requests.clear()
    page.goto(reader_base + "search/?q=鄰里糾紛")
    page.wait_for_selector(".ex-result a[href*='fanti-2021']")
    scripts = [r.url.replace(reader_base, "/") for r in requests if "/assets/javascripts/" in r.url]
    assert scripts.count("/assets/javascripts/fold-table.js") == 1, scripts
    context.close()


# --- several shards, one answer (issue 20) ----------------------------------------------------------------------
def _shards(root: Path) -> dict[str, set[str]]:
    """Each search shard of the reader library (search/shards.py's plan: methods first, then stories by publication
    period, newest first) → its pages ("stories/x"). The site merges them into one bundle (search/merge.py)."""
    library = load_library(root)
    keys = [ShardKey(f"stories/{s.id}/", s.published_on.toordinal()) for s in library.public_stories()]
    keys += [ShardKey(f"methods/{m.id}/") for m in library.methods]
    plan = plan_shards(keys, SHARD_SIZE)
    shards = {name: set() for name in plan.names}
    for key in keys:
        shards[plan.shard_of(key.url)].add(key.url.rstrip("/"))
    return shards


def _facts(root: Path) -> dict[str, tuple[dict[str, list[str]], str]]:
    """What the search page may list → its filter values and its `date` sort key, worked out from the library as
    the site's pages declare them (story.py, method.py)."""
    library = load_library(root)
    assert not library.lessons, "the reader library has no lessons (their filters are not worked out here)"
    facts = {
        f"stories/{s.id}": (
            {
                "方法": [library.method(m).name for m in s.methods],
                "类型": [s.kind_label],
                "省份": [s.province],
                "年份": [str(s.year)],
            },
            s.date.isoformat(),
        )
        for s in library.public_stories()
    }
    facts.update({f"methods/{m.id}": ({"方法": [m.name]}, "0000-00-00") for m in library.methods})
    return facts


def _chips(page) -> dict[str, dict[str, int]]:
    """The filter chips shown: group → value → the count on the chip."""
    chips = page.locator(".ex-chip").evaluate_all(
        "els => els.map(e => [e.dataset.group, e.dataset.value, e.querySelector('.ex-chip__count').textContent])"
    )
    shown: dict[str, dict[str, int]] = {}
    for group, value, count in chips:
        shown.setdefault(group, {})[value] = int(count)
    return shown


def _counts(facts, pages) -> dict[str, dict[str, int]]:
    """The true chip counts for `pages`: group → value → how many of them have it."""
    counts: dict[str, Counter] = {}
    for url in pages:
        for group, values in facts[url][0].items():
            counts.setdefault(group, Counter()).update(values)
    return {group: dict(values) for group, values in counts.items()}


def test_the_reader_library_is_many_shards_merged_into_one_bundle(reader_site):
    """What the tests below rely on: many shards, served as one Pagefind bundle."""
    root, site = reader_site
    shards = _shards(root)
    assert len(shards) >= 10 and max(map(len, shards.values())) <= SHARD_SIZE
    assert len(list((site / "pagefind").glob("pagefind.*.pf_meta"))) == 1
    assert not [
        p for p in (site / "pagefind").iterdir() if p.is_dir() and p.name not in {"index", "filter", "fragment"}
    ]
    pages = {url for urls in shards.values() for url in urls}
    assert len(list((site / "pagefind" / "fragment").iterdir())) == len(pages), "every shard's pages, once"


@pytest.mark.browser
def test_a_reader_who_types_early_sees_nothing_until_the_whole_index_answers(reader_site, reader_base, browser):  # noqa: F811
    """The index held back while the reader types: the query waits (正在搜索…, no result, no chip); released, the
    whole answer, from every shard it was indexed in, appears at once."""
    root, _ = reader_site
    query = "虚构故事"
    expected = [f"stories/{sid}" for sid in _expected(found_by(load_library(root)), query)]
    assert sum(1 for pages in _shards(root).values() if pages & set(expected)) >= 5, "found in many shards"
    context = browser.new_context()
    routes = []
    # Held until released (context.route also sees what Pagefind's web worker fetches).
    context.route("**/pagefind/pagefind-entry.json*", lambda route: routes.append(route))
    page = context.new_page()
    page.set_default_timeout(90_000)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(reader_base + "search/")
    page.fill("#ex-search-q", query)
    page.wait_for_function("() => document.querySelector('.ex-search__status').textContent === '正在搜索…'")
    page.wait_for_timeout(1500)  # far past the typing delay: the search has been asked for
    assert routes, "the index was asked for"
    assert page.locator(".ex-search__status").inner_text() == "正在搜索…"
    assert page.locator(".ex-result").count() == 0 and page.locator(".ex-chip").count() == 0, "never a part"
    for route in routes:
        route.continue_()
    page.wait_for_function(_SETTLED)
    assert sorted(_show_all(page)) == expected
    assert page.locator(".ex-search__status").inner_text() == f"共 {len(expected)} 个结果"
    assert errors == []
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("group, value", [("类型", "反面典型"), ("方法", "教育疏导法"), ("省份", "河北省")])
def test_browsing_by_a_filter_lists_the_newest_first_across_shards(reader_site, reader_base, browser, group, value):  # noqa: F811
    """A filter and no keyword: every page with the value, newest `date` first, whichever shard it was indexed in
    (the shards go by publication date, newest first, and a story may be published long after it happened)."""
    root, _ = reader_site
    facts = _facts(root)
    wanted = [url for url, (filters, _) in facts.items() if value in filters.get(group, [])]
    shard_at = {url: at for at, pages in enumerate(_shards(root).values()) for url in pages}
    by_shard = sorted(wanted, key=lambda url: (shard_at[url], -int(facts[url][1].replace("-", ""))))
    newest_first = sorted((facts[url][1] for url in wanted), reverse=True)
    assert len({shard_at[url] for url in wanted}) >= 2 and [facts[url][1] for url in by_shard] != newest_first, (
        "the fixture must make shard order and date order differ"
    )
    page, errors = _page(browser)
    page.goto(reader_base + "search/?" + urlencode({group: value}))
    page.wait_for_function(_SETTLED)
    shown = _show_all(page)
    assert sorted(shown) == sorted(wanted)
    assert [facts[url][1] for url in shown] == newest_first
    assert errors == []
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("query", ["", "街巷议事", "虚构故事"])
def test_filter_counts_add_up_across_shards(reader_site, reader_base, browser, query):  # noqa: F811
    """Every chip counts the pages of every shard: the library's own counts with no keyword, the found pages'
    counts with one."""
    root, _ = reader_site
    facts = _facts(root)
    found = list(facts) if not query else [f"stories/{sid}" for sid in _expected(found_by(load_library(root)), query)]
    assert sum(1 for pages in _shards(root).values() if pages & set(found)) >= 3
    page, errors = _page(browser)
    page.goto(reader_base + "search/" + (f"?q={query}" if query else ""))
    if query:
        page.wait_for_function(_SETTLED)
    page.wait_for_selector(".ex-chip")
    want = _counts(facts, found)
    assert want["类型"].keys() == {"正面典型", "反面典型"} and len(want["年份"]) >= 3
    assert _chips(page) == want
    assert errors == []
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("query", ["的", "虚构故事"])
def test_every_shard_answers_with_excerpts_from_the_text(reader_site, reader_base, browser, query):  # noqa: F811
    """A query found in (nearly) every shard: every page that holds it is listed, from every shard, each with an
    excerpt of its own text that shows the query."""
    root, _ = reader_site
    shards = _shards(root)
    stories = [f"stories/{sid}" for sid in _expected(found_by(load_library(root)), query)]
    page, errors = _page(browser)
    page.goto(reader_base + "search/?q=" + query)
    page.wait_for_function(_SETTLED)
    shown = _show_all(page)
    assert len(shown) == len(set(shown)), "no page listed twice"
    assert sorted(url for url in shown if url.startswith("stories/")) == stories
    answered = {name for name, pages in shards.items() if pages & set(shown)}
    if query == "的":
        assert answered == set(shards), "every shard, methods' included, has a page with 的"
    else:
        assert len(answered) >= len(shards) - 4
    assert page.locator(".ex-search__status").inner_text() == f"共 {len(shown)} 个结果"
    for item in page.locator(".ex-result").all():
        marks = item.locator(".ex-result__excerpt mark").all_inner_texts()
        assert marks and set(marks) == {query}, item.inner_text()
    assert errors == []
    page.close()


@pytest.mark.browser
def test_an_empty_library_says_there_is_nothing_to_search(tmp_path, browser):  # noqa: F811
    root = tmp_path / "lib"
    (root / "stories").mkdir(parents=True)
    (root / "methods").mkdir()
    site = build_site(root, tmp_path / "site")
    assert not (site / "pagefind").exists(), "no page to search, no index"
    with serve(site) as base:
        page, errors = _page(browser)
        for url in ("search/", "search/?q=调解", "search/?类型=正面典型"):
            page.goto(base + url)
            page.wait_for_function(_SETTLED)  # not 正在搜索…, shown first with a query
            assert page.locator(".ex-search__status").inner_text() == "本站还没有可以搜索的内容。"
            assert page.locator(".ex-result").count() == 0 and page.locator(".ex-chip").count() == 0
        page.fill("#ex-search-q", "调解")
        page.press("#ex-search-q", "Enter")
        page.wait_for_function(_SETTLED)  # not 正在搜索…, shown first with a query
        assert page.locator(".ex-search__status").inner_text() == "本站还没有可以搜索的内容。"
        assert [e for e in errors if "404" not in e] == [], "nothing thrown; only the missing files' 404s"
        page.close()


@pytest.mark.browser
@pytest.mark.parametrize("failing", ["pagefind-entry.json*", "pagefind.*.pf_meta"])
def test_an_index_that_cannot_load_fails_the_search_out_loud(reader_base, browser, failing):  # noqa: F811
    """The network fails for the index: no endless 正在搜索…, no result, but a message to refresh."""
    context = browser.new_context()
    context.route(f"**/pagefind/{failing}", lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(90_000)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    for url in ("search/?q=虚构故事", "search/?类型=反面典型", "search/"):
        page.goto(reader_base + url)
        page.wait_for_function("() => document.querySelector('.ex-search__status').textContent.includes('刷新页面')")
        assert (
            page.locator(".ex-search__status").inner_text()
            == "搜索索引没有完整加载，可能是网络中断了。请刷新页面再试。"
        )
        assert page.locator(".ex-result").count() == 0 and page.locator(".ex-chip").count() == 0
    # Pagefind's constructor starts loading the entry file without awaiting it: that rejection is Pagefind's own.
    pagefinds = {"Failed to load Pagefind metadata"} if failing.startswith("pagefind-entry") else set()
    assert [e for e in errors if e not in pagefinds] == [], "search.js handles the failure"
    context.close()
