"""Bytes → Record: front matter with a line for every key and list item, and the body.

Never raises on bad input and never writes: every problem becomes a Diagnostic on the Record. YAML is composed
with the safe (libyaml when available) loader and turned into plain values by our own walk, which is what lets us
report duplicate keys, refuse tags and cap alias expansion, and remember where each value stood.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from .diagnostics import Diagnostic
from .yaml_messages import diagnose_lines, translate

_Y = "tag:yaml.org,2002:"
_DEFAULT_TAGS = {yaml.ScalarNode: _Y + "str", yaml.SequenceNode: _Y + "seq", yaml.MappingNode: _Y + "map"}


class BaseLoader(getattr(yaml, "CBaseLoader", yaml.BaseLoader)):
    """Compose-only loader. libyaml calls back into Python to resolve every node's tag; the answer for an
    untagged node is always the standard one, so skip the resolver's path machinery (a third of the time)."""

    def resolve(self, kind, value, implicit):
        return _DEFAULT_TAGS[kind]


_constructor = yaml.constructor.SafeConstructor()

MAX_FILE_BYTES = 1024 * 1024  # a story is a few KB; anything near a megabyte is a mistake
MAX_YAML_NODES = 10_000  # after alias expansion; a real front matter has well under 200
MAX_YAML_DEPTH = 32

# The front-matter boundary exactly as python-frontmatter reads it (three or more dashes), so files that library
# accepts are the files we accept. Its loader itself is not used: it cannot report lines or duplicate keys.
_FENCE = re.compile(frontmatter.YAMLHandler.FM_BOUNDARY.pattern)
_STR = _Y + "str"
_PLAIN_SCALAR_TAGS = {_Y + "str", _Y + "int", _Y + "float", _Y + "bool", _Y + "null"}

KeyPath = tuple  # e.g. ("methods", 1) or ("sources", 0, "url")


