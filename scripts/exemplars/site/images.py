"""The published copies of the library's images: resized to a few widths, photo metadata stripped, cached.

Every image a published page references (covers, body images; media.py finds and checks them) is published as
`media/<digest>-<width>.<ext>`, one file per width, plus one share-sized JPEG for `og:image`. The name is the
digest of the original's bytes, never the editor's file name (which may carry a personal number, and changes when
a file is renamed); the same bytes give the same files, so builds stay reproducible and browsers may cache the
files for ever.

Re-encoding through Pillow writes pixels only: EXIF (camera, time, GPS position), XMP, IPTC and PNG text chunks
are not carried over. The EXIF orientation is applied to the pixels first, so a phone photo stays upright. Only
the colour profile is kept (it is not personal and without it colours shift).

Resizing a phone photo takes ~0.1–0.3 s per width, so results are kept in `.cache/media/`, named by the digest
of the original, the width, `PIPELINE` (bump it when the encoding changes) and Pillow's version: a rebuild copies
them.

Plain Python: nothing here imports MkDocs.
"""

from __future__ import annotations

import functools
import io
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..fsutil import write_atomic
from ..media import FORMATS, ImageInfo, ImageProblem, probe
from . import urls

PIPELINE = "1"  # part of every cached file's name: change it when the encoding below changes
WIDTHS = (480, 960, 1600)  # phone, tablet / phone at 2x, desktop at 2x
SHARE_WIDTH = 1200  # WeChat, Weibo and Open Graph crawlers' preferred size, within a 1200×1200 box (a portrait photo
# stays whole rather than cropped); always a JPEG (WebP is not shown everywhere)
OUTPUT_FOLDER = "media"
QUALITY = {
    "JPEG": {"quality": 82, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 80, "method": 4},
}


BODY_SIZES = "(min-width: 1220px) 800px, 94vw"  # the story column is at most ~800 px wide (screenshots at 1280)
_OUR_IMG = re.compile(r'<img\b[^>]*?\ssrc="(?:\.\./)*media/(?P<digest>[0-9a-f]{16})-\d+\.(?:jpg|png|webp)"[^>]*>')


@dataclass(frozen=True)
class Variant:
    url: str  # site-relative
    width: int
    height: int
    format: str  # JPEG, PNG or WEBP


@dataclass(frozen=True)
class Published:
    """One image as the site publishes it."""

    info: ImageInfo
    variants: tuple[Variant, ...]  # narrowest first
    share: Variant

    def default(self) -> Variant:
        """The `src` for browsers without srcset: the middle width."""
        return self.variants[min(1, len(self.variants) - 1)]

    def srcset(self, page_url: str) -> str:
        return ", ".join(f"{urls.relative(page_url, v.url)} {v.width}w" for v in self.variants)


def widths_for(width: int) -> list[int]:
    """The widths published for an image `width` pixels wide: the standard ones below it, and itself up to the
    largest (never enlarged)."""
    widest = min(width, WIDTHS[-1])
    return [w for w in WIDTHS if w < widest] + [widest]


def _scaled(info: ImageInfo, width: int) -> int:
    return max(1, round(info.height * width / info.width))


def plan(info: ImageInfo) -> Published:
    stem = f"{OUTPUT_FOLDER}/{info.digest[:16]}"
    ext = FORMATS[info.format]
    variants = tuple(Variant(f"{stem}-{w}.{ext}", w, _scaled(info, w), info.format) for w in widths_for(info.width))
    share_width = min(info.width, SHARE_WIDTH, round(info.width * SHARE_WIDTH / info.height))  # fits 1200×1200
    share = Variant(f"{stem}-share.jpg", share_width, _scaled(info, share_width), "JPEG")
    return Published(info, variants, share)


