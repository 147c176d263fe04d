"""Site build measurements for the bench: project set-up (ours, stock, ours + Material's search), measured builds
and the output's figures (bytes, page sizes, search index split)."""

from __future__ import annotations

import gzip
import json
import shutil
import statistics
import sys
from pathlib import Path

from procmon import RunStats, run_measured

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# What a library needs besides stories/, methods/ and lessons/. Not the repo's lessons/: the sample lessons cite
# sample stories, which a synthetic library does not have (exemplars.synth writes lessons of its own).
PROJECT_FILES = ("mkdocs.yml", "docs", "overrides")

STOCK_YML = """site_name: 典型示范故事库（stock）
theme:
  name: material
  language: zh
plugins:
  - search
  - tags
"""


def copy_site_setup(project: Path) -> None:
    """Give a synthetic library (stories/, methods/) the repo's site set-up, as tests/sitebuild.py does."""
    for name in PROJECT_FILES:
        source, target = REPO / name, project / name
        if not source.exists():
            continue
        if target.exists():
            shutil.rmtree(target) if target.is_dir() else target.unlink()
        shutil.copytree(source, target) if source.is_dir() else shutil.copy2(source, target)


def _material_project(library: Path, dest: Path, yml: str) -> Path:
    """A plain Material project: the library's story files under docs/stories/, and `yml` as its mkdocs.yml."""
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "docs").mkdir(parents=True)
    shutil.copytree(library / "stories", dest / "docs" / "stories")
    (dest / "mkdocs.yml").write_text(yml, encoding="utf-8")
    return dest


def make_stock_project(library: Path, dest: Path) -> Path:
    """The set-up a newcomer would write: stock Material, search + tags, the story files under docs/, no nav."""
    return _material_project(library, dest, STOCK_YML)


MATERIAL_INDEX_YML = """site_name: 典型示范故事库（Material search）
theme:
  name: material
  language: zh
nav:
  - 首页: index.md
plugins:
  - search
"""


def make_material_index_project(library: Path, dest: Path) -> Path:
    """The same stories under Material's own `search` plugin with a small navigation (one entry, like ours): what
    Material's lunr index weighs for this library. (Our site renders story pages outside MkDocs' page loop, so
    Material's plugin on our project would see only the hand-written pages.)"""
    _material_project(library, dest, MATERIAL_INDEX_YML)
    (dest / "docs" / "index.md").write_text("# 典型示范故事库\n", encoding="utf-8")
    return dest


WITHOUT_WORD_YML = "mkdocs-without-word.yml"


def write_config_without_word(project: Path) -> str:
    """Beside project/mkdocs.yml, the same configuration with the Word handouts off (`handout_docx: false`; story
    files are off by default). Returns its file name, for mkdocs_build(config=...)."""
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    plain = "plugins:\n  - exemplars\n"
    if plain not in text:
        raise RuntimeError(
            f"{project / 'mkdocs.yml'}: no plain `plugins: - exemplars` entry to give handout_docx: false"
        )
    off = text.replace(plain, "plugins:\n  - exemplars:\n      handout_docx: false\n", 1)
    (project / WITHOUT_WORD_YML).write_text(off, encoding="utf-8")
    return WITHOUT_WORD_YML


def mkdocs_build(project: Path, *, strict: bool, cold: bool, config: str = "mkdocs.yml") -> RunStats:
    """`mkdocs build` of `project` (with project/`config`) into project/site; cold removes project/.cache (and
    site/) first."""
    if cold:
        for name in (".cache", "site"):
            shutil.rmtree(project / name, ignore_errors=True)
    cmd = [str(BIN / "mkdocs"), "build", "-q", "-f", str(project / config), "-d", str(project / "site")]
    if strict:
        cmd.append("--strict")
    stats = run_measured(cmd, cwd=project)
    if stats.exit_code != 0:
        raise RuntimeError(f"mkdocs build failed in {project} (exit {stats.exit_code}):\n{stats.stderr_tail}")
    return stats


def check_library(project: Path) -> RunStats:
    stats = run_measured([str(BIN / "exemplars"), "check", "--root", str(project)], cwd=project)
    if stats.exit_code not in (0, 1):  # 1 = findings; anything else is a crash
        raise RuntimeError(f"exemplars check crashed (exit {stats.exit_code}):\n{stats.stderr_tail}")
    return stats


