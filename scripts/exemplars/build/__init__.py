"""One MkDocs build of the library: `session.BuildSession` (made at on_config, dropped after on_post_build) owns
the page specs, the render path, the search feed, the caches and the worker pool; `serve.ServeState` is what
`mkdocs serve` keeps between rebuilds. The plugin (exemplars/plugin.py) only forwards MkDocs' events here.
"""
