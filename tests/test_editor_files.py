"""Files editors really produce: Notepad's `x.md.txt` and UTF-16 "Unicode", `x.MD`, no extension, Word documents.

None of them may be skipped silently: each is reported with a code and the fix, through the real CLI, and
`exemplars check PATH` says what it did with any file it is given — never "没有发现问题" for a file it ignored.
Images and other attachments beside the stories stay legitimately silent.
"""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES

GOOD = (FIXTURES / "library" / "stories" / "henan" / "jieliu-2019.md").read_text(encoding="utf-8")
METHOD = (FIXTURES / "library" / "methods" / "minzhu-xieshang.md").read_text(encoding="utf-8")


def story(story_id: str) -> str:
    return GOOD.replace("id: jieliu-2019", f"id: {story_id}")


def check_json(cli, root, *paths: str):
    result = cli("check", "--root", str(root), "--format", "json", *paths, cwd=root)
    assert "Traceback" not in result.stderr, result.stderr
    return result, json.loads(result.stdout or "[]")


# file name as saved → the name the fix asks for
MISNAMED = {
    "stories/zhejiang/x.md.txt": "x.md",
    "stories/zhejiang/x.MD.txt": "x.md",
    "stories/zhejiang/x.markdown.txt": "x.md",
    "stories/zhejiang/石桥村调解.txt": "石桥村调解.md",
    "stories/zhejiang/x.MD": "x.md",
    "stories/zhejiang/x.Md": "x.md",
    "stories/zhejiang/x.MARKDOWN": "x.md",
    "stories/zhejiang/没有扩展名": "没有扩展名.md",
    "stories/deep/er/san/y.md.TXT": "y.md",
    "lessons/kecheng.md.txt": "kecheng.md",
    "methods/fangfa.txt": "fangfa.md",
}
WORD = ["stories/zhejiang/x.docx", "stories/zhejiang/x.doc", "stories/zhejiang/x.wps", "lessons/x.rtf"]
SILENT = [
    "stories/zhejiang/photo.jpg",
    "stories/zhejiang/cover.PNG",
    "stories/zhejiang/scan.pdf",
    "stories/zhejiang/.hidden.md.txt",
    "stories/zhejiang/_draft.txt",
    "stories/_attic/old.md.txt",
    "stories/README.md",
    "lessons/README.markdown",
    "stories/zhejiang/x.md~",
    "stories/zhejiang/Thumbs.db",
]


def test_misnamed_story_files_are_errors_that_say_how_to_rename(library_copy, cli):
    files = {path: story(f"misnamed-{i}") for i, path in enumerate(MISNAMED)}
    files.update({path: b"PK\x03\x04 word" for path in WORD})
    files.update({path: b"\x89PNG not a story" for path in SILENT})
    root = library_copy(files)
    result, diags = check_json(cli, root)
    assert result.returncode == 1
    by_path = {}
    for diag in diags:
        by_path.setdefault(diag["path"], []).append(diag)
    for path, target in MISNAMED.items():
        found = by_path.get(path, [])
        assert [(d["code"], d["line"], d["severity"]) for d in found] == [("E-FILE-NAME", 1, "error")], (path, found)
        assert f"`{target}`" in found[0]["hint"] and "小写" in found[0]["hint"]
    for path in WORD:
        found = by_path.get(path, [])
        assert [d["code"] for d in found] == ["E-FILE-WORD"], (path, found)
        # the hint offers `exemplars import` first (Word in), and still `exemplars new` with copy and paste
        assert "exemplars import" in found[0]["hint"] and "exemplars new" in found[0]["hint"]
    for path in SILENT:
        assert path not in by_path, by_path[path]


def test_other_files_in_the_story_folders_are_a_warning(library_copy, cli):
    root = library_copy({"stories/zhejiang/notes.yml": "a: 1\n", "methods/list.csv": "a,b\n"})
    result, diags = check_json(cli, root, "stories/zhejiang/notes.yml", "methods/list.csv")
    assert sorted((d["path"], d["code"], d["severity"]) for d in diags) == [
        ("methods/list.csv", "W-FILE-IGNORED", "warning"),
        ("stories/zhejiang/notes.yml", "W-FILE-IGNORED", "warning"),
    ]
    assert "不会读取也不会发布" in diags[0]["message"]


def test_check_path_on_a_notepad_file_reports_it(library_copy, cli):
    """The issue's own example: `exemplars check stories/x/y.md.txt` used to answer 没有发现问题."""
    root = library_copy({"stories/x/y.md.txt": story("notepad-2019")})
    result = cli("check", "stories/x/y.md.txt", cwd=root)
    assert result.returncode == 1
    assert "没有发现问题" not in result.stderr
    assert result.stdout.startswith("stories/x/y.md.txt:1: 错误 E-FILE-NAME: ")
    assert "`y.md`" in result.stdout


