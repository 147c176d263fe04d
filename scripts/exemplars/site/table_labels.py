"""A Markdown extension: every cell of a wide table knows its column's name, so a phone can show rows as cards.

On a 390 px screen a table of three or more columns does not fit: Material lets it scroll sideways, and the column
that matters (投稿指南's "怎么改") starts off-screen with nothing to say it is there. With `data-label` on each
body cell and `data-reflow` on the table, the site's CSS turns each row into a card of "column name: value" lines
on narrow screens; on wider screens the table is an ordinary table. Attributes only: no class (Material styles
`table:not([class])`), no script, no inline style (the strict CSP stays as it is).

    markdown_extensions:
      - exemplars.site.table_labels
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

MIN_COLUMNS = 3  # two columns fit a phone; from three on, rows become cards there


def label_tables(root: etree.Element, min_columns: int = MIN_COLUMNS) -> None:
    """Mark every table of `root` with at least `min_columns` header cells, in place."""
    for table in root.iter("table"):
        head = table.find("thead")
        header_row = head.find("tr") if head is not None else None
        if header_row is None:
            continue
        names = [" ".join("".join(cell.itertext()).split()) for cell in header_row if cell.tag in ("th", "td")]
        if len(names) < min_columns:
            continue
        table.set("data-reflow", "cards")
        for body in table.findall("tbody"):
            for row in body.findall("tr"):
                for cell, name in zip([c for c in row if c.tag in ("td", "th")], names):
                    if name:
                        cell.set("data-label", name)


class _TableLabels(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        label_tables(root)


class TableLabelsExtension(Extension):
    def extendMarkdown(self, md) -> None:  # noqa: N802 (Markdown's API)
        # After the inline processor (priority 20): header cells hold their final text, code spans included.
        md.treeprocessors.register(_TableLabels(md), "exemplars_table_labels", 5)


def makeExtension(**kwargs) -> TableLabelsExtension:  # noqa: N802 (Markdown's entry-point name)
    return TableLabelsExtension(**kwargs)
