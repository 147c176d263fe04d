"""`exemplars check`: every rule over a loaded Library, as a list of Diagnostics. Read-only, never raises.

Where each kind of rule lives (every code's Chinese text is in messages.py):
- here, the rules that need more than one file: methods exist and do not clash (E-METHOD-*), related stories,
  duplicate ids and old ids, lesson stories and body citations ([[story:id]], E-CITE-*), region spellings, the
  review and publication-date rules, cautionary cases (W/E-CAUTIONARY-*, with the tests of cautionary.py) and
  images (with media.py);
- field rules (types, lengths, patterns, enums, required fields): schema.py, applied when a record is loaded;
- YAML and encoding problems: load.py (yaml_messages.py words them); file names: filenames.py;
- rules over one file's body and placeholders (unsafe HTML, personal numbers, broken relative links):
  file_rules.py and body_rules.py, run where the file is read.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from .cautionary import below_city, city_level, cut_to_city, full_names
from .citations import CITABLE
from .diagnostics import Diagnostic
from .library import Library, closest
from .load import Record
from .media import ImageProblem, ImageRef, body_refs, cover_ref, probe
from .messages import did_you_mean
from .regions import place_key
from .schema import LESSON_STATUSES, SLUG_RE, STATUSES


def check_library(library: Library) -> list[Diagnostic]:
    diags: list[Diagnostic] = []
    for record in library.all_records:
        diags.extend(record.problems)
    diags.extend(library.misnamed)
    diags.extend(_method_clashes(library))
    diags.extend(_story_references(library))
    diags.extend(_lesson_stories(library))
    diags.extend(_body_citations(library))
    diags.extend(_duplicate_ids(library))
    diags.extend(_region_spellings(library))
    diags.extend(_review_rules(library))
    diags.extend(_cautionary_rules(library))
    diags.extend(_image_rules(library))
    return sorted(set(diags), key=lambda d: (d.path, d.line, d.code, d.message))


def _method_clashes(library: Library) -> list[Diagnostic]:
    diags = []
    owner: dict[str, tuple[str, str]] = {}  # spelling → (method id, path)
    for method in library.methods:
        for what, ref in [("id", method.id), ("名称", method.name), *(("别名", a) for a in method.aliases)]:
            if ref in owner and owner[ref][0] != method.id:
                other_id, other_path = owner[ref]
                diags.append(
                    Diagnostic.make(
                        "E-METHOD-NAME-CLASH",
                        method.path,
                        1,
                        what=what,
                        value=ref,
                        other=f"{other_path} 的方法 `{other_id}`",
                    )
                )
            owner.setdefault(ref, (method.id, method.path))
    return diags


def _story_references(library: Library) -> list[Diagnostic]:
    diags = []
    suggest = _Suggestions(library)
    choices = "、".join(f"{m.id}（{m.name}）" for m in library.methods) or "（methods/ 中还没有方法）"
    for record in (*library.records.get("story", []), *library.records.get("lesson", [])):
        values = library.values.get(record.path)
        if values is None:
            continue
        seen: set[str] = set()
        for index, ref in enumerate(values.get("methods", ())):
            line = record.line_of("methods", index)
            method_id = library.resolve_method(ref)
            if method_id is None:
                guess = closest(ref, list(library.method_refs))
                diags.append(
                    Diagnostic.make(
                        "E-METHOD-UNKNOWN",
                        record.path,
                        line,
                        value=ref,
                        suggestion=did_you_mean(guess),
                        choices=choices,
                    )
                )
            elif method_id in seen:
                diags.append(Diagnostic.make("E-METHOD-DUPLICATE", record.path, line, value=ref))
            else:
                seen.add(method_id)
        for index, ref in enumerate(values.get("related", ())):
            line = record.line_of("related", index)
            if ref == values.get("id") or ref in values.get("aliases", ()):
                diags.append(Diagnostic.make("E-RELATED-SELF", record.path, line))
            elif library.story(ref) is None:
                diags.append(
                    Diagnostic.make(
                        "E-RELATED-UNKNOWN",
                        record.path,
                        line,
                        value=ref,
                        suggestion=suggest("story", ref),
                    )
                )
    return diags


def _duplicate_ids(library: Library) -> list[Diagnostic]:
    """Ids and old ids of stories and lessons share one namespace: each names one file only, so a citation, an
    old URL and `exemplars mv` always know what is meant. Both files are told."""
    what = {"id": "id", "alias": "旧标识（aliases）"}
    diags = []
    for value, holders in library.id_claims().items():
        if len(holders) < 2:
            continue
        for claim in holders:
            others = [
                f"{c.path}:{c.line} 的 {what[c.how]}" for c in holders if (c.path, c.line) != (claim.path, claim.line)
            ]
            if not others:
                continue
            diags.append(
                Diagnostic.make(
                    "E-ID-DUPLICATE", claim.path, claim.line, what=what[claim.how], value=value, other="、".join(others)
                )
            )
    return diags


# --- lessons and citations -----------------------------------------------------------------------------------
class _Suggestions:
    """The name a misspelt story or lesson reference most likely meant; each kind's pool of names is read from the
    library once per check (citations are many)."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self._pool: dict[str, list[str]] = {}

    def __call__(self, kind: str, ref: str) -> str:
        if kind not in self._pool:
            self._pool[kind] = self.library.names(kind)
        return did_you_mean(closest(ref, self._pool[kind])) if ref else ""


