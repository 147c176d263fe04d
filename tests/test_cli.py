"""The `exemplars` command as editors and CI run it: real subprocesses, real files."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES

from exemplars.cli.common import UsageError
from exemplars.cli.new import Asker, valid_region

# Options as an editor types them (no value holds a space).
NEW_ARGS = (
    "--title 槐荫社区“老伙伴”结对：独居老人有人陪 --kind 正面 --method 民主协商 --method weimin-mouli"
    " --region 浙江省/杭州市/西湖区 --date 2020-04-12"
).split()


def test_new_writes_a_draft_that_passes_check(library_copy, cli):
    root = library_copy()
    result = cli("new", "--root", str(root), *NEW_ARGS, "--author", "测试编辑")
    assert result.returncode == 0, result.stderr
    path = root / "stories" / "zhejiang" / "huaiyin-shequ-lao-huoban-jiedui-duju-laoren-2020.md"
    assert path.is_file(), result.stdout
    assert "已创建 stories/zhejiang/huaiyin-shequ-lao-huoban-jiedui-duju-laoren-2020.md" in result.stdout
    text = path.read_text(encoding="utf-8")
    assert "status: draft" in text and "methods: [minzhu-xieshang, weimin-mouli]" in text
    assert "date: 2020-04-12" in text and "author: 测试编辑" in text
    assert "## 背景" in text and "## 启示" in text
    check = cli("check", "--root", str(root), str(path))
    assert check.returncode == 0, check.stdout + check.stderr
    assert "W-PLACEHOLDER" in check.stdout  # the placeholders are still visible to the editor
    # once sent for review, the same placeholders are errors
    path.write_text(text.replace("status: draft", "status: review"), encoding="utf-8")
    check = cli("check", "--root", str(root), str(path))
    assert check.returncode == 1 and "E-PLACEHOLDER" in check.stdout


def test_new_cautionary_outline(library_copy, cli):
    root = library_copy()
    options = "--title 某镇干部推诿群众诉求 --kind cautionary --method 教育疏导法 --region 河南省/南阳市"
    result = cli("new", "--root", str(root), *options.split(), "--date", "2021-01-05", "--id", "tuiwei-2021")
    assert result.returncode == 0, result.stderr
    text = (root / "stories" / "henan" / "tuiwei-2021.md").read_text(encoding="utf-8")
    assert "kind: cautionary" in text and "## 查处" in text and "## 警示" in text


def test_new_refuses_an_id_a_lesson_or_an_incomplete_file_holds(library_copy, cli):
    """Stories and lessons share one namespace of ids, and a file missing required fields still holds its id."""
    root = library_copy({"lessons/ke-yi.md": "---\nid: ke-yi\ntitle: 只写了标题的课程\n---\n正文\n"})
    result = cli("new", "--root", str(root), *NEW_ARGS, "--id", "ke-yi")
    assert result.returncode == 2 and "已被 lessons/ke-yi.md 使用" in result.stderr
    assert not list((root / "stories").rglob("ke-yi.md"))


def test_new_refuses_to_reuse_an_id_or_overwrite(library_copy, cli):
    root = library_copy()
    before = (root / "stories" / "henan" / "jieliu-2019.md").read_bytes()
    result = cli("new", "--root", str(root), *NEW_ARGS, "--id", "jieliu-2019")
    assert result.returncode == 2 and "已被 stories/henan/jieliu-2019.md 使用" in result.stderr
    result = cli("new", "--root", str(root), *NEW_ARGS, "--id", "laozhishu-2021")  # an old id counts too
    assert result.returncode == 2
    first = cli("new", "--root", str(root), *NEW_ARGS)
    assert first.returncode == 0
    again = cli("new", "--root", str(root), *NEW_ARGS)
    assert again.returncode == 2 and "--id" in again.stderr
    assert (root / "stories" / "henan" / "jieliu-2019.md").read_bytes() == before


def test_new_rejects_bad_values_in_chinese_without_traceback(library_copy, cli):
    root = library_copy()
    cases = [
        ("--method", "群众路线法", "未知的方法"),
        ("--region", "浙江/杭州市", "是不是 `浙江省`"),
        ("--date", "2020-02-30", "日期"),
        ("--kind", "good", "类型"),
    ]
    for flag, value, words in cases:
        args = list(NEW_ARGS)
        args[args.index(flag) + 1] = value
        result = cli("new", "--root", str(root), *args)
        assert result.returncode == 2, (flag, result.stdout)
        assert words in result.stderr and "Traceback" not in result.stderr
    assert not (root / "stories" / "zhejiang" / "huaiyinshequ-laohuoban-2020.md").exists()


def test_new_without_terminal_lists_missing_flags(library_copy, cli):
    result = cli("new", "--root", str(library_copy()), "--title", "只有标题")
    assert result.returncode == 2
    assert "--kind" in result.stderr and "--method" in result.stderr and "--region" in result.stderr


def test_new_prompts_until_the_answer_is_valid(monkeypatch, capsys):
    answers = iter(["浙江", "浙江省/湖州市"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    asker = Asker(interactive=True)
    assert asker.value(None, "--region", "地区", valid_region) == "浙江省/湖州市"
    assert "是不是 `浙江省`" in capsys.readouterr().err
    with pytest.raises(UsageError):
        valid_region("")


def test_check_formats(library_copy, cli):
    root = library_copy({"stories/zhejiang/case.md": (FIXTURES / "bad" / "invalid-date.md").read_bytes()})
    text = cli("check", "--root", str(root))
    assert text.returncode == 1
    assert "stories/zhejiang/case.md:8: 错误 E-DATE-INVALID:" in text.stdout
    assert "1 个错误" in text.stderr
    as_json = cli("check", "--root", str(root), "--format", "json")
    items = json.loads(as_json.stdout)
    assert {
        "path": "stories/zhejiang/case.md",
        "line": 8,
        "code": "E-DATE-INVALID",
        "severity": "error",
    }.items() <= next(i for i in items if i["code"] == "E-DATE-INVALID").items()
    github = cli("check", "--root", str(root), "--format", "github")
    assert "::error file=stories/zhejiang/case.md,line=8,title=E-DATE-INVALID::" in github.stdout
    assert github.returncode == 1


def test_check_paths_limit_the_report_but_resolve_against_the_whole(library_copy, cli):
    root = library_copy({"stories/zhejiang/case.md": (FIXTURES / "bad" / "duplicate-id.md").read_bytes()})
    only = cli("check", "--root", str(root), str(root / "stories" / "zhejiang" / "qingshi-yishihui-2019.md"))
    assert only.returncode == 1
    assert "E-ID-DUPLICATE" in only.stdout and "case.md:2" in only.stdout
    assert all(line.startswith("stories/zhejiang/qingshi-yishihui-2019.md:") for line in only.stdout.splitlines())
    clean = cli("check", "--root", str(root), str(root / "stories" / "henan"))
    assert clean.returncode == 0, clean.stdout


def test_check_strict_fails_on_warnings(library_copy, cli):
    root = library_copy()
    assert cli("check", "--root", str(root)).returncode == 0
    assert cli("check", "--root", str(root), "--strict").returncode == 1


def test_usage_errors_are_chinese(cli):
    result = cli("check", "--format", "xml")
    assert result.returncode == 2 and "用法有误" in result.stderr
    missing = cli("check", "no/such/file.md")
    assert missing.returncode == 2 and "找不到" in missing.stderr
