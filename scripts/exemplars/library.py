"""The Library: every story, method and lesson of a repository, validated once, with the indexes pages need.

It is also the one home of id resolution: which story or lesson an id or old id (`aliases`) names
(`Library.resolve`, `story`, `lesson`), which ids exist (`Library.names`), and which files claim an id
(`Library.id_claims`, `claimant`); method spellings resolve through `Library.resolve_method`. The checker,
`exemplars mv`, `new`, `import`, `publish` and the site's citation cards all ask here instead of keeping their
own tables.

Plain Python: nothing here imports MkDocs. Loading never raises on bad input; problems ride along as
Diagnostics and `exemplars check` adds the rules that need the whole library (check.py).
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .citations import CITABLE
from .diagnostics import Diagnostic
from .file_rules import FILE_RULES
from .filenames import classify
from .load import Record, read_record
from .messages import did_you_mean
from .model import Lesson, Method, Source, Story
from .parallel import pool_map, workers
from .schema import CONTRACTS, Contract, validate_mapping


@dataclass(frozen=True)
class IdClaim:
    """One file's claim on an id: as its `id` or as one of its old ids (`aliases`)."""

    kind: str  # "story" or "lesson" (citations.CITABLE)
    how: str  # "id" or "alias"
    path: str  # repository-relative
    line: int  # where the file writes it


