"""argparse in Chinese: its own words ("usage:", "options:", "-h" help, error messages) for the `exemplars` command.

argparse takes every phrase it prints through gettext (`_()` and `ngettext()`, imported into its module), and
those two names are the one hook it offers: `install()` points them at the table below, which falls back to
the English text for a phrase it does not know (a newer Python's new wording), so nothing is ever lost. The
test (tests/test_cli_chinese.py) runs the real command and fails on any stock argparse phrase it sees.
The phrases are argparse's exact msgids (Python 3.10–3.13); %-placeholders are kept as they are.
"""

from __future__ import annotations

import argparse

ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",  # Python 3.9
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "subcommands": "命令",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "以下参数必须给出一个：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "invalid choice: %(value)r, maximum characters: %(max)d": "无效的选项 %(value)r（最多 %(max)d 个字符）",
    "invalid %(type)s value: %(value)r": "%(value)r 不是有效的 %(type)s 值",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多一个值",
    "expected at least one argument": "至少需要一个值",
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "忽略了显式给出的值 %r",
    "unexpected option string: %s": "意外的选项：%s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有命令 %(parser_name)r（可用命令：%(choices)s）",
    'argument "-" with mode %r': "模式为 %r 的参数“-”",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "%r is not callable": "%r 不可调用",
}


def translate(message: str) -> str:
    return ZH.get(message, message)


def translate_plural(singular: str, plural: str, n: int) -> str:
    return translate(singular if n == 1 else plural)


def install() -> None:
    """Route argparse's gettext calls through the table (idempotent; this process only)."""
    argparse._ = translate
    argparse.ngettext = translate_plural
