"""Everything the `exemplars` command says is Chinese, argparse's own words included, and `exemplars new` names
the preview's real address."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from test_cli import NEW_ARGS

from exemplars.cli import build_parser


def _stock_phrases() -> list[str]:
    """Every English fragment argparse can print: its gettext msgids (read from its source, so a newer Python's
    new wording is covered too) split at their %-placeholders, plus the few it does not translate."""
    source = Path(argparse.__file__).read_text(encoding="utf-8")
    msgids = re.findall(r"""\b_\(\s*(['"])(.+?)\1\s*\)""", source)
    plurals = re.findall(r"""ngettext\(\s*(['"])(.+?)\1\s*,\s*(['"])(.+?)\3""", source)
    texts = [text for _, text in msgids] + [t for p in plurals for t in (p[1], p[3])]
    texts += ["show program's version number and exit", "usage:", "options:", "error:", "positional arguments"]
    fragments = set()
    for text in texts:
        for part in re.split(r"%\(\w+\)[-#0 +]*\d*[sdr]|%[sdr]|\\n", text):
            part = part.strip(" :.,()'\"")
            if len(re.findall(r"[A-Za-z]", part)) >= 4:
                fragments.add(part.lower())
    return sorted(fragments)


STOCK = _stock_phrases()


def english_from_argparse(output: str) -> list[str]:
    lowered = output.lower()
    return [phrase for phrase in STOCK if phrase in lowered]


def test_the_phrase_list_knows_argparse():
    assert {
        "usage",
        "show this help message and exit",
        "the following arguments are required",
        "invalid choice",
        "unrecognized arguments",
        "expected one argument",
    } <= set(STOCK)
    assert english_from_argparse("usage: exemplars [-h]\n\noptions:\n  -h, --help  show this help message and exit")


def _subcommands() -> list[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(action.choices)


@pytest.mark.parametrize(
    "args", [["--help"], *[[name, "--help"] for name in _subcommands()]], ids=lambda args: " ".join(args)
)
def test_help_is_chinese(cli, args):
    result = cli(*args)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("用法：") and "显示本帮助并退出" in result.stdout
    assert "\n选项：\n" in result.stdout and "选项:" not in result.stdout, "headings end with a Chinese colon"
    assert english_from_argparse(result.stdout + result.stderr) == []


@pytest.mark.parametrize(
    "args, detail",
    [
        (["bogus"], "无效的选项 'bogus'"),
        (["mv"], "缺少必需的参数：OLD, NEW"),
        (["mv", "a"], "缺少必需的参数：NEW"),
        (["check", "--format", "xml"], "无效的选项 'xml'"),
        (["check", "--no-such-option"], "无法识别的参数：--no-such-option"),
        (["schema", "-o"], "需要一个值"),
        (["new", "--kind"], "需要一个值"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else None,
)
def test_usage_errors_are_chinese(cli, args, detail):
    result = cli(*args)
    assert result.returncode == 2
    assert result.stderr.startswith("用法：") and detail in result.stderr and "--help" in result.stderr
    assert english_from_argparse(result.stdout + result.stderr) == []


def test_new_names_make_serves_default_address_when_no_preview_runs(library_copy, cli):
    root = library_copy()
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a preview that died without removing its record
    record = root / ".cache" / "exemplars" / "preview.json"
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps({"url": "http://127.0.0.1:8765/", "pid": gone.pid}), encoding="utf-8")
    result = cli("new", "--root", str(root), *NEW_ARGS, "--id", "laohuoban-2020")
    assert result.returncode == 0, result.stderr
    assert "http://127.0.0.1:8000/stories/laohuoban-2020/" in result.stdout and "8765" not in result.stdout
    assert "默认端口 8000" in result.stdout and "PORT=" in result.stdout, "says where the port comes from"
