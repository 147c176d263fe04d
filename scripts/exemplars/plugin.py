"""The MkDocs plugin: MkDocs' events, in the order MkDocs calls them, each handed to the build session.

One plugin instance lives from on_startup to on_shutdown (in `mkdocs serve`, across every rebuild). Each build
gets a new BuildSession (exemplars/build/session.py) at on_config, dropped when the build ends (on_post_build or
on_build_error); what `mkdocs serve` keeps between rebuilds is the one ServeState (exemplars/build/serve.py). The
options of mkdocs.yml are typed in exemplars/config.py. Everything the site shows is decided in `exemplars.site`.

Per build MkDocs calls: on_config, on_pre_build, on_files, on_nav, then for each page on_page_markdown and
on_page_content, then on_env, on_post_template (404.html), then for each page on_page_context and on_post_page,
and on_post_build (or on_build_error when anything fails). on_serve follows the first build of `mkdocs serve`.
"""

from __future__ import annotations

import atexit
import gc
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.plugins import BasePlugin, event_priority

from .config import ExemplarsConfig, library_root

if TYPE_CHECKING:
    from .build.serve import DirtyBuildNote, ServeState
    from .build.session import BuildSession

# The build's modules (exemplars.build, and through it the site and search layers: ~0.2 s of imports) are imported
# at on_startup, after the search worker has been started: its own start-up then runs on the other core while this
# process imports them, instead of later, while both cores have pages to render.

# on_shutdown unfreezes the build's objects (a program that builds in-process goes on), so the interpreter's last
# collections at exit would walk every one of them again (10,000 stories: ~0.45 s after "built in"): at exit,
# whatever is still alive is frozen first. Objects are still freed as their modules are torn down.
atexit.register(gc.freeze)


class ExemplarsPlugin(BasePlugin[ExemplarsConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        self.session: BuildSession | None = None  # the build under way, from on_config to its end
        self.serve: ServeState | None = None  # `mkdocs serve`: what one rebuild leaves to the next
        self.dirty_note: DirtyBuildNote | None = None
        self.preview_root: Path | None = None  # on_serve: the library whose preview address is recorded

    def on_startup(self, *, command, dirty) -> None:
        if command != "serve" and self.config.search:  # `serve` indexes in the background (build/serve.py)
            from .search import worker

            worker.start()
        from .build.serve import DirtyBuildNote, ServeState

        self.command = command
        # MkDocs keeps this instance for the next command in the same process (tests): each starts afresh.
        self.serve = ServeState() if command == "serve" else None
        if dirty and self.dirty_note is None:
            self.dirty_note = DirtyBuildNote()
            logging.getLogger("mkdocs.commands.build").addFilter(self.dirty_note)

    def on_config(self, config):
        from .build.session import BuildSession

        self.session = None  # stays None if the session refuses the config (site_url): on_build_error sees that
        self.session = BuildSession(config, self.config, self.command, self.serve)
        return config

    def on_pre_build(self, *, config) -> None:
        self.session.pre_build()

    @event_priority(50)
    def on_files(self, files, *, config):
        return self.session.files(files)

    def on_page_markdown(self, markdown, *, page, config, files):
        return self.session.page_markdown(markdown, page)

    def on_page_content(self, html, *, page, config, files):
        return self.session.page_content(html, page)

    def on_env(self, env, *, config, files):
        return self.session.env_ready(env)

    def on_post_template(self, output_content, *, template_name, config):
        from .build.session import BuildSession

        return BuildSession.post_template(output_content, template_name)

    def on_page_context(self, context, *, page, config, nav):
        return self.session.page_context(context, page)

    def on_post_page(self, output, *, page, config):
        return self.session.post_page(output, page)

    def on_post_build(self, *, config) -> None:
        try:
            self.session.post_build()
        finally:
            self._end_session()

    def on_build_error(self, *, error) -> None:
        if self.session is not None:  # None when on_config itself failed or the build had ended
            self.session.build_error()
            self._end_session()
        elif self.serve is not None:
            self.serve.resume_swaps()

    def on_serve(self, server, *, config, builder):
        from .build.serve import watch

        self.preview_root = library_root(self.config, config.config_file_path)
        watch(server, self.preview_root)
        return server

    def on_shutdown(self) -> None:
        gc.unfreeze()
        if self.dirty_note is not None:
            logging.getLogger("mkdocs.commands.build").removeFilter(self.dirty_note)
            self.dirty_note = None
        if self.command == "serve" and self.preview_root is not None:
            from . import preview_address

            preview_address.forget(self.preview_root)
            self.preview_root = None
        if self.serve is not None:
            self.serve.close()

    def _end_session(self) -> None:
        session, self.session = self.session, None
        session.close()
