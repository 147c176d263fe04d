"""`exemplars import`: a Word (.docx) 事迹材料 becomes a story draft.

mammoth reads the .docx into HTML (its own Markdown output is deprecated and drops tables); a document transform
first turns WPS-style headings (a bold or centred paragraph starting 一、 or （一）) and the title into styles the
style map knows. BeautifulSoup then tidies the HTML (first-line indents, stray spaces, footnotes) and markdownify
writes the Markdown. Guessed front matter is listed under `guessed`, which the checker reports until an editor
has verified it; personal numbers are masked and reported. Nothing here imports MkDocs.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .personal import find_numbers, mask_found
from .regions import PROVINCES
from .schema import PLACEHOLDER

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: old .doc/.wps, or an encrypted .docx
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")  # directory entry of a password-protected OOXML file

STYLE_MAP = """
p[style-name='Title'] => h1:fresh
p[style-name='标题'] => h1:fresh
p[style-name='Subtitle'] => p.subtitle:fresh
p[style-name='副标题'] => p.subtitle:fresh
p[style-name='Heading 1'] => h2:fresh
p[style-name='Heading 2'] => h3:fresh
p[style-name='Heading 3'] => h4:fresh
p[style-name='标题 1'] => h2:fresh
p[style-name='标题 2'] => h3:fresh
p[style-name='标题 3'] => h4:fresh
p[style-name='ImportHeading2'] => h2:fresh
p[style-name='ImportHeading3'] => h3:fresh
"""

_CN_NUM = "一二三四五六七八九十"
_LEVEL2 = re.compile(f"^[\\s\u3000]*[{_CN_NUM}]+、")
_LEVEL3 = re.compile(f"^[\\s\u3000]*[（(][{_CN_NUM}]+[）)]")
_HEADING_MAX = 40  # a numbered paragraph longer than this is body text that happens to start 一、
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_CJK = "\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_SPACE_BETWEEN_CJK = re.compile(f"(?<=[{_CJK}])[ \u3000\u00a0]+(?=[{_CJK}])")
_CONTACT_LINE = re.compile(r"^\s*(?:\*\*)?\s*(联系电话|联系方式|电话|手机|联系人|身份证)")
# Words that only a cautionary case uses (a 事迹材料 may well cite a 通报 or 整治 in passing).
_CAUTIONARY = re.compile(
    "警示教育|违纪违法|严重违纪|违反.{0,6}纪律|开除党籍|党内.{0,2}警告处分|立案审查|被查处|受到.{0,8}处分"
)


class UnreadableDocument(Exception):
    """A file that cannot be imported (or written): `code` is a stable id from messages.CATALOGUE, `args` fill
    its message."""

    def __init__(self, code: str, **args) -> None:
        super().__init__(code)
        self.code, self.message_args = code, args


@dataclass
class Draft:
    title: str
    body: str  # Markdown, personal numbers already masked
    images: list[tuple[str, bytes]]  # (extension, bytes) in order of appearance
    date: dt.date | None = None
    region: str | None = None
    kind: str = "exemplar"  # always a guess unless given with --kind
    title_found: bool = True  # False: the file's name stands in for a title the document did not mark
    methods: list[str] = field(default_factory=list)
    # (body line from 1 or 0 for the title, code, masked value, whether its whole contact line was removed)
    numbers: list[tuple[int, str, str, bool]] = field(default_factory=list)


def sniff(path: Path) -> None:
    """Raise UnreadableDocument for what mammoth should not be handed: old Word, WPS, encrypted, corrupt, not Word."""
    suffix = path.suffix.lower()
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
            data = head + handle.read() if head == _OLE_MAGIC else head
    except OSError as exc:
        raise UnreadableDocument("E-IMPORT-READ", reason=exc.strerror or str(exc)) from None
    if head == _OLE_MAGIC:
        if _ENCRYPTION_STREAM in data:
            raise UnreadableDocument("E-IMPORT-ENCRYPTED")
        raise UnreadableDocument("E-IMPORT-WPS" if suffix in (".wps", ".wpt") else "E-IMPORT-DOC")
    if head.startswith(b"%PDF"):
        raise UnreadableDocument("E-IMPORT-NOT-WORD", found="是 PDF 文件")
    if head.startswith(b"{\\rtf"):
        raise UnreadableDocument("E-IMPORT-NOT-WORD", found="是 RTF 格式，只是扩展名像 Word")
    if not head.startswith(b"PK"):  # a .docx is a zip; one named .doc or .wps is still read as what it is
        if suffix in (".doc", ".dot"):
            raise UnreadableDocument("E-IMPORT-DOC")
        if suffix in (".wps", ".wpt"):
            raise UnreadableDocument("E-IMPORT-WPS")
        raise UnreadableDocument("E-IMPORT-NOT-WORD", found="既不是压缩包也不是旧版 Word 格式")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "word/document.xml" not in names:
                found = (
                    "是 Excel 表格"
                    if "xl/workbook.xml" in names
                    else "是 PowerPoint 演示文稿"
                    if "ppt/presentation.xml" in names
                    else "是其他压缩包"
                )
                raise UnreadableDocument("E-IMPORT-NOT-WORD", found=found)
            if archive.testzip() is not None:
                raise UnreadableDocument("E-IMPORT-CORRUPT")
    except (zipfile.BadZipFile, EOFError, ValueError, OSError):
        raise UnreadableDocument("E-IMPORT-CORRUPT") from None


def convert(path: Path, methods_known: dict[str, str]) -> Draft:
    """The draft of one .docx; `methods_known` maps every method name and alias (as written) to its id."""
    sniff(path)
    import mammoth  # imported on use: only `exemplars import` needs it

    images: list[tuple[str, bytes]] = []
    skipped: list[str] = []

    def keep_image(image):
        with image.open() as stream:
            data = stream.read()
        kept = _web_image(image.content_type, data)
        if kept is None:  # EMF/WMF drawings and the like: no browser shows them, Pillow cannot convert them
            skipped.append(image.content_type or "未知格式")
            return {"src": "", "alt": f"\x00skipped{len(skipped)}\x00"}
        images.append(kept)
        # Word's alt text is usually empty or the file name: ask the editor for a description instead.
        alt = (image.alt_text or "").strip()
        if not alt or re.search(r"\.(png|jpe?g|gif|bmp|emf|wmf)$|^(图片|picture|image)\s*\d*$", alt, re.I):
            alt = f"{PLACEHOLDER}：图片说明"
        return {"src": f"\x00image{len(images)}\x00", "alt": alt}

    try:
        with path.open("rb") as handle:
            result = mammoth.convert_to_html(
                handle,
                style_map=STYLE_MAP,
                transform_document=_mark_headings,
                convert_image=mammoth.images.img_element(keep_image),
            )
    except Exception:  # mammoth raises many kinds (KeyError, XML errors …) on a damaged package
        raise UnreadableDocument("E-IMPORT-CORRUPT") from None
    title, markdown = html_to_markdown(result.value)
    for n, kind in enumerate(skipped, 1):  # the image element becomes a line the editor cannot miss
        markdown = markdown.replace(
            f"![\x00skipped{n}\x00]()",
            f"{PLACEHOLDER}：这里原有一张 {kind} 格式的图片，无法转换；"
            "请在 Word/WPS 中把它另存为 PNG 或 JPEG，放在故事旁边并引用",
        )
    draft = Draft(title=title or path.stem, body="", images=images, title_found=bool(title))
    draft.body = _mask_personal(markdown, draft)
    draft.title = _mask_inline(draft.title, draft)
    _guess(draft, methods_known)
    return draft


def _web_image(content_type: str | None, data: bytes) -> tuple[str, bytes] | None:
    """(extension, bytes) the site can publish: PNG, JPEG and WebP as they are; GIF, BMP and TIFF as PNG."""
    simple = {"image/png": "png", "image/jpeg": "jpg", "image/jpg": "jpg", "image/webp": "webp"}
    if content_type in simple:
        return simple[content_type], data
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as picture:
            if picture.format not in ("GIF", "BMP", "TIFF", "PNG", "JPEG", "WEBP"):
                return None
            out = io.BytesIO()
            picture.convert("RGBA" if "A" in picture.getbands() else "RGB").save(out, "PNG")
            return "png", out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError):
        return None


# --- the document: headings in direct formatting ---------------------------------------------------------------
def _mark_headings(document):
    import cobble

    children, titled = list(document.children), False
    has_title = any(_style(p) in ("title", "标题") for p in children)
    for index, paragraph in enumerate(children):
        if not _is_paragraph(paragraph):
            continue
        text = _text(paragraph).strip(" \u3000\t")
        if not text:
            continue
        style = _style(paragraph)
        emphasised = _all_bold(paragraph) or paragraph.alignment == "center"
        if not has_title and not titled:
            titled = True  # the first paragraph with text is the title if it looks like one
            if style in ("heading 1", "标题 1") or (emphasised and not _LEVEL2.match(text)):
                children[index] = cobble.copy(paragraph, style_name="Title")
                continue
        if style and style not in ("normal", "正文", "body text", "plain text"):
            continue
        if text.startswith(("——", "—")) and paragraph.alignment in ("center", "right"):
            children[index] = cobble.copy(paragraph, style_name="Subtitle")
        elif emphasised and len(text) <= _HEADING_MAX and _LEVEL2.match(text):
            children[index] = cobble.copy(paragraph, style_name="ImportHeading2")
        elif emphasised and len(text) <= _HEADING_MAX and _LEVEL3.match(text):
            children[index] = cobble.copy(paragraph, style_name="ImportHeading3")
    return cobble.copy(document, children=children)


def _is_paragraph(node) -> bool:
    from mammoth import documents

    return isinstance(node, documents.Paragraph)


def _style(paragraph) -> str:
    """Lower case: Word writes `heading 1` in styles.xml, python-docx and WPS `Heading 1` (mammoth's style map
    matches either)."""
    return (paragraph.style_name or "").lower()


def _runs(node):
    from mammoth import documents

    for child in getattr(node, "children", ()):
        if isinstance(child, documents.Run):
            yield child
        else:
            yield from _runs(child)


def _text(node) -> str:
    from mammoth import documents

    if isinstance(node, documents.Text):
        return node.value
    return "".join(_text(child) for child in getattr(node, "children", ()))


def _all_bold(paragraph) -> bool:
    runs = [r for r in _runs(paragraph) if _text(r).strip(" \u3000")]
    return bool(runs) and all(r.is_bold for r in runs)


# --- HTML to Markdown -----------------------------------------------------------------------------------------
def html_to_markdown(html: str) -> tuple[str, str]:
    """(title, Markdown body). The first h1 is the title; footnotes become Markdown footnotes."""
    from bs4 import BeautifulSoup, NavigableString
    from markdownify import markdownify

    soup = BeautifulSoup(html, "html.parser")
    title = ""
    h1 = soup.find("h1")
    if h1 is not None:
        title = _tidy_text(h1.get_text())
        h1.decompose()
    for heading in soup.find_all(["h2", "h3", "h4"]):  # a heading's bold is the heading itself
        for strong in heading.find_all("strong"):
            strong.unwrap()
    notes = []
    for item in soup.select("li[id^=footnote-]"):
        number = item["id"].split("-")[-1]
        for back in item.select("a[href^='#footnote-ref-']"):
            back.decompose()
        notes.append((number, _tidy_text(markdownify(item.decode_contents(), heading_style="ATX"))))
        parent = item.parent
        item.decompose()
        if parent is not None and parent.name == "ol" and not parent.find("li"):
            parent.decompose()
    for ref in soup.select("a[href^='#footnote-']"):
        number = ref["href"].split("-")[-1]
        (ref.parent if ref.parent.name == "sup" else ref).replace_with(NavigableString(f"\x00fn{number}\x00"))
    for block in soup.find_all(["p", "li", "td", "th", "h2", "h3", "h4"]):
        _strip_indent(block)
    for text in soup.find_all(string=True):
        if _SPACE_BETWEEN_CJK.search(text):
            text.replace_with(_SPACE_BETWEEN_CJK.sub("", text))
    body = markdownify(str(soup), heading_style="ATX", bullets="-", table_infer_header=True, escape_misc=False)
    body = re.sub("\x00fn(\\d+)\x00", r"[^\1]", body)
    lines = [line.rstrip() for line in body.splitlines()]
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    if notes:
        body += "\n\n" + "\n".join(f"[^{number}]: {text}" for number, text in notes)
    return title, body + "\n"


def _strip_indent(block) -> None:
    """Word's first-line indent typed as two full-width spaces (or ASCII spaces) at the start of a paragraph."""
    from bs4 import NavigableString

    for text in block.find_all(string=True):
        if not text.strip(" \u3000\u00a0\t"):
            if text.parent is block or text.parent.name in ("strong", "em"):
                text.replace_with("")
                continue
            return
        text.replace_with(NavigableString(text.lstrip(" \u3000\u00a0\t")))
        return


