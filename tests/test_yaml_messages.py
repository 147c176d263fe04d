"""YAML mistakes editors make are reported on the line where they made them, in Chinese, with the real cause.

Both PyYAML loaders are exercised (libyaml when installed, and the pure-Python one it falls back to): the line-level
diagnosis must not depend on which parser gave up where. A property test feeds many broken front matters and
asserts every E-YAML-SYNTAX message starts in Chinese and points inside the front matter.
"""

from __future__ import annotations

import json
import re

import pytest
import yaml
from conftest import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st

from exemplars import load
from exemplars.load import parse_record

GOOD = (FIXTURES / "library" / "stories" / "henan" / "jieliu-2019.md").read_text(encoding="utf-8")
HEAD, BODY = GOOD.split("---\n")[1], "---\n".join(GOOD.split("---\n")[2:])
HEAD_LINES = HEAD.rstrip("\n").split("\n")


class PurePythonLoader(yaml.BaseLoader):
    def resolve(self, kind, value, implicit):
        return load._DEFAULT_TAGS[kind]


@pytest.fixture(params=["libyaml", "python"])
def parser(request, monkeypatch):
    if request.param == "python":
        monkeypatch.setattr(load, "BaseLoader", PurePythonLoader)
    else:
        assert hasattr(yaml, "CBaseLoader"), "libyaml is part of the supported setup"
    return request.param


def with_line(index: int, line: str, replace: bool = True) -> str:
    """The good story with front-matter line `index` (0-based) replaced by (or preceded by) `line`."""
    lines = list(HEAD_LINES)
    lines[index : index + 1 if replace else index] = [line]
    return "---\n" + "\n".join(lines) + "\n---\n" + BODY


def key_index(key: str) -> int:
    return next(i for i, line in enumerate(HEAD_LINES) if line.startswith(f"{key}:"))


TITLE = key_index("title")
LAST = len(HEAD_LINES) - 1

