"""`exemplars mv` on a committed copy of the sample library: the intended edits and not one byte more."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO

from exemplars.check import check_library
from exemplars.library import load_library

OLD, NEW = "banden-yishihui-2019", "zhuxi-yishihui-2019"
OLD_FILE, NEW_FILE = f"stories/zhejiang/{OLD}.md", f"stories/zhejiang/{NEW}.md"
LESSON = "lessons/yishihui-kaidao-jiamenkou.md"


def git(root: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True)
    return result.stdout


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


@pytest.fixture
def repo(tmp_path) -> Path:
    """The sample library in a fresh git repository, with extra references to OLD the sample does not have:
    a story `related:` entry with a comment, a Markdown file link, a page link and a CRLF lesson."""
    root = tmp_path / "lib"
    for folder in ("stories", "methods", "lessons"):
        shutil.copytree(REPO / folder, root / folder)
    related = root / "stories" / "zhejiang" / "guixiangyuan-tingche-toupiao-2024.md"
    text = related.read_text(encoding="utf-8")
    text = text.replace("\nstatus:", f"\nrelated: [{OLD}]  # 同为协商议事 {OLD}\nstatus:", 1)
    text += f"\n另见[竹溪村的议事会](../zhejiang/{OLD}.md#背景)和[同一个故事](/stories/{OLD}/)。\n"
    related.write_text(text, encoding="utf-8")
    crlf = (
        "---\r\nid: crlf-ke\r\ntitle: 换行符测试课\r\naudience: 测试\r\nduration: 30\r\n"
        "methods: [minzhu-xieshang]\r\nstories: ['" + OLD + "', jiefang-lengyan-jiqi-2022]  # 顺序\r\n"
        "objectives: [测试]\r\nstatus: published\r\n---\r\n读 [[story:" + OLD + "]]，不改 `[[story:" + OLD + "]]`。\r\n"
    )
    (root / "lessons" / "crlf-ke.md").write_bytes(crlf.encode("utf-8"))
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "-c", "user.name=测试", "-c", "user.email=t@example.invalid", "commit", "-qm", "sample")
    return root


def test_mv_renames_rewrites_and_touches_nothing_else(repo, cli):
    before = snapshot(repo)
    assert load_library(repo).story(OLD) is not None
    result = cli("mv", OLD, NEW, "--root", str(repo))
    assert result.returncode == 0, result.stderr
    after = snapshot(repo)

    # Exactly these files changed (one renamed); every other file is byte-identical.
    changed = {p for p in before.keys() & after.keys() if before[p] != after[p]}
    assert changed == {LESSON, "lessons/crlf-ke.md", "stories/zhejiang/guixiangyuan-tingche-toupiao-2024.md"}
    assert before.keys() - after.keys() == {OLD_FILE} and after.keys() - before.keys() == {NEW_FILE}

    # The moved story: only the id line changed and two alias lines were added before the closing ---.
    old_lines, new_lines = before[OLD_FILE].decode().split("\n"), after[NEW_FILE].decode().split("\n")
    assert new_lines[1] == f"id: {NEW}"
    close = old_lines.index("---", 1)
    assert new_lines[close : close + 2] == ["aliases:", f"  - {OLD}"]
    assert new_lines[:1] + new_lines[2:close] + new_lines[close + 2 :] == old_lines[:1] + old_lines[2:]

    # The lessons: the YAML comment and every other byte kept; only OLD → NEW where it is a reference.
    for path in (LESSON, "lessons/crlf-ke.md"):
        expected = before[path].replace(f"[[story:{OLD}]]".encode(), f"[[story:{NEW}]]".encode())
        expected = expected.replace(f"  - {OLD}\n".encode(), f"  - {NEW}\n".encode())
        expected = expected.replace(f"['{OLD}'".encode(), f"['{NEW}'".encode())
        if path.endswith("crlf-ke.md"):  # inline code is not a citation: put the code span back as it was
            expected = expected.replace(f"`[[story:{NEW}]]`".encode(), f"`[[story:{OLD}]]`".encode())
        assert after[path] == expected, path
    assert "# 讲授顺序：先看两个做成了的，再看两个没做好的" in after[LESSON].decode()
    assert after["lessons/crlf-ke.md"].count(b"\r\n") == before["lessons/crlf-ke.md"].count(b"\r\n")

    # related:, the comment that mentions OLD, and both kinds of links.
    related = after["stories/zhejiang/guixiangyuan-tingche-toupiao-2024.md"].decode()
    assert f"related: [{NEW}]  # 同为协商议事 {OLD}\n" in related
    assert f"](../zhejiang/{NEW}.md#背景)" in related and f"](/stories/{NEW}/)" in related

    # The library still passes, the old id is an alias, git sees a rename.
    library = load_library(repo)
    assert [d.as_text() for d in check_library(library) if d.is_error] == []
    assert library.story(OLD).id == NEW and OLD in library.story(NEW).aliases
    assert not [d for d in check_library(library) if d.code == "W-CITE-ALIAS"]
    assert f"RM {OLD_FILE} -> {NEW_FILE}" in git(repo, "status", "--porcelain")  # staged rename, edit unstaged


def test_mv_adds_to_an_existing_alias_list_and_handles_lessons(repo, cli):
    story = "stories/gansu/tianjian-ketang-2016.md"
    before = snapshot(repo)
    assert cli("mv", "tianjian-ketang-2016", "dengke-tianjian-2016", "--root", str(repo)).returncode == 0
    text = (repo / "stories/gansu/dengke-tianjian-2016.md").read_text(encoding="utf-8")
    assert "aliases:\n  - tudou-nengshou-2016\n  - tianjian-ketang-2016\n" in text
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@e.invalid", "commit", "-qm", "mv")
    result = cli("mv", "crlf-ke", "crlf-lesson", "--root", str(repo))
    assert result.returncode == 0, result.stderr
    moved = (repo / "lessons/crlf-lesson.md").read_bytes()
    assert moved.startswith(b"---\r\nid: crlf-lesson\r\n") and b"aliases:\r\n  - crlf-ke\r\n---\r\n" in moved
    library = load_library(repo)
    lesson = library.lesson("crlf-lesson")
    assert lesson.id == "crlf-lesson" and lesson.aliases == ("crlf-ke",) and library.lesson("crlf-ke") is lesson
    assert [d.as_text() for d in check_library(library) if d.is_error] == []
    assert story not in snapshot(repo) and before[story] != b""


def test_mv_refuses_dirty_files_taken_ids_and_aliases(repo, cli):
    lesson = repo / LESSON
    lesson.write_bytes(lesson.read_bytes() + "\n未提交的修改\n".encode())
    before = snapshot(repo)
    result = cli("mv", OLD, NEW, "--root", str(repo))
    assert result.returncode == 1 and "E-MV-DIRTY" in result.stderr and LESSON in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(repo) == before
    git(repo, "checkout", "--", LESSON)
    before = snapshot(repo)
    for new, code in [
        ("zaolin-jiadianti-2021", "E-MV-TAKEN"),
        ("tudou-nengshou-2016", "E-MV-TAKEN"),
        ("crlf-ke", "E-MV-TAKEN"),
        ("Bad_Id", "E-MV-ID-FORMAT"),
    ]:
        result = cli("mv", OLD, new, "--root", str(repo))
        assert result.returncode == 1 and code in result.stderr, (new, result.stderr)
    result = cli("mv", "tudou-nengshou-2016", "x-2016", "--root", str(repo))
    assert "E-MV-OLD-IS-ALIAS" in result.stderr and "tianjian-ketang-2016" in result.stderr
    assert "E-MV-UNKNOWN" in cli("mv", "meiyou-2016", "x-2016", "--root", str(repo)).stderr
    dry = cli("mv", OLD, NEW, "--dry-run", "--root", str(repo))
    assert dry.returncode == 0 and "预演" in dry.stdout and f"{LESSON}:11:" in dry.stdout
    assert snapshot(repo) == before


def test_mv_refuses_outside_git(tmp_path, cli):
    root = tmp_path / "plain"
    for folder in ("stories", "methods"):
        shutil.copytree(REPO / folder, root / folder)
    before = snapshot(root)
    result = cli("mv", OLD, NEW, "--root", str(root))
    assert result.returncode == 1 and "E-MV-NOT-GIT" in result.stderr
    assert snapshot(root) == before
