"""The public site as data and HTML: which pages a Library publishes, what each shows, and every other output.

Where things live:

- pages/       the page types, one module each (story, method, listing, lesson + handout, stats, search, errors,
               redirect), `build_site`, and the one rendering path with its template contract (pages/html.py);
               each page type names its template (`template`, in overrides/exemplars/), the pieces they
               share are in overrides/exemplars/partials/;
- visibility.py  who sees drafts and stories under review (the preview) — the one rule pages and citations use;
- urls.py      every public URL; views.py: small shared view values (cards, links, pagers, related stories);
- render.py    Markdown bodies → HTML (with cite.py: citation cards, sanitize.py, cjk_lines.py,
               table_labels.py, images.py for published images);
- blocks.py, shell.py, cards.py  the speed-ups behind the rendering path: one template block, per-depth chrome,
               story cards rendered once;
- stats.py, charts.py  the 库情 page's view model and its SVG charts;
- feeds.py, catalogue.py, sitemap.py, word.py, qr.py, share.py, share_meta.py, csp.py, headers.py, admin.py,
  redirects.py, markers.py: the other outputs and page pieces, each named by its module docstring.

Nothing here imports MkDocs: plugin.py and build/session.py adapt these pages to MkDocs Files and template
contexts, and a move to another generator only needs another adapter.
"""
