"""A YAML syntax error in an editor's words: the real cause, on the line where the editor made the mistake.

The parser reports where it gave up, which is often the line after the mistake, in English, and in terms of
tokens ("could not find expected ':'"). So first the raw front-matter lines are searched for the mistakes editors
actually make (a Tab in the indentation, a full-width colon or no space after a key, a bare ": " inside a value,
a value only partly in quotes, a full-width space in the indentation); only when none is found is the parser's
own message translated. Every message PyYAML (libyaml and the pure-Python loader) can give for a front matter
has a Chinese text with the fix; an unforeseen one still gets a Chinese sentence, with the English as a detail.
"""

from __future__ import annotations

import re

_KEY = r"[A-Za-z_\u4e00-\u9fff][\w\-\u4e00-\u9fff]{0,40}"  # field names as editors write them (标题 too)
_LEAD = r"^(?P<indent>[ \t]*)(?:-[ \t]+)?"  # indentation and an optional list dash
_TAB_INDENT = re.compile(r"^ *\t[ \t]*\S|^[ \t]*-\t")
_WIDE_SPACE_INDENT = re.compile(r"^[ \t]*\u3000")
_WIDE_COLON = re.compile(_LEAD + rf"(?P<key>{_KEY})[ \t]*：")
_NO_SPACE = re.compile(_LEAD + rf"(?P<key>{_KEY}):(?![\s/:])(?P<rest>\S)")
_VALUE = re.compile(_LEAD + rf"(?P<key>{_KEY}):[ \t]+(?P<value>.*)$")
_INNER_COLON = re.compile(r":(?:[ \t]|$)")
_PARTLY_QUOTED = re.compile(r'^(?:"(?:[^"\\]|\\.)*"|\'(?:[^\']|\'\')*\')[ \t]*(?P<after>[^\s#].*)$')


def diagnose_lines(lines: list[str], upto: int) -> tuple[int, str] | None:
    """(0-based line, Chinese cause and fix) of the mistake nearest before (or at) line `upto`, if recognisable."""
    in_block = None  # indentation of a `|` / `>` block scalar being skipped: its lines are text, not YAML
    found = None
    previous = None  # (indentation, had a value) of the last `key: …` line outside a list
    for index, line in enumerate(lines[: upto + 1]):
        indent = len(line) - len(line.lstrip(" "))
        if in_block is not None:
            if not line.strip() or indent > in_block:
                continue
            in_block = None
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cause = _diagnose_line(line)
        value = _VALUE.match(line) if not line.lstrip().startswith("-") else None
        if cause is None and value and previous and previous[1] and indent > previous[0]:
            cause = (
                f"这一行比上一个字段多缩进了 {indent - previous[0]} 格：同一层的字段要左对齐。"
                f"请删去 `{value.group('key')}` 前面多出的空格"
            )
        if cause is not None:
            found = (index, cause)
        if value and value.group("value").strip()[:1] in ("|", ">"):
            in_block = indent
        bare = re.match(_LEAD + rf"{_KEY}:[ \t]*$", line)
        previous = (
            (indent, bool(value and value.group("value").strip()[:1] not in ("", "#", "|", ">")))
            if (value or bare)
            else previous
        )
    return found


