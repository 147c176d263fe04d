"""Typed, validated values the site and the CLI read. Built only from front matter that passed the schema."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .schema import KINDS, LESSON_STATUSES, STATUSES
from .site import urls


@dataclass(frozen=True)
class Method:
    id: str
    name: str
    order: int
    summary: str
    aliases: tuple[str, ...]
    body: str
    path: str
    body_line: int

    @property
    def refs(self) -> tuple[str, ...]:
        """Every spelling a story may use for this method."""
        return (self.id, self.name, *self.aliases)


@dataclass(frozen=True)
class Source:
    title: str
    url: str | None = None
    date: dt.date | None = None


@dataclass(frozen=True)
class Story:
    id: str
    title: str
    kind: str
    methods: tuple[str, ...]  # method ids, resolved from whatever spelling the editor used
    summary: str
    region: tuple[str, ...]
    date: dt.date
    status: str
    sources: tuple[Source, ...]
    body: str
    path: str
    body_line: int
    domains: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    updated: dt.date | None = None
    published: dt.date | None = None  # as written; read `published_on`, which has the fallback
    cover: str | None = None  # repository path of the cover image (media.py)
    cover_alt: str | None = None
    author: str | None = None
    reviewed_by: str | None = None
    featured: bool = False
    sample: bool = False
    digest: str = field(default="", compare=False)

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def published_on(self) -> dt.date:
        """When the story went up on the site: the `published` field the reviewer sets; a story without it (one
        published before the field existed, or a reviewer's slip, which the checker warns about) falls back to
        `updated`, else `date`. A field read, never git: the same commit gives the same date in any clone, and
        feeds and search shards can read it for every story for free."""
        return self.published or self.updated or self.date

    @property
    def last_changed(self) -> dt.date:
        """The newest of publication and substantive update (`updated`): what moves a feed's `updated`."""
        return max(self.published_on, self.updated or self.published_on)

    @property
    def province(self) -> str:
        return self.region[0]

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def status_label(self) -> str:
        return STATUSES[self.status]

    @property
    def is_public(self) -> bool:
        return self.status == "published"

    @property
    def is_withdrawn(self) -> bool:
        """Taken down: no listings, search or feeds, but its URL stays alive with a short notice."""
        return self.status == "withdrawn"

    @property
    def url(self) -> str:
        """Site-relative URL (site/urls.py); permanent, so lessons and other sites can cite it."""
        return urls.story(self.id)


@dataclass(frozen=True)
class Lesson:
    """A lesson plan: objectives, a flow (the body) and the stories it teaches with, in teaching order."""

    id: str
    title: str
    audience: str
    duration: int  # minutes
    methods: tuple[str, ...]  # method ids, resolved from whatever spelling the editor used
    stories: tuple[str, ...]  # story ids as written (an old id still resolves: Library.lesson_stories)
    objectives: tuple[str, ...]
    status: str
    body: str
    path: str
    body_line: int
    questions: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    summary: str = ""
    author: str | None = None
    sample: bool = False
    digest: str = field(default="", compare=False)

    @property
    def is_public(self) -> bool:
        return self.status == "published"

    @property
    def status_label(self) -> str:
        return LESSON_STATUSES[self.status]

    @property
    def url(self) -> str:
        """Site-relative URL (site/urls.py); permanent like a story's."""
        return urls.lesson(self.id)
