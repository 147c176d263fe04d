"""Editable Word (.docx) copies of lesson handouts and, opt-in, of stories: trainers adapt handouts in WPS or Word
before class, which a browser print does not allow.

A handout .docx carries what the handout page carries: the lesson's header (audience, duration, methods,
objectives), the teaching flow, every cited story in full (facts, body, sources, permanent URL and its QR code)
and the discussion questions. Page A4 (python-docx defaults to Letter); fonts named the way WPS and Word on
Windows know them (宋体 for text, 黑体 for headings), set as East Asian fonts too, else Word falls back to its
Latin font for Chinese. QR codes go in as PNG: Word cannot place python-docx's SVG.

Bodies come in as the HTML the site renders (the body cache makes that free) and are walked by a small converter
that keeps headings, paragraphs, lists, quotes, tables, bold and italic; images and links keep their text.

Reproducible: the same inputs give the same bytes (fixed core-property dates taken from the content, fixed zip
timestamps and member order). A document is stored in `.cache/docx/` under the digest of its inputs and of this
code, so a second build copies instead of building.

Cost (a cold build writes every handout): the blank template is taken apart once per process and its fixed parts
(styles alone are 790 KB of XML) are shared as compressed bytes; paragraphs and runs are built as XML elements
directly. A handout of 3–5 stories costs ~10–13 ms of CPU here (it was 33–41 ms when every document re-parsed,
re-serialized and re-compressed the template and went through python-docx's generic element calls), about a
third of it the QR codes' PNG encoding.

Plain Python: nothing here imports MkDocs.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from importlib.metadata import version
from pathlib import Path
from typing import Callable

from lxml.etree import SubElement

from ..cache import digest
from ..fsutil import place_from_cache, write_atomic
from ..parallel import SharedMap
from .qr import qr_matrix
from .render import code_signature
from .sanitize import HEADINGS

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"
QR_WIDTH_MM = 30
QR_PIXELS_PER_MODULE = 8  # one byte of a 1-bit image row: qr_png relies on it
QR_BORDER = 4
COMPRESS_LEVEL = 1  # zlib's fastest: ~10 ms less a document than the default level, files ~40 % larger (55 KB, not 38)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the zip format's earliest date: no build time in the package
FALLBACK_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)

HANDOUT_FILE = "handout.docx"  # next to the lesson page: lessons/<id>/handout.docx
STORY_FILE = "story.docx"  # next to the story page, opt-in: stories/<id>/story.docx


@dataclass(frozen=True)
class StoryPart:
    """One story as a Word document shows it: everything already turned into text, the body as site HTML."""

    title: str
    kind_label: str
    summary: str
    methods: str
    region: str
    date: str
    sources: tuple[str, ...]
    url: str | None  # permanent public URL (None without site_url)
    body: Callable[[], str]  # rendered body HTML, on demand
    stamp: dt.date  # latest date the story carries: the document's created/modified date

    def key_parts(self) -> tuple[str, ...]:
        return (
            self.title,
            self.kind_label,
            self.summary,
            self.methods,
            self.region,
            self.date,
            *self.sources,
            self.url or "",
            str(self.body()),
            self.stamp.isoformat(),
        )


@dataclass(frozen=True)
class HandoutPart:
    title: str
    summary: str
    audience: str
    duration: int
    methods: str
    objectives: tuple[str, ...]
    questions: tuple[str, ...]
    cases: tuple[str, ...]  # the case list in teaching order, withdrawn/missing entries as a note
    flow: Callable[[], str]  # the lesson body as HTML
    stories: tuple[StoryPart, ...] = field(default=())
    url: str | None = None
    flow_heading: bool = True  # False when the flow has its own "## …" sections: they become the Heading 1s

    def key_parts(self) -> tuple[str, ...]:
        parts = [
            self.title,
            self.summary,
            self.audience,
            str(self.duration),
            self.methods,
            *self.objectives,
            "|",
            *self.questions,
            "|",
            *self.cases,
            "|",
            str(self.flow()),
            self.url or "",
            str(self.flow_heading),
        ]
        for story in self.stories:
            parts += ["|story|", *story.key_parts()]
        return tuple(parts)


# --- documents ----------------------------------------------------------------------------------------------
def handout_docx(part: HandoutPart) -> bytes:
    stamp = max((s.stamp for s in part.stories), default=None)
    doc = _new_document(part.title, stamp)
    body = doc.element.body
    _add(body, part.title, "Title")
    _facts(body, [("对象", part.audience), ("时长", f"{part.duration} 分钟"), ("方法", part.methods)])
    if part.summary:
        _add(body, part.summary)
    if part.url:
        _add(body, f"课程网址：{part.url}")
    _add(body, "教学目标", "Heading 1")
    _numbered(body, part.objectives)
    _add(body, "案例", "Heading 1")
    _numbered(body, part.cases)
    if part.flow_heading:
        _add(body, "教学流程", "Heading 1")
    HtmlToDocx(doc, heading_offset=0 if part.flow_heading else -1).feed_all(str(part.flow()))
    if part.questions:
        _add(body, "讨论题", "Heading 1")
        _numbered(body, part.questions)
    for number, story in enumerate(part.stories, 1):
        heading = _add(body, f"案例 {number}：{story.title}", "Heading 1")
        heading.get_or_add_pPr().pageBreakBefore_val = True  # each case on a new page, as the printed handout
        _story(doc, story)
    return _package(doc)


def story_docx(story: StoryPart) -> bytes:
    doc = _new_document(story.title, story.stamp)
    _add(doc.element.body, story.title, "Title")
    _story(doc, story)
    return _package(doc)


def _story(doc, story: StoryPart) -> None:
    body = doc.element.body
    _facts(body, [("类型", story.kind_label), ("方法", story.methods), ("地区", story.region), ("时间", story.date)])
    _run(_add(body, ""), story.summary, italic=True)
    HtmlToDocx(doc, heading_offset=0).feed_all(str(story.body()))
    _add(body, "来源", "Heading 2")
    _numbered(body, story.sources)
    if story.url:
        _add(body, f"本案例网址：{story.url}")
        picture = doc.add_paragraph()
        picture.add_run().add_picture(io.BytesIO(qr_png(story.url)), width=_mm(QR_WIDTH_MM))


def _numbered(body, items) -> None:
    """Numbers written out: Word's list numbering would run on from one list into the next."""
    for number, item in enumerate(items, 1):
        _add(body, f"{number}. {item}")


