"""QR codes of story and lesson URLs, for printed handouts and slides: SVG, same bytes for the same URL.

The symbol comes from zxing-cpp (the C++ ZXing library): error correction M (15 % of the code may be smudged or
folded), smallest version that fits, and the mask the standard's penalty rules choose, so a URL always gives the
same symbol. It encodes a code in ~0.4 ms; segno (pure Python) took ~2 ms even with the mask fixed, 20 s of CPU
in a 10,000-story build, on the same cores Pagefind needs. One module is 1 mm: a version-4 code (a typical story
URL) prints 41 mm wide including the quiet zone, which phones read from arm's length; the viewBox lets CSS scale
it on screen. Dark on an opaque white background, so it scans in dark mode and on tinted paper too.

Plain Python: nothing here imports MkDocs.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import subprocess
import sys
import tempfile
from html import escape
from importlib.metadata import version
from pathlib import Path

import zxingcpp

from ..fsutil import place_from_cache, write_atomic
from ..parallel import module_process, pool_map, workers

ERROR = "M"
MODULE_MM = 1  # printed size of one module
BORDER = 4  # quiet zone, in modules (the standard's minimum)
SVG_CLASS = "exemplars-qr"


def qr_matrix(url: str) -> list[bytes]:
    """The QR symbol for `url` as rows of modules, 1 dark and 0 light, without the quiet zone."""
    symbol = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level=ERROR)
    image = memoryview(symbol.to_image(scale=1, add_quiet_zones=False))  # 0 dark, 255 light
    pixels = image.tobytes().translate(_DARK)
    width = image.shape[1]
    return [pixels[row : row + width] for row in range(0, len(pixels), width)]


_DARK = bytes([1] + [0] * 255)  # translate table: black pixel → 1, anything else → 0
_ROW_END = b"\x02"
_RUNS = re.compile(rb"\x01+|\x00+|\x02")
# Path commands for every run a symbol can have (version 40 is 177 modules wide), looked up rather than
# formatted: the path of a 10,000-story build's codes is then built in C, not one f-string per run.
_COMMANDS = {
    _ROW_END: "\n",
    **{b"\x01" * n: f"h{n}" for n in range(1, 178)},
    **{b"\x00" * n: f"m{n} 0" for n in range(1, 178)},
}


@functools.lru_cache(maxsize=8192)  # `mkdocs serve` rebuilds reuse them
def qr_svg(url: str) -> str:
    """An inline SVG element (no XML declaration) with a <title> holding the URL; deterministic.

    One stroked path walks the symbol row by row: a horizontal stroke over each run of dark modules, a move over
    each light run, and back to the start of the next row."""
    matrix = qr_matrix(url)
    width = len(matrix)
    size = width + 2 * BORDER
    runs = _RUNS.findall(_ROW_END.join(matrix))
    path = "".join(map(_COMMANDS.__getitem__, runs)).replace("\n", f"m-{width} 1")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size * MODULE_MM}mm" height="{size * MODULE_MM}mm" '
        f'viewBox="0 0 {size} {size}" class="{SVG_CLASS}"><title>{escape(url)}</title>'
        f'<path fill="#fff" d="M0 0h{size}v{size}h-{size}z"/>'
        f'<path stroke="#000" d="M{BORDER} {BORDER + 0.5}{path}"/></svg>'
    )


def write_qr(url: str, path: Path) -> Path:
    """Write the SVG of `url` as a standalone .svg file (it carries the SVG namespace); returns `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(qr_svg(url).encode("utf-8") + b"\n")
    return path


# Everything that shapes the SVG bytes: a change to any of it must miss the on-disk cache.
CACHE_KEY = f"qr-svg-3|zxing-cpp-{version('zxing-cpp')}|{ERROR}|{MODULE_MM}|{BORDER}|{SVG_CLASS}|"


def cached_svg_path(url: str, cache_dir: Path) -> Path:
    """Where the SVG of `url` lives in the build cache: content-addressed by URL and every drawing setting."""
    digest = hashlib.sha1((CACHE_KEY + url).encode("utf-8")).hexdigest()
    return Path(cache_dir) / digest[:2] / f"{digest}.svg"


PARALLEL_FROM = 1000  # codes to draw; below this a process pool costs more than it saves


def write_qr_files(codes: dict[str, str], out_dir: Path, cache_dir: Path | None = None, jobs: int | None = None) -> int:
    """Write one standalone SVG per entry of `codes` (site-relative file path → URL it encodes) under `out_dir`.

    With `cache_dir` (e.g. `.cache/qr/`), codes drawn by an earlier build are linked or copied from there instead
    of being drawn again; new ones are drawn into it first (in parallel when there are many and `jobs` allows).
    Returns how many codes had to be drawn.
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
    count = min(workers(jobs), 8)
    if count > 1 and len(missing) >= PARALLEL_FROM:
        pool_map(_draw_into_cache, [missing[i::count] for i in range(count)], Path(cache_dir), jobs=count)
    else:
        _draw_into_cache(missing, Path(cache_dir))
    for rel_path, url in codes.items():
        target = out_dir / rel_path
        target.parent.mkdir(parents=True, exist_ok=True)
        place_from_cache(cached_svg_path(url, cache_dir), target)
    return len(missing)


def _draw_into_cache(urls: list[str], cache_dir: Path) -> None:
    for url in urls:
        write_atomic(cached_svg_path(url, cache_dir), qr_svg(url).encode("utf-8") + b"\n", durable=False)


class DrawAhead:
    """The codes missing from the cache, drawn by a separate Python process started as soon as the build knows
    them (the library is loaded), while the build's second core is idle: MkDocs then reads its pages on one core.
    Drawn at the end instead, with the search index being merged on the other core, they were the last seconds of
    a large build (10,000 codes: ~5 s). `wait` before write_qr_files, which draws whatever this did not (the
    process failed or was stopped); `stop` when the build fails. Few codes (a warm build) start nothing."""

    MINIMUM = 200  # codes: below this the drawing takes less than a Python start-up

    def __init__(self, codes: dict[str, str], cache_dir: Path) -> None:
        self.process: subprocess.Popen | None = None
        self.listing: str | None = None
        missing = sorted({url for url in codes.values() if not cached_svg_path(url, cache_dir).is_file()})
        if len(missing) < self.MINIMUM:
            return
        try:
            Path(cache_dir).mkdir(parents=True, exist_ok=True)
            handle, self.listing = tempfile.mkstemp(prefix=".urls-", suffix=".txt", dir=cache_dir)
            with os.fdopen(handle, "w", encoding="utf-8") as listing:
                listing.write("\n".join(missing))
            command, environment = module_process("exemplars.site.qr", str(cache_dir), self.listing)
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=environment,
            )
        except OSError:  # a read-only cache or no process slot: write_qr_files draws them all, as before
            self._forget_listing()

    def wait(self) -> None:
        if self.process is not None:
            self.process.wait()
            self.process = None
        self._forget_listing()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
        self.wait()

    def _forget_listing(self) -> None:
        if self.listing is not None:
            Path(self.listing).unlink(missing_ok=True)
            self.listing = None


if __name__ == "__main__":  # DrawAhead's process: python -m exemplars.site.qr <cache dir> <file of URLs>
    _draw_into_cache(Path(sys.argv[2]).read_text(encoding="utf-8").split("\n"), Path(sys.argv[1]))
