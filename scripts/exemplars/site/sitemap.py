"""sitemap.xml and sitemap.xml.gz, reproducible: no build date anywhere.

MkDocs writes every page's <lastmod> as the day of the build and gzips with the wall clock in the header; we
overwrite both files after the build. A story page's lastmod is the story's last change (`Story.last_changed`: its
publication or its `updated`, whichever is newer); every other page takes the date of the repository's latest
commit, or has no lastmod outside git.

Plain Python: nothing here imports MkDocs.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
from pathlib import Path
from xml.sax.saxutils import escape

from .. import git
from ..library import Library
from . import urls
from .catalogue import site_base

Entry = tuple[str, "dt.date | None"]  # (site-relative URL, lastmod)


def write_sitemap(out_dir: Path, site_url: str, entries: list[Entry]) -> None:
    """Write `out_dir`/sitemap.xml and a byte-stable sitemap.xml.gz (mtime 0, no file name in the header).
    URLs are listed once each, sorted, so the order in which pages were rendered does not matter."""
    base = site_base(site_url)
    chosen: dict[str, dt.date | None] = {}
    for url, lastmod in entries:
        chosen[url] = max(filter(None, (chosen.get(url), lastmod)), default=None)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url in sorted(chosen):
        lines.append(f"    <url>\n         <loc>{escape(base + url.lstrip('/'))}</loc>")
        if chosen[url]:
            lines.append(f"         <lastmod>{chosen[url].isoformat()}</lastmod>")
        lines.append("    </url>")
    lines.append("</urlset>\n")
    data = "\n".join(lines).encode("utf-8")
    out_dir = Path(out_dir)
    (out_dir / "sitemap.xml").write_bytes(data)
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0) as handle:
        handle.write(data)
    (out_dir / "sitemap.xml.gz").write_bytes(buffer.getvalue())


def sitemap_entries(page_urls: list[str], library: Library, root: Path) -> list[Entry]:
    """lastmod for every rendered page: stories by their own dates, the rest by the latest commit."""
    stories = {urls.story(s.id): s.last_changed for s in library.stories}
    fallback = git.latest_commit_date(root)
    return [(url, stories.get(url, fallback)) for url in page_urls]


def write_robots(out_dir: Path, site_url: str, *, preview: bool = False) -> None:
    """robots.txt: crawl everything and find the pages through the sitemap (its address must be absolute).

    A preview build shows drafts and stories under review: it asks crawlers to stay out altogether, in case an
    editor's preview is ever reachable from outside.
    """
    if preview:
        text = "# 预览构建：含草稿和待审故事，不供搜索引擎收录\nUser-agent: *\nDisallow: /\n"
    else:
        text = f"User-agent: *\nAllow: /\n\nSitemap: {site_base(site_url)}sitemap.xml\n"
    (Path(out_dir) / "robots.txt").write_text(text, encoding="utf-8")