def _facts(body, facts: list[tuple[str, str]]) -> None:
    paragraph = _add(body, "")
    for index, (label, value) in enumerate(f for f in facts if f[1]):
        if index:
            _run(paragraph, "　")
        _run(paragraph, f"{label}：", bold=True)
        _run(paragraph, value)


def story_part(story, library, render: Callable[[str, str, str], str], page_url: str, base: str | None) -> StoryPart:
    """A story as Word shows it; `render` and `page_url` as for the page the body also appears on (the body
    cache then serves it)."""
    from . import urls
    from .views import format_date

    return StoryPart(
        title=story.title,
        kind_label=story.kind_label,
        summary=story.summary,
        methods="、".join(library.method(m).name for m in story.methods),
        region=" / ".join(story.region),
        date=format_date(story.date),
        sources=tuple(_source_text(s) for s in story.sources),
        url=(base + urls.story(story.id)) if base else None,
        body=_Lazy(lambda: render(story.body, story.path, page_url)),
        stamp=max(d for d in (story.date, story.updated, story.published) if d is not None),
    )


def _source_text(source) -> str:
    text = source.title
    if source.url:
        text += f"（{source.url}）"
    if source.date:
        text += f"（{source.date.isoformat()}）"
    return text


class _Lazy:
    """A value computed on first call and kept (the body is needed for the cache key and again for the build)."""

    def __init__(self, make: Callable[[], str]) -> None:
        self._make, self._value = make, None

    def __call__(self) -> str:
        if self._value is None:
            self._value = str(self._make())
        return self._value


