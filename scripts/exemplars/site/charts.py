"""Inline SVG charts for the site: a heatmap (a table of counts), horizontal bars and a line over years.

No script, no external references and no colour as the only cue: every value is written as text, each chart is
`role="img"` with a <title> and <desc>, and each cell, bar or point carries its own <title>. Text uses
currentColor (it follows the light or dark scheme); cells, bars and the line use one colour, `colour`, varying only
its opacity. That colour is the theme's, read from its stylesheet by `theme_colour` (the stylesheet is its one
home). Coordinates have at most one decimal, so the same figures always give the same bytes.
"""

from __future__ import annotations

import hashlib
import html
import math
import re
import unicodedata
from pathlib import Path

COLOUR_PROPERTY = "--md-primary-fg-color"  # the theme's primary colour (Material's custom palette)
STYLESHEET = "assets/stylesheets/exemplars.css"  # where the theme sets it, inside mkdocs.yml's theme.custom_dir
_COLOUR_DECLARATION = re.compile(re.escape(COLOUR_PROPERTY) + r"\s*:\s*([^;}]*)")
_HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")


class ThemeColourError(ValueError):
    """The theme's stylesheet or its primary colour cannot be read; the message is for editors, in Chinese."""


def theme_colour(custom_dir: str | Path | None) -> str:
    """The value of `--md-primary-fg-color` in the theme's stylesheet (its first declaration: the light scheme's;
    the dark scheme keeps it). The charts embed it as a `fill`, so the site's colour is set in one place, the
    stylesheet, and the charts follow it."""
    if not custom_dir:
        raise ThemeColourError(
            f"mkdocs.yml：theme 没有 custom_dir。库情页的图表从主题样式表 {STYLESHEET} 读取主色 {COLOUR_PROPERTY}，"
            "页面模板也在那里。请在 mkdocs.yml 的 theme 下写 custom_dir: overrides"
        )
    path = Path(custom_dir) / STYLESHEET
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ThemeColourError(
            f"{path}：无法读取主题样式表（{exc.strerror or exc}）。库情页的图表从中读取主色 {COLOUR_PROPERTY}。"
            f"请恢复该文件，或让 mkdocs.yml 的 theme.custom_dir 指向含 {STYLESHEET} 的目录"
        ) from None
    found = _COLOUR_DECLARATION.search(text)
    if found is None:
        raise ThemeColourError(
            f"{path}：没有声明 {COLOUR_PROPERTY}。库情页的图表用它作主色；"
            f'请在 [data-md-color-primary="custom"] 中写一行 {COLOUR_PROPERTY}: #9b1c1c;（换成网站的主色）'
        )
    value = found.group(1).strip()
    if not _HEX_COLOUR.fullmatch(value):
        line = text.count("\n", 0, found.start()) + 1
        raise ThemeColourError(
            f"{path}:{line}：{COLOUR_PROPERTY} 的值“{value}”不是十六进制颜色。库情页的图表把它写进 SVG 的 fill，"
            "那里不能用 var() 或其他写法；请写成 #rrggbb 或 #rgb，如 #9b1c1c"
        )
    return value


FONT = 13


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def quoteattr(text: str) -> str:
    return '"' + html.escape(text, quote=True) + '"'


def _n(value: float) -> str:
    """Coordinates with one decimal at most, so output is byte-for-byte stable."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def text_width(text: str, size: float = FONT) -> float:
    """Rough rendered width: CJK and full-width characters are square, the rest about 0.6 em."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.6 for ch in text)


def _ident(ident: str | None, *parts: object) -> str:
    if ident:
        return ident
    return "ex-chart-" + hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()[:10]


def _svg(ident: str, width: float, height: float, title: str, desc: str, body: list[str]) -> str:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="ex-chart" id={quoteattr(ident)} '
        f'aria-labelledby="{ident}-title {ident}-desc" width="{_n(width)}" height="{_n(height)}" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" font-size="{FONT}" fill="currentColor">'
    )
    return "\n".join(
        [
            head,
            f'<title id="{ident}-title">{escape(title)}</title>',
            f'<desc id="{ident}-desc">{escape(desc)}</desc>',
            *body,
            "</svg>",
        ]
    )


def _text(x: float, y: float, text: object, anchor: str = "start", **attrs: str) -> str:
    extra = "".join(f" {key.replace('_', '-')}={quoteattr(value)}" for key, value in attrs.items())
    return f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}"{extra}>{escape(str(text))}</text>'