class MediaIndex:
    """Repository path → its published form, for the images the published pages use. Images that fail the
    checker are left out (a preview build still runs with errors: such an image is simply not shown)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.by_path: dict[str, Published] = {}
        self._failed: set[str] = set()

    def get(self, path: str | None) -> Published | None:
        if path is None or path in self._failed:
            return None
        found = self.by_path.get(path)
        if found is None:
            try:
                found = self.by_path[path] = plan(probe(self.root, path))
            except ImageProblem:
                self._failed.add(path)
        return found

    def with_srcset(self, html: str, page_url: str) -> str:
        """Sanitised body HTML with srcset, sizes and decoding added to every <img> showing one of our copies (a
        `media/<digest>-<width>.<ext>` src). Done after the sanitiser, which lets no srcset through: an editor's
        raw HTML cannot smuggle URLs in one, and ours are built here from the index only."""
        by_digest = {p.info.digest[:16]: p for p in self.by_path.values()}

        def add(match: re.Match) -> str:
            published = by_digest.get(match.group("digest"))
            if published is None:
                return match.group(0)
            return (
                f'<img srcset="{published.srcset(page_url)}" sizes="{BODY_SIZES}" decoding="async"'
                + match.group(0)[len("<img") :]
            )

        return _OUR_IMG.sub(add, html)

    def write(self, out: Path, cache_dir: Path) -> int:
        """Write every variant of every image used into `out`; returns how many files were newly encoded."""
        encoded = 0
        for published in self.by_path.values():
            for variant in (*published.variants, published.share):
                target = out / variant.url
                if target.is_file():
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                cached = cache_dir / f"{published.info.digest}-{variant.width}-{variant.format}-{_encoder()}"
                if not cached.is_file():
                    encoded += 1
                    try:
                        _encode(self.root / published.info.path, variant, cached)
                    except OSError:  # a read-only checkout or a full disk: the cache only ever saves time
                        _encode(self.root / published.info.path, variant, target)
                        continue
                shutil.copyfile(cached, target)
        return encoded


@functools.lru_cache(maxsize=1)
def _encoder() -> str:
    """The pipeline version and Pillow's: another encoder may write other bytes, so it gets its own cache entries
    (a build's output never depends on which machine warmed the cache)."""
    from PIL import __version__ as pillow

    return f"{PIPELINE}-pillow{pillow}"


def _encode(source: Path, variant: Variant, cached: Path) -> None:
    from PIL import Image, ImageOps

    with Image.open(source) as original:
        image = ImageOps.exif_transpose(original)  # upright pixels; the orientation tag goes with the rest of EXIF
        profile = original.info.get("icc_profile")
        if variant.format == "JPEG" and image.mode not in ("RGB", "L"):
            image = _flatten(image)
        elif image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB")
        if image.width != variant.width:
            image = image.resize((variant.width, variant.height), Image.Resampling.LANCZOS)
        options = dict(QUALITY[variant.format])
        if profile:
            options["icc_profile"] = profile
        encoded = io.BytesIO()
        image.save(encoded, variant.format, **options)  # no exif=, pnginfo=: metadata is not written
    write_atomic(cached, encoded.getvalue(), durable=False)  # a crash never leaves a truncated file in the cache


def _flatten(image):
    """A transparent PNG/WebP as a JPEG (the share copy): on white, as a reader would see it on the page."""
    from PIL import Image

    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


COVER_SIZES = BODY_SIZES


@dataclass(frozen=True)
class CoverView:
    """What the story template needs to draw a cover, with URLs relative to the page."""

    src: str
    srcset: str
    sizes: str
    width: int
    height: int
    alt: str


def cover_view(published: Published | None, page_url: str, alt: str) -> CoverView | None:
    if published is None:
        return None
    default = published.default()
    return CoverView(
        src=urls.relative(page_url, default.url),
        srcset=published.srcset(page_url),
        sizes=COVER_SIZES,
        width=default.width,
        height=default.height,
        alt=alt,
    )


def used_images(index: MediaIndex, library, paths: set[str]) -> None:
    """Plan the images of the files behind published pages (`paths`): covers and body images. Done once, before
    pages are rendered (in helper processes too), so that `write` knows every image a page shows — and only those:
    a draft's photo is not copied into the public site."""
    from ..media import body_refs, cover_ref

    for story in library.stories:
        if story.path in paths and story.cover:
            index.get(cover_ref(story.path, story.cover, 1, index.root).path)
    for record in library.all_records:
        if record.path in paths and record.readable and record.body:
            for ref in body_refs(record.path, record.body, record.body_line):
                index.get(ref.path)