@dataclass
class Record:
    """One Markdown file of the library as read from disk."""

    path: str  # POSIX, relative to the library root
    meta: dict[str, Any] | None = None  # None when the front matter could not be read at all
    lines: dict[KeyPath, int] = field(default_factory=dict)  # where each key / item stands (1-based)
    body: str = ""
    body_line: int = 1  # file line of the first body line
    digest: str = ""  # sha256 of the raw bytes: a cache key
    problems: list[Diagnostic] = field(default_factory=list)
    # (kind, id, file line, as written) for every `[[story:…]]` citation and /stories/<id>/ link in the body,
    # found by the per-file rules (in worker processes) so that the cross-file check only looks ids up.
    citations: list[tuple[str, str, int, str]] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        return self.meta is not None

    def line_of(self, *key: Any) -> int:
        """The line of the deepest known prefix of `key`, falling back to the front matter's first line."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return 1


class _Refused(Exception):
    def __init__(self, code: str, line: int, **args: Any) -> None:
        super().__init__(code)
        self.code, self.line, self.args_ = code, line, args


def read_record(root: Path, path: Path | str) -> Record:
    """Read one file. `path` may be absolute or relative to `root`. Plain os calls: this runs per file."""
    abs_path = os.path.join(root, path)
    rel = _relative(root, abs_path)
    record = Record(path=rel)
    try:
        if os.path.islink(abs_path) and not _inside(root, Path(os.path.realpath(abs_path))):
            record.problems.append(Diagnostic.make("E-PATH-SYMLINK", rel, 1, target=os.readlink(abs_path)))
            return record
        with open(abs_path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_FILE_BYTES:
                record.problems.append(
                    Diagnostic.make("E-FILE-TOO-LARGE", rel, 1, size=_human(size), limit=_human(MAX_FILE_BYTES))
                )
                return record
            raw = handle.read()
    except OSError as exc:
        record.problems.append(Diagnostic.make("E-FILE-READ", rel, 1, error=exc.strerror or str(exc)))
        return record
    return parse_record(rel, raw, record)


def parse_record(rel: str, raw: bytes, record: Record | None = None) -> Record:
    """Parse raw bytes already read from `rel`."""
    record = record or Record(path=rel)
    record.digest = hashlib.sha256(raw).hexdigest()
    text = _decode(rel, raw, record)
    if text is None:
        return record
    if not text.strip():
        record.problems.append(Diagnostic.make("E-FILE-EMPTY", rel, 1))
        return record
    lines = text.split("\n")
    if not _FENCE.match(lines[0]):
        record.problems.append(Diagnostic.make("E-FM-MISSING", rel, 1))
        return record
    end = next((i for i in range(1, len(lines)) if _FENCE.match(lines[i])), None)
    if end is None:
        record.problems.append(Diagnostic.make("E-FM-UNCLOSED", rel, 1))
        return record
    front = "\n".join(lines[1:end])
    record.body = "\n".join(lines[end + 1 :])
    record.body_line = end + 2
    soft: list[_Refused] = []
    try:
        meta = _load_yaml(front, record.lines, first_line=2, soft=soft)
    except _Refused as exc:
        record.problems.append(Diagnostic.make(exc.code, rel, exc.line, **exc.args_))
        return record
    finally:
        record.problems.extend(Diagnostic.make(p.code, rel, p.line, **p.args_) for p in soft)
    if meta is None:
        meta = {}  # an empty front matter is a mapping with every field missing
    if not isinstance(meta, dict):
        mistake = diagnose_lines(lines[1:end], end)  # `title:标题` alone reads as one text, not a field
        if mistake is not None:
            record.problems.append(Diagnostic.make("E-YAML-SYNTAX", rel, 2 + mistake[0], problem=mistake[1]))
        else:
            record.problems.append(Diagnostic.make("E-FM-NOT-MAPPING", rel, 2, found=_describe(meta)))
        return record
    record.meta = meta
    return record


def _decode(rel: str, raw: bytes, record: Record) -> str | None:
    nul = raw.find(b"\x00")
    variant = _utf16_variant(raw) if nul >= 0 or raw[:2] in (b"\xff\xfe", b"\xfe\xff") else None
    if variant:
        record.problems.append(Diagnostic.make("E-FILE-UTF16", rel, 1, variant=variant))
        return None
    if nul >= 0:
        record.problems.append(Diagnostic.make("E-FILE-BINARY", rel, raw[:nul].count(b"\n") + 1))
        return None
    try:
        text = raw.decode("utf-8-sig")  # a BOM is accepted and dropped
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        guess = ""
        try:
            raw.decode("gb18030")
            guess = "，看起来是 GBK/GB18030 编码"
        except UnicodeDecodeError:
            pass
        record.problems.append(Diagnostic.make("E-FILE-ENCODING", rel, line, guess=guess, at=line))
        return None
    # CRLF and lone CR count as one line break, for parsing only: the file itself is never rewritten.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _utf16_variant(raw: bytes) -> str | None:
    """'UTF-16 LE' / 'UTF-16 BE' (with ' 带 BOM') when `raw` reads as UTF-16 text, else None.

    Notepad's "Unicode" is UTF-16 LE with a BOM; without one, the ASCII of a front matter (---, field names) puts a
    NUL in every other byte, mostly on one side, and the whole file decodes to printable text. Other
    NUL-containing files stay binary."""
    for bom, codec, name in ((b"\xff\xfe", "utf-16-le", "UTF-16 LE"), (b"\xfe\xff", "utf-16-be", "UTF-16 BE")):
        if raw.startswith(bom) and _reads_as(raw[2:], codec):
            return name + " 带 BOM"
    sample = raw[:4096]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if len(raw) % 2 or max(even, odd) * 16 < len(sample) or min(even, odd) * 2 >= max(even, odd):
        return None  # (CJK such as 一, U+4E00, puts a few NULs on the other side)
    codec, name = ("utf-16-le", "UTF-16 LE") if odd > even else ("utf-16-be", "UTF-16 BE")
    return name if _reads_as(raw, codec) and "\n" in raw.decode(codec) else None


def _reads_as(raw: bytes, codec: str) -> bool:
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError:
        return False
    return all(ch.isprintable() or ch in "\n\r\t" for ch in text[:2048])


def _load_yaml(text: str, lines: dict, first_line: int, soft: list) -> Any:
    try:
        loader = BaseLoader(text)  # composes only; plain scalars are typed by _Builder, as SafeLoader would
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(text, first_line, exc) from None
    except yaml.reader.ReaderError as exc:  # a control character: no mark; libyaml counts bytes, so find it
        found = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
        line = text.count("\n", 0, found) if found >= 0 else 0
        raise _Refused("E-YAML-SYNTAX", first_line + line, problem=translate(exc.reason or str(exc))) from None
    except yaml.YAMLError as exc:
        raise _Refused("E-YAML-SYNTAX", first_line, problem=translate(str(exc))) from None
    except RecursionError:
        raise _Refused("E-YAML-DEPTH", first_line) from None
    if node is None:
        return None
    return _Builder(lines, first_line, soft, text).build(node, (), 0)


def _syntax_error(text: str, first_line: int, exc: yaml.MarkedYAMLError) -> _Refused:
    """The editor's mistake on its own line when the raw lines show it, else the parser's message in Chinese."""
    rows = text.split("\n")
    mark = exc.problem_mark or exc.context_mark
    if exc.context_mark and exc.context and any(c in exc.context for c in _OPENER_CONTEXTS):
        mark = exc.context_mark  # an unclosed bracket or quote: point where it was opened
    at = min(mark.line, len(rows) - 1) if mark else 0  # the end of the text is the last front-matter line
    mistake = diagnose_lines(rows, at)
    if mistake is not None:
        return _Refused("E-YAML-SYNTAX", first_line + mistake[0], problem=mistake[1])
    character = ""
    if exc.problem_mark and exc.problem_mark.line < len(rows):
        character = rows[exc.problem_mark.line][exc.problem_mark.column : exc.problem_mark.column + 1]
    return _Refused(
        "E-YAML-SYNTAX", first_line + at, problem=translate(exc.problem or "", exc.context or "", character)
    )


_OPENER_CONTEXTS = ("flow sequence", "flow mapping", "quoted scalar")
_IMPLICIT = yaml.resolver.Resolver.yaml_implicit_resolvers  # first character → [(tag, pattern)], YAML 1.1 rules
_SEQ, _MAP = _Y + "seq", _Y + "map"
# What an explicit `!!tag` on a scalar may say. (`!!str 1` reads as the number 1: the base loader does not
# tell an explicit !!str from a plain scalar. Editors never write it; the schema then asks for text.)
_ALLOWED_EXPLICIT = _PLAIN_SCALAR_TAGS | {_Y + "timestamp"}


def _written_tag(tag: str) -> str:
    return "!!" + tag[len(_Y) :] if tag.startswith(_Y) else tag


class _Builder:
    """Turn a composed YAML node graph into plain Python values, recording lines; refuse what is unsafe.

    The graph comes from the base loader, so tags are either explicit (checked against an allow-list) or
    absent; plain scalars are typed here with PyYAML's own YAML 1.1 patterns (true, 12, ~ …), and dates
    stay text so that the schema can say what is wrong with 2019-13-45. Fatal problems raise _Refused; a
    duplicate key is reported in `soft` and reading goes on (the first value wins), so one run still reports
    every other problem of the file. This walk is the checker's hot path: keep it lean.
    """

    def __init__(self, lines: dict, first_line: int, soft: list, text: str = "") -> None:
        self.lines, self.first_line, self.count, self.soft = lines, first_line, 0, soft
        self.rows = text.split("\n") if "#" in text else None  # raw lines, only to spot ` #` comments
        self.entry_line = first_line  # the top-level key being read: where an alias blow-up is reported

    def build(self, node: yaml.Node, path: tuple, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_YAML_NODES:
            raise _Refused("E-YAML-ALIAS", self.entry_line, limit=MAX_YAML_NODES)
        if depth > MAX_YAML_DEPTH:
            raise _Refused("E-YAML-DEPTH", self.first_line + node.start_mark.line)
        kind = type(node)
        if kind is yaml.ScalarNode:
            return self.scalar(node)
        if kind is yaml.SequenceNode:
            self.check_tag(node, _SEQ)
            lines, first, items = self.lines, self.first_line, []
            for index, child in enumerate(node.value):
                lines[path + (index,)] = first + child.start_mark.line
                items.append(self.build(child, path + (index,), depth + 1))
            return items
        if kind is yaml.MappingNode:
            self.check_tag(node, _MAP)
            return self.mapping(node, path, depth)
        raise _Refused("E-YAML-TAG", self.first_line + node.start_mark.line, tag=getattr(node, "tag", "?"))

    def check_tag(self, node: yaml.Node, expected: str) -> None:
        if node.tag != expected:  # the base loader gives untagged collections their standard tag
            raise _Refused("E-YAML-TAG", self.first_line + node.start_mark.line, tag=_written_tag(node.tag))

    def scalar(self, node: yaml.ScalarNode) -> Any:
        value, tag = node.value, node.tag
        if tag == _STR:
            if not node.style:  # plain ('' from libyaml, None from the pure-Python loader): type it
                if not value:
                    return None  # `key:` with nothing after it is null, as in SafeLoader
                for implicit_tag, pattern in _IMPLICIT.get(value[0], ()):
                    if pattern.match(value):
                        return self.typed(node, implicit_tag)
                if self.rows is not None:
                    self.comment_after(node)
            return value
        if tag not in _ALLOWED_EXPLICIT:
            raise _Refused("E-YAML-TAG", self.first_line + node.start_mark.line, tag=_written_tag(tag))
        return self.typed(node, tag)

    def comment_after(self, node: yaml.ScalarNode) -> None:
        """Warn when an unquoted text value is followed by ` #…` on its line: YAML dropped that as a comment, so
        `title: 石桥村#1号调解室 #调解` silently became `石桥村#1号调解室`. Numbers, dates and quoted values are not
        cut this way; a comment on a line of its own is not after a value."""
        mark = node.end_mark
        if mark.line >= len(self.rows):
            return
        rest = self.rows[mark.line][mark.column :]
        stripped = rest.lstrip(" \t")
        if stripped.startswith("#") and len(stripped) < len(rest):
            self.soft.append(
                _Refused(
                    "W-YAML-COMMENT",
                    self.first_line + mark.line,
                    comment=stripped.rstrip()[:40],
                    value=node.value[-40:],
                    quoted=f'"{node.value} {stripped.rstrip()}"'[:90],
                )
            )

    def comment_instead_of_value(self, key_node: yaml.Node) -> None:
        """`title: #1号调解室`: the whole value was read as a comment, leaving the field empty."""
        mark = key_node.end_mark
        if mark.line >= len(self.rows):
            return
        rest = re.match(r"\s*:[ \t]+(#.*)$", self.rows[mark.line][mark.column :])
        if rest:
            self.soft.append(
                _Refused(
                    "W-YAML-COMMENT",
                    self.first_line + mark.line,
                    comment=rest.group(1).rstrip()[:40],
                    value="（空）",
                    quoted=f'"{rest.group(1).rstrip()}"'[:90],
                )
            )

    @staticmethod
    def typed(node: yaml.ScalarNode, tag: str) -> Any:
        if tag == _STR or tag == _Y + "timestamp":
            return node.value
        try:
            return _constructor.construct_object(yaml.ScalarNode(tag, node.value), deep=True)
        except (yaml.YAMLError, ValueError, OverflowError):
            return node.value

    def mapping(self, node: yaml.MappingNode, path: tuple, depth: int) -> dict:
        result: dict = {}
        first_seen: dict = {}
        lines, first = self.lines, self.first_line
        for key_node, value_node in node.value:
            key_line = first + key_node.start_mark.line
            key = (
                self.build(key_node, path + ("<key>",), depth + 1)
                if type(key_node) is not yaml.ScalarNode
                else self.scalar(key_node)
            )
            if isinstance(key, (list, dict)) or key is None:
                raise _Refused("E-YAML-KEY-TYPE", key_line, key=str(key_node.value)[:40])
            if not isinstance(key, str):
                key = str(key)  # `2019: x` is a key written as a number; keep its spelling for the message
            if key in first_seen:
                self.soft.append(_Refused("E-YAML-DUPKEY", key_line, key=key, first=first_seen[key]))
                continue
            first_seen[key] = key_line
            if not path:
                self.entry_line = key_line
            key_path = path + (key,)
            lines[key_path] = key_line
            if type(value_node) is yaml.ScalarNode:  # most values: skip build()'s dispatch
                self.count += 1
                result[key] = self.scalar(value_node)
                if result[key] is None and self.rows is not None and not value_node.style:
                    self.comment_instead_of_value(key_node)
            else:
                result[key] = self.build(value_node, key_path, depth + 1)
        return result


def _describe(value: Any) -> str:
    if isinstance(value, list):
        return "一个列表"
    if isinstance(value, str):
        return "一段文字"
    return f"一个{type(value).__name__}值"


def _relative(root: Path, path: str) -> str:
    prefix = os.path.join(root, "")
    rel = path[len(prefix) :] if path.startswith(prefix) else path
    return rel.replace(os.sep, "/")


def _inside(root: Path, target: Path) -> bool:
    try:
        target.relative_to(root.resolve())
        return True
    except ValueError:
        return False


def _human(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"
