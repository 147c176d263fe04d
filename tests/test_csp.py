"""The Content-Security-Policy meta tag: computed per page from its final HTML (exemplars.site.csp), present first in
every page's <head>, allowing exactly the page's inline scripts by hash; and in chromium no page violates it while
search (Pagefind's WebAssembly) and the palette switch keep working."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
from conftest import REPO
from sitebuild import build_site, html_files, parse

from exemplars.site.csp import add_csp, inline_script_hashes, policy

CSP_WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sample || "")));
"""


def sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def directives(content: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in content.split(";") if part.strip()}


# --- the pure function ----------------------------------------------------------------------------------------
def test_inline_scripts_are_hashed_and_nothing_else():
    html = (
        '<!doctype html><html><head><meta charset="utf-8"><script>var a=1</script>'
        '<script src="x.js"></script><script type="application/json" id="__config">{"b":2}</script>'
        '<script type="module">import "./y.js"</script></head><body><SCRIPT>var a=1</SCRIPT></body></html>'
    )
    assert inline_script_hashes(html) == [sha("var a=1"), sha('import "./y.js"')]
    out = add_csp(html)
    assert out.startswith('<!doctype html><html><head>\n    <meta http-equiv="Content-Security-Policy" content="')
    found = directives(re.search(r'Content-Security-Policy" content="([^"]*)"', out).group(1))
    assert found["script-src"] == ["'self'", sha("var a=1"), sha('import "./y.js"')]  # no search: no WebAssembly
    assert found["default-src"] == ["'self'"] and found["style-src"] == ["'self'"]
    assert found["object-src"] == ["'none'"] and found["base-uri"] == ["'self'"]
    assert found["form-action"] == ["'self'"] and found["img-src"] == ["'self'", "data:"]
    assert "'unsafe-inline'" not in policy(html) and "frame-ancestors" not in policy(html)


