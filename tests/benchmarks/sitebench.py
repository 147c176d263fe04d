"""Site build measurements for the bench: project set-up (ours, stock, bare Material, ours + Material's search),
measured builds and the output's figures (bytes, page sizes, search index split over its shards)."""

from __future__ import annotations

import datetime
import gzip
import json
import re
import shutil
import statistics
import sys
import tempfile
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


BARE_YML = """site_name: 典型示范故事库（bare）
theme:
  name: material
  language: zh
nav:
  - 首页: index.md
plugins: []
"""


def make_bare_project(library: Path, dest: Path) -> Path:
    """The floor for rendering these stories with Material: the same story files under docs/, theme material zh,
    no plugins (`plugins: []`: without the key MkDocs would add its search plugin) and no navigation rendered (a
    nav of one index page: without `nav`, MkDocs would list every story in every page's navigation)."""
    _material_project(library, dest, BARE_YML)
    (dest / "docs" / "index.md").write_text("# 典型示范故事库\n", encoding="utf-8")
    return dest


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


# The build's INFO line about the search index (exemplars/plugin.py). Sharded:
#   搜索索引：<K> 个分片、<P> 个页面，重新索引 <R> 个分片（其余来自缓存 .cache/search/）
# and the single-bundle form before it: 搜索索引：<P> 个页面
SEARCH_LOG = re.compile(
    r"搜索索引：(?:(?P<shards>\d+) 个分片、)?(?P<pages>\d+) 个页面(?:，重新索引 (?P<reindexed>\d+) 个分片)?"
)


def search_log(stats: RunStats) -> dict | None:
    """The search index line of a build's log (mkdocs_build(..., log=True)) as numbers: shards, pages and shards
    re-indexed (None for a figure the line does not give), with the line itself; None without such a line."""
    for line in reversed(stats.stderr_matches):
        match = SEARCH_LOG.search(line)
        if match:
            figures = {k: int(v) if v is not None else None for k, v in match.groupdict().items()}
            return {**figures, "line": line.strip()}
    return None


def mkdocs_build(
    project: Path, *, strict: bool, cold: bool, config: str = "mkdocs.yml", log: bool = False, aside: Path | None = None
) -> RunStats:
    """`mkdocs build` of `project` (with project/`config`) into project/site; cold removes project/.cache (and
    site/) first, or with `aside` moves them into a new folder there: on this VM's ext4 a build right after
    thousands of files were deleted paid seconds of system time for it (see move_aside). With `log`, the build runs
    without -q and its search index line is kept (see search_log)."""
    if cold:
        for name in (".cache", "site"):
            if aside is not None:
                move_aside(project / name, aside)
            else:
                shutil.rmtree(project / name, ignore_errors=True)
    cmd = [str(BIN / "mkdocs"), "build", "-f", str(project / config), "-d", str(project / "site")]
    if not log:
        cmd.insert(2, "-q")
    if strict:
        cmd.append("--strict")
    stats = run_measured(cmd, cwd=project, keep_lines=SEARCH_LOG.pattern if log else None)
    if stats.exit_code != 0:
        raise RuntimeError(f"mkdocs build failed in {project} (exit {stats.exit_code}):\n{stats.stderr_tail}")
    return stats


def move_aside(path: Path, aside: Path) -> None:
    """Move `path` (if it exists) into a fresh folder under `aside`, to be deleted after the timed builds: deleting
    a site's thousands of files just before a build made that build's file creation dearer (ext4 allocating among
    freshly freed inodes), which would time the bench's housekeeping, not the build."""
    if path.exists():
        aside.mkdir(parents=True, exist_ok=True)
        path.rename(Path(tempfile.mkdtemp(prefix=path.name.lstrip(".") + "-", dir=aside)) / path.name)


PUBLISHED = re.compile(r"^published: (\d{4}-\d{2}-\d{2})$", re.M)


def add_one_story(project: Path) -> Path:
    """Write one new published story into a synthetic library (exemplars.synth's format): a copy of the story
    published last, under a fresh id and file name (synth-<count>), its title marked 新增, published the day after
    every other story, so it lands in the newest story shard. Returns its path."""
    paths = sorted((project / "stories").rglob("*.md"))
    if not paths:
        raise RuntimeError(f"{project / 'stories'} holds no story to copy")
    dated = []
    for path in paths:
        match = PUBLISHED.search(path.read_text(encoding="utf-8"))
        if match:
            dated.append((match.group(1), path))
    if not dated:
        raise RuntimeError(f"no story under {project / 'stories'} has a `published:` line (not a synthetic library?)")
    newest, source = max(dated)
    story_id = f"synth-{len(paths):05d}"
    target = source.parent / f"{story_id}.md"
    if target.exists() or any(p.stem == story_id for p in paths):
        raise RuntimeError(f"{target}: a story named {story_id} exists already")
    day = datetime.date.fromisoformat(newest) + datetime.timedelta(days=1)
    text = source.read_text(encoding="utf-8")
    text, ids = re.subn(r"^id: .*$", f"id: {story_id}", text, count=1, flags=re.M)
    text, titles = re.subn(r"^title: (.*)$", r"title: \1（新增）", text, count=1, flags=re.M)
    text = PUBLISHED.sub(f"published: {day.isoformat()}", text, count=1)
    if not (ids and titles):
        raise RuntimeError(f"{source}: no `id:` or `title:` line to rewrite")
    target.write_text(text, encoding="utf-8")
    return target


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


