"""The work behind `exemplars import FILE.docx… | FOLDER` (the command line is cli/import_docx.py): one story draft
per Word document, written where `exemplars new` would write it; a summary line per file says where, what was
guessed and what the editor still owes."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from .regions import PROVINCE_SLUGS
from .scaffold import yaml_line
from .schema import PLACEHOLDER, STORY
from .word_import import UnreadableDocument


def import_one(
    root: Path,
    path: Path,
    library,
    known: dict[str, str],
    methods: list[str],
    taken_ids: set[str],
    *,
    kind: str | None,
    story_id: str | None,
    author: str | None,
) -> str:
    """Write the draft of one Word document at `path` (images first, the story last; nothing on failure) and
    return its summary line. `methods` (resolved ids) and `kind` override what the text suggests; `story_id`
    replaces the id made from the title; `taken_ids` holds the ids this run has written so far and gains this
    one. Raises UnreadableDocument, with a check code, when the document cannot become a draft."""
    from .ids import slug_from_title
    from .word_import import convert

    draft = convert(path, known)
    guessed = [] if draft.title_found else ["title"]
    if kind:
        draft.kind = kind
    else:
        guessed.append("kind")
    if methods:
        draft.methods = methods
    elif draft.methods:
        guessed.append("methods")
    if draft.region:
        guessed.append("region")
    if draft.date:
        guessed.append("date")

    story_id = story_id or slug_from_title(draft.title, draft.date.year if draft.date else None)
    holder = library.claimant(story_id)
    if holder is not None or story_id in taken_ids:  # the id is taken even where the file lies elsewhere
        raise UnreadableDocument("E-IMPORT-ID-TAKEN", story_id=story_id, holder=holder or "本次导入的另一个文档")
    folder = root / STORY.folder / PROVINCE_SLUGS.get(draft.region or "", "other")
    target = folder / f"{story_id}.md"
    image_names = [f"{story_id}-{n}.{ext}" for n, (ext, _) in enumerate(draft.images, 1)]
    for candidate in [target, *(folder / name for name in image_names)]:
        if candidate.exists():
            raise UnreadableDocument("E-IMPORT-EXISTS", target=candidate.relative_to(root).as_posix())

    body = draft.body
    for n, name in enumerate(image_names, 1):
        body = body.replace(f"\x00image{n}\x00", name)
    text = render_draft(draft, story_id, body, image_names, guessed, author)
    _write(
        root, folder, target, text, [(name, data) for name, (_, data) in zip(image_names, draft.images, strict=True)]
    )
    taken_ids.add(story_id)
    first_body_line = text.count("\n", 0, text.index("\n---\n") + 5) + 2
    return _summary_line(root, path, target, draft, guessed, image_names, first_body_line)


def render_draft(
    draft, story_id: str, body: str, image_names: list[str], guessed: list[str], author: str | None
) -> str:
    front: dict = {
        "id": story_id,
        "title": draft.title[:80],
        "kind": draft.kind,
        "methods": draft.methods or [PLACEHOLDER],
        "summary": STORY.field("summary").placeholder,
        "region": draft.region or PLACEHOLDER,
        "date": draft.date or PLACEHOLDER,
        "status": "draft",
        "sources": [{"title": f"{PLACEHOLDER}：原材料的名称和出处（导入自 Word 文档）"}],
    }
    if image_names:
        front["cover"] = image_names[0]
    if author:
        front["author"] = author
    if guessed:
        front["guessed"] = guessed
    lines = ["---", *(yaml_line(key, value) for key, value in front.items()), "---", "", body.rstrip("\n")]
    return "\n".join(lines) + "\n"


def _write(root: Path, folder: Path, target: Path, text: str, images: list[tuple[str, bytes]]) -> None:
    """Images first, each created exclusively; the story last. On any failure nothing this call made is left."""
    from .fsutil import create_exclusive

    made: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in images:
            path = folder / name
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            made.append(path)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        create_exclusive(target, text)
    except FileExistsError as exc:
        _undo(made)
        raise UnreadableDocument("E-IMPORT-EXISTS", target=Path(exc.filename or target).name) from None
    except OSError as exc:
        _undo(made)
        raise UnreadableDocument(
            "E-IMPORT-WRITE", target=target.relative_to(root).as_posix(), reason=exc.strerror or str(exc)
        ) from None


def _undo(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


_LABELS = {"title": "标题", "kind": "类型", "methods": "方法", "region": "地区", "date": "日期"}


def _summary_line(
    root: Path, source: Path, target: Path, draft, guessed: list[str], images: list[str], first_body_line: int
) -> str:
    rel = target.relative_to(root).as_posix()
    values = {
        "title": draft.title,
        "kind": draft.kind,
        "methods": "、".join(draft.methods),
        "region": draft.region,
        "date": draft.date.isoformat() if isinstance(draft.date, dt.date) else "",
    }
    said = "，".join(f"{_LABELS[name]} {values[name]}" for name in guessed) or "无"
    owed = ["摘要", "来源"]
    owed += [label for name, label in (("region", "地区"), ("date", "日期")) if not getattr(draft, name)]
    if not draft.methods:
        owed.append("方法")
    if draft.region:
        owed.append("地区的市、县两级")
    parts = [
        f"{source} → 已写入 {rel}（草稿）",
        f"猜出：{said}（已列在 guessed 中，核实后删掉）",
        f"需编辑补充：{'、'.join(owed)}",
    ]
    if images:
        parts.append(f"图片 {len(images)} 张放在故事旁边，第一张作封面")
    for line, code, value, removed in draft.numbers:
        kind = "身份证号" if code.endswith("IDCARD") else "手机号"
        if line == 0:
            parts.append(f"个人信息：标题中的{kind} {value} 已打码")
        elif removed:
            parts.append(f"个人信息：第 {first_body_line + line - 1} 行处删除了含{kind} {value} 的联系方式一行")
        else:
            parts.append(f"个人信息：第 {first_body_line + line - 1} 行的{kind}已打码为 {value}")
    return "；".join(parts)