def pagefind_alone(site: Path, dest: Path) -> RunStats:
    """Pagefind's own CLI, as it comes (its Chinese segmentation, no filters, no token spelling), over the built
    story pages' article text, into `dest`: what indexing these pages costs before any work of ours, so the
    build's figures can be read against the floor Pagefind sets on this machine. Returns its cost; `dest` is
    removed afterwards."""
    from exemplars.search.indexer import pagefind_binary

    shutil.rmtree(dest, ignore_errors=True)
    cmd = [
        pagefind_binary(),
        "--site",
        str(site),
        "--glob",
        "stories/*/index.html",
        "--root-selector",
        "article",
        "--output-path",
        str(dest),
        "--silent",
    ]
    stats = run_measured(cmd, cwd=site)
    indexed = len(list((dest / "fragment").glob("*.pf_fragment"))) if dest.is_dir() else 0
    shutil.rmtree(dest, ignore_errors=True)
    if stats.exit_code != 0 or not indexed:
        raise RuntimeError(f"pagefind alone failed (exit {stats.exit_code}, {indexed} pages):\n{stats.stderr_tail}")
    return stats


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else 0


def pagefind_split(site: Path) -> dict:
    """Bytes of site/pagefind by kind (files as stored: Pagefind's chunks are already gzip-compressed)."""
    root = site / "pagefind"
    split = {
        "total": _size(root),
        "index": _size(root / "index"),
        "fragment": _size(root / "fragment"),
        "filter": _size(root / "filter"),
        "files": {"index": 0, "fragment": 0, "filter": 0},
    }
    for kind in ("index", "fragment", "filter"):
        folder = root / kind
        split["files"][kind] = sum(1 for _ in folder.iterdir()) if folder.is_dir() else 0
    split["meta"] = sum(p.stat().st_size for p in root.glob("*.pf_meta")) if root.is_dir() else 0
    split["other"] = split["total"] - split["index"] - split["fragment"] - split["filter"] - split["meta"]
    return split


def pagefind_bundle_problem(site: Path) -> str | None:
    """Why the built Pagefind bundle cannot load in a browser (None when it looks whole)."""
    root = site / "pagefind"
    entry = root / "pagefind-entry.json"
    if not entry.is_file():
        return "site/pagefind/pagefind-entry.json is missing"
    try:
        languages = json.loads(entry.read_bytes()).get("languages", {})
    except ValueError:
        return f"site/pagefind/pagefind-entry.json is not JSON ({entry.stat().st_size} bytes)"
    for language in languages.values():
        meta = root / f"pagefind.{language.get('hash')}.pf_meta"
        if not meta.is_file():
            return f"{meta.name} named by the entry file is missing"
    return None


def output_figures(site: Path, story_glob: str = "stories/*/index.html") -> dict:
    """Whole-site bytes, HTML count, story page sizes (ours: site/stories/<id>/index.html; the stock site keeps
    the folders: stories/<province>/<id>/index.html), search index split."""
    files = [p for p in site.rglob("*") if p.is_file()]
    stories = sorted(p.stat().st_size for p in site.glob(story_glob))
    return {
        "site_bytes": sum(p.stat().st_size for p in files),
        "files": len(files),
        "html_files": sum(1 for p in files if p.suffix == ".html"),
        "story_pages": len(stories),
        "story_html_largest": stories[-1] if stories else 0,
        "story_html_median": int(statistics.median(stories)) if stories else 0,
        "search": pagefind_split(site),
        "search_bundle_problem": pagefind_bundle_problem(site) if (site / "pagefind").is_dir() else None,
    }


def material_index_figures(site: Path) -> dict:
    """Size of Material's lunr index and which of our pages made it in."""
    path = site / "search" / "search_index.json"
    if not path.is_file():
        return {"present": False}
    raw = path.read_bytes()
    docs = json.loads(raw).get("docs", [])
    pages = {d["location"].split("#")[0] for d in docs}
    return {
        "present": True,
        "bytes": len(raw),
        "gzip_bytes": len(gzip.compress(raw, 6)),
        "entries": len(docs),
        "pages": len(pages),
        "story_pages": sum(1 for p in pages if p.startswith("stories/")),
        "method_pages": sum(1 for p in pages if p.startswith("methods/") and p != "methods/"),
    }
