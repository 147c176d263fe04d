"""Hostile stories: the XSS corpus (tests/fixtures/xss/payloads.json) and hostile front matter, built into a real
site with the checker bypassed, so the sanitiser and the templates' escaping are tested as the last line of defence.

How the checker is bypassed honestly: the checker rejects most of these stories (E-BODY-* codes), and a public
build stops on them — asserted below. Preview mode (what `make serve` uses) is the documented path where stories
with checker errors are still rendered, so it is exactly what a story that slipped past review looks like: the
same renderer, sanitiser, templates and theme as the public build.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO
from mkdocs.exceptions import Abort
from sitebuild import build_site, html_files, page, parse

PAYLOADS: list[dict] = json.loads((FIXTURES / "xss" / "payloads.json").read_text(encoding="utf-8"))
CLEAN_STORY = "hezuo-tiaojie-2021"  # a fixture story without payloads, at the same depth as the payload pages
HOSTILE = "<img src=x onerror=alert(1)>"
BREAKOUT = '"></title></textarea><script>alert(1)</script>'
ENTITY_BREAKOUT = "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
FRONT_MATTER_ID = "xss-front-matter"

URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "srcdoc",
    "background",
    "poster",
    "xlink:href",
    "codebase",
    "cite",
    "lowsrc",
    "dynsrc",
    "ping",
    "manifest",
    "srcset",
}
EMBEDDING = {
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "isindex",
    "link",
    "style",
    "meta",
    "svg",
    "math",
    "template",
    "noscript",
    "video",
    "audio",
    "source",
    "marquee",
}
_CONTROL = re.compile(r"[\x00-\x20]+")


def story_id(index: int) -> str:
    return f"xss-{index:03d}"


def payload_story(index: int, payload: str) -> str:
    return f"""---
id: {story_id(index)}
title: 测试故事{index}
kind: exemplar
methods: [minzhu-xieshang]
summary: 一句话摘要。
region: 浙江省/湖州市/安吉县
date: 2019-06-12
status: published
sources:
  - title: 虚构示例：测试用
reviewed_by: 周文澜
---
## 做法

正文第一段。

{payload}

最后一段。
"""


FRONT_MATTER_STORY = f"""---
id: {FRONT_MATTER_ID}
title: '{HOSTILE}{BREAKOUT}'
kind: exemplar
methods: [minzhu-xieshang]
summary: '{ENTITY_BREAKOUT} {HOSTILE}'
region: 浙江省/湖州市/安吉县
date: 2019-06-13
status: published
tags: ['{HOSTILE}']
domains: ['{HOSTILE}']
sources:
  - title: '{HOSTILE}'
  - title: 来源二
    url: 'https://example.org/"><script>alert(1)</script>'
reviewed_by: '{HOSTILE}'
---
## 做法

正文。
"""

HOSTILE_METHOD = f"""---
id: xss-method
name: '{HOSTILE}'
order: 9
summary: '{BREAKOUT}'
---
## 是什么

测试用的方法。
"""


def hostile_library(root: Path) -> Path:
    shutil.copytree(FIXTURES / "library", root)
    folder = root / "stories" / "zhejiang"
    for index, item in enumerate(PAYLOADS, 1):
        (folder / f"{story_id(index)}.md").write_text(payload_story(index, item["payload"]), encoding="utf-8")
    (folder / f"{FRONT_MATTER_ID}.md").write_text(FRONT_MATTER_STORY, encoding="utf-8")
    (root / "methods" / "xss-method.md").write_text(HOSTILE_METHOD, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = hostile_library(tmp_path_factory.mktemp("xss") / "lib")
    return build_site(root, root.parent / "site", strict=False, preview=True)  # preview warns about every error


# --- what "executable" means, checked on parsed HTML ----------------------------------------------------------
def _material_inline_scripts() -> list[re.Pattern]:
    """The inline scripts Material's own templates and ours (overrides/, e.g. the reading settings applied before
    the first paint) contain, as patterns (Jinja expressions match anything): the only inline scripts a page may
    carry. Neither comes from a contributor's text."""
    import material

    patterns = []
    templates = [*(Path(material.__file__).parent / "templates").rglob("*.html"), *(REPO / "overrides").rglob("*.html")]
    for template in sorted(templates):
        for body in re.findall(r"<script>(.*?)</script>", template.read_text(encoding="utf-8"), re.S):
            parts = re.split(r"\{\{.*?\}\}|\{%.*?%\}", body.strip(), flags=re.S)
            patterns.append(re.compile(".*?".join(re.escape(p) for p in parts), re.S))
    return patterns


