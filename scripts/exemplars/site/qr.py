"""QR codes of story and lesson URLs, for printed handouts and slides: SVG, same bytes for the same URL.

Error correction is fixed at M (15 % of the code may be smudged or folded) and never boosted, and the mask is
fixed too (the standard allows any of the eight; choosing the "best" one is most of segno's time), so a URL
always gives the same symbol, about four times faster. One module is 1 mm: a version-4 code (a typical story URL) prints 41 mm wide including the
quiet zone, which phones read from arm's length; the viewBox lets CSS scale it on screen. Dark on an opaque
white background, so it scans in dark mode and on tinted paper too.

Plain Python: nothing here imports MkDocs.
"""
from __future__ import annotations

import functools
import hashlib
import io
import os
import re
import shutil
from html import escape
from pathlib import Path

import segno

ERROR = "M"
MASK = 0  # fixed: mask evaluation costs ~3 ms a code and buys nothing a phone camera notices
MODULE_MM = 1  # printed size of one module
BORDER = 4  # quiet zone, in modules (the standard's minimum)
SVG_CLASS = "exemplars-qr"


def qr_code(url: str) -> segno.QRCode:
    """The QR symbol for `url` (the one matrix both the SVG and any PNG are drawn from)."""
    return segno.make(url, error=ERROR, mask=MASK, micro=False, boost_error=False)


_RUN = re.compile(rb"\x01+")


@functools.lru_cache(maxsize=8192)  # `mkdocs serve` rebuilds reuse them
def qr_svg(url: str) -> str:
    """An inline SVG element (no XML declaration) with a <title> holding the URL; deterministic.

    Drawn here from segno's module matrix, one horizontal stroke per run of dark modules: segno's own SVG
    writer took 0.9 ms a code, most of a 10,000-story build's QR time; this takes a tenth of that."""
    matrix = qr_code(url).matrix
    size = len(matrix) + 2 * BORDER
    strokes = []
    for y, row in enumerate(matrix):
        for run in _RUN.finditer(bytes(row)):
            strokes.append(f"M{run.start() + BORDER} {y + BORDER + 0.5}h{run.end() - run.start()}")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size * MODULE_MM}mm" height="{size * MODULE_MM}mm" '
            f'viewBox="0 0 {size} {size}" class="{SVG_CLASS}"><title>{escape(url)}</title>'
            f'<path fill="#fff" d="M0 0h{size}v{size}h-{size}z"/>'
            f'<path stroke="#000" d="{"".join(strokes)}"/></svg>')


def write_qr(url: str, path: Path) -> Path:
    """Write the SVG of `url` as a standalone .svg file (it carries the SVG namespace); returns `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(qr_svg(url).encode("utf-8") + b"\n")
    return path


# Everything that shapes the SVG bytes: a change to any of it must miss the on-disk cache.
CACHE_KEY = f"qr-svg-2|segno-{segno.__version__}|{ERROR}|{MASK}|{MODULE_MM}|{BORDER}|{SVG_CLASS}|"


def cached_svg_path(url: str, cache_dir: Path) -> Path:
    """Where the SVG of `url` lives in the build cache: content-addressed by URL and every drawing setting."""
    digest = hashlib.sha1((CACHE_KEY + url).encode("utf-8")).hexdigest()
    return Path(cache_dir) / digest[:2] / f"{digest}.svg"


PARALLEL_FROM = 1000  # codes to draw; below this a process pool costs more than it saves


def write_qr_files(codes: dict[str, str], out_dir: Path, cache_dir: Path | None = None,
                   jobs: int | None = None) -> int:
    """Write one standalone SVG per entry of `codes` (site-relative file path → URL it encodes) under `out_dir`.

    With `cache_dir` (e.g. `.cache/qr/`), codes drawn by an earlier build are linked or copied from there instead
    of being drawn again; new ones are drawn into it first (in parallel when there are many: ~2 ms a code, so a
    first build of 10,000 stories would otherwise spend 20 s here). Returns how many codes had to be drawn.
    """
    out_dir = Path(out_dir)
    if cache_dir is None:
        for rel_path, url in codes.items():
            write_qr(url, out_dir / rel_path)
        return len(codes)
    try:
        Path(cache_dir).mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only checkout still builds, drawing every code
        return write_qr_files(codes, out_dir, None)
    missing = sorted({url for url in codes.values() if not cached_svg_path(url, cache_dir).is_file()})
    workers = min(jobs or os.cpu_count() or 1, 8)
    if workers > 1 and len(missing) >= PARALLEL_FROM:
        from concurrent.futures import ProcessPoolExecutor

        chunks = [missing[i::workers] for i in range(workers)]
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(_draw_into_cache, chunks, [Path(cache_dir)] * workers))
    else:
        _draw_into_cache(missing, Path(cache_dir))
    for rel_path, url in codes.items():
        target = out_dir / rel_path
        target.parent.mkdir(parents=True, exist_ok=True)
        _place(cached_svg_path(url, cache_dir), target)
    return len(missing)


def _draw_into_cache(urls: list[str], cache_dir: Path) -> None:
    for url in urls:
        _store(cached_svg_path(url, cache_dir), qr_svg(url).encode("utf-8") + b"\n")


def _store(path: Path, data: bytes) -> None:
    """Write a cache entry atomically: a build killed midway must not leave half an SVG to be reused."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_bytes(data)
    os.replace(partial, path)


def _place(cached: Path, target: Path) -> None:
    """A hard link when the cache and the site share a file system (no bytes copied), else a copy."""
    if target.exists() or target.is_symlink():
        target.unlink()
    try:
        os.link(cached, target)
    except OSError:
        shutil.copyfile(cached, target)
