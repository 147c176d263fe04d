"""Images a story uses: where they live, which ones a story references, and whether each is a real, sane image.

Where images live: in `media/` (one folder, images shared by stories, easy to review) or beside the story that
uses them; anywhere inside the library is accepted. A story's `cover` is a repository path (from the library root,
like every path the checker prints: `media/x.jpg`); an image beside the story may be named alone (`x.jpg`): the
root is tried first, then the story's folder. An image in the body is a Markdown image (`![说明](../../media/x.jpg)`),
relative to the story file as Markdown links are, so editors' previews on the git host show it too. Both must
stay inside the library.

The checker (check.py) calls `probe` for every referenced image: it reads only the file's header through Pillow,
so a check stays cheap. The site layer (site/images.py) makes the published copies.

Plain Python: nothing here imports MkDocs.
"""

from __future__ import annotations

import hashlib
import io
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

MEDIA_FOLDER = "media"
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}  # Pillow's format name → the extension published
MAX_BYTES = 20 * 1024 * 1024  # a phone photo is 2–8 MB; anything larger is a scan or a mistake
MAX_SIDE = 12000  # pixels per side; beyond it decoding alone takes hundreds of MB
MAX_PIXELS = 60_000_000
MIN_SIDE = 64  # smaller is an icon or a broken export, never a picture a reader can see

# `![alt](path)` or `![alt](path "title")`; reference-style images are rare in stories and not followed.
_MARKDOWN_IMAGE = re.compile(r"!\[(?P<alt>[^\]\n]*)\]\(\s*<?(?P<src>[^)\s>]+)>?(?:\s+\"[^\"\n]*\")?\s*\)")
_HTML_IMAGE = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)
_FENCE = re.compile(r"^\s*(```|~~~)")
_ANY_IMG_TAG = re.compile(r"<img", re.IGNORECASE)


@dataclass(frozen=True)
class ImageRef:
    """One image a file points at: `path` is repository-relative (None when it leaves the library)."""

    source: str  # the story or lesson file
    line: int
    written: str  # as the editor wrote it
    path: str | None
    field: str  # "cover" or "body"


@dataclass(frozen=True)
class ImageInfo:
    path: str  # repository-relative
    format: str  # JPEG, PNG or WEBP
    width: int  # as displayed (EXIF orientation applied)
    height: int
    digest: str  # sha256 of the file's bytes: names the published copies and keys the cache


class ImageProblem(Exception):
    """A referenced image that cannot be published: `code` is a diagnostic code, `args` its message values."""

    def __init__(self, code: str, **args) -> None:
        super().__init__(code)
        self.code, self.args_ = code, args


def is_external(src: str) -> bool:
    parts = urlsplit(src)
    return bool(parts.scheme or parts.netloc) or src.startswith(("#", "/"))


def resolve(base_folder: str, written: str) -> str | None:
    """`written` joined onto `base_folder` (both POSIX, repository-relative), or None if it leaves the library."""
    joined = posixpath.normpath(posixpath.join(base_folder, unquote(urlsplit(written).path)))
    if joined.startswith("../") or joined == ".." or posixpath.isabs(joined):
        return None
    return joined


def cover_ref(source: str, cover: str, line: int, root: Path | None = None) -> ImageRef:
    """The cover as a repository path: from the library root, or, if no file is there, from the story's folder."""
    written = cover.strip()
    path = resolve("", written)
    if root is not None and path is not None and not _is_file(Path(root) / path):
        beside = resolve(posixpath.dirname(source), written)
        if beside is not None and _is_file(Path(root) / beside):
            path = beside
    return ImageRef(source, line, written, path, "cover")


def body_refs(source: str, body: str, body_line: int) -> list[ImageRef]:
    """Every local image in a Markdown body, with its file line; images inside fenced code are examples, skipped."""
    if "![" not in body and not _ANY_IMG_TAG.search(body):  # most bodies: no image at all
        return []
    refs = []
    fenced = False
    folder = posixpath.dirname(source)
    for offset, text in enumerate(body.split("\n")):
        if _FENCE.match(text):
            fenced = not fenced
            continue
        if fenced or ("![" not in text and "<img" not in text.lower()):
            continue
        unquoted = re.sub(r"`[^`]*`", "", text)  # inline code is an example too
        found = [m.group("src") for m in _MARKDOWN_IMAGE.finditer(unquoted)] + _HTML_IMAGE.findall(unquoted)
        for src in found:
            if not is_external(src):
                refs.append(ImageRef(source, body_line + offset, src, resolve(folder, src), "body"))
    return refs


