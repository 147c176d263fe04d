"""Scale and garbage among the stories: files that are huge (5 MB), binary (PNG bytes, NUL bytes) under a .md
name, empty, or oddly named (spaces, Chinese, a 200-character name). Generated in a temp dir, never committed.

`exemplars check` names each bad file with a catalogued code and no traceback; `mkdocs build` stops with the
checker's message (no traceback); preview keeps going and still builds the good stories, odd names included.
Linear cost is the bench's job; here one slow test only shows 10,000 stories plus the garbage are survived.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO
from sitebuild import build_site, make_project, page

from exemplars.messages import CATALOGUE

GOOD = (REPO / "tests" / "fixtures" / "library" / "stories" / "henan" / "jieliu-2019.md").read_text(encoding="utf-8")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00" + bytes(range(256)) * 4
LONG_NAME = "a" * 197 + ".md"  # 200 characters
EXPECTED_ERRORS = {  # file → code
    "stories/zhejiang/huge-2019.md": "E-FILE-TOO-LARGE",
    "stories/zhejiang/picture.md": "E-FILE-BINARY",
    "stories/zhejiang/nul-bytes.md": "E-FILE-BINARY",
    "stories/zhejiang/empty-file.md": "E-FILE-EMPTY",
}
ODD_NAMES = {
    "stories/zhejiang/有 空格 的 故事.md": "kongge-2019",
    "stories/zhejiang/中文名字.md": "zhongwen-2019",
    f"stories/zhejiang/{LONG_NAME}": "changming-2019",
}


def garbage() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {
        "stories/zhejiang/huge-2019.md": GOOD.replace("id: jieliu-2019", "id: huge-2019")
        + ("很长的正文，" * 50 + "\n\n") * 5_600,  # about 5 MB
        "stories/zhejiang/picture.md": PNG,
        "stories/zhejiang/nul-bytes.md": b"\x00" * 4096,
        "stories/zhejiang/empty-file.md": b"",
    }
    for path, story_id in ODD_NAMES.items():
        files[path] = GOOD.replace("id: jieliu-2019", f"id: {story_id}")
    return files


def reported(output: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for match in re.finditer(r"^(stories/[^\n:]+\.md):\d+: 错误 ([A-Z][A-Z0-9-]+):", output, re.M):
        found.setdefault(match.group(1), set()).add(match.group(2))
    return found


def test_the_garbage_is_what_it_says(library_copy):
    root = library_copy(garbage())
    huge = root / "stories" / "zhejiang" / "huge-2019.md"
    assert 4.5e6 < huge.stat().st_size < 6e6
    assert len(LONG_NAME) == 200 and (root / "stories" / "zhejiang" / LONG_NAME).is_file()


def test_check_names_every_bad_file_with_a_catalogued_code(library_copy, cli):
    root = library_copy(garbage())
    result = cli("check", "--root", str(root))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    found = reported(result.stdout)
    assert found == {path: {code} for path, code in EXPECTED_ERRORS.items()}
    assert all(code in CATALOGUE for code in EXPECTED_ERRORS.values())
    for path in ODD_NAMES:  # odd names are not errors in themselves
        assert path not in found


def test_build_stops_with_the_checkers_message(library_copy, tmp_path):
    root = library_copy(garbage())
    make_project(root)
    result = subprocess.run(
        [str(Path(sys.executable).with_name("mkdocs")), "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "故事库检查未通过（4 个错误）" in result.stderr
    assert reported(result.stderr) == {path: {code} for path, code in EXPECTED_ERRORS.items()}


def test_preview_keeps_going_and_builds_the_good_stories(library_copy, tmp_path):
    root = library_copy(garbage())
    site = build_site(root, tmp_path / "site", strict=False, preview=True)
    for story_id in ODD_NAMES.values():
        assert page(site, f"stories/{story_id}/").is_file(), story_id
    assert page(site, "stories/jieliu-2019/").is_file()
    assert not page(site, "stories/huge-2019/").exists()
    errors = page(site, "_errors/").read_text(encoding="utf-8")
    assert all(code in errors for code in EXPECTED_ERRORS.values())


@pytest.mark.slow
def test_ten_thousand_stories_and_the_garbage(tmp_path, cli):
    from exemplars.synth import make_library

    root = tmp_path / "big"
    make_library(root, 10_000, REPO)
    for rel, content in garbage().items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    result = cli("check", "--root", str(root))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    found = reported(result.stdout)
    assert {path: codes for path, codes in found.items() if path in EXPECTED_ERRORS} == {
        path: {code} for path, code in EXPECTED_ERRORS.items()
    }
    # every story, lesson and method of the synthetic library and every garbage file that is a library file was read
    read = sum(
        1
        for folder in ("stories", "lessons", "methods")
        for path in (root / folder).rglob("*.md")
        if path.is_file() and not path.is_symlink() and path.name.lower() != "readme.md"
    )
    assert f"检查了 {read} 个文件" in result.stderr, (read, result.stderr)
