"""Atom and RSS feeds of the newest published stories: one for the whole site and one per method.

A feed is for "tell me when a new story goes up", so entries are ordered by when each story was published on the
site (`Story.published_on`: the reviewer's `published` field, else `updated`, else `date`), newest first — not by
the date of the event: a story published today about a 2010 event is the first entry. Same day: the newer event
first, then by id, so the order never depends on file order. A feed's `updated` (Atom) / `lastBuildDate` (RSS) is
the newest publication or substantive update (`updated`) among all the public stories it draws from, so it moves
with every publication even when the feed's first `limit` entries stay the same.

Builds are reproducible: feedgen stamps feeds and entries with the wall clock unless told otherwise, so every
date here is set explicitly and comes from the stories' front matter (never git, never the clock), and the
generator carries no version. Same library, same bytes.

Plain Python: nothing here imports MkDocs.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator

from ..library import Library
from ..model import Story
from . import urls
from .catalogue import site_base
from .settings import DEFAULT, Settings

# mkdocs.yml: site_title, feed_subtitle, feed_size (site/settings.py)
LANGUAGE = "zh-CN"
TZ = dt.timezone(dt.timedelta(hours=8))  # story dates are Beijing dates: midnight UTC+8
EMPTY_FEED_DATE = dt.date(1970, 1, 1)  # `updated` of a feed with no stories anywhere: fixed, never the clock

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def feed_title(method_name: str | None = None, site_title: str = DEFAULT.site_title) -> str:
    return f"{site_title} · {method_name}" if method_name else site_title


def write_feeds(
    library: Library,
    out_dir: Path,
    site_url: str,
    *,
    settings: Settings = DEFAULT,
    limit: int | None = None,
    updated: dt.date | None = None,
) -> list[Path]:
    """Write the site-wide feeds at `out_dir` and each method's under methods/<id>/; returns the paths written.

    Each feed lists at most `limit` (default: the `feed_size` setting) published stories, newest first. Every
    method gets feeds, even one without stories yet, so the links on method pages never break.
    """
    base = site_base(site_url)
    limit = settings.feed_size if limit is None else limit
    stories = library.newest_published()
    site_updated = updated or _newest_change(stories) or EMPTY_FEED_DATE
    written = _write_pair(library, Path(out_dir), base, None, stories[:limit], site_updated, settings)
    for method in library.methods:
        pool = [s for s in stories if method.id in s.methods]
        when = updated or _newest_change(pool) or site_updated
        written += _write_pair(library, Path(out_dir), base, method, pool[:limit], when, settings)
    return written


def _write_pair(
    library: Library,
    out_dir: Path,
    base: str,
    method,
    stories: list[Story],
    updated: dt.date,
    settings: Settings,
) -> list[Path]:
    page = base + (urls.method(method.id) if method else "")
    description = _xml(method.summary) if method and method.summary.strip() else settings.feed_subtitle
    fg = FeedGenerator()
    fg.id(page)
    fg.title(_xml(feed_title(method.name if method else None, settings.site_title)))
    fg.subtitle(description)  # also the RSS channel description
    fg.author({"name": settings.site_title, "uri": base})
    fg.language(LANGUAGE)
    fg.updated(_moment(updated))  # also RSS lastBuildDate; otherwise feedgen uses the wall clock
    fg.generator("exemplars", uri=base)  # no version: upgrading feedgen must not change the output
    for story in stories:
        fg.add_entry(_entry(story, library, base), order="append")
    written = []
    for fmt in urls.FEED_FILES:
        # feedgen takes the RSS channel <link> from the last link given, so the page comes last.
        fg.link(
            [
                {
                    "href": base + urls.feed(fmt, method.id if method else None),
                    "rel": "self",
                    "type": "application/atom+xml" if fmt == "atom" else "application/rss+xml",
                },
                {"href": page, "rel": "alternate", "type": "text/html"},
            ],
            replace=True,
        )
        data = (fg.atom_str if fmt == "atom" else fg.rss_str)(pretty=True, encoding="UTF-8", xml_declaration=True)
        path = out_dir / urls.feed(fmt, method.id if method else None)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


def _entry(story: Story, library: Library, base: str) -> FeedEntry:
    url = base + urls.story(story.id)
    fe = FeedEntry()
    fe.guid(url, permalink=True)  # atom:id and rss:guid
    fe.title(_xml(story.title))
    fe.link(href=url, rel="alternate", type="text/html")
    fe.summary(_xml(story.summary or story.title))  # also the RSS item description
    fe.published(_moment(story.published_on))  # also the RSS pubDate: when it went up here, not the event's date
    fe.updated(_moment(story.last_changed))
    categories = [
        {"term": _xml(library.method(m).name), "scheme": base + urls.method(m), "label": _xml(library.method(m).name)}
        for m in story.methods
    ]
    categories.append({"term": story.kind_label, "scheme": base + urls.kind(story.kind), "label": story.kind_label})
    fe.category(categories)
    return fe


def _newest_change(stories: list[Story]) -> dt.date | None:
    return max((s.last_changed for s in stories), default=None)


def _moment(value: dt.date) -> dt.datetime:
    """A date as midnight UTC+8; a datetime passes through (naive ones are taken as UTC+8)."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=TZ)
    return dt.datetime.combine(value, dt.time(0), tzinfo=TZ)


def _xml(text: str) -> str:
    """Text without the characters XML cannot hold (lxml would refuse the whole feed)."""
    return _NOT_XML.sub("", text)
