"""Page shells: the theme's chrome rendered once per URL depth, filled in per page by plain string joins.

Rendering Material's full template costs ~10 ms a page (header, tabs, palette, footer, scripts), and all of it
is the same for every generated page at the same depth — only the relative asset paths differ. So the build
renders one shell page per depth through the theme (`ShellPage`, template exemplars/partials/frame.html) with marker
strings where the title, description, canonical address, per-page meta tags and content go, and every SHELL
page (stories, methods, listings; site/pages/base.py) is that shell with the markers replaced, by the one
rendering path (site/pages/html.py): the output is what the theme would have written, at a few microseconds a
page.

Plain Python: nothing here imports MkDocs or Jinja.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

TITLE = "EXEMPLARS-SHELL-TITLE"
DESCRIPTION = "EXEMPLARS-SHELL-DESCRIPTION"
CONTENT = "EXEMPLARS-SHELL-CONTENT"
META = "EXEMPLARS-SHELL-META"  # per-page <meta> tags in <head> (share cards, site/share_meta.py); optional
SHELL_ROOT = "_shell"  # where the shell pages are rendered; removed from the output after the build


def shell_url(depth: int) -> str:
    """The site URL of the shell for pages `depth` folders deep ("stories/x/" is depth 2)."""
    if depth < 1:
        raise ValueError("generated pages live at least one folder deep")
    return SHELL_ROOT + "/x" * (depth - 1) + "/"


def depth_of(url: str) -> int:
    return url.strip("/").count("/") + 1


class ShellError(RuntimeError):
    pass


@dataclass(frozen=True)
class Shell:
    """One rendered shell, split at its markers so that filling it is a join."""

    parts: tuple[str, ...]
    slots: tuple[str, ...]  # what goes after parts[i]: "title", "description", "canonical", "meta" or "content"

    @classmethod
    def parse(cls, html: str, canonical: str) -> "Shell":
        """`canonical` is the shell page's own absolute URL as the theme wrote it (replaced per page)."""
        names = {TITLE: "title", DESCRIPTION: "description", CONTENT: "content", META: "meta"}
        if canonical:
            names[canonical] = "canonical"
        pattern = re.compile("|".join(re.escape(marker) for marker in names))
        pieces = pattern.split(html)
        slots = tuple(names[m] for m in pattern.findall(html))
        if slots.count("content") != 1:
            raise ShellError(f"a page shell must hold the content marker exactly once, found {slots.count('content')}")
        if "title" not in slots:
            raise ShellError("a page shell must show the page title")
        return cls(parts=tuple(pieces), slots=slots)

    def fill(self, *, title: str, description: str, canonical: str, content: str, meta: str = "") -> str:
        """`content` and `meta` are HTML, written as they are; the other values are text, escaped here."""
        values = {
            "title": escape(title, quote=True),
            "description": escape(description, quote=True),
            "canonical": escape(canonical, quote=True),
            "content": content,
            "meta": meta,
        }
        out = [self.parts[0]]
        for slot, part in zip(self.slots, self.parts[1:], strict=True):
            out.append(values[slot])
            out.append(part)
        return "".join(out)
