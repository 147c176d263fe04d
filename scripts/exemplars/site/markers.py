"""Generated blocks inside hand-written pages: `<!-- exemplars:fields -->` becomes the field table, so the
contribution guide can never drift from the checker."""

from __future__ import annotations

from ..messages import codes_table
from ..schema import LESSON, METHOD, STORY, markdown_table

MARKERS = {
    "<!-- exemplars:fields -->": lambda: markdown_table(STORY),
    "<!-- exemplars:method-fields -->": lambda: markdown_table(METHOD),
    "<!-- exemplars:lesson-fields -->": lambda: markdown_table(LESSON),
    "<!-- exemplars:codes -->": codes_table,
}


def expand(markdown: str) -> str:
    if "<!-- exemplars:" not in markdown:
        return markdown
    for marker, make in MARKERS.items():
        if marker in markdown:
            markdown = markdown.replace(marker, make())
    return markdown
