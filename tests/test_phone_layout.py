"""The public site at a phone's width (390 px): nothing cut off at the right edge.

Wide Markdown tables (投稿指南's field and code tables) read as one card per row, each value under its column's
name (exemplars.site.table_labels + CSS); the search page's filter groups keep one line each and put what does
not fit behind a 更多 button instead of past the screen's edge. The table labelling itself is tested on Markdown
directly, without a browser.
"""

from __future__ import annotations

import markdown
import pytest
from axe import describe, run_axe
from browser import serve
from conftest import REPO
from sitebuild import build_site, parse

from exemplars.site.table_labels import label_tables  # noqa: F401 (the extension under test)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _html(text: str) -> str:
    return markdown.markdown(text, extensions=["tables", "exemplars.site.table_labels"])


def test_tables_of_three_or_more_columns_get_their_column_names():
    html = _html(
        "| 字段 | 必填 | `怎么改` |\n|---|---|---|\n| title | 是 | 改标题 |\n| date | 否 | 写成 YYYY-MM-DD |\n"
    )
    assert html.count('data-reflow="cards"') == 1
    assert html.count('data-label="字段"') == 2 and html.count('data-label="怎么改"') == 2
    assert html.count('data-label="必填"') == 2
    assert 'data-label="字段">title<' in html


def test_narrow_tables_and_nameless_columns_stay_as_they_are():
    two = _html("| 状态 | 含义 |\n|---|---|\n| draft | 草稿 |\n")
    assert "data-reflow" not in two and "data-label" not in two
    nameless = _html("| 代码 |  | 说明 |\n|---|---|---|\n| E-X | 1 | 一 |\n")
    assert 'data-label="代码"' in nameless and 'data-label="说明"' in nameless
    assert nameless.count("data-label") == 2, "an empty header names no cell"


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory):
    return build_site(REPO, tmp_path_factory.mktemp("phone-site"))


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


OVERFLOW = """() => ({
  scroll: document.documentElement.scrollWidth, width: innerWidth,
  cells: [...document.querySelectorAll('table[data-reflow] td')].map(td => {
    const r = td.getBoundingClientRect();
    return {left: r.left, right: r.right, label: getComputedStyle(td, '::before').content,
            name: td.dataset.label, display: getComputedStyle(td).display};
  })
})"""


@pytest.mark.browser
def test_guide_tables_become_cards_on_a_phone_and_stay_tables_on_a_desktop(sample_site, browser, phone):
    with serve(sample_site) as base:
        phone.goto(base + "contribute/")
        seen = phone.evaluate(OVERFLOW)
        desktop = browser.new_context(viewport=DESKTOP)
        try:
            wide = desktop.new_page()
            wide.goto(base + "contribute/")
            on_desktop = wide.evaluate(OVERFLOW)
        finally:
            desktop.close()
    assert seen["scroll"] <= seen["width"]
    assert len(seen["cells"]) > 20, "投稿指南 has its field and code tables"
    for cell in seen["cells"]:
        assert 0 <= cell["left"] and cell["right"] <= seen["width"] + 0.5, cell
        assert cell["display"] == "block"
        assert cell["label"] == f'"{cell["name"]}"', "each value shows its column's name above it"
    assert {cell["display"] for cell in on_desktop["cells"]} == {"table-cell"}
    assert {cell["label"] for cell in on_desktop["cells"]} == {"none"}


CHIPS = """() => [...document.querySelectorAll('.ex-search__group')].map(row => ({
  group: row.getAttribute('aria-label'),
  toggle: (t => t && !t.hidden ? t.textContent : null)(row.querySelector('.ex-search__toggle')),
  chips: [...row.querySelectorAll('.ex-chip')].map(c => {
    const r = c.getBoundingClientRect(), box = c.parentElement.getBoundingClientRect();
    return {text: c.dataset.value, inert: c.inert, right: r.right,
            shown: r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5};
  })
}))"""


