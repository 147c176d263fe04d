"""Test helpers for the public site: build any library folder in-process with MkDocs and parse the output.

`build_site` turns a bare library (stories/, methods/) into a buildable project by copying the repository's
mkdocs.yml, docs/ and overrides/ into it when they are missing, then runs the real MkDocs build with the real
`exemplars` plugin. A library that fails the checker makes MkDocs log the plugin's message and raise `Abort`;
the helper re-raises `Abort` with the logged error text as its message, so tests can assert on what an editor
would read in the terminal.
"""

from __future__ import annotations

import functools
import gzip
import json
import logging
import os
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

REPO = Path(__file__).resolve().parent.parent
PROJECT_FILES = ("mkdocs.yml", "docs", "overrides")

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


class _Collect(logging.Handler):
    """Keeps every record MkDocs logs at WARNING or above during one build."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def text(self, level: int = logging.WARNING) -> str:
        return "\n".join(r.getMessage() for r in self.records if r.levelno >= level)


def make_project(library_root: Path) -> Path:
    """Copy the repo's mkdocs.yml, docs/ and overrides/ into `library_root` where missing; returns mkdocs.yml."""
    library_root = Path(library_root)
    for name in PROJECT_FILES:
        target = library_root / name
        if target.exists():
            continue
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)
    return library_root / "mkdocs.yml"


def copy_repo(dest: Path, library: tuple[str, ...] = ("stories", "methods", "lessons")) -> Path:
    """The repository's mkdocs.yml, docs/ and overrides/ and its sample library's `library` folders, copied into
    `dest` (created if missing): others may edit the working tree while tests run, and a build and the counts a
    test makes must see the same files. Returns `dest`."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for name in (*PROJECT_FILES, *library):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, dest / name)
    return dest


def build_site(
    library_root: Path,
    site_dir: Path,
    *,
    strict: bool = True,
    preview: bool = False,
    search: bool = True,
    story_docx: bool = False,
    search_shard_size: int | None = None,
) -> Path:
    """Build `library_root` into `site_dir` with MkDocs and the exemplars plugin; returns `site_dir`.
    `search_shard_size` overrides mkdocs.yml's (pages per search shard).

    Raises mkdocs.exceptions.Abort when the build fails; its message holds every error MkDocs logged
    (for a library that fails the checker: the checker's lines).
    """
    config_file = make_project(Path(library_root))
    site_dir = Path(site_dir)
    collector = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
    try:
        cfg = load_config(config_file=str(config_file), site_dir=str(site_dir), strict=strict)
        if preview:
            cfg.plugins["exemplars"].config.preview = True
        cfg.plugins["exemplars"].config.search = search
        if story_docx:
            cfg.plugins["exemplars"].config.story_docx = True
        if search_shard_size is not None:
            cfg.plugins["exemplars"].config.search_shard_size = search_shard_size
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            build(cfg)
        except Abort as error:
            logged = collector.text(logging.ERROR) or collector.text()
            raise Abort(f"{error.message}\n{logged}".strip()) from error
        finally:
            cfg.plugins.on_shutdown()
    finally:
        logger.removeHandler(collector)
    return site_dir


def parse(path: Path) -> BeautifulSoup:
    """One built HTML file, parsed with lxml. Treat the result as read-only: the last few parses are cached
    (keyed by path, size and modification time), as tests often look at the same page twice in a row."""
    path = Path(path).resolve()
    stat = path.stat()
    return _parse(path, stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _parse(path: Path, size: int, mtime_ns: int) -> BeautifulSoup:
    return BeautifulSoup(path.read_bytes(), "lxml")


def page(site: Path, url: str) -> Path:
    """The file behind a site-relative directory URL ("stories/x/" → site/stories/x/index.html)."""
    return Path(site) / url / "index.html" if url.endswith("/") or not url else Path(site) / url


def html_files(site: Path) -> list[Path]:
    """The site's own pages. admin/ (the Decap web form, site/admin.py) is a third-party app with its own policy,
    no theme and no share card: tests/test_cms_site.py and test_csp.py check it on its own."""
    site = Path(site)
    return sorted(p for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "admin")


def resolve_link(site: Path, html_file: Path, ref: str) -> Path | None:
    """The output file an internal `href`/`src` points at (query and fragment stripped, percent-decoded;
    directory URLs → index.html), or None for links with a scheme or host and same-page links."""
    parts = urlsplit(ref.strip())
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    base = Path(site).resolve() if path.startswith("/") else Path(html_file).resolve().parent
    target = (base / path.lstrip("/")).resolve()
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def site_url(site: Path, html_file: Path, ref: str) -> str | None:
    """An internal link as a site-relative directory URL ("stories/x/"), whatever page it was written on."""
    target = resolve_link(site, html_file, ref)
    if target is None:
        return None
    rel = target.relative_to(Path(site).resolve()).as_posix()
    return rel[: -len("index.html")] if rel == "index.html" or rel.endswith("/index.html") else rel


def card_urls(site: Path, html_file: Path, scope) -> list[str]:
    """Site URLs of the story cards (`li.ex-card`, title link) inside `scope` (a parsed page or element)."""
    return [site_url(site, html_file, a["href"]) for a in scope.select("li.ex-card .ex-card__title a")]


def listing_urls(site: Path, url: str) -> list[str]:
    """Story URLs of a paginated listing, every page, in order: follows `rel=next` from `url`."""
    found: list[str] = []
    seen: set[str] = set()
    while url is not None and url not in seen:
        seen.add(url)
        file = page(site, url)
        soup = parse(file)
        found += card_urls(site, file, soup)
        step = soup.select_one(".ex-pager a[rel=next]")
        url = site_url(site, file, step["href"]) if step is not None else None
    return found


def soup_of(site: Path, url: str) -> tuple[Path, BeautifulSoup]:
    """(file, parsed page) for a site-relative URL; fails the test when the page was not built."""
    file = page(site, url)
    assert file.is_file(), f"{url} was not built"
    return file, parse(file)


def group_urls(site: Path, method_id: str, kind: str) -> tuple[list[str], list[str], str]:
    """One kind's group on a method page: (story URLs of its cards, every story URL of the group — following
    its "查看全部" listing through all pages when there is one —, the count shown in its heading)."""
    file, soup = soup_of(site, f"methods/{method_id}/")
    sections = soup.select(f"section.ex-group--{kind}")
    assert len(sections) == 1, f"methods/{method_id}/: {len(sections)} section.ex-group--{kind}"
    section = sections[0]
    shown = card_urls(site, file, section)
    more = section.select_one(".ex-more a")
    everything = listing_urls(site, site_url(site, file, more["href"])) if more is not None else shown
    count = section.select_one("h2 .ex-group__count")
    assert count is not None, f"methods/{method_id}/: no count in the {kind} heading"
    return shown, everything, count.get_text(strip=True)


def build_sample(folder: Path, library: tuple[str, ...] = ("stories", "methods", "lessons")) -> Path:
    """Build a fresh copy of the repository's project and sample library (copy_repo into `folder`/lib) into
    `folder`/site; returns the site folder."""
    return build_site(copy_repo(Path(folder) / "lib", library), Path(folder) / "site")


def search_fragments(site: Path) -> dict[str, dict]:
    """Every Pagefind fragment (one per indexed page) of the site's search bundle (the shards merged into one,
    search/merge.py), decoded, by its path in the site ("pagefind/fragment/<id>.pf_fragment")."""
    fragments = {}
    for path in sorted((Path(site) / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        fragments[path.relative_to(site).as_posix()] = json.loads(data[data.index(b"{") :])
    return fragments