def _diagnose_line(line: str) -> str | None:
    if not line.strip() or line.lstrip().startswith("#"):
        return None
    if _TAB_INDENT.match(line):
        return (
            "这一行的缩进里有 Tab 字符：YAML 的缩进只能用空格，不能用 Tab。"
            "请把行首的 Tab 全部换成空格（列表项通常缩进两个空格）"
        )
    if _WIDE_SPACE_INDENT.match(line):
        return "这一行开头有全角空格“　”：YAML 的缩进只能用半角空格。请删除全角空格，改用半角空格"
    match = _WIDE_COLON.match(line)
    if match and ":" not in line[: match.end()]:
        key = match.group("key")
        return (
            f"字段名 `{key}` 后面用的是全角冒号“：”：YAML 只认半角冒号。请改成半角冒号加一个空格，"
            f"例如 `{key}: …`（切换到英文输入法再输入冒号）"
        )
    match = _NO_SPACE.match(line)
    if match:
        key = match.group("key")
        return f"`{key}:` 的冒号后面缺少空格：YAML 要求“字段名: 值”的冒号后面有一个空格。请写成 `{key}: …`"
    match = _VALUE.match(line)
    if match:
        key, value = match.group("key"), match.group("value").rstrip()
        if value[:1] in ('"', "'"):
            partly = _PARTLY_QUOTED.match(value)
            if partly:
                return (
                    f"`{key}` 的值只有一部分在引号里（引号之后还有“{partly.group('after')[:20]}”）"
                    "：引号必须包住整个值。"
                    f"值里需要引号时请用中文引号“”，或在外面改用另一种引号"
                )
        elif value[:1] not in ("[", "{", "|", ">", "&", "*", "!", "#") and _INNER_COLON.search(value):
            return (
                f"`{key}` 的值里有“: ”（冒号加空格），YAML 会把它当成又一个“字段: 值”。请给整个值加引号，"
                f'例如 `{key}: "…"`，或把值里的冒号改成中文冒号“：”'
            )
    return None