# --- page, fonts, package -----------------------------------------------------------------------------------
def _mm(value: float):
    from docx.shared import Mm

    return Mm(value)


# The paragraphs and runs are built as XML elements directly, the way python-docx's `add_paragraph`, `add_run`,
# `.style`, `.bold`, `.italic` and `.font.superscript` build them (same elements, same order, same attributes):
# through python-docx, each run went through a dozen generic child-insertion calls, the largest cost of a handout
# once the template was parsed only once. tests/test_word_export.py compares the two element by element.
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_SPECIAL = frozenset("\t\r\n")  # python-docx turns these into <w:tab/> and <w:br/>: left to it


def _add(body, text: str, style: str | None = None):
    """A new paragraph (a `w:p` element) at the end of `body` (the document's `w:body` element), in a style named
    as Word names it, set by id (python-docx looks a name up by scanning every style); `text`, if any, as its one
    run."""
    p = SubElement(body, _W + "p")
    before = p.getprevious()
    if before is not None and before.tag == _W + "sectPr":  # the section properties stay the body's last child
        before.addprevious(p)
    if style is not None:
        SubElement(SubElement(p, _W + "pPr"), _W + "pStyle", {_W + "val": _style_ids()[style]})
    if text:
        _run(p, text)
    return p


def _run(p, text: str, bold: bool = False, italic: bool = False, superscript: bool = False) -> None:
    """Append a run to paragraph element `p`: python-docx's `p.add_run(text)` with `.bold`/`.italic`/
    `.font.superscript` set to True."""
    r = SubElement(p, _W + "r")
    if bold or italic or superscript:
        properties = SubElement(r, _W + "rPr")
        if bold:
            SubElement(properties, _W + "b")
        if italic:
            SubElement(properties, _W + "i")
        if superscript:
            SubElement(properties, _W + "vertAlign", {_W + "val": "superscript"})
    if not text:
        return
    if _SPECIAL.isdisjoint(text):
        t = SubElement(r, _W + "t")
        t.text = text
        if len(text.strip()) < len(text):
            t.set(_XML_SPACE, "preserve")
    else:
        r.text = text  # python-docx's CT_R.text: <w:t>, <w:tab/> and <w:br/> as the characters ask


@dataclass(frozen=True)
class _Skeleton:
    """The empty document every file starts from (A4, margins, fonts), taken apart once per process. Only two of
    its parts differ between documents: the document (its body) and the core properties (title, dates). The others
    (styles.xml 349 KB, stylesWithEffects.xml 438 KB, theme, numbering, …) are the same bytes in every file:
    parsing, serializing and compressing them again for each document was over half of a handout's cost, so they
    are kept here serialized and compressed."""

    package: object  # python-docx's package of the template: the part and relationship graph every document copies
    blobs: dict  # fixed part → its serialized bytes
    deflated: dict[str, tuple[bytes, int, bytes]]  # zip member name → (bytes, CRC-32, raw deflate stream)
    style_ids: dict[str, str]  # style name as Word names it → style id


@functools.lru_cache(maxsize=1)
def _skeleton() -> _Skeleton:
    import docx
    from docx.opc.parts.coreprops import CorePropertiesPart
    from docx.parts.document import DocumentPart
    from docx.shared import Pt, RGBColor

    doc = docx.Document()  # python-docx's own blank document
    for section in doc.sections:
        section.page_width, section.page_height = _mm(210), _mm(297)
        section.top_margin = section.bottom_margin = _mm(25)
        section.left_margin = section.right_margin = _mm(25)
    styles = doc.styles
    _font(styles["Normal"], BODY_FONT, Pt(12))
    for name, size in (("Title", 22), ("Heading 1", 16), ("Heading 2", 14), ("Heading 3", 13), ("Heading 4", 12)):
        style = styles[name]
        _font(style, HEADING_FONT, Pt(size))
        style.font.color.rgb = RGBColor(0, 0, 0)  # the template's blue prints grey on office printers
        style.font.italic = False
    package = doc.part.package
    blobs = {
        part: part.blob for part in package.iter_parts() if not isinstance(part, (DocumentPart, CorePropertiesPart))
    }
    deflated = {part.partname.membername: (blob, *_deflate(blob)) for part, blob in blobs.items()}
    return _Skeleton(package, blobs, deflated, {style.name: style.style_id for style in styles})


