"""A Markdown extension: a soft line break between two Chinese characters joins the lines without a space.

Editors wrap long paragraphs in the source; HTML turns the line break into a space, which in Chinese is a
stray gap on the page ("银杏树下 议事会") and breaks the phrase for search. Between Latin words the break stays a
space. Code (inline and blocks) is left as written. Used for story, method and lesson bodies (site/render.py) and
hand-written pages (mkdocs.yml); pymdownx has no such extension, and the one-off packages that do are unmaintained.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

# Han characters (every block, extensions included), CJK and full-width punctuation, Chinese quotes, — and ….
CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u2018-\u201d\u2014\u2026\U00020000-\U0003ffff"
_INSIDE = re.compile(rf"(?<=[{CJK}])[ \t]*\n[ \t]*(?=[{CJK}])")
_ENDS = re.compile(rf"(?<=[{CJK}])[ \t]*\n[ \t]*$")
_STARTS = re.compile(rf"^[ \t]*\n[ \t]*(?=[{CJK}])")
_ENDS_CJK = re.compile(rf"[{CJK}][ \t]*$")
_STARTS_CJK = re.compile(rf"^[ \t]*[{CJK}]")
SKIP = {"pre", "code", "script", "style"}


def _slots(element: etree.Element, out: list) -> None:
    """(element, "text" | "tail") in document order, below `element`; code is skipped (its tail is not)."""
    if element.tag in SKIP:
        return
    out.append((element, "text"))
    for child in element:
        _slots(child, out)
        out.append((child, "tail"))


class JoinChineseLines(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        slots: list = []
        _slots(root, slots)
        filled = [(e, a) for e, a in slots if getattr(e, a)]
        for element, attribute in filled:
            setattr(element, attribute, _INSIDE.sub("", getattr(element, attribute)))
        for (a, a_attr), (b, b_attr) in zip(filled, filled[1:]):  # a break between two pieces of markup
            left, right = getattr(a, a_attr), getattr(b, b_attr)
            if _ENDS.search(left) and _STARTS_CJK.search(right):
                setattr(a, a_attr, _ENDS.sub("", left))
            elif _STARTS.search(right) and _ENDS_CJK.search(left):
                setattr(b, b_attr, _STARTS.sub("", right))


class ChineseLinesExtension(Extension):
    def extendMarkdown(self, md) -> None:  # noqa: N802 - Markdown's name
        # After inline parsing (20), before our link rewriting (1) and the HTML serialisation.
        md.treeprocessors.register(JoinChineseLines(md), "exemplars_cjk_lines", 5)


def makeExtension(**kwargs) -> ChineseLinesExtension:  # noqa: N802 - Markdown's entry point
    return ChineseLinesExtension(**kwargs)
