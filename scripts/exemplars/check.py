"""`exemplars check`: every rule over a loaded Library, as a list of Diagnostics. Read-only, never raises."""
from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from .diagnostics import Diagnostic
from .library import Library, closest
from .load import Record
from .messages import did_you_mean
from .regions import place_key


def check_library(library: Library) -> list[Diagnostic]:
    diags: list[Diagnostic] = []
    for record in library.all_records:
        diags.extend(record.problems)
    diags.extend(_method_clashes(library))
    diags.extend(_story_references(library))
    diags.extend(_duplicate_ids(library))
    diags.extend(_region_spellings(library))
    diags.extend(_review_rules(library))
    return sorted(set(diags), key=lambda d: (d.path, d.line, d.code, d.message))


def _method_clashes(library: Library) -> list[Diagnostic]:
    diags = []
    owner: dict[str, tuple[str, str]] = {}  # spelling → (method id, path)
    for method in library.methods:
        for what, ref in [("id", method.id), ("名称", method.name), *(("别名", a) for a in method.aliases)]:
            if ref in owner and owner[ref][0] != method.id:
                other_id, other_path = owner[ref]
                diags.append(Diagnostic.make("E-METHOD-NAME-CLASH", method.path, 1, what=what, value=ref,
                                             other=f"{other_path} 的方法 `{other_id}`"))
            owner.setdefault(ref, (method.id, method.path))
    return diags


def _story_references(library: Library) -> list[Diagnostic]:
    diags = []
    known_ids = {s.id for s in library.stories} | {a for s in library.stories for a in s.aliases}
    choices = "、".join(f"{m.id}（{m.name}）" for m in library.methods) or "（methods/ 中还没有方法）"
    for record in library.records.get("story", []):
        values = library.values.get(record.path)
        if values is None:
            continue
        seen: set[str] = set()
        for index, ref in enumerate(values.get("methods", ())):
            line = record.line_of("methods", index)
            method_id = library.resolve_method(ref)
            if method_id is None:
                guess = closest(ref, list(library.method_refs))
                diags.append(Diagnostic.make("E-METHOD-UNKNOWN", record.path, line, value=ref,
                                             suggestion=did_you_mean(guess), choices=choices))
            elif method_id in seen:
                diags.append(Diagnostic.make("E-METHOD-DUPLICATE", record.path, line, value=ref))
            else:
                seen.add(method_id)
        for index, ref in enumerate(values.get("related", ())):
            line = record.line_of("related", index)
            if ref == values.get("id") or ref in values.get("aliases", ()):
                diags.append(Diagnostic.make("E-RELATED-SELF", record.path, line))
            elif ref not in known_ids:
                diags.append(Diagnostic.make("E-RELATED-UNKNOWN", record.path, line, value=ref,
                                             suggestion=did_you_mean(closest(ref, sorted(known_ids)))))
    return diags


def _duplicate_ids(library: Library) -> list[Diagnostic]:
    """Ids and old ids share one namespace: each may name one story only. Both files are told."""
    claims: dict[str, list[tuple[Record, str, int]]] = defaultdict(list)
    for record in library.records.get("story", []):
        values = library.values.get(record.path, {})
        if "id" in values:
            claims[values["id"]].append((record, "id", record.line_of("id")))
        for index, alias in enumerate(values.get("aliases", ())):
            claims[alias].append((record, "旧标识（aliases）", record.line_of("aliases", index)))
    diags = []
    for value, holders in claims.items():
        if len(holders) < 2:
            continue
        for record, what, line in holders:
            others = [f"{r.path}:{ln} 的 {w}" for r, w, ln in holders if (r.path, ln) != (record.path, line)]
            if not others:
                continue
            diags.append(Diagnostic.make("E-ID-DUPLICATE", record.path, line, what=what, value=value,
                                         other="、".join(others)))
    return diags


def _region_spellings(library: Library) -> list[Diagnostic]:
    """Warn where one place is spelled two ways under the same parent (湖州 beside 湖州市)."""
    spellings: dict[tuple, Counter] = defaultdict(Counter)
    users: dict[tuple, list] = defaultdict(list)
    for story in library.stories:
        for depth in range(1, len(story.region)):
            parent, name = story.region[:depth], story.region[depth]
            key = (parent, place_key(name))
            spellings[key][name] += 1
            users[(parent, name)].append(story)
    diags = []
    for (parent, _), counts in spellings.items():
        if len(counts) < 2:
            continue
        ranked = sorted(counts, key=lambda name: (-counts[name], -len(name), name))
        preferred = ranked[0]
        example = users[(parent, preferred)][0]
        for name in ranked[1:]:
            for story in users[(parent, name)]:
                record_line = _line_for(library, story.path, "region")
                diags.append(Diagnostic.make(
                    "W-REGION-SPELLING", story.path, record_line, value="/".join((*parent, name)),
                    other="/".join((*parent, preferred)), where=example.path))
    return diags


def _review_rules(library: Library) -> list[Diagnostic]:
    """A published story names its reviewer, and the reviewer is not the author (four eyes)."""
    diags = []
    for record in library.records.get("story", []):
        values = library.values.get(record.path)
        if values is None or values.get("status") != "published":
            continue
        reviewer = values.get("reviewed_by")
        if not reviewer:
            if "reviewed_by" in record.meta:  # present but invalid: the field check already says so
                continue
            diags.append(Diagnostic.make("E-REVIEW-MISSING", record.path, record.line_of("status")))
        elif values.get("author") and _same_person(reviewer, values["author"]):
            diags.append(Diagnostic.make("E-REVIEW-SELF", record.path, record.line_of("reviewed_by"),
                                         reviewer=reviewer))
    return diags


def _same_person(a: str, b: str) -> bool:
    return "".join(a.split()).casefold() == "".join(b.split()).casefold()


def _line_for(library: Library, path: str, *key) -> int:
    record = library.record(path)
    return record.line_of(*key) if record is not None else 1


def filter_to_paths(diags: list[Diagnostic], root: Path, paths: list[Path]) -> list[Diagnostic]:
    """Keep the diagnostics of the listed files, or of files under listed folders."""
    files, folders = set(), []
    for path in paths:
        absolute = (path if path.is_absolute() else Path.cwd() / path).resolve()
        try:
            rel = absolute.relative_to(root.resolve()).as_posix()
        except ValueError:
            rel = path.as_posix()
        if absolute.is_dir():
            folders.append("" if rel == "." else rel.rstrip("/") + "/")
        else:
            files.add(rel)
    return [d for d in diags if d.path in files or any(d.path.startswith(folder) for folder in folders)]
