"""The plugin's options in mkdocs.yml (`plugins: - exemplars: …`), typed: MkDocs checks every value and stops
the build with the option's name and the expected type when one is wrong.

Only the plugin and the build session read this class; the site layer gets plain values (site/settings.py).
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config

from .cms import BACKENDS


class ExemplarsConfig(Config):
    root = config_options.Optional(config_options.Type(str))  # library root; default: mkdocs.yml's folder
    preview = config_options.Optional(config_options.Type(bool))  # show drafts; default: on for `mkdocs serve`
    search = config_options.Type(bool, default=True)  # build the Pagefind index
    handout_docx = config_options.Type(bool, default=True)  # a Word handout per lesson (lessons/<id>/handout.docx)
    story_docx = config_options.Type(bool, default=False)  # a .docx per story: opt-in, ~15 ms a story cold
    # /admin/ (the web form, cms.py): where it saves. Backends: test-repo (a demo in the browser), gitlab, forgejo,
    # gitea, github; repo "owner/name"; base_url the self-hosted forge; app_id its OAuth application.
    cms_backend = config_options.Choice(BACKENDS, default="test-repo")
    cms_repo = config_options.Type(str, default="")
    cms_base_url = config_options.Type(str, default="")
    cms_app_id = config_options.Type(str, default="")
    cms_branch = config_options.Type(str, default="main")
    cms_local = config_options.Optional(config_options.Type(bool))  # decap-server (`make cms`); default: preview
    cms_local_port = config_options.Type(int, default=8081)  # decap-server's PORT


def library_root(options: ExemplarsConfig, config_file_path: str) -> Path:
    """The library's folder: the `root` option, else the folder of mkdocs.yml."""
    return Path(options.root or Path(config_file_path).parent).resolve()