# (file text, file line of the mistake, words the message must contain)
CASES = {
    "tab-indented list": (
        "---\nid: tab-2019\ntitle: 标题\nmethods:\n\t- minzhu-xieshang\n\t- 为民谋利法\nkind: exemplar\n---\n",
        5,
        ["Tab", "空格"],
    ),
    "tab before a nested key": (
        "---\nid: tab-2019\nsources:\n  - title: 来源\n\t  url: https://x.cn/\nkind: exemplar\n---\n",
        5,
        ["Tab", "空格"],
    ),
    "full-width colon after title": (with_line(TITLE, "title：石桥村调解室"), TITLE + 2, ["`title`", "全角冒号"]),
    "full-width colon on the first line": (with_line(0, "id：abc-2019"), 2, ["`id`", "全角冒号"]),
    "full-width colon on the last line": (
        with_line(LAST + 1, "author：林晓", replace=False),
        LAST + 3,
        ["`author`", "全角冒号"],
    ),
    "full-width colon after a Chinese key": (with_line(TITLE, "标题：石桥村"), TITLE + 2, ["`标题`", "全角冒号"]),
    "no space after the colon": (with_line(TITLE, "title:石桥村调解室"), TITLE + 2, ["`title:`", "空格"]),
    "no space on the last line": (with_line(LAST + 1, "author:林晓", replace=False), LAST + 3, ["`author:`", "空格"]),
    "no space, the only line": ("---\ntitle:石桥村\n---\n正文\n", 2, ["`title:`", "空格"]),
    "unquoted colon-space in a value": (
        with_line(TITLE, "title: 石桥村: 一次调解"),
        TITLE + 2,
        ["`title`", "引号", "“: ”"],
    ),
    "unquoted colon-space in a list item": (
        "---\nid: q-2019\nsources:\n  - title: 人民日报: 头版\nkind: exemplar\n---\n",
        4,
        ["`title`", "引号"],
    ),
    "value only partly quoted": (with_line(TITLE, 'title: "石桥村"调解室'), TITLE + 2, ["`title`", "引号", "调解室"]),
    "full-width space as indentation": (
        "---\nid: w-2019\nmethods:\n\u3000- minzhu-xieshang\nkind: exemplar\n---\n",
        4,
        ["全角空格"],
    ),
    "a key indented too far": (with_line(TITLE, "  title: 石桥村"), TITLE + 2, ["缩进", "`title`"]),
    "unclosed double quote": (with_line(TITLE, 'title: "石桥村调解室'), TITLE + 2, ["引号"]),
    "unclosed bracket": (with_line(TITLE, "tags: [调解, 村规"), TITLE + 2, ["方括号"]),
    "value starting with @": (with_line(TITLE, "title: @石桥村"), TITLE + 2, ["@", "引号"]),
    "an invisible control character": (with_line(TITLE, "title: 石桥\x07村"), TITLE + 2, ["控制字符"]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_real_cause_on_the_right_line(parser, name):
    text, line, words = CASES[name]
    record = parse_record("stories/x.md", text.encode())
    syntax = [p for p in record.problems if p.code == "E-YAML-SYNTAX"]
    assert [p.line for p in syntax] == [line], [p.as_text() for p in record.problems]
    for word in words:
        assert word in syntax[0].message, syntax[0].message
    assert not re.search(r"[A-Za-z]{4,} [a-z]{3,}", syntax[0].message), "no English sentence: " + syntax[0].message
    assert "不能作为开头" not in syntax[0].message or "@" in name


def test_each_mistake_through_the_cli(library_copy, cli):
    files = {f"stories/yaml/case-{i}.md": CASES[name][0] for i, name in enumerate(sorted(CASES))}
    root = library_copy(files)
    result = cli("check", "--format", "json", "stories/yaml", cwd=root)
    diags = json.loads(result.stdout)
    assert result.returncode == 1
    for i, name in enumerate(sorted(CASES)):
        mine = [d for d in diags if d["path"] == f"stories/yaml/case-{i}.md" and d["code"] == "E-YAML-SYNTAX"]
        assert [d["line"] for d in mine] == [CASES[name][1]], (name, mine)


def test_the_old_fixture_still_points_at_the_unclosed_quote(parser):
    record = parse_record("stories/x.md", (FIXTURES / "bad" / "yaml-syntax.md").read_bytes())
    assert [(p.code, p.line) for p in record.problems] == [("E-YAML-SYNTAX", 6)]
    assert "引号" in record.problems[0].message


# --- every syntax error: Chinese first, a line inside the front matter ----------------------------------------
MUTATIONS = st.sampled_from(
    [
        lambda line: "\t" + line,
        lambda line: line.replace(": ", "：", 1),
        lambda line: line.replace(": ", ":", 1),
        lambda line: line + ": 多余",
        lambda line: line.replace(": ", ': "', 1),
        lambda line: line.replace(": ", ": [", 1),
        lambda line: line.replace(": ", ": {", 1),
        lambda line: "  " + line,
        lambda line: line + ' "x"',
        lambda line: line.replace(": ", ": @", 1),
        lambda line: line.replace(": ", ": `", 1),
        lambda line: line.replace(": ", ": %", 1),
        lambda line: line.replace(": ", ": &", 1),
        lambda line: line.replace(": ", ": *", 1),
        lambda line: line.replace(": ", ": !", 1),
        lambda line: line.replace(": ", ": |x", 1),
        lambda line: line.replace(": ", ': "\\q', 1),
        lambda line: "- " + line,
        lambda line: "? " + line,
        lambda line: "\u3000" + line,
        lambda line: line + "\x07",
        lambda line: "---",
        lambda line: "...",
        lambda line: "%YAML 1.1",
        lambda line: line.replace(":", ""),
        lambda line: line + "\n\t",
        lambda line: line.replace("- ", "-\t", 1),
        lambda line: line + " #",
        lambda line: "]" + line,
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, LAST), MUTATIONS), min_size=1, max_size=3), st.sampled_from(["c", "py"]))
def test_every_syntax_error_is_chinese_and_inside_the_front_matter(mutations, which):
    lines = list(HEAD_LINES)
    for index, mutate in mutations:
        lines[index] = mutate(lines[index])
    text = "---\n" + "\n".join(lines) + "\n---\n" + BODY
    closing = text.split("\n").index("---", 1) + 1 if "---" in text.split("\n")[1:] else None
    original = load.BaseLoader
    load.BaseLoader = original if which == "c" else PurePythonLoader
    try:
        record = parse_record("stories/x.md", text.encode())
    finally:
        load.BaseLoader = original
    for problem in record.problems:
        if problem.code != "E-YAML-SYNTAX":
            continue
        cause = problem.message.split("：", 1)[1]
        assert re.match(r"[\u4e00-\u9fff“`]", cause), problem.message
        assert 2 <= problem.line < (closing or 10**6), (problem.line, closing, text)


