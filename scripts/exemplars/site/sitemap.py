"""sitemap.xml (and .gz) for the whole site, generated pages included, with no build timestamps.

MkDocs' own sitemap lists only the pages it rendered and stamps each with the build date; ours lists every
page with the date its content last changed (a story's `updated` or `date`), so two builds of one commit match.
"""
from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape


def sitemap_xml(site_url: str, entries: list[tuple[str, date | None]]) -> str:
    base = site_url.rstrip("/") + "/"
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url, lastmod in sorted(set(entries), key=lambda entry: entry[0]):
        lines.append(f"<url><loc>{escape(base + url.lstrip('/'))}</loc>"
                     + (f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else "") + "</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def write_sitemap(out_dir: Path, site_url: str, entries: list[tuple[str, date | None]]) -> None:
    data = sitemap_xml(site_url, entries).encode("utf-8")
    out_dir = Path(out_dir)
    (out_dir / "sitemap.xml").write_bytes(data)
    with open(out_dir / "sitemap.xml.gz", "wb") as raw:  # mtime 0 and no file name: the same bytes every build
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as packed:
            packed.write(data)
