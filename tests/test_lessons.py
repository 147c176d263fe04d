"""Lessons in the model and the checker: citations, `stories:` entries, statuses, old ids, withdrawn stories."""

from __future__ import annotations

import json

import pytest
from conftest import REPO

from exemplars.check import check_library
from exemplars.citations import find_citations, story_links
from exemplars.library import load_library


def lesson(
    stories=("qingshi-yishihui-2019", "jieliu-2019"),
    status="published",
    body=None,
    extra="",
    lesson_id="yishihui-ke",
    methods="[minzhu-xieshang]",
) -> str:
    items = "".join(f"  - {s}\n" for s in stories)
    body = body if body is not None else "## 流程\n\n先读案例：\n\n[[story:qingshi-yishihui-2019]]\n"
    return (
        f"---\nid: {lesson_id}\ntitle: 议事会怎样开\naudience: 村干部\nduration: 90\nmethods: {methods}\n"
        f"stories:\n{items}objectives:\n  - 能组织一次议事会\nquestions:\n  - 谁先发言？\nstatus: {status}\n"
        f"{extra}---\n{body}"
    )


def codes_at(result_stdout: str) -> list[tuple[str, int, str]]:
    return [(d["path"], d["line"], d["code"]) for d in json.loads(result_stdout or "[]")]


def test_good_lesson_passes_and_is_in_the_model(library_copy, cli):
    root = library_copy({"lessons/yishihui-ke.md": lesson()})
    result = cli("check", "--root", str(root))
    assert result.returncode == 0, result.stdout + result.stderr
    library = load_library(root)
    (item,) = library.lessons
    assert (item.id, item.duration, item.methods, item.path) == (
        "yishihui-ke",
        90,
        ("minzhu-xieshang",),
        "lessons/yishihui-ke.md",
    )
    assert item.stories == ("qingshi-yishihui-2019", "jieliu-2019") and item.is_public
    assert item.body_line == 16 and item.body.startswith("## 流程")
    assert [s.kind for s in library.lesson_stories(item)] == ["exemplar", "cautionary"]
    assert library.lesson("yishihui-ke") is item


def test_lesson_citing_an_unknown_story_fails_with_file_and_line(library_copy, cli):
    body = "## 流程\n\n第一段。\n\n再看 [[story:meiyou-zhege-2020]] 这个案例。\n"
    root = library_copy({"lessons/yishihui-ke.md": lesson(stories=("qingshi-yishihui-2019", "jieliu-2O19"), body=body)})
    result = cli("check", "--root", str(root))
    assert result.returncode == 1
    # stories: item 2 is on line 9; the body starts on line 16, the citation is its 5th line.
    assert "lessons/yishihui-ke.md:9: 错误 E-ID-FORMAT" in result.stdout  # 2O19 with a letter O is not an id
    assert "lessons/yishihui-ke.md:20: 错误 E-CITE-UNKNOWN" in result.stdout
    assert "meiyou-zhege-2020" in result.stdout
    root2 = library_copy({"lessons/yishihui-ke.md": lesson(stories=("qingshi-yishihui-2019", "jieliu-2018"))})
    result = cli("check", "--root", str(root2))
    assert result.returncode == 1
    assert "lessons/yishihui-ke.md:9: 错误 E-LESSON-STORY-UNKNOWN" in result.stdout
    assert "是不是 `jieliu-2019`" in result.stdout


def test_lesson_methods_and_required_fields_are_checked(library_copy, cli):
    text = lesson(methods="[minzhu-xieshang, 不存在的方法]").replace("duration: 90", "duration: 0")
    text = text.replace("objectives:\n  - 能组织一次议事会\n", "")
    root = library_copy({"lessons/yishihui-ke.md": text})
    found = codes_at(cli("check", "--root", str(root), "--format", "json").stdout)
    assert ("lessons/yishihui-ke.md", 6, "E-METHOD-UNKNOWN") in found
    assert ("lessons/yishihui-ke.md", 5, "E-FIELD-TYPE") in found
    assert ("lessons/yishihui-ke.md", 1, "E-FIELD-MISSING") in found


def test_published_lesson_citing_a_draft_is_an_error_naming_its_status(library_copy, cli):
    root = library_copy({"lessons/yishihui-ke.md": lesson(stories=("draft-caogao-2024", "jieliu-2019"))})
    result = cli("check", "--root", str(root))
    assert result.returncode == 1
    line = next(t for t in result.stdout.splitlines() if "E-CITE-UNPUBLISHED" in t)
    assert line.startswith("lessons/yishihui-ke.md:8:")
    assert "草稿（draft）" in line and "draft-caogao-2024" in line
    # The same lesson as a draft may cite a draft: it is not on the public site.
    draft = library_copy({"lessons/yishihui-ke.md": lesson(stories=("draft-caogao-2024",), status="draft")})
    assert cli("check", "--root", str(draft)).returncode == 0