def _style_ids() -> dict[str, str]:
    return _skeleton().style_ids


def _new_document(title: str, stamp: dt.date | None):
    """A python-docx Document on a fresh copy of the template's package: the document and core-properties parts
    copied (their XML trees are small), every other part shared as its bytes, every relationship under its
    template id, so the package that is written is the one `docx.Document(template)` would have written."""
    from docx.opc.part import Part
    from docx.opc.parts.coreprops import CorePropertiesPart
    from docx.package import Package
    from docx.parts.document import DocumentPart

    skeleton = _skeleton()
    package = Package()
    copies = {}
    for part in skeleton.package.iter_parts():
        if isinstance(part, (DocumentPart, CorePropertiesPart)):
            copies[part] = type(part)(part.partname, part.content_type, copy.deepcopy(part.element), package)
        else:
            copies[part] = Part(part.partname, part.content_type, skeleton.blobs[part], package)
    for source, target in ((skeleton.package, package), *copies.items()):
        for rel in source.rels.values():
            linked = rel.target_ref if rel.is_external else copies[rel.target_part]
            target.load_rel(rel.reltype, linked, rel.rId, rel.is_external)
    package.after_unmarshal()
    doc = package.main_document_part.document
    when = (dt.datetime.combine(stamp, dt.time(), dt.timezone.utc) if stamp else FALLBACK_DATE).replace(tzinfo=None)
    core = doc.core_properties
    core.title, core.author, core.last_modified_by, core.comments = title, "典型示范故事库", "典型示范故事库", ""
    core.created = core.modified = core.last_printed = when
    core.revision = 1
    return doc


def _font(style, east_asian: str, size) -> None:
    from docx.oxml.ns import qn

    style.font.name = LATIN_FONT if east_asian == BODY_FONT else east_asian
    style.font.size = size
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):  # a theme font wins otherwise
        fonts.attrib.pop(qn(theme), None)