def _source_is_public(library: Library, record: Record) -> tuple[bool, str]:
    """Whether the citing file is on the public site, and what to call it in a message."""
    values = library.values.get(record.path) or {}
    if record.path.startswith("methods/"):
        return True, "方法页"
    what = "课程" if record.path.startswith("lessons/") else "故事"
    return values.get("status") == "published", f"已发布的{what}"


def _cited(
    library: Library, suggest: _Suggestions, record: Record, kind: str, ref: str, line: int, unknown: tuple[str, dict]
) -> list[Diagnostic]:
    """The rules every reference to a story or lesson obeys, wherever it is written."""
    found = library.resolve(kind, ref)
    if found is None:
        code, args = unknown
        return [
            Diagnostic.make(
                code, record.path, line, value=ref, what=CITABLE[kind], suggestion=suggest(kind, ref), **args
            )
        ]
    current, status = found.id, found.status
    diags = []
    if current != ref:
        diags.append(Diagnostic.make("W-CITE-ALIAS", record.path, line, value=ref, current=current, what=CITABLE[kind]))
    if status == "withdrawn":
        diags.append(Diagnostic.make("W-CITE-WITHDRAWN", record.path, line, value=current))
    elif status in ("draft", "review"):
        public, source = _source_is_public(library, record)
        if public:
            label = (STATUSES if kind == "story" else LESSON_STATUSES)[status]
            diags.append(
                Diagnostic.make(
                    "E-CITE-UNPUBLISHED",
                    record.path,
                    line,
                    source=source,
                    what=CITABLE[kind],
                    value=current,
                    status=status,
                    status_label=label,
                )
            )
    return diags


def _lesson_stories(library: Library) -> list[Diagnostic]:
    """Each entry of a lesson's `stories:` names a story (by id or old id) the lesson may show."""
    suggest = _Suggestions(library)
    diags = []
    for record in library.records.get("lesson", []):
        if library.values.get(record.path) is None:
            continue
        written = record.meta.get("stories")
        seen: set[str] = set()
        for index, ref in enumerate(written if isinstance(written, list) else ()):
            if not isinstance(ref, str) or not SLUG_RE.match(ref):
                continue  # the field check already reports it
            line = record.line_of("stories", index)
            found = library.story(ref)
            if found is not None and found.id in seen:
                diags.append(Diagnostic.make("E-LESSON-STORY-DUPLICATE", record.path, line, value=ref))
                continue
            if found is not None:
                seen.add(found.id)
            diags.extend(_cited(library, suggest, record, "story", ref, line, ("E-LESSON-STORY-UNKNOWN", {})))
    return diags


