"""The security headers for deployers say the same everywhere: the `_headers` file the build writes (Netlify,
Cloudflare Pages), the nginx snippet in deploy/ and the deployers' note all carry exactly `HEADERS`."""

from __future__ import annotations

import re

from conftest import REPO

from exemplars.site.headers import HEADERS, netlify_headers

DEPLOY = REPO / "deploy"


def test_the_headers_cover_framing_sniffing_and_referrers():
    names = dict(HEADERS)
    assert names["Content-Security-Policy"] == "frame-ancestors 'none'"  # script rules stay in each page's meta
    assert names["X-Content-Type-Options"] == "nosniff"
    assert names["Referrer-Policy"] and names["X-Frame-Options"] == "DENY"


def test_the_nginx_snippet_sends_exactly_these_headers_always():
    text = (DEPLOY / "nginx-security-headers.conf").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    found = [re.fullmatch(r'add_header (\S+) "([^"]*)" always;', line) for line in lines]
    assert all(found), lines
    assert [(m.group(1), m.group(2)) for m in found] == list(HEADERS)


def test_the_netlify_file_applies_every_header_to_every_path():
    lines = netlify_headers().splitlines()
    assert lines[1] == "/*" and lines[2:] == [f"  {name}: {value}" for name, value in HEADERS]


def test_the_deployers_note_names_every_header_and_the_github_pages_limit():
    text = (DEPLOY / "README.md").read_text(encoding="utf-8")
    for name, value in HEADERS:
        assert f"`{name}`" in text and f"`{value}`" in text, name
    assert "GitHub Pages **不能**设置响应头" in text
