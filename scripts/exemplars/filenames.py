"""Which files of stories/, methods/ and lessons/ are read, which are reported, and which are left alone.

Editors save stories with the tools they have: Notepad appends `.txt` (and Windows hides it), some tools write
`.MD`, a file dragged in from elsewhere may have no extension, and a story typed in Word is a `.docx`. Each of
those was meant to be published, so silently skipping it is the bug: they are errors that say how to rename.
Media and other attachments beside the stories (images, PDFs) are legitimately not stories and stay silent;
any other file gets a warning, because nothing in these folders except stories is published.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .diagnostics import Diagnostic
from .schema import CONTRACTS  # the one place that names the library's folders

MARKDOWN_SUFFIXES = (".md", ".markdown")  # exactly these spellings are read
_TEXT_SUFFIXES = (".txt", ".text")  # Notepad and friends: `故事.md.txt`, `故事.txt`
_WORD_SUFFIXES = (".doc", ".docx", ".wps", ".wpt", ".rtf", ".odt", ".pages")
_MEDIA_SUFFIXES = (
    ".jpg",
    ".jpeg",
    ".png",
    ".gif",
    ".webp",
    ".avif",
    ".svg",
    ".bmp",
    ".tif",
    ".tiff",
    ".heic",
    ".mp3",
    ".m4a",
    ".wav",
    ".ogg",
    ".mp4",
    ".webm",
    ".mov",
    ".pdf",
)
_SYSTEM_JUNK = ("thumbs.db", "desktop.ini", "ehthumbs.db")
_BACKUP_SUFFIXES = ("~", ".bak", ".swp", ".swo", ".tmp", ".orig")


@dataclass(frozen=True)
class Verdict:
    """What the loader does with one file name: read it, report it (code + message args), or skip it (reason)."""

    action: str  # "read" | "report" | "skip"
    code: str = ""  # for "report": an E-/W- code from messages.py
    args: dict = field(default_factory=dict)
    reason: str = ""  # for "skip": Chinese, why the file is not a story (shown by `check PATH`)


def classify(name: str) -> Verdict:
    """The verdict for a file name (no folder) inside one of the library's folders."""
    lower = name.lower()
    if name.startswith((".", "_")):
        return Verdict("skip", reason="以 . 或 _ 开头的文件是隐藏文件或备用稿，不属于故事库")
    if lower.endswith(_BACKUP_SUFFIXES):
        return Verdict("skip", reason="这是编辑器的备份或临时文件")
    if lower in _SYSTEM_JUNK:
        return Verdict("skip", reason="这是操作系统自动生成的文件")
    if lower in ("readme.md", "readme.markdown"):  # README.markdown: a folder note the web form does not list
        return Verdict("skip", reason=f"{name} 是文件夹的说明，不是故事")
    if name.endswith(MARKDOWN_SUFFIXES):
        return Verdict("read")
    stem, suffix = _split(name)
    if lower.endswith(MARKDOWN_SUFFIXES):  # .MD, .Md, .MARKDOWN
        return _rename(name, stem + ".md", f"扩展名 `{suffix}` 要写成小写")
    if lower.endswith(_TEXT_SUFFIXES):
        inner_stem, inner = _split(stem)
        target = (inner_stem if inner.lower() in MARKDOWN_SUFFIXES else stem) + ".md"
        return _rename(name, target, f"扩展名是 `{suffix}`（记事本等编辑器会自动加上 .txt）")
    if not suffix:
        return _rename(name, name + ".md", "没有扩展名")
    if lower.endswith(_WORD_SUFFIXES):
        return Verdict("report", "E-FILE-WORD", {"name": name, "suffix": suffix})
    if lower.endswith(_MEDIA_SUFFIXES):
        return Verdict("skip", reason=f"{suffix} 是图片、音视频或 PDF 等附件，由正文引用，本身不作为故事检查")
    return Verdict("report", "W-FILE-IGNORED", {"name": name, "suffix": suffix})


def _rename(name: str, target: str, why: str) -> Verdict:
    return Verdict("report", "E-FILE-NAME", {"name": name, "target": target, "why": why})


def _split(name: str) -> tuple[str, str]:
    path = PurePosixPath(name)
    return (name[: -len(path.suffix)], path.suffix) if path.suffix and path.stem else (name, "")


def skip_reason_for_folder(parts: tuple[str, ...]) -> str:
    """Why a file is skipped because of the folders it sits in (hidden or underscored), or ''."""
    hidden = [part for part in parts if part.startswith((".", "_"))]
    return f"它在以 . 或 _ 开头的文件夹 `{hidden[0]}` 中，这类文件夹不属于故事库" if hidden else ""


def unchecked_paths(root: Path, paths: list[Path], read: set[str], reported: set[str]) -> list[Diagnostic]:
    """For `exemplars check PATH…`: a warning for each named file that was neither read nor reported, saying why,
    so a file the checker ignored never gets "没有发现问题". `read`/`reported`: library-relative POSIX paths."""
    folders = {contract.folder for contract in CONTRACTS.values()}
    found = []
    for path in paths:
        absolute = (path if path.is_absolute() else Path.cwd() / path).absolute()
        if absolute.is_dir():
            continue
        try:
            rel = PurePosixPath(os.path.relpath(absolute, root).replace(os.sep, "/"))
        except ValueError:  # another drive (Windows)
            rel = PurePosixPath("..")
        if str(rel) in read or str(rel) in reported:
            continue
        shown = path.as_posix()
        if rel.parts[0] == "..":
            reason = f"它不在故事库 {root} 之中"
        elif rel.parts[0] not in folders or len(rel.parts) < 2:
            reason = "只有 " + "、".join(f"{f}/" for f in sorted(folders)) + " 中的文件才是故事库的内容"
        else:
            reason = skip_reason_for_folder(rel.parts[1:-1]) or classify(rel.name).reason or "它没有被读取"
        found.append(Diagnostic.make("W-PATH-NOT-CHECKED", shown, 1, reason=reason))
    return found