def _package(doc) -> bytes:
    """The document's bytes with fixed zip timestamps, so the same document is the same file. python-docx's own
    save stamps the current time; its package writer is given a zip writer that does not."""
    from docx.opc.pkgwriter import PackageWriter

    package = doc.part.package
    for part in package.parts:
        part.before_marshal()
    out = io.BytesIO()
    writer = _FixedTimeZip(out, _skeleton().deflated)
    PackageWriter._write_content_types_stream(writer, package.parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    PackageWriter._write_parts(writer, package.parts)
    writer.close()
    return out.getvalue()


def _deflate(blob: bytes) -> tuple[int, bytes]:
    """CRC-32 and raw deflate stream of `blob`, as zipfile computes them for a ZIP_DEFLATED member."""
    compressor = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
    return zlib.crc32(blob), compressor.compress(blob) + compressor.flush()


class _FixedTimeZip:
    """python-docx's physical package writer interface (`write(pack_uri, blob)`, `close()`): a zip file laid out
    byte for byte as `zipfile.ZipFile(out, "w", ZIP_DEFLATED)` lays it out (local header, data; central directory,
    end record; no data descriptors, no extra fields), with every member dated 1980-01-01. Written here rather than
    with zipfile because zipfile cannot take an already compressed member: the template's fixed parts are
    compressed once per process (`known`: member name → bytes, CRC-32, deflate stream) and copied in whenever a
    document's part has the same bytes. tests/test_word_export.py checks the layout against zipfile's."""

    def __init__(self, out, known: dict[str, tuple[bytes, int, bytes]] | None = None) -> None:
        self._out, self._known, self._members = out, known or {}, []

    def write(self, pack_uri, blob: bytes) -> None:
        name = pack_uri.membername
        known = self._known.get(name)
        crc, packed = known[1:] if known is not None and known[0] == blob else _deflate(blob)
        entry = zipfile.ZipInfo(name, date_time=ZIP_TIME)
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.external_attr = 0o644 << 16
        entry.CRC, entry.compress_size, entry.file_size = crc, len(packed), len(blob)
        entry.header_offset = self._out.tell()
        self._out.write(entry.FileHeader(False))
        self._out.write(packed)
        self._members.append(entry)

    def close(self) -> None:
        start = self._out.tell()
        for entry in self._members:
            dostime, dosdate = _dos_time(entry.date_time)
            name = entry.filename.encode("ascii")  # part names are ASCII (OPC), so no UTF-8 flag
            self._out.write(
                struct.pack(
                    "<4s4B4HL2L5H2L",
                    b"PK\x01\x02",
                    entry.create_version,
                    entry.create_system,
                    entry.extract_version,
                    entry.reserved,
                    entry.flag_bits,
                    entry.compress_type,
                    dostime,
                    dosdate,
                    entry.CRC,
                    entry.compress_size,
                    entry.file_size,
                    len(name),
                    0,  # extra field
                    0,  # comment
                    0,  # disk number
                    entry.internal_attr,
                    entry.external_attr,
                    entry.header_offset,
                )
                + name
            )
        size, count = self._out.tell() - start, len(self._members)
        self._out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, size, start, 0))


