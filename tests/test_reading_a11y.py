"""适老化 and accessibility of the sample site in a real browser (Debian chromium via Playwright).

- axe-core reports no violation on the pages a reader walks (home, methods, a method, a story of each kind,
  search with results, a browse listing, /stats/, a lesson and its handout) at 390 and 1280 px, in the light and
  dark schemes and in high contrast (on either scheme).
- The reading bar's 大字 switch has two sizes above the standard one, each larger than the last, remembered on
  the device (it survives a reload and a move to another page); in the largest size no listed page scrolls
  sideways at 390 px.
- A skip link comes first, every control is reached with the Tab key, and the focused one always shows an outline.
"""

from __future__ import annotations

import json

import pytest
from axe import describe, run_axe
from browser import serve
from expected import public_lessons
from sitebuild import build_sample

pytestmark = pytest.mark.browser

WIDTHS = [pytest.param(390, id="390px"), pytest.param(1280, id="1280px")]
# (prefers-color-scheme, saved reading settings)
MODES = {
    "light": ("light", {}),
    "dark": ("dark", {}),
    "contrast": ("light", {"contrast": "more"}),
    "contrast-dark": ("dark", {"contrast": "more"}),
}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    with serve(build_sample(tmp_path_factory.mktemp("reading"), ("stories", "methods", "lessons", "media"))) as base:
        yield base


@pytest.fixture(scope="module")
def pages(library) -> dict[str, str]:
    """The listed pages, by a name for messages, as paths under the site."""
    stories = library.public_stories()
    exemplar = next(s for s in stories if s.kind == "exemplar")
    cautionary = next(s for s in stories if s.kind == "cautionary")
    lesson = public_lessons(library)[0]
    method = library.methods[0]
    return {
        "home": "",
        "methods": "methods/",
        "method": f"methods/{method.id}/",
        "exemplar": f"stories/{exemplar.id}/",
        "cautionary": f"stories/{cautionary.id}/",
        "search": "search/?q=调解",
        "browse": "browse/kind/exemplar/",
        "stats": "stats/",
        "lesson": f"lessons/{lesson.id}/",
        "handout": f"lessons/{lesson.id}/handout/",
    }


def open_page(browser, width: int, scheme: str, settings: dict):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    if settings:  # what the reading bar saves, in place before any page script runs
        context.add_init_script(f"localStorage.setItem('ex-reading', {json.dumps(json.dumps(settings))});")
    page = context.new_page()
    page.set_default_timeout(90_000)
    return context, page


def goto(page, url: str) -> None:
    page.goto(url, wait_until="networkidle")
    if "search/?q=" in url:
        page.locator(".ex-result").first.wait_for()
        page.locator(".ex-search__filters[aria-busy='false'], .ex-search__filters:not([aria-busy])").first.wait_for()


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_violation_on_the_listed_pages(browser, served, pages, width, mode):  # noqa: F811
    scheme, settings = MODES[mode]
    context, page = open_page(browser, width, scheme, settings)
    found = []
    try:
        for name, path in pages.items():
            goto(page, served + path)
            expected_scheme = "slate" if scheme == "dark" else "default"
            assert page.locator("body").get_attribute("data-md-color-scheme") == expected_scheme, name
            if settings.get("contrast"):
                assert page.locator("html").get_attribute("data-ex-contrast") == "more", name
            violations = run_axe(page)
            if violations:
                found.append(describe(violations, where=f"{name} {path}, {width}px, {mode}"))
    finally:
        context.close()
    assert not found, "\n".join(found)


def text_size(page) -> float:
    return page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)")