MATERIAL_SCRIPTS = _material_inline_scripts()
EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript"}


def _is_script_url(value: str) -> bool:
    cleaned = _CONTROL.sub("", html.unescape(value)).lower()
    return cleaned.startswith(("javascript:", "vbscript:", "data:", "livescript:"))


def executable_forms(site: Path, file: Path, soup, content_selector: str | None = None) -> list[str]:
    """Everything in a built page that could run script or embed foreign content, as readable findings.

    The whole page: scripts only from the site's own files or Material's own inline scripts, no event-handler
    attributes, no javascript:/vbscript:/data: URLs, no <base>, no meta refresh to a script URL. Inside
    `content_selector` (a story's own text): none of the embedding or form elements and no style attributes.
    """
    found = []
    for script in soup.find_all("script"):
        kind = (script.get("type") or "").strip().lower()
        src = script.get("src")
        if src is not None:
            target = ((site / src.lstrip("/")) if src.startswith("/") else (file.parent / src)).resolve()
            if (
                re.match(r"^[a-z][a-z0-9+.-]*:|^//", src.strip(), re.I)
                or not target.is_file()
                or site.resolve() not in target.parents
            ):
                found.append(f"script src={src!r}")
        elif kind == "application/json" and script.get("id") == "__config":
            continue
        elif kind not in EXECUTABLE_TYPES or not any(p.fullmatch(script.get_text().strip()) for p in MATERIAL_SCRIPTS):
            found.append(f"inline script {script.get_text()[:60]!r}")
    for element in soup.find_all(True):
        for name, value in element.attrs.items():
            text = " ".join(value) if isinstance(value, list) else value
            if name.lower().startswith("on"):
                found.append(f"<{element.name} {name}=…>")
            if name.lower() in URL_ATTRIBUTES and _is_script_url(text):
                found.append(f"<{element.name} {name}={text[:40]!r}>")
        if element.name == "base":
            found.append("<base>")
        if element.name == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            url = (element.get("content") or "").partition("=")[2]
            if _is_script_url(url) or element.find_parent("body"):
                found.append(f"meta refresh {url!r}")
    if content_selector:
        for content in soup.select(content_selector):
            for element in content.find_all(True):
                if element.name in EMBEDDING:
                    found.append(f"<{element.name}> in content")
                if "style" in element.attrs:
                    found.append(f"<{element.name} style=…> in content")
    return found


# --- the tests ------------------------------------------------------------------------------------------------
def test_corpus_is_big_and_varied():
    assert len(PAYLOADS) >= 50
    assert len({p["name"] for p in PAYLOADS}) == len(PAYLOADS)
    assert sum(1 for p in PAYLOADS if p["name"].startswith("md-")) >= 15  # Markdown syntax, not just raw HTML


def test_public_build_refuses_the_hostile_library(tmp_path):
    """The checker is the first line: the public build stops. The rest of this module tests what comes after it."""
    root = hostile_library(tmp_path / "lib")
    with pytest.raises(Abort) as failure:
        build_site(root, tmp_path / "site")
    assert "E-HTML-SCRIPT" in str(failure.value) and "E-HTML-EVENT" in str(failure.value)


def test_every_payload_page_was_built_with_its_payload(hostile_site):
    for index, item in enumerate(PAYLOADS, 1):
        file = page(hostile_site, f"stories/{story_id(index)}/")
        assert file.is_file(), item["name"]
        body = parse(file).select_one(".ex-story__body")
        # (an unclosed <svg>, <math> or <iframe> may swallow the paragraph after it: dropped with its content)
        assert body is not None and "正文第一段" in body.get_text(), item["name"]


