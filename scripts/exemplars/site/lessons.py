"""Lesson pages: the lessons index, one page per lesson, one printable handout per lesson, and the reverse
indexes that let story and method pages list "their" lessons.

A lesson shows its `stories:` as cards in teaching order; a withdrawn story shows a short notice instead of its
card (and is left out of the handout's texts). The handout page carries the lesson and the full text of every
cited story, each story on a new printed page.

Plain Python: nothing here imports MkDocs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable

from ..citations import find_citations
from ..library import Library
from ..model import Lesson, Story
from ..search.records import SearchFields
from . import urls
from .cite import LESSON_LABEL, lesson_facts
from .share import SITE_NAME, ShareBox, share_box
from .views import Card, Link, format_date, region_links
from .word import HANDOUT_FILE, DocxJob, HandoutPart, story_part

_SECTION_HEADING = re.compile(r"^##\s", re.M)
LESSON_SORT_DATE = "0000-00-00"  # lessons carry no date: in date-sorted search results they come last


@dataclass(frozen=True)
class LessonCard:
    id: str
    url: str
    title: str
    summary: str
    facts: str  # audience · duration · methods
    status: str
    story_count: int


@dataclass(frozen=True)
class CitedStory:
    """One entry of a lesson's `stories:` list as the lesson page shows it: a card, or a withdrawn notice."""

    ref: str  # as written in the lesson
    card: Card | None
    withdrawn: Story | None = None


class StoryText:
    """A cited story's body, rendered only when a handout template prints it (lazily: most builds have few
    lessons, but a story is rendered once for its own page already and only handouts need it again)."""

    def __init__(self, render: Callable[[str, str, str], str], story: Story, page_url: str) -> None:
        self._render, self._story, self._page_url = render, story, page_url
        self._html: str | None = None

    def __html__(self) -> str:
        if self._html is None:
            self._html = self._render(self._story.body, self._story.path, self._page_url)
        return self._html

    __str__ = __html__


@dataclass
class LessonSite:
    pages: list  # PageSpec
    redirects: dict[str, str]
    by_story: dict[str, list[LessonCard]]  # story id → lessons that teach with it
    by_method: dict[str, list[LessonCard]]  # method id → lessons on it
    qr_codes: dict[str, str]  # site-relative QR file → URL
    docx: dict[str, DocxJob]  # site-relative .docx file → the handout it holds


def lesson_card(lesson: Lesson, library: Library) -> LessonCard:
    return LessonCard(
        id=lesson.id,
        url=urls.lesson(lesson.id),
        title=lesson.title,
        summary=lesson.summary or "；".join(lesson.objectives[:1]),
        facts=lesson_facts(lesson, library),
        status=lesson.status,
        story_count=len(lesson.stories),
    )


def cited_story_ids(lesson: Lesson, library: Library) -> list[str]:
    """Stories a lesson teaches with: its `stories:` list in order, then stories cited only in its body."""
    found: dict[str, None] = {}
    for story in library.lesson_stories(lesson):
        found.setdefault(story.id)
    for citation in find_citations(lesson.body):
        story = library.story(citation.id) if citation.kind == "story" else None
        if story is not None:
            found.setdefault(story.id)
    return list(found)


def build_lessons(
    library: Library,
    cards: dict[str, Card],
    render: Callable[[str, str, str], str],
    preview: bool = False,
    base: str | None = None,
    problems: dict | None = None,
    handout_docx: bool = True,
    site_name: str = SITE_NAME,
) -> LessonSite:
    """Every lesson page. `cards` holds the stories shown on this site (published; in preview drafts too).
    With `handout_docx` each lesson also gets its handout as a Word file (site/word.py)."""
    from .pages import PageSpec  # pages.py imports this module; the spec type lives there

    shown = sorted(
        (
            lesson
            for lesson in library.lessons
            if lesson.is_public or (preview and lesson.status in ("draft", "review"))
        ),
        key=lambda lesson: (lesson.title, lesson.id),
    )
    lesson_cards = {lesson.id: lesson_card(lesson, library) for lesson in shown}
    by_story: dict[str, list[LessonCard]] = defaultdict(list)
    by_method: dict[str, list[LessonCard]] = defaultdict(list)
    pages, redirects, qr_codes, docx = [], {}, {}, {}
    for lesson in shown:
        entry = lesson_cards[lesson.id]
        for story_id in cited_story_ids(lesson, library):
            by_story[story_id].append(entry)
        for method_id in lesson.methods:
            by_method[method_id].append(entry)
        for alias in lesson.aliases:
            redirects[urls.lesson(alias)] = urls.lesson(lesson.id)
            redirects[urls.lesson_handout(alias)] = urls.lesson_handout(lesson.id)
        share = share_box(lesson.title, urls.lesson(lesson.id), base, site_name) if base else None
        if share is not None:
            qr_codes[share.qr] = share.url
        context = _lesson_context(lesson, library, cards, share, (problems or {}).get(lesson.path, []))
        if handout_docx:
            context["handout_docx"] = handout_docx_path(lesson.id)
        pages.append(_lesson_page(PageSpec, lesson, library, context, render))
        pages.append(_handout_page(PageSpec, lesson, library, context, cards, render, base))
        if handout_docx:
            docx[handout_docx_path(lesson.id)] = DocxJob(
                "handout", _handout_part(lesson, library, context, render, base)
            )

    pages.append(
        PageSpec(
            url=urls.lessons_index(),
            title="课程",
            template="exemplars/lessons.html",
            description=f"培训者编写的 {len(shown)} 个课程：每课讲一种或几种群众工作方法，用正反两面的故事作教学案例。",
            context={"lessons": [lesson_cards[lesson.id] for lesson in shown]},
        )
    )
    return LessonSite(
        pages=pages,
        redirects=redirects,
        by_story=dict(by_story),
        by_method=dict(by_method),
        qr_codes=qr_codes,
        docx=docx,
    )


