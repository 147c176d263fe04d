"""The built sample site in a real browser: a reader's path home → method → story at desktop and phone widths,
with no script errors, no request leaving the machine (no third-party host, no web fonts), and a working
light/dark toggle."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from browser import serve
from conftest import REPO

VIEWPORTS = [pytest.param((1280, 900), id="desktop-1280"), pytest.param((390, 844), id="phone-390")]
LOCAL_HOST = "127.0.0.1"


@pytest.fixture(scope="session")
def site_url(tmp_path_factory, chromium_path):  # noqa: F811
    """The repo's sample site, built in-process like `mkdocs build`, served on 127.0.0.1."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site_dir = tmp_path_factory.mktemp("browser-site")
    cfg = load_config(config_file=str(REPO / "mkdocs.yml"), site_dir=str(site_dir))
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        build(cfg)
    finally:
        cfg.plugins.on_shutdown()
    assert (site_dir / "index.html").is_file()
    with serve(Path(site_dir)) as base:
        yield base


class PageWatch:
    """Everything a page did that a reader would not want: console errors, uncaught exceptions, requests."""

    def __init__(self, page) -> None:
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.requests: list[tuple[str, str]] = []  # (resource type, url)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("request", lambda request: self.requests.append((request.resource_type, request.url)))

    def _console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} @ {message.location}")

    def offsite_requests(self) -> list[str]:
        bad = []
        for _kind, url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue  # inline resources never leave the page
            if parts.scheme not in ("http", "https") or parts.hostname != LOCAL_HOST:
                bad.append(url)
        return bad

    def font_requests(self) -> list[str]:
        return [url for kind, url in self.requests if kind == "font" or re.search(r"\.(woff2?|ttf|otf|eot)(\?|$)", url)]

    def assert_clean(self) -> None:
        assert self.requests, "no request recorded: the watcher is not attached"
        assert self.console_errors == []
        assert self.page_errors == []
        assert self.offsite_requests() == []
        assert self.font_requests() == []


@pytest.fixture
def new_page(browser):  # noqa: F811
    contexts = []

    def make(viewport: tuple[int, int]):
        width, height = viewport
        context = browser.new_context(
            viewport={"width": width, "height": height}, color_scheme="light", service_workers="block"
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(90_000)  # generous: a slow CI machine must not fail a correct page
        return page, PageWatch(page)

    yield make
    for context in contexts:
        context.close()


def _h1(page) -> str:
    heading = page.locator("article h1, .md-content h1").first
    heading.wait_for(state="visible")
    return heading.inner_text().strip()


def _follow(page, link, href_pattern: str) -> None:
    """Click `link`, whose href must match `href_pattern`, and wait until the page is the one it points to."""
    link.scroll_into_view_if_needed()
    href = link.get_attribute("href")
    assert href and re.fullmatch(href_pattern, href), href
    target = urljoin(page.url, href)
    link.click()
    page.wait_for_url(target)
    assert page.url == target


@pytest.mark.browser
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_reader_goes_home_to_method_to_story(site_url, new_page, viewport):
    page, watch = new_page(viewport)

    page.goto(site_url)
    assert page.url == site_url
    assert _h1(page) != ""

    _follow(page, page.locator("ul.ex-tiles li.ex-tile a").first, r"methods/[a-z0-9-]+/")
    assert _h1(page) != ""

    _follow(page, page.locator("ul.ex-cards li.ex-card .ex-card__title a").first, r"\.\./\.\./stories/[a-z0-9-]+/")
    assert _h1(page) != ""

    badge = page.locator(".ex-story__kicker .ex-badge--exemplar, .ex-story__kicker .ex-badge--cautionary")
    assert badge.count() == 1
    assert badge.is_visible()
    assert badge.inner_text().strip() in {"正面典型", "反面典型"}

    watch.assert_clean()


@pytest.mark.browser
def test_palette_toggle_switches_the_colour_scheme(site_url, new_page):
    page, watch = new_page((1280, 900))
    page.goto(site_url)
    body = page.locator("body")
    assert body.get_attribute("data-md-color-scheme") == "default"
    background_light = page.evaluate("getComputedStyle(document.body).backgroundColor")

    toggle = page.locator("form[data-md-component=palette] label:visible")
    assert toggle.count() == 1
    assert toggle.get_attribute("title") == "切换到深色模式"
    toggle.click()
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != background_light

    toggle = page.locator("form[data-md-component=palette] label:visible")
    assert toggle.get_attribute("title") == "切换到浅色模式"
    toggle.click()
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'default'")

    watch.assert_clean()
