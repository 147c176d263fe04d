"""Lesson pages: the lessons index, one page per lesson, one printable handout per lesson (its Word twin is a
DocxJob for site/word.py), and the reverse indexes that let story and method pages list "their" lessons.

A lesson shows its `stories:` as cards in teaching order; a withdrawn story shows a short notice instead of its
card (and is left out of the handout's texts). The handout page carries the lesson and the full text of every
cited story, each story on a new printed page, drawn from the story page's own view model (`StoryView`).

Plain Python: nothing here imports MkDocs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

from ...citations import find_citations
from ...library import Library
from ...model import Lesson, Story
from ...search.records import SearchFields
from .. import urls, visibility
from ..cite import LESSON_LABEL, lesson_facts
from ..share import SITE_NAME, ShareBox, share_box
from ..views import Card, Link
from ..word import HANDOUT_FILE, DocxJob, HandoutPart, story_part
from .base import SHELL, THEME, Page
from .story import StoryView

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
class LessonIndex:
    """The lessons shown on this site, and which of them teach with a story or on a method."""

    shown: list[Lesson]  # by title, then id
    cards: dict[str, LessonCard]
    by_story: dict[str, list[LessonCard]]  # story id → lessons that teach with it
    by_method: dict[str, list[LessonCard]]  # method id → lessons on it


@dataclass
class LessonView:
    lesson: Lesson
    methods: list[Link]
    cited: list[CitedStory]
    withdrawn: list[Story]
    handout: str  # site-relative URL of the handout page
    flow_heading: bool  # False when the flow has its own "## " sections and needs no heading above them
    share: ShareBox | None
    handout_docx: str | None = None  # site-relative .docx of the handout, when Word handouts are built


@dataclass(frozen=True)
class HandoutStory:
    """One cited story printed in a handout: the story page's view, its body rendered for the handout's URL."""

    view: StoryView
    body: StoryText
    url: str | None  # the story page's absolute URL, printed under it (with a site address only)
    qr: str | None  # site-relative QR code of that URL


@dataclass
class HandoutView(LessonView):
    texts: list[HandoutStory] = field(default_factory=list)
    lesson_url: str = ""


@dataclass(eq=False)
class LessonPage(Page):
    template = "exemplars/lesson.html"
    # Filled into its depth's shell, as a story is: framed by MkDocs one by one, the 666 lesson and handout pages of
    # the 10,000-story bench took 4.5 s (the tab link to the lessons index was the only difference: `../` there,
    # `../../lessons/` here, the same page)
    frame = SHELL
    article = True
    view: LessonView = None

    def shown(self, preview: bool) -> bool:
        return visibility.shown(self.view.lesson.status, preview)


@dataclass(eq=False)
class HandoutPage(LessonPage):
    template = "exemplars/handout.html"
    view: HandoutView = None


@dataclass
class LessonsIndexView:
    lessons: list[LessonCard]


@dataclass(eq=False)
class LessonsIndexPage(Page):
    template = "exemplars/lessons.html"
    frame = THEME  # in the navigation
    view: LessonsIndexView = None


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


def lesson_index(library: Library, preview: bool) -> LessonIndex:
    shown = sorted(
        (lesson for lesson in library.lessons if visibility.shown(lesson.status, preview)),
        key=lambda lesson: (lesson.title, lesson.id),
    )
    cards = {lesson.id: lesson_card(lesson, library) for lesson in shown}
    by_story: dict[str, list[LessonCard]] = defaultdict(list)
    by_method: dict[str, list[LessonCard]] = defaultdict(list)
    for lesson in shown:
        for story_id in cited_story_ids(lesson, library):
            by_story[story_id].append(cards[lesson.id])
        for method_id in lesson.methods:
            by_method[method_id].append(cards[lesson.id])
    return LessonIndex(shown=shown, cards=cards, by_story=dict(by_story), by_method=dict(by_method))


@dataclass
class LessonPages:
    pages: list[Page]  # per lesson its page and its handout, then the lessons index
    redirects: dict[str, str]  # old URL → new URL
    qr_codes: dict[str, str]  # site-relative QR file → URL
    docx: dict[str, DocxJob]  # site-relative .docx file → the handout it holds


def lesson_pages(
    index: LessonIndex,
    library: Library,
    stories: dict[str, StoryView],
    render: Callable[[str, str, str], str],
    base: str | None = None,
    problems: dict | None = None,
    handout_docx: bool = True,
    site_name: str = SITE_NAME,
) -> LessonPages:
    """Every lesson page. `stories` holds the views of the stories shown on this site (published; in the preview
    drafts too). With `handout_docx` each lesson also gets its handout as a Word file (site/word.py); `site_name`
    names the site in the share box's citation line."""
    pages: list[Page] = []
    redirects, qr_codes, docx = {}, {}, {}
    cards = {story_id: view.card for story_id, view in stories.items()}
    for lesson in index.shown:
        for alias in lesson.aliases:
            redirects[urls.lesson(alias)] = urls.lesson(lesson.id)
            redirects[urls.lesson_handout(alias)] = urls.lesson_handout(lesson.id)
        share = share_box(lesson.title, urls.lesson(lesson.id), base, site_name) if base else None
        if share is not None:
            qr_codes[share.qr] = share.url
        view = _lesson_view(lesson, library, cards, share)
        if handout_docx:
            view.handout_docx = handout_docx_path(lesson.id)
        found = (problems or {}).get(lesson.path, [])
        pages.append(_lesson_page(lesson, library, view, render, found))
        pages.append(_handout_page(lesson, view, stories, render, base))
        if handout_docx:
            docx[handout_docx_path(lesson.id)] = DocxJob("handout", _handout_part(lesson, library, view, render, base))

    pages.append(
        LessonsIndexPage(
            url=urls.lessons_index(),
            title="课程",
            description=f"培训者编写的 {len(index.shown)} 个课程："
            "每课讲一种或几种群众工作方法，用正反两面的故事作教学案例。",
            view=LessonsIndexView(lessons=[index.cards[lesson.id] for lesson in index.shown]),
        )
    )
    return LessonPages(pages=pages, redirects=redirects, qr_codes=qr_codes, docx=docx)