def handout_docx_path(lesson_id: str) -> str:
    return urls.lesson(lesson_id) + HANDOUT_FILE


def _handout_part(lesson: Lesson, library: Library, context: dict, render, base: str | None) -> HandoutPart:
    """The handout as Word shows it: the same stories as the handout page, rendered for the same page URL."""
    url = urls.lesson_handout(lesson.id)
    cases, stories = [], []
    for entry in context["cited"]:
        if entry.card is not None:
            story = library.story(entry.card.id)
            cases.append(f"{story.title}（{story.kind_label}）")
            stories.append(story_part(story, library, render, url, base))
        elif entry.withdrawn is not None:
            cases.append(f"{entry.withdrawn.title}（此故事已撤回，讲义不收其原文）")
        else:
            cases.append(f"未找到：story:{entry.ref}")
    return HandoutPart(
        title=lesson.title,
        summary=lesson.summary,
        audience=lesson.audience,
        duration=lesson.duration,
        methods="、".join(link.text for link in context["methods"]),
        objectives=lesson.objectives,
        questions=lesson.questions,
        cases=tuple(cases),
        flow=lambda: str(render(lesson.body, lesson.path, url)),
        stories=tuple(stories),
        url=(base + urls.lesson(lesson.id)) if base else None,
        flow_heading=context["flow_heading"],
    )


def _lesson_context(
    lesson: Lesson, library: Library, cards: dict[str, Card], share: ShareBox | None, problems: list
) -> dict:
    cited = []
    for ref in lesson.stories:
        story = library.story(ref)
        if story is not None and story.is_withdrawn:
            cited.append(CitedStory(ref=ref, card=None, withdrawn=story))
        else:
            cited.append(CitedStory(ref=ref, card=cards.get(story.id) if story is not None else None))
    return {
        "lesson": lesson,
        "methods": [Link(library.method(m).name, urls.method(m)) for m in lesson.methods],
        "cited": cited,
        "withdrawn": [c.withdrawn for c in cited if c.withdrawn is not None],
        "handout": urls.lesson_handout(lesson.id),
        # A flow with its own "## 课程流程" needs no second heading above it.
        "flow_heading": not _SECTION_HEADING.search(lesson.body),
        "share": share,
        "problems": problems,
    }


def _lesson_page(PageSpec, lesson: Lesson, library: Library, context: dict, render) -> object:
    url = urls.lesson(lesson.id)
    return PageSpec(
        url=url,
        title=lesson.title,
        template="exemplars/lesson.html",
        description=lesson.summary or f"面向{lesson.audience}的 {lesson.duration} 分钟课程。",
        context=context,
        render_body=lambda: render(lesson.body, lesson.path, url),
        source_path=lesson.path,
        article=True,
        search=SearchFields(
            filters={"方法": [library.method(m).name for m in lesson.methods], "类型": [LESSON_LABEL]},
            meta={"kind": "lesson", "audience": lesson.audience, "duration": f"{lesson.duration} 分钟"},
            sort={"date": LESSON_SORT_DATE},
        ),
    )


def _handout_page(
    PageSpec, lesson: Lesson, library: Library, context: dict, cards: dict[str, Card], render, base: str | None
) -> object:
    url = urls.lesson_handout(lesson.id)
    texts = []
    for entry in context["cited"]:
        if entry.card is None:
            continue
        story = library.story(entry.card.id)
        texts.append(
            {
                "story": story,
                "card": entry.card,
                "methods": [Link(library.method(m).name, urls.method(m)) for m in story.methods],
                "region": region_links(story.region),
                "date": format_date(story.date),
                "body": StoryText(render, story, url),
                "url": (base + urls.story(story.id)) if base else None,
                "qr": urls.story(story.id) + "qr.svg" if base else None,
            }
        )
    return PageSpec(
        url=url,
        title=f"{lesson.title}（讲义）",
        template="exemplars/handout.html",
        description=f"课程“{lesson.title}”的讲义：课程内容和 {len(texts)} 个案例的全文，适合打印。",
        context={**context, "texts": texts, "lesson_url": url and urls.lesson(lesson.id)},
        render_body=lambda: render(lesson.body, lesson.path, url),
        source_path=lesson.path,
        article=True,
    )