@dataclass
class Library:
    root: Path
    records: dict[str, list[Record]] = field(default_factory=dict)  # contract name → records
    methods: list[Method] = field(default_factory=list)  # in display order
    stories: list[Story] = field(default_factory=list)  # every story that could be built, any status
    lessons: list[Lesson] = field(default_factory=list)  # every lesson that could be built, any status
    values: dict[str, dict] = field(default_factory=dict)  # path → validated front-matter values
    method_refs: dict[str, str] = field(default_factory=dict)  # id / name / alias → method id
    # Files in the library's folders that look meant for the site but are not read (x.md.txt, x.docx …)
    misnamed: list[Diagnostic] = field(default_factory=list)

    # --- lookups ----------------------------------------------------------------------------------------
    @property
    def all_records(self) -> list[Record]:
        return [r for records in self.records.values() for r in records]

    def record(self, path: str) -> Record | None:
        """The record read from `path` (repository-relative, POSIX)."""
        if self._records_by_path is None:
            self._records_by_path = {r.path: r for r in self.all_records}
        return self._records_by_path.get(path)

    def method(self, method_id: str) -> Method:
        return self._methods_by_id[method_id]

    # --- ids and old ids: the one place they are resolved -----------------------------------------------------
    def resolve(self, kind: str, ref: str) -> Story | Lesson | None:
        """The story or lesson (`kind`, a key of citations.CITABLE) that `ref` names: its current id, else one of
        its old ids, so citations, old URLs and commands keep working after `exemplars mv`. When two files claim
        the same name (the checker's E-ID-DUPLICATE) the first by path wins, in every caller alike."""
        by_id, by_alias = self._ids[kind]
        return by_id.get(ref) or by_id.get(by_alias.get(ref, ""))

    def story(self, ref: str) -> Story | None:
        """The story an id or old id names."""
        return self.resolve("story", ref)

    def lesson(self, ref: str) -> Lesson | None:
        """The lesson an id or old id names."""
        return self.resolve("lesson", ref)

    def names(self, kind: str) -> list[str]:
        """Every id and old id of the stories (or lessons) that could be built, sorted: what `resolve` answers to,
        and what a misspelt reference is compared with to suggest the intended one."""
        by_id, by_alias = self._ids[kind]
        return sorted({*by_id, *by_alias})

    def id_claims(self) -> dict[str, list[IdClaim]]:
        """Every id and old id written in a story or lesson file → the files claiming it, in file order.

        Read from each file's validated fields, so a file too broken to become a Story or Lesson still claims its
        id: two files must never answer to one name (the checker reports it, `exemplars mv` refuses it)."""
        claims: dict[str, list[IdClaim]] = {}
        for kind in CITABLE:
            for record in self.records.get(kind, []):
                values = self.values.get(record.path) or {}
                if "id" in values:
                    claims.setdefault(values["id"], []).append(IdClaim(kind, "id", record.path, record.line_of("id")))
                for index, alias in enumerate(values.get("aliases", ())):
                    line = record.line_of("aliases", index)
                    claims.setdefault(alias, []).append(IdClaim(kind, "alias", record.path, line))
        return claims

    def claimant(self, name: str) -> str | None:
        """The file (path) that already answers to `name` as a story's or lesson's id or old id; None when the name
        is free for a new file."""
        holders = self.id_claims().get(name)
        return holders[0].path if holders else None

    def resolve_method(self, ref: str) -> str | None:
        """The method id that an id, Chinese name or alias of a method names."""
        return self.method_refs.get(ref)

    def withdrawn_stories(self) -> list[Story]:
        """Stories taken down: not public, but their pages stay (a short notice) so cited URLs never break."""
        return sorted((s for s in self.stories if s.is_withdrawn), key=lambda s: s.id)

    def lesson_stories(self, lesson: Lesson) -> list[Story]:
        """The stories of a lesson's `stories:` list, in teaching order, old ids resolved, unknown ids left out."""
        found = (self.story(ref) for ref in lesson.stories)
        return list({s.id: s for s in found if s is not None}.values())

    def public_stories(self) -> list[Story]:
        """Published stories, newest first (ties by id, so every listing is stable)."""
        return sorted((s for s in self.stories if s.is_public), key=lambda s: (-s.date.toordinal(), s.id))

    def newest_published(self) -> list[Story]:
        """Published stories by when they went up on the site (`Story.published_on`), last published first; the
        same day, the newer event first, then by id. Feeds use this order (and search shards may): it costs one
        sort over fields already loaded, and the same commit gives the same order in any clone."""
        return sorted(
            (s for s in self.stories if s.is_public),
            key=lambda s: (-s.published_on.toordinal(), -s.date.toordinal(), s.id),
        )

    def __post_init__(self) -> None:
        self._methods_by_id: dict[str, Method] = {}
        # kind → (current id → item, old id → current id); filled by _index
        self._ids: dict[str, tuple[dict, dict[str, str]]] = {kind: ({}, {}) for kind in CITABLE}
        self._records_by_path: dict[str, Record] | None = None

    def _index(self) -> None:
        self.methods.sort(key=lambda m: (m.order, m.id))
        self._methods_by_id = {m.id: m for m in self.methods}
        self.stories.sort(key=lambda s: s.path)
        self.lessons.sort(key=lambda lesson: lesson.path)
        for kind, items in (("story", self.stories), ("lesson", self.lessons)):
            by_id, by_alias = self._ids[kind] = ({}, {})
            for item in items:
                by_id.setdefault(item.id, item)
            for item in items:
                for alias in item.aliases:
                    by_alias.setdefault(alias, item.id)


def find_root(start: Path | None = None) -> Path:
    """The library root: the nearest folder at or above `start` holding mkdocs.yml or a stories/ folder."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file() or (folder / "stories").is_dir():
            return folder
    return here


def discover(root: Path, contract: Contract) -> list[str]:
    """Markdown files of one contract's folder, sorted; sub-folders allowed; hidden entries skipped."""
    return scan_folder(root, contract)[0]