def _check_rows(rows, width):
    assert rows, "the filter groups should be there"
    for row in rows:
        for chip in row["chips"]:
            if chip["inert"]:
                assert not chip["shown"] and row["toggle"], (row["group"], chip)
            else:
                assert chip["shown"] and chip["right"] <= width + 0.5, (row["group"], chip, "cut off")
        hidden = sum(chip["inert"] for chip in row["chips"])
        assert (row["toggle"] is not None) == (hidden > 0), row


@pytest.mark.browser
@pytest.mark.parametrize("query", ["?q=%E8%B0%83%E8%A7%A3", "?%E5%B9%B4%E4%BB%BD=2021"])
def test_search_filter_rows_cut_nothing_off(sample_site, phone, query):
    with serve(sample_site) as base:
        phone.goto(base + "search/" + query)
        phone.wait_for_selector(".ex-search__group")
        rows = phone.evaluate(CHIPS)
        _check_rows(rows, PHONE["width"])
        assert any(row["toggle"] for row in rows), "at 390 px some group has more chips than fit one line"
        violations = run_axe(phone, context=".ex-search__filters")
        assert not violations, describe(violations, where="filters, closed")
        toggle = phone.locator(".ex-search__toggle:not([hidden])").first
        group = toggle.get_attribute("data-group")
        assert toggle.get_attribute("aria-expanded") == "false"
        toggle.focus()
        phone.keyboard.press("Enter")  # reachable and usable by keyboard
        opened = next(row for row in phone.evaluate(CHIPS) if row["group"] == group)
        assert opened["toggle"] == "收起"
        assert all(
            not chip["inert"] and chip["shown"] and chip["right"] <= PHONE["width"] + 0.5 for chip in opened["chips"]
        )
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        violations = run_axe(phone, context=".ex-search__filters")
        assert not violations, describe(violations, where="filters, opened")


@pytest.mark.browser
def test_search_filter_rows_need_no_toggle_on_a_desktop_and_refit_when_narrowed_or_enlarged(sample_site, browser):
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        with serve(sample_site) as base:
            page.goto(base + "search/?q=%E8%B0%83%E8%A7%A3")
            page.wait_for_selector(".ex-search__group")
            rows = page.evaluate(CHIPS)
            _check_rows(rows, DESKTOP["width"])
            assert not any(row["toggle"] for row in rows)
            # The same page narrowed to a phone, then with larger text: the rows refit by themselves.
            page.set_viewport_size(PHONE)
            page.wait_for_selector(".ex-search__toggle:not([hidden])")
            _check_rows(page.evaluate(CHIPS), PHONE["width"])
            before = sum(chip["inert"] for row in page.evaluate(CHIPS) for chip in row["chips"])
            page.evaluate("document.documentElement.style.fontSize = '160%'")
            page.wait_for_timeout(300)
            larger = page.evaluate(CHIPS)
            _check_rows(larger, PHONE["width"])
            assert sum(chip["inert"] for row in larger for chip in row["chips"]) > before
    finally:
        context.close()


def test_a_story_bodys_wide_table_keeps_its_labels_through_the_sanitiser(library_copy, tmp_path):
    story = (REPO / "stories" / "zhejiang" / "banden-yishihui-2019.md").read_text(encoding="utf-8")
    table = "\n\n| 环节 | 谁来做 | 做什么 |\n|---|---|---|\n| 议事 | 村民代表 | 投票表决 |\n\n"
    story = story.replace("id: banden-yishihui-2019", "id: biaoge-2019").replace("\n## ", table + "## ", 1)
    root = library_copy({"stories/zhejiang/biaoge-2019.md": story})
    site = build_site(root, tmp_path / "site")
    soup = parse(site / "stories" / "biaoge-2019" / "index.html")
    cells = soup.select("table[data-reflow=cards] td[data-label]")
    assert [(c["data-label"], c.get_text()) for c in cells] == [
        ("环节", "议事"),
        ("谁来做", "村民代表"),
        ("做什么", "投票表决"),
    ]