def test_withdrawn_story_cited_by_a_lesson_is_a_warning(library_copy, cli):
    root = library_copy({"lessons/yishihui-ke.md": lesson()})
    story = root / "stories" / "henan" / "jieliu-2019.md"
    story.write_text(
        story.read_text(encoding="utf-8").replace("status: published", "status: withdrawn"), encoding="utf-8"
    )
    result = cli("check", "--root", str(root))
    assert result.returncode == 0, result.stdout  # a warning, not an error
    assert "lessons/yishihui-ke.md:9: 警告 W-CITE-WITHDRAWN" in result.stdout
    library = load_library(root)
    assert [s.id for s in library.withdrawn_stories()] == ["jieliu-2019"]
    assert not library.story("jieliu-2019").is_public
    assert "jieliu-2019" not in {s.id for s in library.public_stories()}
    assert cli("check", "--root", str(root), "--strict").returncode == 1


def test_old_ids_resolve_with_a_warning_and_unknown_related_or_links_fail(library_copy, cli):
    story = "stories/henan/jieliu-2019.md"
    root = library_copy()
    path = root / story
    path.write_text(
        path.read_text(encoding="utf-8").replace("reviewed_by:", "aliases: [old-jieliu]\nreviewed_by:"),
        encoding="utf-8",
    )
    body = (
        "## 流程\n\n[[story:old-jieliu]]\n\n见[另一个案例](/stories/no-such-story/)和"
        "[原文](../stories/henan/jieliu-2019.md)，`[[story:in-code]]` 不算引用。\n\n```\n[[story:fenced]]\n```\n"
    )
    (root / "lessons").mkdir()
    (root / "lessons" / "yishihui-ke.md").write_text(lesson(stories=("old-jieliu",), body=body), encoding="utf-8")
    found = codes_at(cli("check", "--root", str(root), "--format", "json").stdout)
    lesson_path = "lessons/yishihui-ke.md"
    assert (lesson_path, 8, "W-CITE-ALIAS") in found and (lesson_path, 17, "W-CITE-ALIAS") in found
    assert (lesson_path, 19, "E-LINK-PAGE-UNKNOWN") in found
    assert not [f for f in found if f[2] == "E-CITE-UNKNOWN"], found  # code spans and fences are not citations
    assert load_library(root).story("old-jieliu").id == "jieliu-2019"


def test_story_body_citations_and_ids_shared_with_lessons(library_copy, cli):
    root = library_copy({"lessons/jieliu-2019.md": lesson(lesson_id="jieliu-2019")})
    story = root / "stories" / "henan" / "hezuo-tiaojie-2021.md"
    story.write_text(story.read_text(encoding="utf-8") + "\n另见 [[lesson:meiyou-ke]]。\n", encoding="utf-8")
    found = codes_at(cli("check", "--root", str(root), "--format", "json").stdout)
    assert ("lessons/jieliu-2019.md", 2, "E-ID-DUPLICATE") in found
    assert ("stories/henan/jieliu-2019.md", 2, "E-ID-DUPLICATE") in found
    assert any(p == "stories/henan/hezuo-tiaojie-2021.md" and c == "E-CITE-UNKNOWN" for p, _, c in found)


def test_citation_parser_positions():
    text = "引言 [[story:a-b]]\n`[[story:x]]`\n~~~\n[[story:y]]\n~~~\n[[ lesson : c ]] 和 [x](../stories/h/a-b.md#t)\n"
    found = find_citations(text)
    assert [(c.kind, c.id, c.line, c.col) for c in found] == [("story", "a-b", 1, 4), ("lesson", "c", 6, 1)]
    assert [text[c.start : c.end] for c in found] == ["[[story:a-b]]", "[[ lesson : c ]]"]
    (link,) = story_links(text, "lessons/l.md")
    assert (link.kind, link.line, link.path) == ("story", 6, "stories/h/a-b.md")


def test_sample_lessons_cite_both_kinds_and_pass(cli):
    library = load_library(REPO)
    assert len(library.lessons) >= 3
    for item in library.lessons:
        kinds = {s.kind for s in library.lesson_stories(item)}
        assert kinds == {"exemplar", "cautionary"}, item.path
        assert item.objectives and item.questions and item.is_public
        assert any(c.kind == "story" for c in find_citations(item.body)), item.path
    errors = [d.as_text() for d in check_library(library) if d.is_error]
    assert errors == []


@pytest.mark.parametrize("fmt", ["markdown", "json"])
def test_lesson_contract_exports(cli, fmt):
    result = cli("schema", "--kind", "lesson", "--format", fmt, "--root", str(REPO))
    assert result.returncode == 0, result.stderr
    for name in ("audience", "duration", "stories", "objectives", "questions"):
        assert name in result.stdout
