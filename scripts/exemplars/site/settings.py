"""The site's settings as plain values: where story, method, lesson and browse pages live, how many cards a listing
page shows, how many entries a feed holds, and the names feeds and citation lines give the site. The defaults are
the site as it has always been built.

The plugin reads them from mkdocs.yml (exemplars/config.py, where each option is typed and documented) and hands
this dataclass to the site layer, which imports nothing from MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..search.shards import DEFAULT_SIZE


@dataclass(frozen=True)
class Settings:
    # URL prefixes (site-relative, ending in "/"): a story is at <story_url><id>/, the methods index at method_url
    story_url: str = "stories/"
    method_url: str = "methods/"
    lesson_url: str = "lessons/"
    browse_url: str = "browse/"  # the browse index; listings by kind, region, year, domain and tag below it
    page_size: int = 50  # story cards per listing page (browse by kind, region, year, domain, tag; a method's kind)
    feed_size: int = 50  # stories per Atom/RSS feed (the site's and each method's), newest first
    site_title: str = "典型示范故事库"  # the site's name in feeds (title, author) and in citation lines
    feed_subtitle: str = (
        "按群众工作方法整理的基层正面典型与反面典型，最新发布的故事。"  # the site-wide feed's description
    )
    search_shard_size: int = DEFAULT_SIZE  # pages per search shard, each indexed by its own Pagefind (search/shards.py)


DEFAULT = Settings()