def _dos_time(when: tuple[int, ...]) -> tuple[int, int]:
    return when[3] << 11 | when[4] << 5 | (when[5] // 2), (when[0] - 1980) << 9 | when[1] << 5 | when[2]


@functools.lru_cache(maxsize=4096)  # a story cited by several lessons; `mkdocs serve` rebuilds
def qr_png(url: str) -> bytes:
    """The QR code of `url` as a 1-bit PNG (dark on white, quiet zone included); same bytes for the same URL.

    A module is 8 pixels wide, so each module is one byte of the image's packed 1-bit rows (0x00 dark, 0xFF
    light): the rows are the symbol's rows translated, bordered and repeated, handed to Pillow whole."""
    from PIL import Image

    matrix = qr_matrix(url)
    size = len(matrix) + 2 * QR_BORDER
    light = b"\xff" * size * QR_PIXELS_PER_MODULE
    border = b"\xff" * QR_BORDER
    rows = [light] * QR_BORDER
    rows += [(border + row.translate(_MODULE_BYTES) + border) * QR_PIXELS_PER_MODULE for row in matrix]
    rows += [light] * QR_BORDER
    side = size * QR_PIXELS_PER_MODULE
    image = Image.frombytes("1", (side, side), b"".join(rows))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


_MODULE_BYTES = bytes([0xFF, 0x00] + [0xFF] * 254)  # translate table: module 1 (dark) → 8 black pixels


# --- HTML → docx ----------------------------------------------------------------------------------------------
_BLOCKS = {
    "p",
    "li",
    *HEADINGS,
    "figcaption",
    "dt",
    "dd",
    "pre",
    "div",
    "blockquote",
    "section",
    "article",
    "ul",
    "ol",
    "table",
    "tr",
    "figure",
    "aside",
    "header",
    "footer",
}
_SKIP = {"script", "style", "template", "svg", "button"}


class HtmlToDocx(HTMLParser):
    """Appends the site's body HTML to a python-docx document: headings (h2 → Heading 2 …), paragraphs, lists
    (bulleted or numbered, nested two deep), block quotes, tables (one Word table each), bold, italic,
    superscript (footnote marks), line breaks. Images become their alt text in brackets; links their text."""

    def __init__(self, doc, heading_offset: int = 0) -> None:
        super().__init__(convert_charrefs=True)
        self.doc, self.heading_shift = doc, heading_offset  # not `offset`: HTMLParser uses that name
        self.body = doc.element.body
        self.paragraph = None
        self.style: str | None = None
        self.lists: list[str] = []  # "ul"/"ol" nesting
        self.quote = 0
        self.bold = self.italic = self.sup = 0
        self.skip = 0
        self.table: list[list[str]] | None = None
        self.cell: list[str] | None = None
        self.spans: list[bool] = []  # open <span>s: True for a badge (正面典型 …), bracketed so it stays apart

    def feed_all(self, html: str) -> None:
        self.feed(html)
        self.close()
        self._end_table()

    def handle_starttag(self, tag, attrs):
        if self.skip or tag in _SKIP:
            self.skip += tag in _SKIP
            return
        if self.table is not None:
            if tag == "tr":
                self.table.append([])
            elif tag in ("td", "th"):
                self.cell = []
            elif tag == "br" and self.cell is not None:
                self.cell.append("\n")
            return
        if tag == "table":
            self.paragraph = None
            self.table = []
            return
        if tag in ("ul", "ol"):
            self.lists.append(tag)
        if tag == "blockquote":
            self.quote += 1
        if tag in _BLOCKS:
            self.paragraph = None
            self.style = self._style_for(tag)
        elif tag in ("strong", "b"):
            self.bold += 1
        elif tag in ("em", "i"):
            self.italic += 1
        elif tag == "sup":
            self.sup += 1
        elif tag == "span":
            badge = "ex-badge" in (dict(attrs).get("class") or "")
            self.spans.append(badge)
            if badge:
                self._text("【")
        elif tag == "br":
            SubElement(SubElement(self._paragraph(), _W + "r"), _W + "br")  # python-docx's add_run().add_break()
        elif tag == "img":
            alt = dict(attrs).get("alt") or ""
            if alt:
                self._text(f"［图：{alt}］")

    def handle_endtag(self, tag):
        if self.skip:
            self.skip -= tag in _SKIP
            return
        if self.table is not None:
            if tag in ("td", "th") and self.cell is not None and self.table:
                self.table[-1].append("".join(self.cell).strip())
                self.cell = None
            elif tag == "table":
                self._end_table()
            return
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        if tag == "blockquote" and self.quote:
            self.quote -= 1
        if tag in _BLOCKS:
            self.paragraph = None
            self.style = self._style_for(None)
        elif tag in ("strong", "b"):
            self.bold = max(0, self.bold - 1)
        elif tag in ("em", "i"):
            self.italic = max(0, self.italic - 1)
        elif tag == "sup":
            self.sup = max(0, self.sup - 1)
        elif tag == "span" and self.spans and self.spans.pop():
            self._text("】")

    def handle_data(self, data):
        if self.skip:
            return
        if self.table is not None:
            if self.cell is not None:
                self.cell.append(data)
            return
        if self.paragraph is None and not data.strip():
            return  # whitespace between blocks
        self._text(data.replace("\n", " ") if self.style != "pre" else data)

    def _style_for(self, tag: str | None) -> str | None:
        if tag and tag[0] == "h" and tag[1:].isdigit():
            return f"Heading {min(max(int(tag[1:]) + self.heading_shift, 1), 4)}"
        if tag == "li":
            depth = min(len(self.lists), 3)
            base = "List Number" if self.lists and self.lists[-1] == "ol" else "List Bullet"
            return base if depth <= 1 else f"{base} {depth}"
        if tag == "pre":
            return "pre"
        return "Quote" if self.quote else None

    def _paragraph(self):
        if self.paragraph is None:
            style = None if self.style == "pre" else self.style
            self.paragraph = _add(self.body, "", style)
        return self.paragraph

    def _text(self, text: str) -> None:
        _run(self._paragraph(), text, bool(self.bold), bool(self.italic), bool(self.sup))

    def _end_table(self) -> None:
        rows, self.table, self.cell = [r for r in (self.table or []) if r], None, None
        if not rows:
            return
        width = max(len(r) for r in rows)
        # The document's add_table without its `table.style = None`, which looks in the styles part that is only
        # bytes here (see _new_document); the style id is set next, as before.
        table = self.doc._body.add_table(len(rows), width, self.doc._block_width)
        table._tbl.tblStyle_val = _style_ids()["Table Grid"]
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
        self.paragraph = None


# --- writing with a cache -------------------------------------------------------------------------------------
@functools.cache
def code_key() -> str:
    """Everything that shapes the bytes besides the content, so that a change to any of it misses the cache: the
    whole package's code (render.code_signature: this file, qr.py's matrix, sanitize.py's headings …) and the
    libraries that write the file. Worked out once per process, when the first Word file is keyed."""
    libraries = [version(name) for name in ("python-docx", "lxml", "Pillow", "zxing-cpp")]
    return "|".join(["docx-1", code_signature(), *libraries])


@dataclass(frozen=True)
class DocxJob:
    kind: str  # "handout" | "story"
    part: HandoutPart | StoryPart

    def key(self) -> str:
        return digest(code_key(), self.kind, *self.part.key_parts())

    def build(self) -> bytes:
        return handout_docx(self.part) if self.kind == "handout" else story_docx(self.part)


def write_docx_files(
    jobs: dict[str, DocxJob], out_dir: Path, cache_dir: Path | None = None, *, share: bool = False, **hooks
) -> int:
    """Write every job's document under `out_dir` (site-relative path → job). With `cache_dir`, documents built by
    an earlier build are linked or copied from there. With `share`, a forked helper builds every other block of
    them (exemplars.parallel.SharedMap; `hooks` are its on_fork / on_exit). Returns how many had to be built."""
    with SharedMap(
        docx_tasks(jobs, out_dir, cache_dir),
        lambda task: task(),
        share=share,
        min_items=SHARE_FROM,
        block=SHARE_BLOCK,
        **hooks,
    ) as results:
        return sum(results)


def docx_tasks(jobs: dict[str, DocxJob], out_dir: Path, cache_dir: Path | None = None) -> list[Callable[[], int]]:
    """write_docx_files' work as one task per document (each returns 1 if it had to be built), for a build that
    shares them with other work (exemplars.parallel.share_work)."""
    out_dir = Path(out_dir)
    return [functools.partial(_write_docx, rel, job, out_dir, cache_dir) for rel, job in sorted(jobs.items())]


SHARE_FROM = 16  # documents; a handout takes ~12 ms to build, a helper ~50 ms to fork: 16 saves ~0.1 s, 33 ~0.2 s
SHARE_BLOCK = 4  # documents a message: SharedMap's default (32) would leave a lesson library's 33 handouts unshared


def _write_docx(rel_path: str, job: DocxJob, out_dir: Path, cache_dir: Path | None) -> int:
    """One document into the site, from the cache or built (and cached); 1 if it had to be built."""
    target = out_dir / rel_path
    target.parent.mkdir(parents=True, exist_ok=True)
    cached = Path(cache_dir) / f"{job.key()}.docx" if cache_dir is not None else None
    if cached is not None and cached.is_file():
        place_from_cache(cached, target)
        return 0
    data = job.build()
    if cached is not None and _store(cached, data):
        place_from_cache(cached, target)
    else:
        target.write_bytes(data)
    return 1


def _store(path: Path, data: bytes) -> bool:
    """Write a cache entry; False when the cache cannot be written (it only ever saves time)."""
    try:
        write_atomic(path, data, durable=False)  # a cache entry: whole or absent, no flush needed
        return True
    except OSError:
        return False
