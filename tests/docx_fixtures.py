"""Realistic Word 事迹材料 for `exemplars import`, written with python-docx the way Word and WPS write them:
a title and a ——记… subtitle, 一、 headings in direct formatting (bold, or centred) and in heading styles, first-line
indents typed as two full-width spaces, a table, an image, a footnote (python-docx cannot write footnotes, so the
part's XML is added by hand), a 联系电话 line with a mobile number and a full-width ID number."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.shared import Inches
from PIL import Image

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
INDENT = "\u3000\u3000"  # how WPS users type a first-line indent


def id_number(prefix17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return prefix17 + "10X98765432"[sum(int(d) * w for d, w in zip(prefix17, weights)) % 11]


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


ID_NUMBER = id_number("33052319800101123")  # valid check digit, so the detector takes it for real
MOBILE = "13812345678"


def png_bytes(width: int = 800, height: int = 600, colour=(200, 60, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


def add_footnote(document, paragraph, note: str) -> None:
    """A footnote reference in `paragraph` and the footnotes part holding `note` (id 1)."""
    xml = (
        f'<w:footnotes xmlns:w="{W}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
        "</w:footnote>"
        f'<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {note}</w:t></w:r>'
        "</w:p></w:footnote></w:footnotes>"
    )
    part = Part(
        PackURI("/word/footnotes.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        xml.encode("utf-8"),
        document.part.package,
    )
    document.part.relate_to(part, RT.FOOTNOTES)
    paragraph._p.append(
        parse_xml(
            f'<w:r xmlns:w="{W}"><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="1"/></w:r>'
        )
    )


def write_material(
    path: Path,
    *,
    heading_styles: bool = False,
    province: str = "浙江省",
    date_text: str = "2023年5月20日",
    image: bool = True,
    title_style: bool = True,
    personal: bool = True,
) -> Path:
    """A 先进事迹材料 in the shape most offices send. `heading_styles`: 一、 headings use Word's Heading 1
    instead of bold direct formatting; `title_style`: the title uses the Title style instead of a centred bold
    paragraph."""
    doc = Document()
    if title_style:
        doc.add_paragraph("扎根山村的“板凳书记”", style="Title")
    else:
        title = doc.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.add_run("扎根山村的“板凳书记”").bold = True
    subtitle = doc.add_paragraph("——记某某村党支部书记王某某")
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def heading(text: str) -> None:
        if heading_styles:
            doc.add_heading(text, level=1)
        else:
            doc.add_paragraph().add_run(text).bold = True

    doc.add_paragraph(
        f"{INDENT}{date_text}，{province}某某县某某村召开第一次“板凳议事会”。"
        "村党支部书记用民主协商法，把  村民   请到村委会门前商量垃圾分类。"
    )
    heading("一、背景")
    background = doc.add_paragraph(f"{INDENT}村里垃圾乱倒，群众意见很大。")
    add_footnote(doc, background, "据某某县2022年环境整治通报。")
    heading("二、做法")
    sub = doc.add_paragraph()
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub.add_run("（一）板凳议事")
    steps = doc.add_paragraph(f"{INDENT}他坚持", style=None)
    steps.add_run("三个不").bold = True
    steps.add_run("：不拍板、不包办、不走过场。")
    doc.add_paragraph("每周一次议事会", style="List Bullet")
    doc.add_paragraph("每户一名代表", style="List Bullet")
    table = doc.add_table(rows=3, cols=2)
    for row, (a, b) in zip(table.rows, (("年份", "分类准确率"), ("2022", "40%"), ("2023", "92%"))):
        row.cells[0].text, row.cells[1].text = a, b
    if image:
        doc.add_picture(io.BytesIO(png_bytes()), width=Inches(3))
    heading("三、成效")
    doc.add_paragraph(f"{INDENT}三个月后，分类准确率超过九成。")
    if personal:
        doc.add_paragraph(f"{INDENT}当事人身份证号：{full_width(ID_NUMBER)}，已核实。")
        doc.add_paragraph(f"联系电话：{MOBILE}")
    doc.save(path)
    return path


def write_short(path: Path, title: str, *paragraphs: str) -> Path:
    """A short material: `title` in Word's Title style, then `paragraphs` as plain paragraphs."""
    doc = Document()
    doc.add_paragraph(title, style="Title")
    for text in paragraphs:
        doc.add_paragraph(text)
    doc.save(path)
    return path
