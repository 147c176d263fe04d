"""The shared axe-core helper finds real violations, passes a clean page, and works under a strict meta CSP."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from axe import describe, run_axe
from browser import serve

pytestmark = pytest.mark.browser

STRICT_CSP = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'self'\">"
PAGE = (
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">{csp}<title>测试</title></head>'
    "<body><main><h1>测试页</h1>{body}</main></body></html>"
)


@contextlib.contextmanager
def _opened(browser, tmp_path: Path, body: str):
    """A page holding `body` under the strict CSP, served from `tmp_path` and open in a fresh browser context."""
    (tmp_path / "index.html").write_text(PAGE.format(csp=STRICT_CSP, body=body), encoding="utf-8")
    context = browser.new_context()
    try:
        with serve(tmp_path) as base:
            page = context.new_page()
            page.goto(base)
            yield page
    finally:
        context.close()


def test_axe_reports_image_without_alt_and_unlabelled_input(browser, tmp_path):
    with _opened(browser, tmp_path, '<img src="x.png"><input type="text">') as page:
        violations = run_axe(page)
    ids = {violation["id"] for violation in violations}
    assert {"image-alt", "label"} <= ids, describe(violations)
    assert "image-alt" in describe(violations) and "<img" in describe(violations)


def test_axe_passes_a_clean_page_under_strict_csp(browser, tmp_path):
    with _opened(browser, tmp_path, '<p>正文。</p><label>姓名 <input type="text"></label>') as page:
        violations = run_axe(page)
        again = run_axe(page, context="main")  # a second run reuses the injected axe
    assert violations == [], describe(violations)
    assert again == []
