"""`exemplars mv OLD NEW`: give a story or lesson a new id without breaking a single link.

The file's `id:` changes, OLD joins its `aliases` (so /stories/OLD/ keeps redirecting), and every reference in
the library is rewritten: `[[story:OLD]]` citations, `stories:` / `related:` entries, /stories/OLD/ links, and
Markdown links to the file when it is renamed to NEW.md. Edits are line-level text edits on the original bytes
— never a YAML re-dump — so comments, key order, quoting and line endings stay exactly as the editor wrote them.

Safety: refuses outside git, when a file it would touch has uncommitted changes, or when NEW is taken; plans
every edit and re-reads every edited file before writing anything; writes each file atomically.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import git
from .body_rules import markdown_links
from .citations import CITABLE, classify_link, find_citations
from .fsutil import write_atomic
from .library import Library, closest, load_library
from .load import Record, parse_record
from .messages import did_you_mean, render
from .schema import SLUG_RE

_BOM = "\ufeff"
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_ENDING = re.compile(r"(\r\n|\r|\n)\Z")


class MoveError(Exception):
    """A refusal, in Chinese, with its code; nothing has been written when it is raised."""

    def __init__(self, code: str, **args: object) -> None:
        self.code = code
        self.message, self.hint = render(code, **args)
        super().__init__(f"{code}: {self.message}")

    def as_text(self) -> str:
        return f"错误 {self.code}: {self.message}（{self.hint}）"


@dataclass
class FileEdit:
    path: str  # repo-relative, as before the move
    before: bytes
    after: bytes
    changes: list[tuple[int, str]] = field(default_factory=list)  # (line in the original file, what changed)
    new_path: str | None = None  # set for the moved file when it is renamed


@dataclass
class MoveReport:
    kind: str
    old_id: str
    new_id: str
    path: str
    new_path: str  # equal to `path` when the file keeps its name
    edits: list[FileEdit]
    dry_run: bool = False

    @property
    def renamed(self) -> bool:
        return self.new_path != self.path

    def as_text(self) -> str:
        verb = "将要" if self.dry_run else "已"
        lines = [
            f"{verb}把{CITABLE[self.kind]} `{self.old_id}` 改名为 `{self.new_id}`"
            "（旧标识保留在 aliases 中，旧网址继续有效）："
        ]
        if self.renamed:
            lines.append(f"  重命名 {self.path} → {self.new_path}")
        for edit in self.edits:
            for line, what in edit.changes:
                lines.append(f"  {edit.path}:{line}: {what}")
        touched = len(self.edits)
        lines.append(f"共涉及 {touched} 个文件。" + ("（预演：没有写入任何文件）" if self.dry_run else ""))
        return "\n".join(lines)


def move(root: Path, kind: str | None, old_id: str, new_id: str, dry_run: bool = False) -> MoveReport:
    """Rename story or lesson `old_id` (kind None: whichever has that id) to `new_id`. Raises MoveError."""
    root = Path(root).resolve()
    if not SLUG_RE.match(new_id):
        raise MoveError("E-MV-ID-FORMAT", value=new_id)
    if old_id == new_id:
        raise MoveError("E-MV-SAME", value=new_id)
    library = load_library(root)
    kind, record = _find(library, kind, old_id)
    _ensure_free(library, new_id)
    target_path = _renamed_path(record.path, old_id, new_id)
    if target_path != record.path and (root / target_path).exists():
        raise MoveError("E-MV-TARGET-EXISTS", file=target_path)

    edits: list[FileEdit] = []
    for other in _library_records(library):
        edit = _plan_file(root, other, kind, old_id, new_id, record.path, target_path, is_target=other is record)
        if edit is not None:
            edits.append(edit)
    _ensure_clean(root, [e.path for e in edits] + ([target_path] if target_path != record.path else []))
    report = MoveReport(
        kind=kind, old_id=old_id, new_id=new_id, path=record.path, new_path=target_path, edits=edits, dry_run=dry_run
    )
    if not dry_run:
        _apply(root, report)
    return report


# --- finding things ----------------------------------------------------------------------------------------------
def _library_records(library: Library) -> list[Record]:
    return [r for name in ("story", "lesson", "method") for r in library.records.get(name, [])]


def _find(library: Library, kind: str | None, old_id: str) -> tuple[str, Record]:
    claims = library.id_claims()
    holders = [c for c in claims.get(old_id, []) if kind is None or c.kind == kind]
    owners = [c for c in holders if c.how == "id"]
    if len(owners) > 1:
        raise MoveError("E-MV-AMBIGUOUS", value=old_id, files="、".join(c.path for c in owners))
    if not owners:
        if holders:
            current = (library.values.get(holders[0].path) or {}).get("id", "?")
            raise MoveError("E-MV-OLD-IS-ALIAS", value=old_id, what=CITABLE[holders[0].kind], current=current)
        ids = sorted(name for name, hs in claims.items() if any(h.how == "id" for h in hs))
        raise MoveError("E-MV-UNKNOWN", value=old_id, suggestion=did_you_mean(closest(old_id, ids)))
    found_kind, path = owners[0].kind, owners[0].path
    record = library.record(path)
    if record is None or not record.readable or any(p.code.startswith("E-YAML") for p in record.problems):
        raise MoveError("E-MV-FILE-UNREADABLE", file=path)
    return found_kind, record


def _ensure_free(library: Library, new_id: str) -> None:
    holders = library.id_claims().get(new_id)
    if holders:
        kind, how, path = holders[0].kind, holders[0].how, holders[0].path
        other = f"{path} 的{CITABLE[kind]}{'标识' if how == 'id' else '旧标识（aliases）'}"
        raise MoveError("E-MV-TAKEN", value=new_id, other=other)


def _renamed_path(path: str, old_id: str, new_id: str) -> str:
    """Files are named after their id (stories/<province>/<id>.md); one that is not keeps its name."""
    folder, name = posixpath.split(path)
    stem, dot, suffix = name.rpartition(".")
    return posixpath.join(folder, f"{new_id}.{suffix}") if dot and stem == old_id else path


# --- planning one file's edits ------------------------------------------------------------------------------
class _Text:
    """A file as lines that keep their own line endings (and the BOM), edited line by line."""

    def __init__(self, raw: bytes) -> None:
        text = raw.decode("utf-8")
        self.bom = text.startswith(_BOM)
        text = text[1:] if self.bom else text
        self.lines = _LINE.findall(text)
        self.inserts: dict[int, list[str]] = {}  # after line index → new lines (with endings)

    def content(self, index: int) -> str:
        return _ENDING.sub("", self.lines[index])

    def ending(self, index: int) -> str:
        match = _ENDING.search(self.lines[index])
        return match.group(1) if match else "\n"

    def set_content(self, index: int, content: str) -> None:
        self.lines[index] = content + (_ENDING.search(self.lines[index]) or _Empty).group(0)

    def insert_after(self, index: int, line: str) -> None:
        self.inserts.setdefault(index, []).append(line)

    def bytes(self) -> bytes:
        out = []
        for index, line in enumerate(self.lines):  # inserts go inside the front matter: lines there are terminated
            out.append(line)
            out.extend(self.inserts.get(index, ()))
        return ((_BOM if self.bom else "") + "".join(out)).encode("utf-8")


class _Empty:
    @staticmethod
    def group(_: int) -> str:
        return ""


def _token(value: str) -> re.Pattern:
    return re.compile(rf"(?<![A-Za-z0-9_-]){re.escape(value)}(?![A-Za-z0-9_-])")


def _code_part(content: str) -> int:
    """Where a YAML comment starts on the line (or its length): edits never touch comments."""
    match = re.search(r"(^|[ \t])#", content)
    return match.start() if match else len(content)


def _replace_value(text: _Text, record: Record, line: int, old: str, new: str, after_colon: bool) -> None:
    index = line - 1
    content = text.content(index)
    start = content.index(":") + 1 if after_colon and ":" in content else 0
    end = _code_part(content)
    pattern = _token(old)
    part, count = pattern.subn(new, content[start:end], count=1)
    if not count:
        raise MoveError("E-MV-EDIT-FAILED", file=record.path, line=line, value=old)
    text.set_content(index, content[:start] + part + content[end:])


def _plan_file(
    root: Path, record: Record, kind: str, old: str, new: str, moved_path: str, target_path: str, is_target: bool
) -> FileEdit | None:
    if not record.readable:
        return None
    raw = (root / record.path).read_bytes()
    text = _Text(raw)
    changes: list[tuple[int, str]] = []
    meta = record.meta
    if is_target:
        _replace_value(text, record, record.line_of("id"), old, new, after_colon=True)
        changes.append((record.line_of("id"), f"id: {old} → {new}"))
        changes.append(_add_alias(text, record, old))
    # Front-matter references: a lesson's `stories:` and a story's `related:` name stories by id.
    if kind == "story":
        for key in ("stories", "related"):
            items = meta.get(key)
            if not isinstance(items, list) or (key == "stories") != record.path.startswith("lessons/"):
                continue
            for index, item in enumerate(items):
                if item == old:
                    line = record.line_of(key, index)
                    _replace_value(text, record, line, old, new, after_colon=line == record.line_of(key))
                    changes.append((line, f"{key}: {old} → {new}"))
    changes += _rewrite_body(text, record, kind, old, new, moved_path, target_path)
    after = text.bytes()
    if after == raw:
        return None
    _verify(record, after, kind, old, new, is_target)
    return FileEdit(
        path=record.path,
        before=raw,
        after=after,
        changes=sorted(changes),
        new_path=target_path if is_target and target_path != record.path else None,
    )


def _add_alias(text: _Text, record: Record, old: str) -> tuple[int, str]:
    meta = record.meta
    aliases = meta.get("aliases")
    id_index = record.line_of("id") - 1
    ending = text.ending(id_index)
    if "aliases" not in meta:
        close = record.body_line - 2  # index of the closing `---`
        prefix = _list_prefix(text, record)
        text.insert_after(close - 1, f"aliases:{ending}")
        text.insert_after(close - 1, f"{prefix}{old}{ending}")
        return close + 1, f"aliases: 新增，加入 {old}"
    if not isinstance(aliases, list):
        raise MoveError("E-MV-ALIASES-FORMAT", file=record.path)
    key_line = record.line_of("aliases")
    last_line = record.line_of("aliases", len(aliases) - 1) if aliases else key_line
    if aliases and last_line != key_line:  # block list: one more item below the last
        last = text.content(last_line - 1)
        prefix = re.match(r"^\s*-\s*", last)
        if prefix is None:
            raise MoveError("E-MV-ALIASES-FORMAT", file=record.path)
        text.insert_after(last_line - 1, f"{prefix.group(0)}{old}{text.ending(last_line - 1)}")
        return last_line + 1, f"aliases: 加入 {old}"
    content = text.content(key_line - 1)  # flow list on the key's own line: `aliases: [a, b]`
    code = content[: _code_part(content)]
    close = code.rfind("]")
    if close == -1 or "[" not in code:
        raise MoveError("E-MV-ALIASES-FORMAT", file=record.path)
    head = code[:close].rstrip()
    addition = old if head.endswith("[") else f", {old}"
    text.set_content(key_line - 1, head + addition + content[len(head) :])
    return key_line, f"aliases: 加入 {old}"


def _list_prefix(text: _Text, record: Record) -> str:
    """How this file writes block-list items (`  - `), so an added list looks like its neighbours."""
    for index in range(1, record.body_line - 2):
        match = re.match(r"^(\s*-\s+)\S", text.content(index))
        if match:
            return match.group(1)
    return "  - "


def _rewrite_body(
    text: _Text, record: Record, kind: str, old: str, new: str, moved_path: str, target_path: str
) -> list[tuple[int, str]]:
    offset = record.body_line - 1  # file line of body line 1, minus one
    changes = []
    edits: dict[int, list[tuple[int, int, str]]] = {}  # file line index → [(start col, end col, replacement)]
    for cite in find_citations(record.body):
        if cite.kind == kind and cite.id == old:
            written = record.body[cite.start : cite.end]
            colon = written.index(":")
            replacement = written[: colon + 1] + _token(old).sub(new, written[colon + 1 :], count=1)
            edits.setdefault(cite.line + offset - 1, []).append(
                (cite.col - 1, cite.col - 1 + len(written), replacement)
            )
            changes.append((cite.line + offset, f"{written} → {replacement}"))
    renamed = target_path != moved_path
    for line, target in markdown_links(record.body, record.body_line):
        link = classify_link(target, record.path)
        if link is None or link[0] != kind:
            continue
        _, path, page_id = link
        if page_id == old:
            replacement = target.replace(f"/{old}", f"/{new}", 1)
        elif renamed and path == moved_path:
            replacement = _retarget(target, old, new)
        else:
            continue
        content = text.content(line - 1)
        for match in re.finditer(rf"(\]\(\s*<?|^\s{{0,3}}\[[^\]]+\]:\s*<?){re.escape(target)}", content):
            start = match.end() - len(target)
            edits.setdefault(line - 1, []).append((start, start + len(target), replacement))
        changes.append((line, f"链接 {target} → {replacement}"))
    for index, spans in edits.items():
        content = text.content(index)
        for start, end, replacement in sorted(set(spans), reverse=True):
            content = content[:start] + replacement + content[end:]
        text.set_content(index, content)
    return changes


def _retarget(target: str, old: str, new: str) -> str:
    """`../henan/old.md#x` → `../henan/new.md#x`: only the file name changes, the folder stays."""
    match = re.match(r"^(.*?)([^/#?]*)([#?].*)?$", target)
    folder, name, tail = match.group(1), match.group(2), match.group(3) or ""
    stem, dot, suffix = name.rpartition(".")
    return f"{folder}{new}.{suffix}{tail}" if dot else target


def _verify(record: Record, after: bytes, kind: str, old: str, new: str, is_target: bool) -> None:
    """Read the edited bytes back: they must still parse, and say what was intended."""
    reread = parse_record(record.path, after)
    ok = reread.readable and not any(p.code.startswith(("E-YAML", "E-FM")) for p in reread.problems)
    if ok:
        changed = {k for k in set(record.meta) | set(reread.meta) if record.meta.get(k) != reread.meta.get(k)}
        allowed = {"id", "aliases"} if is_target else set()
        allowed |= {"stories", "related"}
        ok = changed <= allowed
        if is_target:
            ok = ok and reread.meta.get("id") == new and old in (reread.meta.get("aliases") or [])
    if not ok:
        raise MoveError("E-MV-EDIT-FAILED", file=record.path, line=1, value=old)


# --- git and writing -------------------------------------------------------------------------------------------
def _ensure_clean(root: Path, paths: list[str]) -> None:
    if not git.inside_work_tree(root):
        raise MoveError("E-MV-NOT-GIT", file=str(root))
    if not paths:
        return
    status = git.run(root, "status", "--porcelain", "--untracked-files=all", "--", *paths)
    if not status.ok:
        raise MoveError("E-MV-GIT", error=status.error[:200])
    dirty = sorted({line[3:].strip() for line in status.output.splitlines() if line.strip()})
    if dirty:
        raise MoveError("E-MV-DIRTY", files="、".join(dirty))


def _apply(root: Path, report: MoveReport) -> None:
    if report.renamed:
        result = git.run(root, "mv", "--", report.path, report.new_path)  # staged as a rename: history follows it
        if not result.ok:
            raise MoveError("E-MV-GIT", error=result.error[:200])
    for edit in report.edits:
        destination = root / (edit.new_path or edit.path)
        write_atomic(destination, edit.after)