@pytest.mark.parametrize("index,name", [(i, p["name"]) for i, p in enumerate(PAYLOADS, 1)])
def test_no_payload_survives_in_executable_form(hostile_site, index, name):
    file = page(hostile_site, f"stories/{story_id(index)}/")
    assert executable_forms(hostile_site, file, parse(file), ".ex-story__body") == []


def test_the_detector_sees_unsanitised_payloads(hostile_site):
    """The check above can fail: each payload rendered by the same Markdown pipeline but WITHOUT the sanitiser and
    put into a real page is caught — all but the listed few that are inert as Markdown renders them anyway."""
    from bs4 import BeautifulSoup

    from exemplars.site.render import BodyRenderer

    inert = {
        "md-code-span",
        "md-autolink",
        "md-title-attribute-break",  # Markdown renders them as text or a safe link
        "md-html-block-markdown",  # no md_in_html: the link inside stays literal text
        "img-onerror-slashes",  # HTML parses `x/onerror=alert(1)` as the src value
        "div-onclick-entity-name",  # entities are not decoded in attribute names
        "body-onload",  # lxml drops a nested <body>; browsers merge its attributes — the browser test covers it
    }
    file = page(hostile_site, f"stories/{CLEAN_STORY}/")
    shell = file.read_text(encoding="utf-8")
    renderer = BodyRenderer()
    missed = []
    for item in PAYLOADS:
        body = renderer.render(f"正文。\n\n{item['payload']}\n", "stories/x.md", "stories/x/")
        raw = BeautifulSoup(
            shell.replace('<div class="ex-story__body">', '<div class="ex-story__body">' + body, 1), "lxml"
        )
        if not executable_forms(hostile_site, file, raw, ".ex-story__body"):
            missed.append(item["name"])
    assert executable_forms(hostile_site, file, parse(file), ".ex-story__body") == []
    assert set(missed) <= inert, sorted(set(missed) - inert)


def test_every_page_of_the_hostile_site_is_free_of_executable_forms(hostile_site):
    problems = {}
    for file in html_files(hostile_site):
        found = executable_forms(hostile_site, file, parse(file))
        if found:
            problems[file.relative_to(hostile_site).as_posix()] = found
    assert problems == {}


def test_front_matter_values_are_shown_as_text(hostile_site):
    """Titles, summaries, tags, domains, source titles and URLs, reviewers and method names pass the checker as
    ordinary text: the templates alone must escape them (MkDocs runs Jinja with autoescape off)."""
    file = page(hostile_site, f"stories/{FRONT_MATTER_ID}/")
    soup = parse(file)
    title = HOSTILE + BREAKOUT
    assert soup.find("title").get_text().startswith(title)
    assert soup.select_one(".ex-story__head h1").get_text() == title
    assert soup.select_one(".md-header__topic[data-md-component=header-topic]").get_text(strip=True) == title
    assert soup.find("meta", attrs={"name": "description"})["content"] == f"{ENTITY_BREAKOUT} {HOSTILE}"
    assert soup.select_one(".ex-story__summary").get_text() == f"{ENTITY_BREAKOUT} {HOSTILE}"
    sources = soup.select(".ex-sources li")
    assert sources[0].get_text(strip=True) == HOSTILE
    assert sources[1].a["href"] == 'https://example.org/"><script>alert(1)</script>'
    method = parse(page(hostile_site, "methods/xss-method/"))
    assert method.select_one("h1").get_text() == HOSTILE and method.select_one(".ex-lead").get_text() == BREAKOUT
    tiles = parse(page(hostile_site, "methods/")).select(".ex-tile__name a")
    assert HOSTILE in [a.get_text() for a in tiles]
    cards = parse(page(hostile_site, "methods/minzhu-xieshang/")).select(".ex-card__title a")
    assert title in [a.get_text() for a in cards]
    tag_pages = [f for f in html_files(hostile_site) if "/tag/" in f.as_posix() and "img" in f.as_posix()]
    assert tag_pages, "the hostile tag has no page"
    assert HOSTILE in parse(tag_pages[0]).find("h1").get_text()
    for checked in [file, *tag_pages, page(hostile_site, "methods/xss-method/"), page(hostile_site, "methods/")]:
        assert "<img src=x" not in checked.read_text(encoding="utf-8"), checked


