"""The site's pages, one module per page type (as mkdocs-material's blog plugin has `structure/`).

Where things live:

- base.py      `Page`: URL, title, template, typed view model, body, search fields, `shown(preview)`, frame;
- story.py     story pages (`StoryView`, the story template's view model) and withdrawn-story notices;
- method.py    the methods index and one page per method;
- listing.py   browse pages: the browse index, facet indexes and paginated card listings;
- lesson.py    lesson pages, their printable handouts (built from the cited stories' `StoryView`s), the lessons
               index, and which lessons teach with a story or on a method;
- stats.py     the stats page (its view model, figures and charts, is site/stats.py's `Dashboard`);
- search.py    the search page; errors.py: the preview's checker report; redirect.py: old ids' URLs;
- site.py      `build_site`: the whole library into every page, in writing order, and the home page's view;
               `shard_plan`: which search shard each searchable page is indexed in;
- html.py      the one rendering path from a page to its HTML, and the template contract every page gets.

Each page type names its template in its `template` attribute (overrides/exemplars/; shared pieces in
overrides/exemplars/partials/); who sees drafts is site/visibility.py; URLs are site/urls.py.
Plain Python: nothing here imports MkDocs.
"""

from .base import DOCUMENT, SHELL, THEME, Deferred, Page
from .html import FRAME_TEMPLATE, BuildState, PageRenderer, ShellPage, shell_pages
from .site import HomeView, Site, build_site, shard_plan, story_share_codes

__all__ = [
    "DOCUMENT",
    "FRAME_TEMPLATE",
    "SHELL",
    "THEME",
    "BuildState",
    "Deferred",
    "HomeView",
    "Page",
    "PageRenderer",
    "ShellPage",
    "Site",
    "build_site",
    "shard_plan",
    "shell_pages",
    "story_share_codes",
]
