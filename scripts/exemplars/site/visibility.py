"""Who sees a story or lesson: the one rule for "shown in preview".

A published record is public. Drafts and records under review are shown only in the preview (`make serve`, or
`preview: true`), marked as such; withdrawn stories keep a notice page of their own (site/pages/story.py), and
nothing else is ever shown. Page building (site/pages/), lesson pages and citation cards (site/cite.py) all ask
here, so a status means the same on every page that mentions the record.

Plain Python: nothing here imports MkDocs.
"""

from __future__ import annotations

PREVIEW_ONLY = ("draft", "review")  # statuses the preview shows and the public site does not


def shown(status: str, preview: bool) -> bool:
    """Whether a story or lesson with `status` gets a page (and cards, and citation cards) on this site."""
    return status == "published" or (preview and status in PREVIEW_ONLY)