def scan_folder(root: Path, contract: Contract) -> tuple[list[str], list[Diagnostic]]:
    """(Markdown files to read, sorted; diagnostics for the other files that are not silently skippable).

    Which name is which is decided in filenames.py: a story saved as `x.md.txt`, `x.MD`, `x` or `x.docx`
    is reported with the fix, images beside stories are not."""
    base = root / contract.folder
    if not base.is_dir():
        return [], []
    found, reports = [], []
    for folder, dirs, files in os.walk(base, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        for name in files:
            verdict = classify(name)
            if verdict.action == "read":
                found.append(os.path.join(folder, name))
            elif verdict.action == "report":
                rel = os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/")
                reports.append(Diagnostic.make(verdict.code, rel, 1, folder=contract.folder, **verdict.args))
    return sorted(found), sorted(reports)


# Files; below this a process pool costs more than it saves. At 1,000 stories reading takes ~0.3 s on one core while
# a build's other core waits (its search worker has started): two forked readers made the cold build ~0.18 s
# faster (median of 8 alternating pairs).
PARALLEL_FROM = 500


def load_library(root: Path, jobs: int | None = None, reuse: dict | None = None) -> Library:
    """Read and validate every file under `root`. Never raises on bad content.

    Reading and per-file validation are independent per file, so large libraries use a process pool
    (`jobs` workers, default: every core); cross-file work happens afterwards, in this process.
    `reuse` (a dict the caller keeps between loads, e.g. across `mkdocs serve` rebuilds) holds each file's
    parsed record by its size and modification time, so only files saved since the last load are read again.
    """
    root = Path(root).resolve()  # every path below is joined onto it; a relative root would be joined twice
    library = Library(root=root)
    validated: dict[str, dict | None] = {}
    for name, contract in CONTRACTS.items():
        paths, misnamed = scan_folder(root, contract)
        library.misnamed.extend(misnamed)
        pairs = (
            _read_reusing(root, contract, paths, jobs, reuse)
            if reuse is not None
            else _read_many(root, contract, paths, jobs)
        )
        library.records[name] = [record for record, _ in pairs]
        validated.update((record.path, values) for record, values in pairs)
    for record in library.records["method"]:
        values = validated[record.path]
        if values is not None and {"id", "name", "order", "summary"} <= values.keys():
            library.methods.append(
                Method(
                    id=values["id"],
                    name=values["name"],
                    order=values["order"],
                    summary=values["summary"],
                    aliases=tuple(values.get("aliases", ())),
                    body=record.body,
                    path=record.path,
                    body_line=record.body_line,
                )
            )
            library.values[record.path] = values
    for method in sorted(library.methods, key=lambda m: (m.order, m.id)):
        for ref in method.refs:
            library.method_refs.setdefault(ref, method.id)
    for kind, build, items in (("story", _build_story, library.stories), ("lesson", _build_lesson, library.lessons)):
        for record in library.records[kind]:
            values = validated[record.path]
            if values is None:
                continue
            library.values[record.path] = values
            item = build(record, values, library.method_refs)
            if item is not None:
                items.append(item)
    library._index()
    return library


def _read_and_validate(paths: list[str], root: Path, contract_name: str) -> list[tuple[Record, dict | None]]:
    contract = CONTRACTS[contract_name]
    pairs = []
    for path in paths:
        record = read_record(root, path)
        values = _validate(record, contract)
        record.problems.extend(FILE_RULES[contract.name](root, record))
        pairs.append((record, values))
    return pairs


def _read_reusing(root: Path, contract: Contract, paths: list[str], jobs: int | None, reuse: dict) -> list:
    """Like _read_many, but a file whose (size, mtime) is unchanged since it was last read keeps its record.
    Records are never changed after reading (cross-file rules report separately), so sharing them is safe."""
    signatures, pairs, missing = {}, {}, []
    for path in paths:
        try:
            info = os.stat(path)
            signatures[path] = (contract.name, info.st_size, info.st_mtime_ns)
        except OSError:
            signatures[path] = None
        known = reuse.get(path)
        if known is not None and signatures[path] is not None and known[0] == signatures[path]:
            pairs[path] = known[1]
        else:
            missing.append(path)
    for path, pair in zip(missing, _read_many(root, contract, missing, jobs), strict=True):
        pairs[path] = pair
        if signatures[path] is not None:
            reuse[path] = (signatures[path], pair)
    return [pairs[path] for path in paths]


def _read_many(root: Path, contract: Contract, paths: list[str], jobs: int | None) -> list:
    count = workers(jobs)
    if count < 2 or len(paths) < PARALLEL_FROM:
        return _read_and_validate(paths, root, contract.name)
    size = -(-len(paths) // (count * 4))
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    results = pool_map(_read_and_validate, chunks, root, contract.name, jobs=count)
    return [pair for chunk in results for pair in chunk]


def _validate(record: Record, contract: Contract) -> dict | None:
    if not record.readable:
        return None
    draft = contract.draft_aware and record.meta.get("status") == "draft"
    values, problems = validate_mapping(record.meta, contract.fields, draft=draft)
    for code, args, key in problems:
        record.problems.append(_diagnostic(record, code, args, key))
    return values


def _diagnostic(record: Record, code: str, args: dict, key: tuple) -> Diagnostic:
    args = dict(args)
    candidates = args.pop("candidates", None)
    if candidates is not None:
        word = args.get("value", args.get("field", ""))
        args["suggestion"] = did_you_mean(closest(str(word), candidates))
    return Diagnostic.make(code, record.path, record.line_of(*key), **args)


def closest(word: str, candidates: Iterable[str] | dict[str, str]) -> str | None:
    """The candidate an editor most likely meant; a dict maps misspellings to the right spelling."""
    mapping = candidates if isinstance(candidates, dict) else {c: c for c in candidates}
    if word in mapping and mapping[word] != word:
        return mapping[word]
    lowered = {k.lower(): v for k, v in mapping.items()}
    if word.lower() in lowered and lowered[word.lower()] != word:
        return lowered[word.lower()]
    # A typo keeps the length (民主协商发 → 民主协商法), so equal length wins a near tie.
    scored = [
        (difflib.SequenceMatcher(None, word, c).ratio() + (0.1 if len(c) == len(word) else 0), c)
        for c in difflib.get_close_matches(word, list(mapping), n=5, cutoff=0.5)
    ]
    if scored:
        return mapping[max(scored)[1]]
    contained = [k for k in mapping if word and (word in k or k in word)]
    return mapping[contained[0]] if contained else None


_CORE_FIELDS = ("id", "title", "kind", "region", "date", "status")


def _build_story(record: Record, values: dict, method_refs: dict[str, str]) -> Story | None:
    if not all(name in values for name in _CORE_FIELDS):
        return None
    return Story(
        kind=values["kind"],
        region=values["region"],
        date=values["date"],
        sources=tuple(Source(**s) for s in values.get("sources", ()) if "title" in s),
        domains=tuple(values.get("domains", ())),
        tags=tuple(values.get("tags", ())),
        related=tuple(values.get("related", ())),
        updated=values.get("updated"),
        published=values.get("published"),
        cover=values.get("cover"),
        cover_alt=values.get("cover_alt"),
        reviewed_by=values.get("reviewed_by"),
        featured=values.get("featured", False),
        **_shared_fields(record, values, method_refs),
    )


_LESSON_CORE = ("id", "title", "audience", "duration", "stories", "objectives", "status")


def _build_lesson(record: Record, values: dict, method_refs: dict[str, str]) -> Lesson | None:
    if not all(name in values for name in _LESSON_CORE):
        return None
    return Lesson(
        stories=tuple(values["stories"]),
        objectives=tuple(values["objectives"]),
        audience=values["audience"],
        duration=values["duration"],
        questions=tuple(values.get("questions", ())),
        **_shared_fields(record, values, method_refs),
    )


def _shared_fields(record: Record, values: dict, method_refs: dict[str, str]) -> dict:
    """The fields a story and a lesson take alike from their header (methods resolved to ids, in the order
    written, each once) and from their file."""
    return {
        "id": values["id"],
        "title": values["title"],
        "methods": tuple(dict.fromkeys(method_refs[m] for m in values.get("methods", ()) if m in method_refs)),
        "status": values["status"],
        "summary": values.get("summary", ""),
        "aliases": tuple(values.get("aliases", ())),
        "author": values.get("author"),
        "sample": values.get("sample", False),
        "body": record.body,
        "path": record.path,
        "body_line": record.body_line,
        "digest": record.digest,
    }
