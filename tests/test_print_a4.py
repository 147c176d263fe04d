"""Printing on A4 in a real browser: every published story of the sample library and every lesson handout,
printed by Chromium with the page's own `@page` size (`page.pdf(prefer_css_page_size=True)`, as a reader's
"打印" does) and read back with poppler (pdfinfo for the paper, pdftotext for what each page holds).

A story prints on A4, on no more pages than its text needs (the same page printed with every pagination rule
switched off is the yardstick), and no printed page holds only the share box or only the last few lines of a
section. A handout prints on A4, each case on a new page, its discussion questions together with their heading,
and no page holding nothing but discussion questions.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from browser import serve
from conftest import REPO
from expected import public_lessons
from sitebuild import build_sample, build_site
from test_handout_browser import poppler, squeeze

pytestmark = pytest.mark.browser

A4_POINTS = (595.3, 841.9)  # 210 × 297 mm
SHARE_HEADING = "分享与引用"
# A page other than the first carries at least this many printed lines that are not the share box: fewer would
# be a section's last few lines left on a page of their own (paragraphs keep 3 lines on each side of a break).
MIN_LINES = 5
# The yardstick for "as few pages as the text needs": the same page with every break rule and line-keeping rule
# undone. Injected only into that second print (a <style> element needs bypass_csp; the real print keeps its CSP).
NO_PAGINATION_RULES = """*, *::before, *::after {
  break-before: auto !important; break-after: auto !important; break-inside: auto !important;
  orphans: 1 !important; widows: 1 !important; }"""


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory) -> Path:
    return build_sample(tmp_path_factory.mktemp("print"), ("stories", "methods", "lessons", "media"))


@pytest.fixture(scope="module")
def served(sample_site):
    with serve(sample_site) as base:
        yield base


def print_pdf(browser, url: str, path: Path, *, extra_css: str | None = None) -> Path:
    """`url` printed by Chromium as a reader's 打印 would: print media, the stylesheet's own @page size."""
    context = browser.new_context(bypass_csp=extra_css is not None)
    page = context.new_page()
    page.set_default_timeout(90_000)
    try:
        page.goto(url, wait_until="networkidle")
        if extra_css:
            page.add_style_tag(content=extra_css)
        page.pdf(path=str(path), prefer_css_page_size=True, print_background=True)
    finally:
        context.close()
    return path


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    info = subprocess.run(
        [poppler("pdfinfo"), "-f", "1", "-l", "9999", str(pdf)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+\s+size:\s+([\d.]+) x ([\d.]+) pts", info)]


def page_lines(pdf: Path) -> list[list[str]]:
    """Each printed page's non-empty lines, as pdftotext lays them out."""
    text = subprocess.run(
        [poppler("pdftotext"), "-layout", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]  # pdftotext ends every page, the last one too, with a form feed
    return [[line.strip() for line in page.splitlines() if line.strip()] for page in pages]


def assert_a4(pdf: Path, what: str) -> int:
    sizes = page_sizes(pdf)
    assert sizes, f"{what}: pdfinfo read no pages"
    for number, (width, height) in enumerate(sizes, 1):
        assert abs(width - A4_POINTS[0]) < 1.5 and abs(height - A4_POINTS[1]) < 1.5, (
            f"{what}, page {number}: {width} × {height} pt is not A4"
        )
    return len(sizes)


def story_print_problems(browser, url: str, name: str, title: str, tmp_path: Path) -> list[str]:
    """What is wrong with the story page at `url` printed on A4 (empty when nothing is)."""
    pdf = print_pdf(browser, url, tmp_path / f"{name}.pdf")
    count = assert_a4(pdf, name)
    pages = page_lines(pdf)
    assert len(pages) == count, f"{name}: pdftotext and pdfinfo disagree on the page count"
    assert squeeze(title) in squeeze("".join(pages[0])), f"{name}: the title is on page 1"
    problems = []
    loose = page_lines(print_pdf(browser, url, tmp_path / f"{name}-loose.pdf", extra_css=NO_PAGINATION_RULES))
    # One page more than the loose print only when that print fills its last page to the bottom: then keeping
    # lines together had to move something over, and the extra page is what the text needs.
    full = len(loose[-1]) >= 0.8 * max(len(lines) for lines in loose)
    if count > len(loose) + (1 if full else 0):
        problems.append(f"{name}: {count} pages where the text fits on {len(loose)}")
    share_pages = [n for n, lines in enumerate(pages) if SHARE_HEADING in lines]
    if len(share_pages) != 1:
        return [*problems, f"{name}: the share box is printed on pages {share_pages}, not on one page"]
    for number, lines in enumerate(pages):
        if not lines:
            problems.append(f"{name}: page {number + 1} is blank")
            continue
        text_lines = lines[: lines.index(SHARE_HEADING)] if number == share_pages[0] else lines
        if number == share_pages[0] and not text_lines:
            problems.append(f"{name}: page {number + 1} holds only the share box")
        elif number > 0 and len(text_lines) < MIN_LINES:
            problems.append(f"{name}: page {number + 1} holds only {len(text_lines)} lines of text: {text_lines}")
    return problems


def test_every_story_prints_on_a4_on_as_few_pages_as_its_text_needs_with_no_stranded_share_box(
    browser, library, served, tmp_path
):  # noqa: F811
    stories = library.public_stories()
    assert len(stories) >= 30, "the sample library's published stories"
    problems = []
    for story in stories:
        problems += story_print_problems(browser, f"{served}stories/{story.id}/", story.id, story.title, tmp_path)
    assert not problems, "\n".join(problems)


# Stories whose text ends a little further down the page each time, one printed line (about 40 characters) at a
# time, across the point where the share box no longer fits under the text: wherever a story ends, the box and
# the sources take the end of the text with them and no page is left to them alone.
FILLER = "社区干部把政策一条条讲清楚，又把群众的意见一条条记下来，逐户上门核对，直到每家都说明白了为止。"


def length_story(extra_lines: int) -> tuple[str, str]:
    story_id = f"fenye-ceshi-{chr(ord('a') + extra_lines)}"
    sections = "\n\n".join(f"## 第{'一二三四五六七八'[n]}件事\n\n" + "\n\n".join([FILLER * 3] * 3) for n in range(6))
    tail = ("最后，" + FILLER * 3)[: 40 * extra_lines]
    text = f"""---
id: {story_id}
title: 分页测试故事{extra_lines}
kind: exemplar
methods: [jiaoyu-shudao]
summary: 用来检查打印分页的虚构故事，正文一行一行地加长。
region: 河南省/周口市/郸城县
date: 2021-03-02
status: published
published: 2021-03-02
sources:
  - title: 虚构示例：测试用故事
reviewed_by: 周文澜
---
{sections}

{tail}
"""
    return story_id, text


def test_stories_of_every_length_print_without_a_stranded_share_box_or_section_tail(
    browser, tmp_path_factory, tmp_path
):  # noqa: F811
    root = tmp_path_factory.mktemp("lengths") / "lib"
    shutil.copytree(REPO / "tests" / "fixtures" / "library", root)
    made = []
    for extra_lines in range(0, 14):
        story_id, text = length_story(extra_lines)
        (root / "stories" / "henan" / f"{story_id}.md").write_text(text, encoding="utf-8")
        made.append((story_id, f"分页测试故事{extra_lines}"))
    site = build_site(root, root.parent / "site")
    problems, counts = [], set()
    with serve(site) as base:
        for story_id, title in made:
            problems += story_print_problems(browser, f"{base}stories/{story_id}/", story_id, title, tmp_path)
            counts.add(len(page_sizes(tmp_path / f"{story_id}.pdf")))
    assert not problems, "\n".join(problems)
    assert len(counts) >= 2, f"the lengths cross a page boundary: {counts}"


def test_every_handout_prints_on_a4_each_case_on_a_new_page_and_the_questions_kept_together(
    browser, library, served, tmp_path
):  # noqa: F811
    lessons = public_lessons(library)
    assert lessons
    for lesson in lessons:
        pdf = print_pdf(browser, f"{served}lessons/{lesson.id}/handout/", tmp_path / f"{lesson.id}.pdf")
        count = assert_a4(pdf, lesson.id)
        pages = page_lines(pdf)
        assert len(pages) == count
        assert all(pages), f"{lesson.id}: a blank printed page"

        stories = [s for s in library.lesson_stories(lesson) if s.is_public]
        for number, story in enumerate(stories, 1):
            starts = [n for n, lines in enumerate(pages) if squeeze(lines[0]).startswith(f"案例{number}")]
            assert len(starts) == 1, f"{lesson.id}: 案例 {number} does not start a printed page"
            assert squeeze(story.title) in squeeze("".join(pages[starts[0]][:3]))

        assert len(lesson.questions) >= 2, "the sample lessons ask questions"
        questions = [squeeze(q) for q in lesson.questions]
        heading = [n for n, lines in enumerate(pages) if "讨论题" in lines]
        assert len(heading) == 1, f"{lesson.id}: the 讨论题 heading is printed once"
        on_that_page = squeeze("".join(pages[heading[0]]))
        for question in questions:
            assert question in on_that_page, f"{lesson.id}: a question is printed apart from its heading: {question}"
        for number, lines in enumerate(pages):
            rest = squeeze("".join(lines))
            for question in questions:
                rest = rest.replace(question, "")
            rest = re.sub(r"\d+\.", "", rest)  # the list's numbers
            assert rest, f"{lesson.id}: page {number + 1} holds only discussion questions"
