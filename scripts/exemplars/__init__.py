"""典型示范故事库 (exemplars): a git-native library of exemplary and cautionary stories of mass work.

Where things live (each module's docstring says what it is the one home of; README "Architecture" draws the flow):

- The contract and the model (no MkDocs anywhere here):
  schema.py     the one contract: fields, types, labels; the checker, JSON Schema, field table, scaffold and CMS
                config all read it;
  filenames.py  which files of stories/, methods/, lessons/ are read, reported or left alone;
  load.py       bytes → Record (front matter with a line for every key; yaml_messages.py names YAML mistakes);
  model.py      typed values (Story, Method, Lesson); regions.py, ids.py, media.py, citations.py (parsing
                `[[story:id]]`), personal.py (the one detector of ID-card and mobile numbers);
  library.py    the Library: every record validated once, id and old-id resolution, the indexes pages need;
  privacy.py    the preview's masked copy of the Library; stats.py the library's figures.
- The checker: check.py runs every rule over a Library → Diagnostics (diagnostics.py; messages.py holds the
  Chinese text of every code); the rules themselves are in file_rules.py, body_rules.py, cautionary.py, media.py.
- The site (site/, no MkDocs): site/pages/ has one module per page type (view model, template, body, search
  fields, visibility) and the one rendering path; feeds, catalogue, sitemap, Word, QR and the other outputs beside
  it (site/__init__.py is its map).
- Search (search/): records handed to Pagefind, the token spelling, the shared normalisation, the shards (which
  page goes where, shards.py; indexed and cached, sharded.py; merged into the site's one bundle, merge.py), the
  bundle's reproducibility, the background index of `mkdocs serve`.
- The MkDocs adapter: plugin.py (events only) → build/session.py (one build) and build/serve.py (what serve keeps);
  config.py the plugin's typed options; livereload.py, atomic_site.py (`make site`), cache.py, parallel.py.
- The command line (cli/, one module per command; nothing imports it; argparse_zh.py makes argparse speak Chinese,
  preview_address.py finds the running preview) and the work behind its commands: scaffold.py
  (new), mv.py, publish.py, status.py, import_cmd.py + word_import.py (Word import), cms.py (web form config),
  watch.py (check --watch), synth.py (synthetic libraries for the bench), git.py and fsutil.py (git access and
  safe writes, used by all of them).
"""

__version__ = "0.1.0"