# --- the silent ` #` cut -------------------------------------------------------------------------------------
def comment_warnings(text: str) -> list:
    record = parse_record("stories/x.md", text.encode())
    return [(p.line, p.message) for p in record.problems if p.code == "W-YAML-COMMENT"], record


@pytest.mark.parametrize(
    "line, kept, dropped",
    [
        ("title: 石桥村#1号调解室 #调解", "石桥村#1号调解室", "#调解"),
        ("title: 余村议事会 # 第二期", "余村议事会", "# 第二期"),
        ("summary: 他们先开会，再表决 #第二期", "他们先开会，再表决", "#第二期"),
    ],
)
def test_text_cut_at_space_hash_warns(parser, line, kept, dropped):
    warnings, record = comment_warnings(with_line(TITLE, line))
    assert [w[0] for w in warnings] == [TITLE + 2]
    key = line.split(":")[0]
    assert kept in warnings[0][1] and dropped in warnings[0][1]
    assert record.meta[key] == kept  # the warning tells the truth about what was read


def test_a_value_that_is_all_comment_warns_too(parser):
    warnings, record = comment_warnings(with_line(TITLE, "title: #1号调解室"))
    assert [w[0] for w in warnings] == [TITLE + 2] and "#1号调解室" in warnings[0][1]
    assert record.meta["title"] is None  # check then also says the title is empty


@pytest.mark.parametrize(
    "head",
    [
        'title: "石桥村 #1号调解室"',  # quoted: nothing is cut
        "title: '石桥村 #1号调解室'",
        "title: 石桥村#1号调解室",  # no space before #: part of the text
        "# 整行注释\ntitle: 石桥村",  # a comment line of its own
        "title: 石桥村\n# 注释",
        "title: 石桥村\nduration_note: 120 # 分钟",  # a number: nothing textual is lost
        "title: 石桥村\ndate_note: 2019-06-12 # 大约",  # a date
    ],
)
def test_no_warning_where_nothing_is_cut(parser, head):
    text = "---\n" + head + "\n---\n正文\n"
    warnings, record = comment_warnings(text)
    assert warnings == [], warnings


def test_comment_cut_through_the_cli(library_copy, cli):
    root = library_copy(
        {
            "stories/zhejiang/cut.md": with_line(TITLE, "title: 石桥村#1号调解室 #调解").replace(
                "id: jieliu-2019", "id: cut-2019"
            )
        }
    )
    result = cli("check", "--root", str(root), "stories/zhejiang/cut.md", cwd=root)
    assert result.returncode == 0  # a warning
    assert f"stories/zhejiang/cut.md:{TITLE + 2}: 警告 W-YAML-COMMENT:" in result.stdout
    assert "加引号" in result.stdout
    assert cli("check", "--strict", "stories/zhejiang/cut.md", cwd=root).returncode == 1


@pytest.mark.parametrize("item", ["title：来源", "title:来源"])
def test_a_list_item_that_is_one_text_says_it_looks_like_a_field(library_copy, cli, item):
    text = GOOD.replace("id: jieliu-2019", "id: item-2019").replace("  - title: 虚构示例：测试用故事", f"  - {item}")
    assert item in text
    root = library_copy({"stories/zhejiang/item-2019.md": text})
    result = cli("check", "stories/zhejiang/item-2019.md", cwd=root)
    line = text.split("\n").index(f"  - {item}") + 1
    assert f"stories/zhejiang/item-2019.md:{line}: 错误 E-FIELD-TYPE:" in result.stdout
    assert "冒号要用半角，冒号后面要有一个空格" in result.stdout


def test_a_url_where_a_list_belongs_is_not_taken_for_a_field(library_copy, cli):
    text = GOOD.replace("id: jieliu-2019", "id: url-2019").replace("  - title: 虚构示例：测试用故事\n", "")
    text = text.replace("sources:\n", "sources: https://www.example.gov.cn/a.html\n")
    root = library_copy({"stories/zhejiang/url-2019.md": text})
    result = cli("check", "stories/zhejiang/url-2019.md", cwd=root)
    assert "E-FIELD-TYPE" in result.stdout and "像是一行" not in result.stdout
