"""QR codes of story URLs, for printed handouts and slides: inline SVG, same bytes for the same URL.

Error correction is fixed at M (15 % of the code may be smudged or folded) and never boosted, so a URL always
gives the same symbol. One module is 1 mm: a version-4 code (a typical story URL) prints 41 mm wide including the
quiet zone, which phones read from arm's length; the viewBox lets CSS scale it on screen. Dark on an opaque
white background, so it scans in dark mode and on tinted paper too.

Plain Python: nothing here imports MkDocs.
"""
from __future__ import annotations

import functools
import io
from pathlib import Path

import segno

ERROR = "M"
MODULE_MM = 1  # printed size of one module
BORDER = 4  # quiet zone, in modules (the standard's minimum)
SVG_CLASS = "exemplars-qr"


def qr_code(url: str) -> segno.QRCode:
    """The QR symbol for `url` (the one matrix both the SVG and any PNG are drawn from)."""
    return segno.make(url, error=ERROR, micro=False, boost_error=False)


@functools.lru_cache(maxsize=8192)  # ~15 ms a code; `mkdocs serve` rebuilds reuse them
def qr_svg(url: str) -> str:
    """An inline SVG element (no XML declaration) with a <title> holding the URL; deterministic."""
    out = io.BytesIO()
    qr_code(url).save(out, kind="svg", xmldecl=False, svgns=True, nl=False, scale=MODULE_MM, unit="mm",
                      border=BORDER, dark="#000", light="#fff", title=url, svgclass=SVG_CLASS, lineclass=None,
                      encoding="utf-8")
    return out.getvalue().decode("utf-8")


def write_qr(url: str, path: Path) -> Path:
    """Write the SVG of `url` as a standalone .svg file (it carries the SVG namespace); returns `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(qr_svg(url).encode("utf-8") + b"\n")
    return path