def probe(root: Path, path: str) -> ImageInfo:
    """Read the header of the image at repository path `path`; raise ImageProblem with the reason if it is not
    an existing JPEG, PNG or WebP of sane size."""
    from PIL import Image  # imported here: `exemplars check` without images never pays for it

    file = root / path
    try:
        inside = file.resolve().is_relative_to(Path(root).resolve())  # a symlink out of the library is outside
    except (OSError, ValueError):  # a loop of links, a NUL in the name: no such image
        raise ImageProblem("E-IMAGE-MISSING", value=path, suggestion="") from None
    if not inside:
        raise ImageProblem("E-IMAGE-OUTSIDE", value=path)
    if not _is_file(file):
        raise ImageProblem("E-IMAGE-MISSING", value=path, suggestion=_nearby(root, path))
    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            raise ImageProblem("E-IMAGE-TOO-LARGE", value=path, size=_megabytes(size), limit=_megabytes(MAX_BYTES))
        data = file.read_bytes()
    except OSError as exc:
        raise ImageProblem("E-IMAGE-READ", value=path, error=exc.strerror or type(exc).__name__) from None
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            if kind in FORMATS:
                image.verify()  # structure and checksums without decoding every pixel; must come first
        with Image.open(io.BytesIO(data)) as image:  # verify() leaves the image unusable: read the header again
            width, height = image.size
            orientation = image.getexif().get(0x0112, 1) if kind in FORMATS else 1
    except Image.DecompressionBombError:  # hundreds of megapixels: refused before decoding
        raise ImageProblem(
            "E-IMAGE-DIMENSIONS",
            value=path,
            width="?",
            height="?",
            low=MIN_SIDE,
            high=MAX_SIDE,
            megapixels=MAX_PIXELS // 1_000_000,
        ) from None
    except Exception:  # noqa: BLE001 - whatever a decoder raises on a malformed file, the editor gets one message
        raise ImageProblem("E-IMAGE-FORMAT", value=path, found=_what_it_is(data)) from None
    if kind not in FORMATS:
        raise ImageProblem("E-IMAGE-FORMAT", value=path, found=f"{kind} 格式的图片")
    if orientation in (5, 6, 7, 8):  # rotated a quarter turn: shown with width and height swapped
        width, height = height, width
    if max(width, height) > MAX_SIDE or width * height > MAX_PIXELS or min(width, height) < MIN_SIDE:
        raise ImageProblem(
            "E-IMAGE-DIMENSIONS",
            value=path,
            width=width,
            height=height,
            low=MIN_SIDE,
            high=MAX_SIDE,
            megapixels=MAX_PIXELS // 1_000_000,
        )
    return ImageInfo(path=path, format=kind, width=width, height=height, digest=hashlib.sha256(data).hexdigest())


def _is_file(path: Path) -> bool:
    """Path.is_file, also False for names the system refuses (too long, NUL): whatever an editor typed."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _what_it_is(data: bytes) -> str:
    head = data[:16]
    if not data:
        return "空文件"
    if head.startswith(b"%PDF"):
        return "PDF 文档"
    if head.startswith(b"GIF8"):
        return "GIF 动图"
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc"):
        return "HEIC 照片（苹果手机的默认格式）"
    if head.startswith((b"\xff\xd8", b"\x89PNG", b"RIFF")):
        return "损坏或不完整的图片文件"
    if all(32 <= b < 127 or b in (9, 10, 13) for b in data[:512]) or data[:3] == b"\xef\xbb\xbf":
        return "文本文件"
    return "无法识别的文件内容"


def _nearby(root: Path, path: str) -> str:
    """A same-named image elsewhere in media/, for the hint (a common slip: the wrong folder)."""
    name = posixpath.basename(path)
    media = root / MEDIA_FOLDER
    if not name or not media.is_dir():
        return ""
    for folder, _, names in sorted(os.walk(media)):  # names compared as they are: a file name is no glob pattern
        if name in names:
            found = Path(folder, name).relative_to(root).as_posix()
            return f"；`{found}` 同名，是不是这个？"
    return ""
