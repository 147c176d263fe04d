"""Handouts and the share box in a real browser (Debian chromium via Playwright) over the sample library.

A lesson's handout printed to PDF (`page.pdf`, the print stylesheet) and read back with poppler: no site chrome,
the lesson's URL and access date printed, every cited story starting on a new page, and the printed QR code
(rasterised with pdftoppm) decoding, with zbarimg, to the lesson's public URL. The copy buttons put the link and
the citation line, with the browser's date, on the clipboard.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from browser import serve
from expected import public_lessons
from sitebuild import build_sample
from test_feeds_catalogue_qr import zbarimg

pytestmark = pytest.mark.browser

SITE = "https://exemplars.example.org/"
# What the site's chrome says on screen (header, tabs, footer, buttons); none of it belongs on a handout.
CHROME = (
    "首页",
    "浏览",
    "关于",
    "editors/exemplars",
    "Made with",
    "本站使用",
    "在 git 上修改",
    "复制链接",
    "复制引用",
    "打印讲义",
    "打开讲义",
)


def poppler(tool: str) -> str:
    path = shutil.which(tool) or f"/usr/bin/{tool}"
    if not os.access(path, os.X_OK):
        message = f"找不到 {tool}，无法读取打印出的 PDF：sudo apt-get install poppler-utils（或运行 make browser-deps）"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true：讲义测试不能跳过。{message}", pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory) -> Path:
    return build_sample(tmp_path_factory.mktemp("handout"))


@pytest.fixture(scope="module")
def lesson(library):
    lessons = public_lessons(library)
    assert lessons, "the sample library has published lessons"
    return lessons[0]


def _page(browser, **options):
    context = browser.new_context(**options)
    page = context.new_page()
    page.set_default_timeout(90_000)
    return context, page


def pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        [poppler("pdftotext"), "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    return text.split("\f")


def squeeze(text: str) -> str:
    """Text without white space: a long URL wraps anywhere on paper."""
    return re.sub(r"\s+", "", text)


def test_a_printed_handout_has_no_chrome_but_the_url_qr_and_every_story_on_its_own_page(
    sample_site, browser, library, lesson, tmp_path
):  # noqa: F811
    context, page = _page(browser)
    with serve(sample_site) as base:
        page.goto(base + f"lessons/{lesson.id}/handout/", wait_until="networkidle")
        screen = page.locator("body").inner_text()
        today = page.evaluate(
            "(() => { const d = new Date(); return `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日`; })()"
        )
        pdf = tmp_path / "handout.pdf"
        page.pdf(path=str(pdf), format="A4")
    context.close()

    shown_on_screen = [word for word in CHROME if word in screen]
    assert {"首页", "浏览", "复制引用", "打印讲义"} <= set(shown_on_screen), "the screen page has its chrome"
    pages = pdf_pages(pdf)
    printed = "\n".join(pages)
    source = lesson.body + "".join(s.body + s.title + s.summary for s in library.lesson_stories(lesson))
    for word in shown_on_screen:
        if word not in source:
            assert word not in printed, f"the handout prints the site chrome “{word}”"

    lesson_url = f"{SITE}lessons/{lesson.id}/"
    assert lesson_url in squeeze(printed)
    assert f"访问日期：{today}" in squeeze(printed), "the browser fills in the access date"
    stories = [s for s in library.lesson_stories(lesson) if s.is_public]
    assert len(stories) >= 2
    for number, story in enumerate(stories, 1):
        starts = [p for p in pages if squeeze(p).startswith(f"案例{number}")]
        assert len(starts) == 1, f"案例 {number} does not start a printed page"
        assert squeeze(story.title) in squeeze(starts[0])
        assert f"{SITE}stories/{story.id}/" in squeeze(printed)
    assert not squeeze(pages[0]).startswith("案例"), "the lesson comes first"

    # The first page's QR code, as printed: rasterise it and decode it.
    subprocess.run(
        [poppler("pdftoppm"), "-r", "150", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "p")],
        check=True,
        timeout=120,
    )
    (png,) = tmp_path.glob("p*.png")
    assert zbarimg(png) == lesson_url


def test_a_printed_story_page_keeps_url_and_qr_and_drops_chrome(sample_site, browser, library, tmp_path):  # noqa: F811
    story = library.public_stories()[0]
    context, page = _page(browser)
    with serve(sample_site) as base:
        page.goto(base + f"stories/{story.id}/", wait_until="networkidle")
        pdf = tmp_path / "story.pdf"
        page.pdf(path=str(pdf), format="A4")
    context.close()
    printed = "\n".join(pdf_pages(pdf))
    url = f"{SITE}stories/{story.id}/"
    assert url in squeeze(printed)
    for word in ("首页", "浏览", "复制引用", "Made with", "本站使用", "相关故事"):
        if word not in story.body:
            assert word not in printed, word
    subprocess.run([poppler("pdftoppm"), "-r", "150", "-png", str(pdf), str(tmp_path / "s")], check=True, timeout=120)
    decoded = set()
    for png in sorted(tmp_path.glob("s*.png")):
        result = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True, text=True, timeout=60)
        decoded.update(result.stdout.split())
    assert decoded == {url}


def test_copy_buttons_put_the_link_and_the_dated_citation_on_the_clipboard(sample_site, browser, lesson):  # noqa: F811
    context, page = _page(browser, permissions=["clipboard-read", "clipboard-write"])
    url = f"{SITE}lessons/{lesson.id}/"
    with serve(sample_site) as base:
        page.goto(base + f"lessons/{lesson.id}/", wait_until="networkidle")
        today = page.evaluate(
            "(() => { const d = new Date(); return `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日`; })()"
        )
        page.get_by_role("button", name="复制引用").click()
        page.locator(".ex-share__status", has_text="已复制引用").wait_for()
        citation = page.evaluate("navigator.clipboard.readText()")
        assert citation == f"《{lesson.title}》，典型示范故事库，{url}，访问日期：{today}。"
        assert page.locator("[data-ex-cite]").inner_text() == citation

        page.get_by_role("button", name="复制链接").click()
        page.locator(".ex-share__status", has_text="已复制链接").wait_for()
        assert page.evaluate("navigator.clipboard.readText()") == url
    context.close()