SHARDS_FILE = "shards.json"


def read_shards(root: Path) -> tuple[str | None, list[str]] | None:
    """site/pagefind/shards.json as (primary, shard names); None when the file is missing (the single-bundle
    layout). Raises ValueError when it is there but not `{"primary": name, "shards": [name, ...]}`."""
    path = root / SHARDS_FILE
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_bytes())
    except ValueError as error:
        raise ValueError(f"site/pagefind/{SHARDS_FILE} is not JSON: {error}") from None
    shards = data.get("shards") if isinstance(data, dict) else None
    if not isinstance(shards, list) or not shards or not all(isinstance(s, str) and s for s in shards):
        raise ValueError(f"site/pagefind/{SHARDS_FILE} has no list of shard names under `shards`")
    primary = data.get("primary")
    return (primary if isinstance(primary, str) else None), shards


def bundle_dirs(root: Path) -> list[Path]:
    """The Pagefind bundles under site/pagefind: each shard listed in shards.json, primary first, or site/pagefind
    itself in the single-bundle layout (no shards.json). A shards.json that cannot be read gives no bundle."""
    try:
        shards = read_shards(root)
    except ValueError:
        return []
    return [root] if shards is None else [root / name for name in shards[1]]


def pagefind_split(site: Path) -> dict:
    """Bytes of site/pagefind by kind, summed over its bundles (files as stored: Pagefind's chunks are already
    gzip-compressed), the number of shards and of pages their entry files count. `unlisted` is the number of
    folders under site/pagefind that hold a bundle but are not in shards.json (left over, never loaded)."""
    root = site / "pagefind"
    bundles = bundle_dirs(root)
    split = {"total": _size(root), "files": {}, "shards": len(bundles) if (root / SHARDS_FILE).is_file() else 0}
    for kind in ("index", "fragment", "filter"):
        split[kind] = sum(_size(b / kind) for b in bundles)
        split["files"][kind] = sum(sum(1 for _ in (b / kind).iterdir()) for b in bundles if (b / kind).is_dir())
    split["meta"] = sum(p.stat().st_size for b in bundles if b.is_dir() for p in b.glob("*.pf_meta"))
    split["other"] = split["total"] - split["index"] - split["fragment"] - split["filter"] - split["meta"]
    pages = 0
    for bundle in bundles:
        try:
            languages = json.loads((bundle / "pagefind-entry.json").read_bytes()).get("languages", {})
            pages += sum(int(language.get("page_count") or 0) for language in languages.values())
        except (OSError, ValueError, AttributeError):
            pass
    split["pages"] = pages
    listed = {b.resolve() for b in bundles}
    split["unlisted"] = (
        sum(1 for d in root.iterdir() if (d / "pagefind-entry.json").is_file() and d.resolve() not in listed)
        if split["shards"]
        else 0
    )
    return split


def _bundle_problem(bundle: Path, label: str) -> str | None:
    """Why one Pagefind bundle (label: its path as the site has it) cannot load, or None."""
    entry = bundle / "pagefind-entry.json"
    if not entry.is_file():
        return f"{label}/pagefind-entry.json is missing"
    try:
        languages = json.loads(entry.read_bytes()).get("languages", {})
    except (ValueError, AttributeError):
        return f"{label}/pagefind-entry.json is not a JSON object ({entry.stat().st_size} bytes)"
    if not languages:
        return f"{label}/pagefind-entry.json names no language"
    for language in languages.values():
        meta = bundle / f"pagefind.{language.get('hash')}.pf_meta"
        if not meta.is_file():
            return f"{label}/{meta.name} named by the entry file is missing"
        wasm = bundle / f"wasm.{language.get('wasm') or 'unknown'}.pagefind"
        if not wasm.is_file():
            return f"{label}/{wasm.name} named by the entry file is missing"
    if not (bundle / "pagefind.js").is_file():
        return f"{label}/pagefind.js is missing"
    return None


def pagefind_bundle_problem(site: Path) -> str | None:
    """Why the built search cannot load in a browser (None when it looks whole). The sharded layout: shards.json
    names its shards and a primary among them (listed first), and every shard is a whole Pagefind bundle. Without
    shards.json, the single-bundle layout: site/pagefind is one bundle."""
    root = site / "pagefind"
    try:
        shards = read_shards(root)
    except ValueError as error:
        return str(error)
    if shards is None:
        if (root / "pagefind-entry.json").is_file():
            return _bundle_problem(root, "site/pagefind")
        return f"site/pagefind/{SHARDS_FILE} is missing (and site/pagefind is no single bundle either)"
    primary, names = shards
    if primary is None:
        return f"site/pagefind/{SHARDS_FILE} names no primary shard"
    if names[0] != primary:
        return f"site/pagefind/{SHARDS_FILE}: the primary {primary!r} is not the first of `shards` ({names[0]!r})"
    if len(set(names)) != len(names):
        return f"site/pagefind/{SHARDS_FILE} lists a shard twice"
    for name in names:
        if "/" in name or name in (".", ".."):
            return f"site/pagefind/{SHARDS_FILE}: {name!r} is not a folder name"
        problem = _bundle_problem(root / name, f"site/pagefind/{name}")
        if problem:
            return problem
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
