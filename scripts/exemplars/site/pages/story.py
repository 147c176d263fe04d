"""Story pages: one per story shown (published; in the preview drafts and stories under review too), and a notice
page for each withdrawn story, which keeps its URL because lessons, slides and other sites cite it.

`StoryView` is the story template's view model; a lesson's handout prints its cited stories from the same view
(site/pages/lesson.py), so both pages show a story's facts the same way.

Plain Python: nothing here imports MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ...library import Library
from ...model import Story
from ...search.records import SearchFields
from .. import urls, visibility
from ..images import CoverView
from ..share import ShareBox
from ..views import Card, Link, RelatedIndex, format_date, region_links
from .base import THEME, Deferred, Page


@dataclass
class StoryView:
    story: Story
    card: Card
    methods: list[Link]
    region: tuple[Link, ...]
    date: str  # as readers see it: 2019年6月18日
    updated: str | None
    related: Deferred  # cards of related stories, worked out when the page is rendered
    cover: CoverView | None = None
    lessons: list = field(default_factory=list)  # LessonCards of the lessons that teach with the story
    share: ShareBox | None = None
    docx: str | None = None  # site-relative .docx of the story, when story files are built


@dataclass(eq=False)
class StoryPage(Page):
    template = "exemplars/story.html"
    article = True
    view: StoryView = None

    def shown(self, preview: bool) -> bool:
        return visibility.shown(self.view.story.status, preview)


def story_view(story: Story, library: Library, cards: dict[str, Card], related: RelatedIndex) -> StoryView:
    return StoryView(
        story=story,
        card=cards[story.id],
        methods=[Link(library.method(m).name, urls.method(m)) for m in story.methods],
        region=region_links(story.region),
        date=format_date(story.date),
        updated=format_date(story.updated) if story.updated else None,
        related=Deferred(lambda: [cards[s.id] for s in related.related(story, library) if s.id in cards]),
    )


def story_page(story: Story, view: StoryView, library: Library, render: Callable[[str, str, str], str]) -> StoryPage:
    url = urls.story(story.id)
    return StoryPage(
        url=url,
        title=story.title,
        description=story.summary or story.title,
        view=view,
        body_source=lambda: render(story.body, story.path, url),
        source_path=story.path,
        search=SearchFields(
            filters={
                "方法": [library.method(m).name for m in story.methods],
                "类型": [story.kind_label],
                "省份": [story.province],
                "年份": [str(story.year)],
            },
            meta={"kind": story.kind, "date": format_date(story.date), "region": " · ".join(story.region)},
            sort={"date": story.date.isoformat()},
            # Found by its place (every level), year, domains and tags too, as the result card shows them.
            extras=[*story.region, f"{story.year}年", *story.domains, *story.tags],
            published=story.published_on.toordinal(),
        ),
    )


@dataclass
class WithdrawnView:
    story: Story
    updated: str | None


@dataclass(eq=False)
class WithdrawnPage(Page):
    """A withdrawn story keeps its URL but shows only a notice, kept out of search engines."""

    template = "exemplars/withdrawn.html"
    frame = THEME
    noindex = True
    view: WithdrawnView = None


def withdrawn_page(story: Story) -> WithdrawnPage:
    return WithdrawnPage(
        url=urls.story(story.id),
        title=story.title,
        description="此故事已撤回。",
        view=WithdrawnView(story=story, updated=format_date(story.updated) if story.updated else None),
    )