def test_preview_diagnostics_show_payloads_as_text(hostile_site):
    """In preview the checker's messages (which quote the offending markup) are on the pages too."""
    file = page(hostile_site, "_errors/")
    assert file.is_file()
    soup = parse(file)
    assert soup.select("li.ex-diagnostics__error")
    assert executable_forms(hostile_site, file, soup, ".md-content") == []


def blocked_counts(site: Path) -> tuple[int, int]:
    """(payloads tried, payloads with no executable form on their page) — the figures for the closing note."""
    blocked = sum(
        1
        for index, _ in enumerate(PAYLOADS, 1)
        if not executable_forms(
            site,
            page(site, f"stories/{story_id(index)}/"),
            parse(page(site, f"stories/{story_id(index)}/")),
            ".ex-story__body",
        )
    )
    return len(PAYLOADS), blocked


# --- in a real browser ----------------------------------------------------------------------------------------
INSTRUMENT = """
window.__xss = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => { window.__xss.push(name + "(" + args.join(",") + ")"); };
}
"""


@pytest.mark.browser
def test_no_injected_script_runs_in_a_browser(hostile_site, browser):
    """Every payload page and every page showing hostile front matter, loaded in chromium with the CSP switched
    off (bypass_csp), so the sanitiser and the escaping are what is tested: alert/confirm/prompt/print are
    instrumented, real dialogs are recorded, the page is hovered and tabbed through, and must not navigate away."""
    from browser import serve

    urls = [f"stories/{story_id(i)}/" for i in range(1, len(PAYLOADS) + 1)]
    urls += [f"stories/{FRONT_MATTER_ID}/", "methods/", "methods/xss-method/", "methods/minzhu-xieshang/", ""]
    context = browser.new_context(bypass_csp=True)
    context.add_init_script(INSTRUMENT)
    dialogs = []
    ran = {}
    try:
        page_ = context.new_page()
        page_.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        with serve(hostile_site) as base:
            for url in urls:
                page_.goto(base + url, wait_until="load")
                box = page_.locator(".ex-story__body, .md-content").first.bounding_box()
                page_.mouse.move(box["x"] + box["width"] / 2, box["y"] + min(box["height"] / 2, 300))
                for _ in range(3):  # focus handlers
                    page_.keyboard.press("Tab")
                page_.wait_for_timeout(50)
                assert page_.url.startswith(base + url), f"{url} navigated to {page_.url}"
                hits = page_.evaluate("window.__xss")
                if hits:
                    ran[url] = hits
            # search results render titles and excerpts from the index: the hostile title must stay text there too
            page_.goto(base + "search/?q=" + "正文", wait_until="load")
            page_.locator(".ex-result").first.wait_for()
            titles = page_.locator(".ex-result__title a").all_inner_texts()
            assert HOSTILE + BREAKOUT in titles, titles
            page_.wait_for_timeout(200)
            if page_.evaluate("window.__xss"):
                ran["search/"] = page_.evaluate("window.__xss")
    finally:
        context.close()
    assert ran == {} and dialogs == []


@pytest.mark.browser
def test_the_browser_check_can_fail(tmp_path, browser):
    """The instrumentation sees a script that does run (so a silent result above means something)."""
    from browser import serve

    (tmp_path / "index.html").write_text(
        "<!doctype html><p>x</p><img src=nothing.png onerror=alert(1)>", encoding="utf-8"
    )
    context = browser.new_context(bypass_csp=True)
    context.add_init_script(INSTRUMENT)
    try:
        page_ = context.new_page()
        with serve(tmp_path) as base:
            page_.goto(base, wait_until="load")
            page_.wait_for_timeout(50)
            assert page_.evaluate("window.__xss") == ["alert(1)"]
    finally:
        context.close()


def test_figures_for_the_closing_note(hostile_site):
    tried, blocked = blocked_counts(hostile_site)
    print(f"\nXSS corpus: {tried} payloads tried, {blocked} blocked (no executable form on the built page)")
    assert blocked == tried >= 50