def _tidy_text(text: str) -> str:
    return _SPACE_BETWEEN_CJK.sub("", " ".join(text.split())).strip(" \u3000")


# --- personal numbers and guesses --------------------------------------------------------------------------------
def _mask_personal(body: str, draft: Draft) -> str:
    """A contact line (联系电话：… , 身份证号：…) is removed; a number inside running text is masked."""
    out: list[str] = []
    for line in body.split("\n"):
        found = find_numbers(line)
        if not found:
            out.append(line)
            continue
        if _CONTACT_LINE.match(line):
            for item in found:
                draft.numbers.append((len(out) + 1, item.code, item.masked, True))
            continue
        for item in found:
            draft.numbers.append((len(out) + 1, item.code, item.masked, False))
        out.append(mask_found(line, found))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out))


def _mask_inline(text: str, draft: Draft) -> str:
    found = find_numbers(text)
    for item in reversed(found):
        draft.numbers.append((0, item.code, item.masked, False))
    return mask_found(text, found)


def _guess(draft: Draft, methods_known: dict[str, str]) -> None:
    import unicodedata

    text = unicodedata.normalize("NFKC", draft.title + "\n" + draft.body)
    for match in _DATE.finditer(text):
        try:
            draft.date = dt.date(*map(int, match.groups()))
            break
        except ValueError:
            continue
    draft.region = _first_province(text)
    if _CAUTIONARY.search(text):
        draft.kind = "cautionary"
    found = []
    for name in sorted(methods_known, key=len, reverse=True):
        if len(name) >= 3 and name in text and methods_known[name] not in found:
            found.append(methods_known[name])
    draft.methods = found


def _first_province(text: str) -> str | None:
    """The province named first: full names and the two-or-more-character short forms (one character such as
    京 or 新 is too ambiguous in running text)."""
    best: tuple[int, str] | None = None
    for full, _, shorts in PROVINCES:
        for name in (full, *(s for s in shorts if len(s) >= 2)):
            at = text.find(name)
            if at >= 0 and (best is None or at < best[0]):
                best = (at, full)
    return best[1] if best else None
