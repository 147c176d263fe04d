"""`new` and `check` agree on the Chinese labels, a story sent out with an empty body is an error, and the site
build stops on the files editors really produce (x.md.txt, a Chinese label, an empty published body) instead of
silently publishing less.

Decision: files hold the schema's English values (what JSON Schema lists and a web form writes); the Chinese
labels are what `new` accepts at its prompt and what `check` answers with the exact value to write.
"""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES, REPO
from mkdocs.exceptions import Abort
from sitebuild import build_site

from exemplars.schema import KINDS, STATUSES

GOOD = (FIXTURES / "library" / "stories" / "zhejiang" / "qingshi-yishihui-2019.md").read_text(encoding="utf-8")
TARGET = "stories/zhejiang/case-2019.md"


def story(**changes: str) -> str:
    text = GOOD.replace("id: qingshi-yishihui-2019", "id: case-2019")
    for key, value in changes.items():
        old = next(line for line in text.split("\n") if line.startswith(f"{key}:"))
        text = text.replace(old, f"{key}: {value}", 1)
    return text


def check(cli, root, *paths):
    result = cli("check", "--format", "json", *paths, cwd=root)
    assert "Traceback" not in result.stderr
    return result, json.loads(result.stdout or "[]")


@pytest.mark.parametrize("field, labels", [("kind", KINDS), ("status", STATUSES)])
def test_check_answers_a_chinese_label_with_the_exact_value(library_copy, cli, field, labels):
    files = {
        f"stories/zhejiang/label-{i}.md": story(**{field: label}).replace("id: case-2019", f"id: label-{i}")
        for i, label in enumerate(labels.values())
    }
    root = library_copy(files)
    result, diags = check(cli, root, *files)
    assert result.returncode == 1
    line = GOOD.split("\n").index(next(t for t in GOOD.split("\n") if t.startswith(f"{field}:"))) + 1
    for i, (value, label) in enumerate(labels.items()):
        mine = [d for d in diags if d["path"] == f"stories/zhejiang/label-{i}.md" and d["code"] == "E-FIELD-CHOICE"]
        assert [d["line"] for d in mine] == [line], (label, diags)
        assert f"`{label}` 无效，是不是 `{value}`？" in mine[0]["message"]
        assert f"{value}（{label}）" in mine[0]["hint"]


@pytest.mark.parametrize("typed", [*KINDS, *KINDS.values(), "正面", "反面"])
def test_new_accepts_every_label_and_writes_the_value_check_accepts(library_copy, cli, typed):
    root = library_copy()
    options = "--title 槐荫社区老伙伴互助 --method 民主协商法 --region 浙江省/湖州市/安吉县 --date 2020-04-12"
    result = cli("new", "--root", str(root), "--kind", typed, *options.split(), "--id", "label-2020")
    assert result.returncode == 0, result.stderr
    path = root / "stories" / "zhejiang" / "label-2020.md"
    value = (
        typed
        if typed in KINDS
        else {"正面": "exemplar", "反面": "cautionary"}.get(typed) or next(k for k, v in KINDS.items() if v == typed)
    )
    assert f"kind: {value}\n" in path.read_text(encoding="utf-8")
    result, diags = check(cli, root, str(path))
    assert not [d for d in diags if d["severity"] == "error"], diags


def test_new_still_refuses_an_unknown_kind(library_copy, cli):
    options = "--title x --kind 好人好事 --method 民主协商法 --region 浙江省/湖州市 --date 2020-04-12"
    result = cli("new", "--root", str(library_copy()), *options.split())
    assert result.returncode == 2 and "exemplar（正面典型）" in result.stderr


# --- empty bodies ----------------------------------------------------------------------------------------------
EMPTY_BODIES = ["", "\n\n   \n", "<!-- 正文以后再写 -->\n", "##\n\n---\n", "\t\u3000\n"]


@pytest.mark.parametrize("body", EMPTY_BODIES)
@pytest.mark.parametrize(
    "status, code",
    [("published", "E-BODY-EMPTY"), ("review", "E-BODY-EMPTY"), ("draft", "W-BODY-EMPTY"), ("withdrawn", None)],
)
def test_a_story_without_visible_body_text(library_copy, cli, body, status, code):
    head = story(status=status).split("---\n")[1]
    text = f"---\n{head}---\n{body}"
    closing = text.split("\n").index("---", 1) + 1
    root = library_copy({TARGET: text})
    result, diags = check(cli, root, TARGET)
    found = [(d["code"], d["line"]) for d in diags if "BODY" in d["code"]]
    assert found == ([(code, closing)] if code else []), diags
    if code == "E-BODY-EMPTY":
        assert result.returncode == 1 and STATUSES[status] in diags[0]["message"]


@pytest.mark.parametrize("body", ["正文。\n", "## 经过\n", "![照片](photo.jpg)\n", "1\n"])
def test_any_visible_text_is_a_body(library_copy, cli, body):
    head = story().split("---\n")[1]
    root = library_copy({TARGET: f"---\n{head}---\n{body}"})
    result, diags = check(cli, root, TARGET)
    assert not [d for d in diags if "BODY" in d["code"]], diags


def test_a_published_lesson_without_body_is_an_error(library_copy, cli):
    source = (REPO / "lessons" / "xianshang-ting-minsheng.md").read_text(encoding="utf-8")
    head = source.split("---\n")[1]
    assert "status: published" in head
    root = library_copy({"lessons/empty-lesson.md": f"---\n{head}---\n"})
    result, diags = check(cli, root, "lessons/empty-lesson.md")
    assert [(d["code"], d["line"]) for d in diags if "BODY" in d["code"]] == [("E-BODY-EMPTY", head.count("\n") + 2)]
    assert "课程" in next(d for d in diags if d["code"] == "E-BODY-EMPTY")["message"]


# --- the build -------------------------------------------------------------------------------------------------
def test_the_build_stops_on_what_check_reports(library_copy, tmp_path):
    head = story(status="published").split("---\n")[1]
    root = library_copy(
        {
            "stories/zhejiang/notepad-2019.md.txt": story().replace("id: case-2019", "id: notepad-2019"),
            "stories/zhejiang/label-2019.md": story(kind="正面典型").replace("id: case-2019", "id: label-2019"),
            "stories/zhejiang/status-2019.md": story(status="已发布").replace("id: case-2019", "id: status-2019"),
            "stories/zhejiang/empty-2019.md": f"---\n{head.replace('id: case-2019', 'id: empty-2019')}---\n\n",
            "stories/zhejiang/photo.jpg": b"\xff\xd8\xff\xe0 an image beside the stories is fine",
        }
    )
    with pytest.raises(Abort) as failure:
        build_site(root, tmp_path / "site", search=False)
    message = str(failure.value)
    assert "stories/zhejiang/notepad-2019.md.txt:1: 错误 E-FILE-NAME" in message
    assert "stories/zhejiang/label-2019.md:4: 错误 E-FIELD-CHOICE" in message and "是不是 `exemplar`" in message
    assert "stories/zhejiang/status-2019.md:9: 错误 E-FIELD-CHOICE" in message and "是不是 `published`" in message
    assert "stories/zhejiang/empty-2019.md" in message and "E-BODY-EMPTY" in message
    assert "photo.jpg" not in message
    assert "Traceback" not in message