def _body_citations(library: Library) -> list[Diagnostic]:
    """`[[story:…]]` citations and /stories/<id>/ links in every body (collected per file while reading)."""
    suggest = _Suggestions(library)
    diags = []
    for record in library.all_records:
        for kind, ref, line, written in record.citations:
            if written.startswith("[["):
                unknown = ("E-CITE-UNKNOWN", {"written": written})
            else:
                unknown = ("E-LINK-PAGE-UNKNOWN", {"target": written})
            diags.extend(_cited(library, suggest, record, kind, ref, line, unknown))
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
                diags.append(
                    Diagnostic.make(
                        "W-REGION-SPELLING",
                        story.path,
                        record_line,
                        value="/".join((*parent, name)),
                        other="/".join((*parent, preferred)),
                        where=example.path,
                    )
                )
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
        elif values.get("author") and same_person(reviewer, values["author"]):
            diags.append(
                Diagnostic.make("E-REVIEW-SELF", record.path, record.line_of("reviewed_by"), reviewer=reviewer)
            )
        diags.extend(_publication_date_rules(record, values))
    return diags


def _publication_date_rules(record, values: dict) -> list[Diagnostic]:
    """A published story says when it went up (feeds are ordered by it), and not before the event itself."""
    published, happened = values.get("published"), values.get("date")
    if published is None:
        if "published" in record.meta:  # present but invalid: the field check already says so
            return []
        return [Diagnostic.make("W-PUBLISHED-MISSING", record.path, record.line_of("status"))]
    if happened is not None and published < happened:
        return [
            Diagnostic.make(
                "E-PUBLISHED-BEFORE-DATE",
                record.path,
                record.line_of("published"),
                value=published.isoformat(),
                date=happened.isoformat(),
            )
        ]
    return []


def _cautionary_rules(library: Library) -> list[Diagnostic]:
    """A cautionary case names no place below the city and no person by full name (cautionary.py): a warning in
    a draft, an error once the story is sent for review or later."""
    diags = []
    for record in library.records.get("story", []):
        values = library.values.get(record.path)
        if values is None or values.get("kind") != "cautionary":
            continue
        prefix = "W" if values.get("status") == "draft" else "E"
        region = values.get("region")
        if region and below_city(region):
            allowed = "直辖市或特别行政区本身（只写一级）" if city_level(region) == 1 else "地市级（写两级）"
            diags.append(
                Diagnostic.make(
                    f"{prefix}-CAUTIONARY-REGION",
                    record.path,
                    record.line_of("region"),
                    value="/".join(region),
                    allowed=allowed,
                    cut=cut_to_city(region),
                )
            )
        for field in ("title", "summary"):
            for name in full_names(values.get(field) or ""):
                diags.append(
                    Diagnostic.make(
                        f"{prefix}-CAUTIONARY-NAME",
                        record.path,
                        record.line_of(field),
                        field=field,
                        value=name,
                        anonymous=name[0] + "某某",
                    )
                )
    return diags


def image_refs(library: Library) -> list[ImageRef]:
    """Every local image the library's files point at: stories' covers and the images in every body."""
    refs = []
    for record in library.all_records:
        values = library.values.get(record.path) or {}
        cover = values.get("cover")
        if isinstance(cover, str) and cover.strip():
            refs.append(cover_ref(record.path, cover, record.line_of("cover"), library.root))
        if record.readable and record.body:
            refs.extend(body_refs(record.path, record.body, record.body_line))
    return refs


def _image_rules(library: Library) -> list[Diagnostic]:
    """Each referenced image exists inside the library and is a real JPEG/PNG/WebP of sane size (media.py); one
    image shared by many stories is read once."""
    diags = []
    seen: dict[str, ImageProblem | None] = {}
    for ref in image_refs(library):
        where = "封面图 `cover` " if ref.field == "cover" else "正文"
        if ref.path is None:
            diags.append(Diagnostic.make("E-IMAGE-OUTSIDE", ref.source, ref.line, where=where, value=ref.written))
            continue
        if ref.path not in seen:
            try:
                probe(library.root, ref.path)
                seen[ref.path] = None
            except ImageProblem as problem:
                seen[ref.path] = problem
        problem = seen[ref.path]
        if problem is not None:
            args = {**problem.args_, "value": ref.written}
            diags.append(Diagnostic.make(problem.code, ref.source, ref.line, where=where, **args))
    return diags


def same_person(a: str, b: str) -> bool:
    """Whether two names written by editors are one person's: spaces and letter case do not count."""
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
