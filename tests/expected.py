"""What a built page should list, worked out straight from the Library's fields, independently of site/: the
oracles tests compare built pages with. Kept here, not in the package, because only tests need them."""

from __future__ import annotations

from exemplars.library import Library
from exemplars.model import Lesson, Story


def public_lessons(library: Library) -> list[Lesson]:
    """Published lessons, by title then id (the order of the lessons index)."""
    return sorted(
        (lesson for lesson in library.lessons if lesson.is_public), key=lambda lesson: (lesson.title, lesson.id)
    )


def stories_by_method(library: Library, method_id: str, kind: str | None = None) -> list[Story]:
    """Published stories on a method (of one kind, if given), newest first: a method page's groups."""
    return [s for s in library.public_stories() if method_id in s.methods and (kind is None or s.kind == kind)]


def lessons_citing(library: Library, story_id: str) -> list[Lesson]:
    """Published lessons that list the story in `stories:` or cite it in their body, by id or old id."""
    story = library.story(story_id)
    if story is None:
        return []
    names = {story.id, *story.aliases}
    found = []
    for lesson in public_lessons(library):
        record = library.record(lesson.path)
        cited = {ref for kind, ref, _, _ in (record.citations if record else ()) if kind == "story"}
        if names & (set(lesson.stories) | cited):
            found.append(lesson)
    return found
