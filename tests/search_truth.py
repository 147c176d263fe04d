"""What the search must find a story by, worked out here independently of the search index: used by the search
tests as their ground truth (issue 23)."""

from __future__ import annotations

from exemplars.library import Library
from exemplars.search.normalise import match_form
from exemplars.search.records import BREAK, plain_text
from exemplars.site.render import BodyRenderer


def found_by(library: Library) -> dict[str, str]:
    """Public story id → what it is found by, in match form: its title and text (summary + rendered body), its
    region levels, year, domains and tags, kept apart by BREAK so no match runs across two of them."""
    renderer = BodyRenderer()
    return {
        s.id: BREAK.join(
            match_form(x)
            for x in [
                s.title,
                plain_text(s.summary, renderer.render(s.body, s.path, s.url)),
                *s.region,
                f"{s.year}年",
                *s.domains,
                *s.tags,
            ]
        )
        for s in library.public_stories()
    }