def test_only_a_page_running_search_may_compile_webassembly():
    search = (
        '<html><head></head><body><script type="module" src="../assets/javascripts/search.js"></script></body></html>'
    )
    assert directives(policy(search))["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
    other = '<html><head></head><body><script src="../assets/javascripts/share.js"></script></body></html>'
    assert directives(policy(other))["script-src"] == ["'self'"]
    text = "<html><head></head><body><p>assets/javascripts/search.js</p></body></html>"  # a mention is not a load
    assert "'wasm-unsafe-eval'" not in policy(text)


def test_text_without_a_head_is_left_alone():
    assert add_csp('<?xml version="1.0"?><urlset></urlset>') == '<?xml version="1.0"?><urlset></urlset>'


# --- the built site -------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sample_site(tmp_path_factory) -> Path:
    return build_site(REPO, tmp_path_factory.mktemp("csp-site"))


def test_every_page_carries_a_policy_matching_its_inline_scripts(sample_site):
    files = html_files(sample_site)
    assert len(files) > 40
    redirects = 0
    for file in files:
        soup = parse(file)
        head = soup.head
        first = head.find(True)
        assert first.name == "meta" and first.get("http-equiv") == "Content-Security-Policy", file
        assert len(soup.find_all("meta", attrs={"http-equiv": "Content-Security-Policy"})) == 1, file
        found = directives(first["content"])
        expected = {
            sha(s.string or "")
            for s in soup.find_all("script")
            if not s.get("src") and (s.get("type") or "") in ("", "module")
        }
        wasm = {"'wasm-unsafe-eval'"} if file == sample_site / "search" / "index.html" else set()
        assert set(found["script-src"]) == {"'self'"} | wasm | expected, file
        redirects += bool(soup.find("meta", attrs={"http-equiv": "refresh"}))
    assert redirects, "the redirect pages were not checked"


def test_admin_is_the_only_page_that_allows_inline_styles_or_eval(sample_site):
    """The one documented exception (site/admin.py): Decap's styling library injects <style> elements and its
    validation compiles code at run time. Every other page keeps style-src 'self' and no 'unsafe-eval'."""
    allowing = []
    for file in sorted(sample_site.rglob("*.html")):
        meta = parse(file).find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        found = directives(meta["content"])
        if "'unsafe-inline'" in found["style-src"] or "'unsafe-eval'" in found["script-src"]:
            allowing.append(file.relative_to(sample_site).as_posix())
        assert "'unsafe-inline'" not in found["script-src"], file
    assert allowing == ["admin/index.html"]
    admin = directives(
        parse(sample_site / "admin" / "index.html").find("meta", attrs={"http-equiv": "Content-Security-Policy"})[
            "content"
        ]
    )
    assert admin["style-src"] == ["'self'", "'unsafe-inline'"] and admin["default-src"] == ["'self'"]
    assert admin["object-src"] == ["'none'"] and admin["script-src"] == ["'self'", "'unsafe-eval'"]


def test_no_inline_styles_anywhere(sample_site):
    """Why style-src needs neither 'unsafe-inline' nor 'unsafe-hashes': no page has a <style> or a style=."""
    for file in html_files(sample_site):
        soup = parse(file)
        assert not soup.find("style"), file
        assert not soup.find(style=True), file


# --- in chromium ----------------------------------------------------------------------------------------------
@pytest.fixture
def csp_page(browser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, color_scheme="light", service_workers="block"
    )
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    page.set_default_timeout(90_000)
    console = []
    page.on("console", lambda m: console.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: console.append(str(e)))
    page.on("response", lambda r: console.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    yield page, console
    context.close()


@pytest.mark.browser
def test_no_page_violates_the_policy(sample_site, csp_page):
    from browser import serve

    page, console = csp_page
    story = next(
        f
        for f in sorted((sample_site / "stories").glob("*/index.html"))
        if not parse(f).find("meta", attrs={"http-equiv": "refresh"})
    )
    redirect = next(
        f
        for f in sorted((sample_site / "stories").glob("*/index.html"))
        if parse(f).find("meta", attrs={"http-equiv": "refresh"})
    )
    urls = [
        "",
        "methods/",
        "browse/",
        "stats/",
        "about/",
        "search/",
        "404.html",
        story.parent.relative_to(sample_site).as_posix() + "/",
    ]
    with serve(sample_site) as base:
        for url in urls:
            page.goto(base + url, wait_until="load")
            page.wait_for_timeout(100)
            assert page.evaluate("window.__csp") == [], url
        target = parse(redirect).find("meta", attrs={"http-equiv": "refresh"})["content"].partition("url=")[2]
        page.goto(base + redirect.parent.relative_to(sample_site).as_posix() + "/")
        page.wait_for_url(base + "stories/" + target.strip("./") + "/", wait_until="load")
        assert page.evaluate("window.__csp") == []
    assert [m for m in console if "Content Security Policy" in m or "Refused" in m] == []
    assert console == []


@pytest.mark.browser
def test_search_works_under_the_policy(sample_site, csp_page):
    from browser import serve

    page, console = csp_page
    with serve(sample_site) as base:
        page.goto(base + "search/", wait_until="load")
        page.fill("#ex-search-q", "调解")
        page.press("#ex-search-q", "Enter")
        page.locator(".ex-result").first.wait_for()  # (no wait_for_function: its string is eval, which CSP refuses)
        assert page.locator(".ex-result__title a").count() > 0
        assert page.evaluate("window.__csp") == []
    assert console == []


@pytest.mark.browser
def test_palette_switch_works_under_the_policy(sample_site, csp_page):
    from browser import serve

    page, console = csp_page
    with serve(sample_site) as base:
        page.goto(base, wait_until="load")
        assert page.locator("body").get_attribute("data-md-color-scheme") == "default"
        page.locator("form[data-md-component=palette] label:visible").click()
        page.locator("body[data-md-color-scheme=slate]").wait_for(state="attached")
        page.reload(wait_until="load")  # the choice is stored and re-applied by Material's hashed inline script
        assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
        assert page.evaluate("window.__csp") == []
    assert console == []


@pytest.mark.browser
def test_the_policy_does_block_an_injected_script(sample_site, csp_page):
    """A control: the same policy on a page with an extra inline script refuses it and reports the violation."""
    from browser import serve

    page, _ = csp_page
    story = next(iter(sorted((sample_site / "stories").glob("*/index.html"))))
    html = story.read_text(encoding="utf-8").replace("</body>", "<script>window.__ran = 1</script></body>")
    story.with_name("injected.html").write_text(html, encoding="utf-8")
    with serve(sample_site) as base:
        page.goto(base + story.parent.relative_to(sample_site).as_posix() + "/injected.html", wait_until="load")
        page.wait_for_timeout(100)
        assert page.evaluate("window.__ran") is None
        assert any("script-src" in v for v in page.evaluate("window.__csp"))
    story.with_name("injected.html").unlink()
