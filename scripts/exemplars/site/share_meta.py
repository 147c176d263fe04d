"""Share cards: the Open Graph and Twitter <meta> tags that make a shared link show a title, a summary and a
picture (WeChat, Weibo, QQ, messengers and social sites all read Open Graph).

One function writes them for every page, whichever way the page is framed: site/pages/html.py puts them in the
page's `head_meta` (printed by overrides/main.html for theme-framed and hand-written pages, filled into the
shell's `meta` slot for the others, shell.py). Story, method and lesson pages are `article`s, every other page
a `website`.

The picture is the story's cover at share size (site/images.py), else one site image committed to the repo
(`SITE_IMAGE`, drawn once; no text is rendered at build time, as no Python package ships a CJK font).

Plain Python: nothing here imports MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

SITE_IMAGE = "assets/images/share-card.png"  # overrides/assets/images/; made by scripts/make-share-card
SITE_IMAGE_SIZE = (1200, 630)
SITE_IMAGE_ALT = "典型示范故事库"
LOCALE = "zh_CN"
MAX_DESCRIPTION = 200  # crawlers cut longer text anyway; a summary is at most 300 characters


@dataclass(frozen=True)
class ShareImage:
    url: str  # site-relative
    width: int
    height: int
    alt: str
    type: str = "image/jpeg"


def site_image() -> ShareImage:
    return ShareImage(SITE_IMAGE, *SITE_IMAGE_SIZE, alt=SITE_IMAGE_ALT, type="image/png")


def share_meta(
    *, title: str, description: str, url: str, site_name: str, base: str, article: bool, image: ShareImage | None = None
) -> str:
    """The tags for one page. `url` is site-relative, `base` the site's absolute address ending in "/"."""
    image = image or site_image()
    description = " ".join(description.split())
    if len(description) > MAX_DESCRIPTION:
        description = description[: MAX_DESCRIPTION - 1] + "…"
    image_url = base + image.url
    tags = [
        ("property", "og:type", "article" if article else "website"),
        ("property", "og:site_name", site_name),
        ("property", "og:locale", LOCALE),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:url", base + url),
        ("property", "og:image", image_url),
        ("property", "og:image:type", image.type),
        ("property", "og:image:width", str(image.width)),
        ("property", "og:image:height", str(image.height)),
        ("property", "og:image:alt", image.alt),
        ("name", "twitter:card", "summary_large_image"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
        ("name", "twitter:image", image_url),
        ("name", "twitter:image:alt", image.alt),
    ]
    return "\n  ".join(
        f'<meta {attribute}="{name}" content="{escape(value, quote=True)}">' for attribute, name, value in tags
    )
