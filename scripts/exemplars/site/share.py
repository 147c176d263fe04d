"""The "share and cite" box of story and lesson pages: the page's permanent public URL, its QR code and a
citation line to copy.

Everything here is fixed at build time except the access date of the citation line, which the reader's browser
fills in (assets/javascripts/share.js): a build never writes the clock into a page, so builds stay reproducible.

Plain Python: nothing here imports MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass

from .settings import DEFAULT

SITE_NAME = DEFAULT.site_title  # mkdocs.yml: site_title (site/settings.py)
QR_FILE = "qr.svg"  # beside the page's index.html: small pages, one cached file per URL, printable as an <img>


@dataclass(frozen=True)
class ShareBox:
    url: str  # absolute, permanent
    qr: str  # site-relative path of the page's QR code SVG, e.g. "stories/x/qr.svg"
    citation: str  # the citation line up to the access date, e.g. "《标题》，典型示范故事库，https://…/，"


def share_box(title: str, page_url: str, base: str, site_name: str = SITE_NAME) -> ShareBox:
    """The box of the page at site-relative `page_url`, with `base` the site's absolute URL (ending in "/")."""
    url = base + page_url
    return ShareBox(url=url, qr=page_url + QR_FILE, citation=citation_prefix(title, url, site_name))


def citation_prefix(title: str, url: str, site_name: str = SITE_NAME) -> str:
    return f"《{title}》，{site_name}，{url}，"
