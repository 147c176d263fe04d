"""The build's allow-list sanitiser: what a story body can never carry into a published page, whatever the checker
missed. The full XSS corpus, built into a real site and loaded in chromium, is in test_xss.py."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from exemplars.site.render import BodyRenderer
from exemplars.site.sanitize import sanitize

PAYLOADS = [
    "<script>alert(1)</script>",
    "<ScRiPt src=//evil.example/x.js></sCrIpT>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">点我</a>',
    '<a href="JaVaScRiPt&colon;alert(1)">点我</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">点我</a>',
    "[点我](javascript:alert(1))",
    "![图](javascript:alert(1))",
    '<iframe src="https://evil.example"></iframe>',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p onclick="alert(1)">段落</p>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<form action="https://evil.example"><input name=x></form>',
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_rendered_payload_cannot_execute(payload):
    html = BodyRenderer(postprocess=sanitize).render(f"正文。\n\n{payload}\n", "stories/x.md", "stories/x/")
    soup = BeautifulSoup(html, "lxml")
    assert not soup.find(["script", "iframe", "object", "embed", "svg", "form", "meta", "style"])
    for element in soup.find_all(True):
        for name, value in element.attrs.items():
            assert not name.lower().startswith("on"), (payload, name)
            text = " ".join(value) if isinstance(value, list) else value
            assert not text.strip().lower().startswith(("javascript:", "data:", "vbscript:")), (payload, text)
        assert "style" not in element.attrs


def test_ordinary_markdown_survives():
    html = sanitize(
        BodyRenderer().render(
            "## 做法\n\n**先听**，再[讲政策](../other/)。\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
            "stories/x.md",
            "stories/x/",
        )
    )
    soup = BeautifulSoup(html, "lxml")
    assert soup.find("h2").text == "做法" and soup.find("strong").text == "先听"
    assert soup.find("a")["href"] == "../other/" and soup.find("table")