@pytest.mark.parametrize(
    "named, reason",
    [
        ("stories/zhejiang/photo.jpg", "图片"),
        ("stories/zhejiang/.hidden.md", "隐藏文件"),
        ("stories/_drafts/later.md", "_drafts"),
        ("stories/README.md", "README.md"),
        ("stories/zhejiang/x.md~", "备份"),
        ("docs/extra.md", "stories/"),
        ("mkdocs.yml", "stories/"),
    ],
)
def test_check_path_says_what_it_did_with_a_file_it_did_not_read(library_copy, cli, named, reason):
    root = library_copy({named: story("skipped-2019")} if not (library_copy().joinpath(named)).exists() else {})
    result = cli("check", named, cwd=root)
    assert "没有发现问题" not in result.stderr, result.stderr
    assert result.stdout.startswith(f"{named}:1: 警告 W-PATH-NOT-CHECKED: 没有检查这个文件："), result.stdout
    assert reason in result.stdout
    assert result.returncode == 0  # nothing wrong, but nothing claimed either
    assert result.stderr.startswith("检查了 0 个文件：0 个错误，1 个警告。")
    assert cli("check", "--strict", named, cwd=root).returncode == 1


def test_check_path_outside_the_library(library_copy, cli, tmp_path):
    root = library_copy()
    outside = tmp_path / "elsewhere.md"
    outside.write_text(story("outside-2019"), encoding="utf-8")
    result = cli("check", str(outside), cwd=root)
    assert "W-PATH-NOT-CHECKED" in result.stdout and "不在故事库" in result.stdout
    assert "没有发现问题" not in result.stderr


def test_check_path_on_a_story_still_checks_it(library_copy, cli):
    root = library_copy({"stories/zhejiang/good-2019.md": story("good-2019")})
    result = cli("check", "stories/zhejiang/good-2019.md", cwd=root)
    assert result.returncode == 0 and result.stdout == ""
    assert result.stderr.startswith("检查了 1 个文件，没有发现问题。")  # read and checked: here the phrase is true
    assert "全库" in result.stderr


# --- UTF-16 -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "codec, bom, variant",
    [
        ("utf-16-le", b"\xff\xfe", "UTF-16 LE 带 BOM"),  # Notepad's "Unicode"
        ("utf-16-be", b"\xfe\xff", "UTF-16 BE 带 BOM"),  # Notepad's "Unicode big endian"
        ("utf-16-le", b"", "UTF-16 LE"),
        ("utf-16-be", b"", "UTF-16 BE"),
    ],
)
@pytest.mark.parametrize("text", [GOOD, METHOD, "---\ntitle: 全是中文的标题\n---\n正文全是中文，没有一个英文字母。\n"])
def test_utf16_files_are_named_as_utf16_with_the_fix(library_copy, cli, codec, bom, variant, text):
    root = library_copy({"stories/zhejiang/unicode.md": bom + text.encode(codec)})
    result, diags = check_json(cli, root, "stories/zhejiang/unicode.md")
    assert result.returncode == 1
    assert [(d["code"], d["line"]) for d in diags] == [("E-FILE-UTF16", 1)], diags
    assert variant in diags[0]["message"] and "Unicode" in diags[0]["message"]
    assert "另存为" in diags[0]["hint"] and "UTF-8" in diags[0]["hint"] and "WPS" in diags[0]["hint"]
    assert "图片" not in diags[0]["message"] + diags[0]["hint"]


@pytest.mark.parametrize(
    "raw",
    [
        b"\x00" * 64,
        b"---\ntitle: x\n---\n\x00\x01\x02 binary tail",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        b"\xff\xfe\x00\xd8\x00\xd8",  # a BOM, then no valid UTF-16 (lone surrogates)
    ],
)
def test_other_nul_bytes_stay_binary(library_copy, cli, raw):
    root = library_copy({"stories/zhejiang/blob.md": raw})
    result, diags = check_json(cli, root, "stories/zhejiang/blob.md")
    assert [d["code"] for d in diags] == ["E-FILE-BINARY"], diags


def test_check_watch_rechecks_when_a_misnamed_file_is_saved():
    from exemplars.watch import is_relevant

    assert is_relevant("stories/zhejiang/x.md.txt") and is_relevant("stories/zhejiang/x.docx")
    assert is_relevant("stories/zhejiang/x.md")
    assert not is_relevant("stories/zhejiang/photo.jpg") and not is_relevant("stories/zhejiang/x.md~")
