"""`exemplars import`: realistic Word 事迹材料 (built with python-docx, see docx_fixtures.py) become story drafts.
The real CLI, the real files; the drafts are read line by line and checked with `exemplars check`."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import FIXTURES
from docx_fixtures import ID_NUMBER, MOBILE, full_width, write_material, write_short
from PIL import Image

from exemplars.personal import find_numbers

ZHEJIANG_DRAFT = Path("stories/zhejiang/zhagen-shancun-de-bandeng-shuji-2023.md")


def _snapshot(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def import_document(cli, root: Path, doc, path: Path, *options: str):
    """Save the python-docx `doc` as `path` and run `exemplars import OPTIONS PATH` on `root`; it must succeed."""
    doc.save(path)
    result = cli("import", "--root", str(root), *options, str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _body(text: str) -> list[str]:
    return text.split("\n---\n", 1)[1].strip("\n").split("\n")


@pytest.mark.parametrize(
    "heading_styles,title_style",
    [(False, True), (True, False), (False, False)],
    ids=["direct-formatting", "heading-styles", "centred-bold-title"],
)
def test_import_keeps_the_structure_line_by_line(library_copy, cli, tmp_path, heading_styles, title_style):
    root = library_copy()
    source = write_material(tmp_path / "事迹材料.docx", heading_styles=heading_styles, title_style=title_style)
    result = cli("import", "--root", str(root), str(source))
    assert result.returncode == 0, result.stdout + result.stderr
    text = (root / ZHEJIANG_DRAFT).read_text(encoding="utf-8")
    assert "title: 扎根山村的“板凳书记”\n" in text
    assert "status: draft\n" in text
    assert (
        _body(text)
        == [
            "——记某某村党支部书记王某某",  # the subtitle stays at the top of the body
            "",
            "2023年5月20日，浙江省某某县某某村召开第一次“板凳议事会”。村党支部书记用民主协商法，把村民请到村委会门前商量垃圾分类。",
            "",
            "## 一、背景",
            "",
            "村里垃圾乱倒，群众意见很大。[^1]",
            "",
            "## 二、做法",
            "",
            "### （一）板凳议事",
            "",
            "他坚持**三个不**：不拍板、不包办、不走过场。",
            "",
            "- 每周一次议事会",
            "- 每户一名代表",
            "",
            "| 年份 | 分类准确率 |",
            "| --- | --- |",
            "| 2022 | 40% |",
            "| 2023 | 92% |",
            "",
            "![待填写：图片说明](zhagen-shancun-de-bandeng-shuji-2023-1.png)",
            "",
            "## 三、成效",
            "",
            "三个月后，分类准确率超过九成。",
            "",
            f"当事人身份证号：{ID_NUMBER[:3]}{'*' * 11}{ID_NUMBER[-4:]}，已核实。",
            "",
            "[^1]: 据某某县2022年环境整治通报。",
        ]
    )


def test_import_never_writes_personal_numbers_and_reports_them_with_the_line(library_copy, cli, tmp_path):
    root = library_copy()
    result = cli("import", "--root", str(root), str(write_material(tmp_path / "a.docx")))
    assert result.returncode == 0, result.stdout + result.stderr
    text = (root / ZHEJIANG_DRAFT).read_text(encoding="utf-8")
    assert find_numbers(text) == []
    assert MOBILE not in text and ID_NUMBER not in text and full_width(ID_NUMBER) not in text
    assert "联系电话" not in text  # the contact line goes altogether
    lines = text.split("\n")
    id_line = next(n for n, line in enumerate(lines, 1) if line.startswith("当事人身份证号"))
    assert f"第 {id_line} 行的身份证号已打码为 330" in result.stdout
    assert "删除了含手机号 138****5678 的联系方式一行" in result.stdout
    assert MOBILE not in result.stdout and ID_NUMBER not in result.stdout


def test_a_number_in_running_text_is_masked_where_it_stands(library_copy, cli, tmp_path):
    said = "2020年1月2日，在广东某某镇，村民拨打１３９１２３４５６７８求助，书记当晚赶到。"
    source = write_short(tmp_path / "b.docx", "帮扶手记", said)
    root = library_copy()
    result = cli("import", "--root", str(root), str(source))
    assert result.returncode == 0, result.stdout + result.stderr
    text = next((root / "stories" / "guangdong").glob("*.md")).read_text(encoding="utf-8")
    assert "村民拨打139****5678求助，书记当晚赶到。" in text
    assert "手机号已打码为 139****5678" in result.stdout


def test_guesses_are_marked_and_the_checker_sees_them(library_copy, cli, tmp_path):
    root = library_copy()
    cli("import", "--root", str(root), str(write_material(tmp_path / "a.docx")))
    path = root / ZHEJIANG_DRAFT
    text = path.read_text(encoding="utf-8")
    assert "\nregion: 浙江省\n" in text and "\ndate: 2023-05-20\n" in text
    assert "\nkind: exemplar\n" in text and "\nmethods: [minzhu-xieshang]\n" in text
    assert "\ncover: zhagen-shancun-de-bandeng-shuji-2023-1.png\n" in text
    assert "\nguessed: [kind, methods, region, date]\n" in text
    check = cli("check", "--root", str(root), str(path))
    assert check.returncode == 0, check.stdout  # warnings only
    assert "错误" not in check.stdout.replace("0 个错误", "")
    for field in ("kind", "methods", "region", "date"):
        assert re.search(rf"{ZHEJIANG_DRAFT.as_posix()}:\d+: 警告 W-GUESSED: 草稿的 `{field}`", check.stdout)
    path.write_text(text.replace("status: draft", "status: review"), encoding="utf-8")
    review = cli("check", "--root", str(root), str(path))
    assert review.returncode == 1
    assert "E-GUESSED" in review.stdout and "W-GUESSED" not in review.stdout
    path.write_text(text.replace("guessed: [kind, methods, region, date]\n", "guessed: [date]\n"), encoding="utf-8")
    fewer = cli("check", "--root", str(root), str(path))
    assert fewer.stdout.count("W-GUESSED") == 1 and "`date`" in fewer.stdout


@pytest.mark.parametrize(
    "province,said,expected",
    [
        ("四川", "2021年3月8日", ("sichuan", "四川省", "2021-03-08")),
        ("广西壮族自治区", "２０１９年１２月１日", ("guangxi", "广西壮族自治区", "2019-12-01")),  # full-width digits
        ("新疆", "2022年 6 月 30 日", ("xinjiang", "新疆维吾尔自治区", "2022-06-30")),
    ],
)
def test_region_and_date_guessed_from_other_texts(library_copy, cli, tmp_path, province, said, expected):
    folder, region, date = expected
    root = library_copy()
    result = cli(
        "import", "--root", str(root), str(write_material(tmp_path / "c.docx", province=province, date_text=said))
    )
    assert result.returncode == 0, result.stdout + result.stderr
    [path] = (root / "stories" / folder).glob("*.md")
    text = path.read_text(encoding="utf-8")
    assert f"\nregion: {region}\n" in text and f"\ndate: {date}\n" in text
    assert f"地区 {region}" in result.stdout and f"日期 {date}" in result.stdout


def test_nothing_found_leaves_placeholders_and_says_so(library_copy, cli, tmp_path):
    from docx import Document

    root = library_copy()
    doc = Document()
    doc.add_paragraph("没有标题样式的材料")  # not bold, not centred: no title found
    doc.add_paragraph("某某同志长期扎根基层，群众都说他是贴心人。")
    result = import_document(cli, root, doc, tmp_path / "无日期材料.docx", "--method", "为民谋利法")
    [path] = (root / "stories" / "other").glob("*.md")
    text = path.read_text(encoding="utf-8")
    assert "\ntitle: 无日期材料\n" in text  # the file's name stands in, marked as a guess
    assert "\nregion: 待填写\n" in text and "\ndate: 待填写\n" in text
    assert "\nmethods: [weimin-mouli]\n" in text  # given, not guessed
    assert "\nguessed: [title, kind]\n" in text
    assert "需编辑补充：摘要、来源、地区、日期" in result.stdout


def test_the_image_is_beside_the_story_and_passes_the_image_checks(library_copy, cli, tmp_path):
    root = library_copy()
    cli("import", "--root", str(root), str(write_material(tmp_path / "a.docx")))
    image = root / ZHEJIANG_DRAFT.parent / "zhagen-shancun-de-bandeng-shuji-2023-1.png"
    with Image.open(image) as picture:
        assert picture.format == "PNG" and picture.size == (800, 600)
    check = cli("check", "--root", str(root), str(root / ZHEJIANG_DRAFT))
    assert "E-IMAGE" not in check.stdout and check.returncode == 0


def _encrypted(tmp_path: Path) -> Path:
    # Made once with msoffcrypto-tool 6.1.0 (password 123456) from a two-paragraph python-docx document.
    return shutil.copy(FIXTURES / "docx" / "encrypted.docx", tmp_path / "加密.docx")


def _truncated(tmp_path: Path) -> Path:
    data = write_material(tmp_path / "whole.docx").read_bytes()
    (tmp_path / "损坏.docx").write_bytes(data[: len(data) // 3])
    return tmp_path / "损坏.docx"


def _xlsx_named_docx(tmp_path: Path) -> Path:
    with zipfile.ZipFile(tmp_path / "表格.docx", "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return tmp_path / "表格.docx"


def _bad_xml(tmp_path: Path) -> Path:
    source = write_material(tmp_path / "whole.docx")
    target = tmp_path / "坏内容.docx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            new.writestr(item, b"<w:document" if item.filename == "word/document.xml" else old.read(item))
    return target


BAD_INPUTS = {
    "doc": (
        lambda tmp: _write(tmp / "旧材料.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
        "E-IMPORT-DOC",
        "另存为",
    ),
    "wps": (
        lambda tmp: _write(tmp / "材料.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
        "E-IMPORT-WPS",
        "WPS",
    ),
    "encrypted": (_encrypted, "E-IMPORT-ENCRYPTED", "密码"),
    "corrupt-zip": (_truncated, "E-IMPORT-CORRUPT", "损坏"),
    "corrupt-xml": (_bad_xml, "E-IMPORT-CORRUPT", "损坏"),
    "pdf-renamed": (
        lambda tmp: _write(tmp / "通报.docx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
        "E-IMPORT-NOT-WORD",
        "PDF",
    ),
    "rtf-renamed": (lambda tmp: _write(tmp / "材料.doc", b"{\\rtf1\\ansi text}"), "E-IMPORT-NOT-WORD", "RTF"),
    "xlsx-renamed": (_xlsx_named_docx, "E-IMPORT-NOT-WORD", "Excel"),
    "text": (lambda tmp: _write(tmp / "说明.docx", "纯文本".encode()), "E-IMPORT-NOT-WORD", "不是 Word 文档"),
}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_inputs_each_get_their_own_message_and_write_nothing(library_copy, cli, tmp_path, case):
    make, code, words = BAD_INPUTS[case]
    root = library_copy()
    before = _snapshot(root)
    bad = make(tmp_path)
    result = cli("import", "--root", str(root), str(bad))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert f"{bad}: 错误 {code}: " in result.stdout and words in result.stdout
    assert "1 个没有导入（没有写入任何文件）" in result.stdout
    assert _snapshot(root) == before


def test_an_existing_file_is_never_overwritten(library_copy, cli, tmp_path):
    root = library_copy()
    source = write_material(tmp_path / "a.docx")
    assert cli("import", "--root", str(root), str(source)).returncode == 0
    draft = root / ZHEJIANG_DRAFT
    draft.write_text(draft.read_text(encoding="utf-8") + "\n编辑已经改过。\n", encoding="utf-8")
    before = _snapshot(root)
    again = cli("import", "--root", str(root), str(source))
    assert again.returncode == 1
    assert "E-IMPORT-ID-TAKEN" in again.stdout and ZHEJIANG_DRAFT.as_posix() in again.stdout
    assert _snapshot(root) == before
    # the image name is taken by something else: the story is not written either, nor any image
    (root / "stories" / "zhejiang" / "x-1.png").write_bytes(b"not ours")
    before = _snapshot(root)
    clash = cli("import", "--root", str(root), "--id", "x", str(source))
    assert clash.returncode == 1 and "E-IMPORT-EXISTS" in clash.stdout and "x-1.png" in clash.stdout
    assert _snapshot(root) == before


def test_a_folder_imports_every_docx_and_reports_each(library_copy, cli, tmp_path):
    folder = tmp_path / "材料"
    folder.mkdir()
    write_material(folder / "一.docx")
    write_material(folder / "二.docx", province="四川", date_text="2021年3月8日")
    (folder / "~$一.docx").write_bytes(b"\0" * 162)  # Word's lock file while 一.docx is open: not a document
    _write(folder / "旧.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    root = library_copy()
    result = cli("import", "--root", str(root), str(folder))
    assert result.returncode == 1  # one file could not be imported
    assert (root / ZHEJIANG_DRAFT).is_file()
    assert (root / "stories/sichuan/zhagen-shancun-de-bandeng-shuji-2021.md").is_file()
    assert "共 3 个文档：导入 2 个，1 个没有导入" in result.stdout
    assert result.stdout.count(" → 已写入 ") == 2 and "E-IMPORT-DOC" in result.stdout and "~$" not in result.stdout


def test_a_bad_id_or_missing_file_is_a_usage_error(library_copy, cli, tmp_path):
    root = library_copy()
    source = write_material(tmp_path / "a.docx")
    bad_id = cli("import", "--root", str(root), "--id", "Bad ID", str(source))
    assert bad_id.returncode == 2 and "标识 `Bad ID` 不合法" in bad_id.stderr
    missing = cli("import", "--root", str(root), str(tmp_path / "没有.docx"))
    assert missing.returncode == 2 and "不存在" in missing.stderr and "Traceback" not in missing.stderr


def test_a_cautionary_case_is_guessed_from_its_wording_and_kind_can_be_given(library_copy, cli, tmp_path):
    said = "2019年4月2日，湖南省某某市纪委监委通报：某某违反群众纪律，截留低保金，受到党内严重警告处分。"
    source = write_short(tmp_path / "通报.docx", "某某县民政局干部截留低保金案", said)
    root = library_copy()
    guessed = cli("import", "--root", str(root), str(source))
    assert guessed.returncode == 0, guessed.stdout
    [path] = (root / "stories" / "hunan").glob("*.md")
    assert "\nkind: cautionary\n" in path.read_text(encoding="utf-8") and "类型 cautionary" in guessed.stdout
    path.unlink()
    given = cli("import", "--root", str(root), "--kind", "exemplar", str(source))
    text = path.read_text(encoding="utf-8")
    assert "\nkind: exemplar\n" in text and "kind" not in text.split("guessed:")[1].split("\n")[0]
    assert "类型" not in given.stdout.split("猜出：")[1].split("（")[0]


def test_an_imported_story_once_finished_publishes_with_its_table_image_and_footnote(library_copy, cli, tmp_path):
    from sitebuild import build_site, parse

    root = library_copy()
    cli("import", "--root", str(root), str(write_material(tmp_path / "a.docx")))
    path = root / ZHEJIANG_DRAFT
    text = path.read_text(encoding="utf-8")
    finished = (
        text.replace("status: draft", "status: published\nreviewed_by: 审核编辑\npublished: 2024-01-05")
        .replace("summary: 待填写：用一两句话说明谁做了什么、结果如何", "summary: 书记用板凳议事会带村民商定垃圾分类。")
        .replace("title: 待填写：原材料的名称和出处（导入自 Word 文档）", "title: 某某县委组织部事迹材料")
        .replace("guessed: [kind, methods, region, date]\n", "")
        .replace("待填写：图片说明", "村民围坐议事")
    )
    path.write_text(finished, encoding="utf-8")
    assert cli("check", "--root", str(root), str(path)).returncode == 0
    site = build_site(root, tmp_path / "site", search=False)
    soup = parse(site / "stories" / "zhagen-shancun-de-bandeng-shuji-2023" / "index.html")
    article = soup.find("article") or soup
    assert [h.get_text(strip=True) for h in article.find_all("h2")][:3] == ["一、背景", "二、做法", "三、成效"]
    assert [td.get_text(strip=True) for td in article.select("table td")] == ["2022", "40%", "2023", "92%"]
    assert any(img.get("alt") == "村民围坐议事" for img in article.find_all("img"))
    note = article.select_one("div.footnote li")
    assert note is not None and "据某某县2022年环境整治通报。" in note.get_text()
    assert article.select_one("sup a[href^='#fn']") is not None


def test_a_gif_becomes_a_png_and_an_unconvertible_drawing_a_placeholder(library_copy, cli, tmp_path):
    from docx import Document

    doc = Document()
    doc.add_paragraph("两张图", style="Title")
    for colour in ((20, 90, 160), (160, 90, 20)):  # two different pictures: python-docx stores a repeat once
        gif = io.BytesIO()
        Image.new("RGB", (640, 480), colour).save(gif, "GIF")
        doc.add_picture(io.BytesIO(gif.getvalue()))
    doc.save(tmp_path / "src.docx")
    # turn the second picture into an EMF drawing, as Word stores charts and clip art
    with zipfile.ZipFile(tmp_path / "src.docx") as old, zipfile.ZipFile(tmp_path / "图.docx", "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"media/image2.gif", b"media/image2.emf")
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"<Default ", b'<Default Extension="emf" ContentType="image/x-emf"/><Default ', 1)
            name = "word/media/image2.emf" if item.filename == "word/media/image2.gif" else item.filename
            new.writestr(name, b"\x01\x00\x00\x00not really emf" if name.endswith(".emf") else data)
    root = library_copy()
    result = cli("import", "--root", str(root), "--method", "民主协商法", str(tmp_path / "图.docx"))
    assert result.returncode == 0, result.stdout + result.stderr
    [path] = (root / "stories" / "other").glob("*.md")
    body = _body(path.read_text(encoding="utf-8"))
    png = path.parent / f"{path.stem}-1.png"
    with Image.open(png) as picture:
        assert picture.format == "PNG" and picture.size == (640, 480)
    assert body[0] == f"![待填写：图片说明]({png.name})"
    assert body[2].startswith("待填写：这里原有一张 image/x-emf 格式的图片，无法转换")
    assert not list(path.parent.glob("*.emf"))


def test_the_import_the_guide_shows_prints_what_the_guide_says(library_copy, cli, tmp_path):
    """docs/contribute.md shows `exemplars import 材料/扎根山村的板凳书记.docx` and its output: run on the same
    material, the command prints exactly those lines."""
    guide = (Path(__file__).resolve().parent.parent / "docs" / "contribute.md").read_text(encoding="utf-8")
    shown = re.search(r"^(材料/扎根山村的板凳书记\.docx → .*)\n(共 1 个文档：导入 1 个)$", guide, re.MULTILINE)
    assert shown, "the guide's sample output of exemplars import is missing"
    root = library_copy()
    (root / "材料").mkdir()
    write_material(root / "材料" / "扎根山村的板凳书记.docx")
    result = cli("import", "--root", str(root), "--author", "林晓", "材料/扎根山村的板凳书记.docx", cwd=root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [shown.group(1), shown.group(2)]


def test_a_first_heading_is_the_title_and_later_ones_stay_headings(library_copy, cli, tmp_path):
    from docx import Document

    root = library_copy()
    doc = Document()
    doc.add_heading("村里的调解室", level=1)  # no Title style: the first heading is the title
    doc.add_paragraph("2018年7月1日，山东某某村调解室挂牌。")
    doc.add_heading("调解经过", level=1)
    doc.add_heading("第一次调解", level=2)
    doc.add_paragraph("双方各让一步。")
    import_document(cli, root, doc, tmp_path / "h.docx", "--method", "教育疏导法")
    [path] = (root / "stories" / "shandong").glob("*.md")
    text = path.read_text(encoding="utf-8")
    assert "\ntitle: 村里的调解室\n" in text
    assert _body(text) == [
        "2018年7月1日，山东某某村调解室挂牌。",
        "",
        "## 调解经过",
        "",
        "### 第一次调解",
        "",
        "双方各让一步。",
    ]