def test_the_text_size_switch_has_two_larger_sizes_remembered_on_the_device(browser, served, pages):  # noqa: F811
    context, page = open_page(browser, 390, "light", {})
    try:
        goto(page, served + pages["exemplar"])
        bar = page.locator(".ex-reading")
        assert bar.is_visible(), "the reading bar is on screen"
        standard = text_size(page)
        sizes = [standard]
        for label in ("大字", "特大字"):
            button = page.get_by_role("button", name=label, exact=True)
            assert button.is_visible()
            button.click()
            assert button.get_attribute("aria-pressed") == "true"
            sizes.append(text_size(page))
        assert sizes[0] < sizes[1] < sizes[2], f"each size is larger than the last: {sizes}"
        assert sizes[2] >= 1.3 * sizes[0], f"the largest size is clearly larger: {sizes}"
        assert page.get_by_role("button", name="标准", exact=True).get_attribute("aria-pressed") == "false"

        page.reload(wait_until="networkidle")
        assert text_size(page) == sizes[2], "the size survives a reload"
        assert page.get_by_role("button", name="特大字", exact=True).get_attribute("aria-pressed") == "true"
        goto(page, served + pages["home"])
        assert page.locator("html").get_attribute("data-ex-text") == "xl", "and a move to another page"

        page.get_by_role("button", name="高对比度").click()
        assert page.locator("html").get_attribute("data-ex-contrast") == "more"
        colour = page.evaluate("getComputedStyle(document.querySelector('.md-typeset')).color")
        assert colour == "rgb(0, 0, 0)", "high contrast: black text on white"
        page.reload(wait_until="networkidle")
        assert page.locator("html").get_attribute("data-ex-contrast") == "more"
        assert page.get_by_role("button", name="高对比度").get_attribute("aria-pressed") == "true"

        page.get_by_role("button", name="标准", exact=True).click()
        page.get_by_role("button", name="高对比度").click()
        page.reload(wait_until="networkidle")
        assert text_size(page) == standard and page.locator("html").get_attribute("data-ex-contrast") is None
    finally:
        context.close()


@pytest.mark.parametrize("mode", ["light", "contrast-dark"])
def test_no_listed_page_scrolls_sideways_at_390px_in_the_largest_text_size(browser, served, pages, mode):  # noqa: F811
    scheme, settings = MODES[mode]
    context, page = open_page(browser, 390, scheme, {**settings, "text": "xl"})
    wide = []
    try:
        for name, path in pages.items():
            goto(page, served + path)
            assert page.locator("html").get_attribute("data-ex-text") == "xl"
            widths = page.evaluate(
                "[document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]"
            )
            if max(widths[:2]) > widths[2]:
                culprits = page.evaluate("""() => [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                    .filter(e => !e.closest('.md-sidebar, [hidden]'))
                    .slice(0, 5).map(e => e.tagName + '.' + e.className)""")
                wide.append(f"{name}: scrollWidth {widths[:2]} > {widths[2]} ({culprits})")
    finally:
        context.close()
    assert not wide, "\n".join(wide)


def test_skip_link_first_every_control_reached_by_tab_and_focus_always_visible(browser, served, pages):  # noqa: F811
    context, page = open_page(browser, 1280, "light", {})
    try:
        goto(page, served + pages["exemplar"])
        page.keyboard.press("Tab")
        first = page.evaluate(
            "[document.activeElement.textContent.trim(), document.activeElement.getAttribute('href')]"
        )
        assert first == ["跳到正文", "#ex-main"], first
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#ex-main"

        goto(page, served + pages["exemplar"])
        reached, unseen = [], []
        for _ in range(200):
            page.keyboard.press("Tab")
            focused = page.evaluate("""() => {
                const e = document.activeElement, s = getComputedStyle(e);
                return {key: e.tagName + '|' + (e.getAttribute('href') || '') + '|' + e.textContent.trim().slice(0, 20),
                        outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
                        shadow: s.boxShadow !== 'none', body: e === document.body}; }""")
            if focused["body"] or (reached and focused["key"] == reached[0]):
                break  # wrapped round the page
            reached.append(focused["key"])
            if not (focused["outline"] or focused["shadow"]):
                unseen.append(focused["key"])
        assert not unseen, f"focused without a visible outline: {unseen}"
        controls = page.evaluate("""() => [...document.querySelectorAll(
                'a[href], button, input:not([type=checkbox]), select, textarea')]
            .filter(e => e.offsetParent !== null && !e.closest('[hidden], .md-sidebar'))
            .map(e => e.tagName + '|' + (e.getAttribute('href') || '') + '|' + e.textContent.trim().slice(0, 20))""")
        missing = [c for c in controls if c not in reached]
        assert not missing, f"visible controls the Tab key never reaches: {missing}"
        for label in ("标准", "大字", "特大字", "高对比度"):
            assert any(key.startswith("BUTTON||" + label) for key in reached), label
    finally:
        context.close()