def handout_docx_path(lesson_id: str) -> str:
    return urls.lesson(lesson_id) + HANDOUT_FILE


def _handout_part(lesson: Lesson, library: Library, view: LessonView, render, base: str | None) -> HandoutPart:
    """The handout as Word shows it: the same stories as the handout page, rendered for the same page URL."""
    url = urls.lesson_handout(lesson.id)
    cases, stories = [], []
    for entry in view.cited:
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
        methods="、".join(link.text for link in view.methods),
        objectives=lesson.objectives,
        questions=lesson.questions,
        cases=tuple(cases),
        flow=lambda: str(render(lesson.body, lesson.path, url)),
        stories=tuple(stories),
        url=(base + urls.lesson(lesson.id)) if base else None,
        flow_heading=view.flow_heading,
    )


def _lesson_view(lesson: Lesson, library: Library, cards: dict[str, Card], share: ShareBox | None) -> LessonView:
    cited = []
    for ref in lesson.stories:
        story = library.story(ref)
        if story is not None and story.is_withdrawn:
            cited.append(CitedStory(ref=ref, card=None, withdrawn=story))
        else:
            cited.append(CitedStory(ref=ref, card=cards.get(story.id) if story is not None else None))
    return LessonView(
        lesson=lesson,
        methods=[Link(library.method(m).name, urls.method(m)) for m in lesson.methods],
        cited=cited,
        withdrawn=[c.withdrawn for c in cited if c.withdrawn is not None],
        handout=urls.lesson_handout(lesson.id),
        # A flow with its own "## 课程流程" needs no second heading above it.
        flow_heading=not _SECTION_HEADING.search(lesson.body),
        share=share,
    )


def _lesson_page(lesson: Lesson, library: Library, view: LessonView, render, problems: list) -> LessonPage:
    url = urls.lesson(lesson.id)
    return LessonPage(
        url=url,
        title=lesson.title,
        description=lesson.summary or f"面向{lesson.audience}的 {lesson.duration} 分钟课程。",
        view=view,
        body_source=lambda: render(lesson.body, lesson.path, url),
        source_path=lesson.path,
        problems=problems,
        search=SearchFields(
            filters={"方法": [library.method(m).name for m in lesson.methods], "类型": [LESSON_LABEL]},
            meta={"kind": "lesson", "audience": lesson.audience, "duration": f"{lesson.duration} 分钟"},
            sort={"date": LESSON_SORT_DATE},
        ),
    )


def _handout_page(
    lesson: Lesson, lesson_view: LessonView, stories: dict[str, StoryView], render, base: str | None
) -> HandoutPage:
    url = urls.lesson_handout(lesson.id)
    texts = [
        HandoutStory(
            view=stories[entry.card.id],
            body=StoryText(render, stories[entry.card.id].story, url),
            url=(base + urls.story(entry.card.id)) if base else None,
            qr=urls.story(entry.card.id) + "qr.svg" if base else None,
        )
        for entry in lesson_view.cited
        if entry.card is not None
    ]
    view = HandoutView(**vars(lesson_view), texts=texts, lesson_url=urls.lesson(lesson.id))
    return HandoutPage(
        url=url,
        title=f"{lesson.title}（讲义）",
        description=f"课程“{lesson.title}”的讲义：课程内容和 {len(texts)} 个案例的全文，适合打印。",
        view=view,
        body_source=lambda: render(lesson.body, lesson.path, url),
        source_path=lesson.path,
    )
