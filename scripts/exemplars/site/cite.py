"""Citation cards: what `[[story:<id>]]` and `[[lesson:<id>]]` in a Markdown body turn into.

A citation on a line of its own becomes a block card (badge, title link, summary, facts); inside running text it
becomes a link with the kind badge in front. `CitationIndex` (here, made once per build by build/session.py)
resolves ids through `Library.story`/`Library.lesson`, old ids included, so a renamed story keeps its citations;
citations are parsed by citations.py and reported, when they point nowhere, by check.py (`_body_citations`).
A withdrawn story shows a short notice instead of a card, and an id nothing answers to shows a visible 未找到
marker (only a preview gets that far: the checker refuses the public build).

The HTML is built here, escaped, with page-relative links, and goes through the sanitiser with the rest of the
body. Plain Python: nothing here imports MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from ..citations import CITABLE
from ..library import Library
from . import urls, visibility
from .views import format_date

LESSON_LABEL = "课程"
WITHDRAWN_LABEL = "已撤回"


@dataclass(frozen=True)
class CiteTarget:
    """What one citation shows: a story or lesson page, or the notice of a withdrawn story."""

    kind: str  # "story" or "lesson"
    id: str  # the canonical id (a citation may use an old one)
    title: str
    url: str | None  # site-relative; None when there is no page to link (withdrawn)
    badge: str  # CSS modifier: exemplar, cautionary, lesson, withdrawn
    badge_label: str
    summary: str = ""
    meta: str = ""
    withdrawn: bool = False


class CitationIndex:
    """Resolves (kind, id or alias) to what a citation shows; built once per build from the library."""

    def __init__(self, library: Library, preview: bool = False) -> None:
        self.library = library
        self.preview = preview
        self._cache: dict[tuple[str, str], CiteTarget | None] = {}

    def __call__(self, kind: str, ref: str) -> CiteTarget | None:
        key = (kind, ref)
        if key not in self._cache:
            self._cache[key] = self._resolve(kind, ref)
        return self._cache[key]

    def shown(self, status: str) -> bool:
        return visibility.shown(status, self.preview)

    def _resolve(self, kind: str, ref: str) -> CiteTarget | None:
        if kind == "story":
            story = self.library.story(ref)
            if story is None:
                return None
            if story.status == "withdrawn":
                return withdrawn_target(story)
            if not self.shown(story.status):
                return None
            return story_target(story, self.library)
        if kind == "lesson":
            lesson = self.library.lesson(ref)
            if lesson is None or not self.shown(lesson.status):
                return None
            return lesson_target(lesson, self.library)
        return None


def story_target(story, library: Library) -> CiteTarget:
    methods = "、".join(library.method(m).name for m in story.methods)
    return CiteTarget(
        kind="story",
        id=story.id,
        title=story.title,
        url=urls.story(story.id),
        badge=story.kind,
        badge_label=story.kind_label,
        summary=story.summary,
        meta=" · ".join(p for p in (" · ".join(story.region), format_date(story.date), methods) if p),
    )


def withdrawn_target(story) -> CiteTarget:
    return CiteTarget(
        kind="story",
        id=story.id,
        title=story.title,
        url=None,
        badge="withdrawn",
        badge_label=WITHDRAWN_LABEL,
        withdrawn=True,
    )


def lesson_target(lesson, library: Library) -> CiteTarget:
    return CiteTarget(
        kind="lesson",
        id=lesson.id,
        title=lesson.title,
        url=urls.lesson(lesson.id),
        badge="lesson",
        badge_label=LESSON_LABEL,
        summary=lesson.summary or "；".join(lesson.objectives[:1]),
        meta=lesson_facts(lesson, library),
    )


def lesson_facts(lesson, library: Library) -> str:
    methods = "、".join(library.method(m).name for m in lesson.methods)
    parts = [f"对象：{lesson.audience}", f"{lesson.duration} 分钟", methods]
    return " · ".join(p for p in parts if p)


# --- HTML ---------------------------------------------------------------------------------------------------
def _badge(target: CiteTarget) -> str:
    return f'<span class="ex-badge ex-badge--{target.badge}">{escape(target.badge_label)}</span>'


def block_html(target: CiteTarget | None, kind: str, ref: str, page_url: str) -> str:
    """A card on a line of its own (a <div>, so Markdown does not wrap it in a paragraph)."""
    if target is None:
        return (
            f'<div class="ex-cite ex-cite--missing"><p class="ex-cite__title">未找到：'
            f'<code>{escape(kind)}:{escape(ref)}</code></p><p class="ex-cite__summary">没有这个编号的'
            f"{CITABLE[kind]}（也不是任何旧编号），请检查拼写。</p></div>"
        )
    if target.withdrawn:
        return (
            f'<div class="ex-cite ex-cite--withdrawn"><p class="ex-cite__top">{_badge(target)}</p>'
            f'<p class="ex-cite__title">{escape(target.title)}</p>'
            f'<p class="ex-cite__summary">此故事已撤回，不再作为教学案例使用。</p></div>'
        )
    href = escape(urls.relative(page_url, target.url), quote=True)
    parts = [
        f'<div class="ex-cite ex-cite--{target.badge}">',
        f'<p class="ex-cite__top">{_badge(target)}'
        + (f'<span class="ex-cite__meta">{escape(target.meta)}</span>' if target.meta else "")
        + "</p>",
        f'<p class="ex-cite__title"><a href="{href}">{escape(target.title)}</a></p>',
    ]
    if target.summary:
        parts.append(f'<p class="ex-cite__summary">{escape(target.summary)}</p>')
    parts.append("</div>")
    return "".join(parts)


def inline_html(target: CiteTarget | None, kind: str, ref: str, page_url: str) -> str:
    """A citation inside running text: the badge and the title, linked."""
    if target is None:
        missing = f"<code>{escape(kind)}:{escape(ref)}</code>"
        return f'<span class="ex-cite-inline ex-cite-inline--missing">未找到：{missing}</span>'
    if target.withdrawn:
        return f'<span class="ex-cite-inline ex-cite-inline--withdrawn">{_badge(target)}{escape(target.title)}</span>'
    href = escape(urls.relative(page_url, target.url), quote=True)
    return (
        f'<a class="ex-cite-inline ex-cite-inline--{target.badge}" href="{href}">{_badge(target)}'
        f"{escape(target.title)}</a>"
    )