# PyYAML's problem (or context) texts, both loaders, most specific first → Chinese cause and fix.
_PROBLEMS: tuple[tuple[str, str], ...] = (
    ("found a tab character", "这里有 Tab 字符：YAML 的缩进只能用空格，请把 Tab 换成空格"),
    ("character '\\t' that cannot start", "这里有 Tab 字符：YAML 的缩进只能用空格，请把 Tab 换成空格"),
    (
        "mapping values are not allowed",
        "这里多了一个“: ”（冒号加空格），多半是值里含冒号：请给整个值加引号，或改用中文冒号“：”",
    ),
    ("mapping keys are not allowed", "这里不能出现“? ”开头的键：请删去问号，或给值加引号"),
    (
        "block sequence entries are not allowed",
        "这里不能开始“- ”列表：列表要从下一行开始，每项缩进一致；值本身以 - 开头时请加引号",
    ),
    (
        "could not find expected ':'",
        "上一个字段没有写成“字段名: 值”：检查冒号是否为半角、冒号后是否有空格，多行的值是否缩进",
    ),
    ("found unexpected ':'", "这里的冒号位置不对：含冒号的值请整个加引号"),
    ("expected <block end>", "缩进不一致：同一层的字段和列表项要左对齐，用空格缩进"),
    ("did not find expected key", "缩进不一致，或值只有一部分在引号里：同一层的字段要左对齐；引号必须包住整个值"),
    ("did not find expected '-' indicator", "列表项缩进不一致：每一项都以“- ”开头并左对齐"),
    ("did not find expected node content", "这里缺少内容：检查是否多了逗号、冒号或短横线"),
    ("expected the node content", "这里缺少内容：检查是否多了逗号、冒号或短横线"),
    ("found undefined alias", "用了未定义的别名“*”：值以 * 开头时请加引号"),
    ("found duplicate anchor", "锚点“&”重复：值以 & 开头时请加引号"),
    ("found unexpected end of stream", "内容意外结束：有引号或括号没有闭合"),
    ("found unknown escape character", "双引号中有无效的转义字符：把 \\ 改成 \\\\，或改用单引号"),
    ("escape sequence", "双引号中有无效的转义字符：把 \\ 改成 \\\\，或改用单引号"),
    ("invalid unicode character escape", "双引号中有无效的转义字符：把 \\ 改成 \\\\，或改用单引号"),
    ("expected ',' or ']'", "方括号 [ ] 没有闭合，或列表项之间缺少逗号：含逗号、冒号的项请加引号"),
    ("did not find expected ',' or ']'", "方括号 [ ] 没有闭合，或列表项之间缺少逗号：含逗号、冒号的项请加引号"),
    ("expected ',' or '}'", "花括号 { } 没有闭合，或项之间缺少逗号"),
    ("did not find expected ',' or '}'", "花括号 { } 没有闭合，或项之间缺少逗号"),
    ("invalid indentation or unclosed", "缩进不对，或有方括号、花括号没有闭合"),
    ("expected a comment or a line break", "值的后面多了内容：请给整个值加引号"),
    ("did not find expected comment or line break", "值的后面多了内容：请给整个值加引号"),
    ("special characters are not allowed", "含有不允许的控制字符：请删除这一行中看不见的特殊字符"),
    ("control characters are not allowed", "含有不允许的控制字符：请删除这一行中看不见的特殊字符"),
    ("unacceptable character", "含有不允许的控制字符：请删除这一行中看不见的特殊字符"),
    ("while scanning a block scalar", "“|”或“>”开头的多行文字写法有误：它后面只能跟换行，内容从下一行缩进开始"),
    ("indentation indicator", "“|”或“>”开头的多行文字写法有误：它后面只能跟换行，内容从下一行缩进开始"),
    ("chomping", "“|”或“>”开头的多行文字写法有误：它后面只能跟换行，内容从下一行缩进开始"),
    ("while scanning a directive", "以 % 开头的行不是字段：值以 % 开头时请加引号"),
    ("directive", "以 % 开头的行不是字段：值以 % 开头时请加引号"),
    ("document start", "文件头里出现了 `---` 或 `...`：文件头中间不能有单独的分隔行"),
    ("document separator", "文件头里出现了 `---` 或 `...`：文件头中间不能有单独的分隔行"),
    ("document indicator", "文件头里出现了 `---` 或 `...`：文件头中间不能有单独的分隔行"),
    ("single document", "文件头里出现了 `---` 或 `...`：文件头中间不能有单独的分隔行"),
    ("nothing after stream-end", "文件头里出现了 `---` 或 `...`：文件头中间不能有单独的分隔行"),
    ("tag", "以 ! 开头的写法是 YAML 标签：值以 ! 开头时请加引号"),
    ("uri", "以 ! 开头的写法是 YAML 标签：值以 ! 开头时请加引号"),
    ("while scanning an anchor", "以 & 开头的写法是 YAML 锚点：值以 & 开头时请加引号"),
    ("while scanning an alias", "以 * 开头的写法是 YAML 别名：值以 * 开头时请加引号"),
    ("alphabetic or numeric", "以 & 或 * 开头的写法是 YAML 锚点或别名：值以 & 或 * 开头时请加引号"),
    ("while scanning a simple key", "上一个字段没有写成“字段名: 值”：检查冒号是否为半角、冒号后是否有空格"),
    ("quoted scalar", "引号没有闭合：值开头的引号要在同一个值的末尾闭合"),
    ("flow sequence", "方括号 [ ] 没有闭合"),
    ("flow mapping", "花括号 { } 没有闭合"),
    ("utf-8", "含有无法识别的字符：请把文件另存为 UTF-8"),
    ("utf-16", "含有无法识别的字符：请把文件另存为 UTF-8"),
    ("input is too long", "文件头太长"),
)
_START_TOKEN = {
    "\t": "这里有 Tab 字符：YAML 的缩进只能用空格，请把 Tab 换成空格",
    "@": "值以 @ 开头：@ 在 YAML 中有特殊含义，请给整个值加引号",
    "`": "值以反引号 ` 开头：它在 YAML 中有特殊含义，请给整个值加引号",
    "%": "值以 % 开头：请给整个值加引号",
}


def translate(problem: str, context: str = "", character: str = "") -> str:
    """PyYAML's problem text → Chinese cause and fix; `character` is the text at the error mark."""
    text = problem.lower()
    if "cannot start any token" in text:
        if character in _START_TOKEN:
            return _START_TOKEN[character]
        shown = character if character.isprintable() and character.strip() else repr(character)
        return f"这里的字符“{shown}”不能作为值的开头：请给整个值加引号"
    for haystack in (text, context.lower()):
        for english, chinese in _PROBLEMS:
            if english in haystack and haystack:
                return chinese
    detail = (problem or context).strip()
    return "无法解析这一行，请检查冒号、引号、缩进" + (f"（解析器的原话：{detail}）" if detail else "")