def svg_heatmap(
    rows: list[str], columns: list[str], values: list[list[int]], title: str, ident: str | None = None, *, colour: str
) -> str:
    """A table of counts as coloured cells, each with its number written in it (colour is never the only cue)."""
    ident = _ident(ident, "heatmap", rows, columns, values, title)
    cell_w = max([64.0] + [text_width(c) + 16 for c in columns])
    cell_h, head_h, pad = 30.0, 26.0, 8.0
    label_w = max([0.0] + [text_width(r) for r in rows]) + 12
    width = label_w + cell_w * len(columns) + pad
    height = head_h + cell_h * len(rows) + pad
    peak = max([0] + [v for row in values for v in row])
    body = [
        _text(label_w + cell_w * (j + 0.5), head_h - 9, c, "middle", font_weight="bold") for j, c in enumerate(columns)
    ]
    for i, (label, row) in enumerate(zip(rows, values, strict=True)):
        y = head_h + cell_h * i
        body.append(_text(label_w - 8, y + cell_h / 2 + FONT * 0.35, label, "end"))
        for j, value in enumerate(row):
            x = label_w + cell_w * j
            strength = 0.0 if peak == 0 else value / peak
            opacity = 0.06 if value == 0 else 0.15 + 0.75 * strength
            body.append(
                f"<g><title>{escape(f'{label}・{columns[j]}：{value} 篇')}</title>"
                f'<rect x="{_n(x + 1)}" y="{_n(y + 1)}" width="{_n(cell_w - 2)}" height="{_n(cell_h - 2)}" '
                f'rx="3" fill="{colour}" fill-opacity="{opacity:.2f}"/>'
                + _text(
                    x + cell_w / 2,
                    y + cell_h / 2 + FONT * 0.35,
                    value,
                    "middle",
                    **({"fill": "#ffffff"} if opacity > 0.72 else {}),
                )
                + "</g>"
            )
    desc = (
        "；".join(
            f"{label}：" + "，".join(f"{c} {v} 篇" for c, v in zip(columns, row, strict=True))
            for label, row in zip(rows, values, strict=True)
        )
        or "没有数据"
    )
    return _svg(ident, width, height, title, desc, body)


def svg_bars(items: list[tuple[str, int]], title: str, ident: str | None = None, *, colour: str) -> str:
    """Horizontal bars, one per label, with the count written after each bar."""
    ident = _ident(ident, "bars", items, title)
    row_h, bar_w, pad = 24.0, 240.0, 8.0
    label_w = max([0.0] + [text_width(label) for label, _ in items]) + 12
    peak = max([0] + [value for _, value in items])
    value_w = text_width(str(peak)) + 12
    width = label_w + bar_w + value_w + pad
    height = row_h * len(items) + pad * 2
    body = []
    for i, (label, value) in enumerate(items):
        y = pad + row_h * i
        length = 0.0 if peak == 0 else bar_w * value / peak
        body.append(
            f"<g><title>{escape(f'{label}：{value} 篇')}</title>"
            + _text(label_w - 8, y + row_h / 2 + FONT * 0.35, label, "end")
            + f'<rect x="{_n(label_w)}" y="{_n(y + 4)}" width="{_n(length)}" height="{_n(row_h - 8)}" '
            f'rx="2" fill="{colour}" fill-opacity="0.8"/>'
            + _text(label_w + length + 6, y + row_h / 2 + FONT * 0.35, value)
            + "</g>"
        )
    desc = "；".join(f"{label} {value} 篇" for label, value in items) or "没有数据"
    return _svg(ident, width, height, title, desc, body)


def svg_line(points: list[tuple[str, int]], title: str, ident: str | None = None, *, colour: str) -> str:
    """A line over ordered categories (years), each point labelled with its count; x labels thinned if crowded."""
    ident = _ident(ident, "line", points, title)
    step, plot_h, left, top, bottom = 44.0, 160.0, 32.0, 22.0, 28.0
    width = left + step * max(len(points) - 1, 0) + left
    height = top + plot_h + bottom
    peak = max([0] + [value for _, value in points])
    every = 1 if len(points) <= 16 else math.ceil(len(points) / 12)
    base = top + plot_h

    def y_of(value: int) -> float:
        return base - (0.0 if peak == 0 else plot_h * value / peak)

    coords = [(left + step * i, y_of(value)) for i, (_, value) in enumerate(points)]
    body = [
        f'<line x1="{_n(left)}" y1="{_n(base)}" x2="{_n(width - left / 2)}" y2="{_n(base)}" '
        f'stroke="currentColor" stroke-opacity="0.4"/>'
    ]
    if len(coords) > 1:
        path = " ".join(f"{_n(x)},{_n(y)}" for x, y in coords)
        body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
    for i, ((label, value), (x, y)) in enumerate(zip(points, coords, strict=True)):
        shown = i % every == 0 or i == len(points) - 1
        body.append(
            f"<g><title>{escape(f'{label}：{value} 篇')}</title>"
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3.5" fill="{colour}"/>'
            + _text(x, y - 7, value, "middle")
            + (_text(x, base + 18, label, "middle") if shown else "")
            + "</g>"
        )
    desc = "；".join(f"{label} {value} 篇" for label, value in points) or "没有数据"
    return _svg(ident, width, height, title, desc, body)
