"""/admin/: the web form editor (Decap CMS), served from the site itself in every build.

The Decap bundle is vendored (scripts/exemplars/vendor/decap-cms/, `scripts/update-decap`): the site needs no node
to build, and no request leaves the site while the form loads. /admin/ carries its own Content-Security-Policy,
the one page that allows inline styles (Decap's styling library injects <style> elements) and 'unsafe-eval'
(Decap checks config.yml with ajv, which compiles its validators with `new Function`: without it the page stays
blank, tests/test_cms_browser.py::test_admin_does_not_start_without_unsafe_eval); it also lets the form talk to
the forge's API and, for `make cms`, to decap-server on localhost. It is `noindex` and never in the sitemap (only
rendered pages are).

Plain Python: nothing here imports MkDocs.
"""

from __future__ import annotations

import shutil
from html import escape
from pathlib import Path

from ..cms import Settings, config_yaml, connect_sources
from ..model import Method

VENDOR = Path(__file__).resolve().parent.parent / "vendor" / "decap-cms"
WIDGETS = (Path(__file__).resolve().parent / "region-widget.js",)  # our own Decap widgets, registered after the bundle
ADMIN_DIR = "admin"


def admin_policy(settings: Settings) -> str:
    """The /admin/ policy: BASE_POLICY's shape, with the exceptions Decap needs and nothing more."""
    connect = " ".join(["'self'", "blob:", *connect_sources(settings)])  # blob: Decap's local draft backup
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self' 'unsafe-eval'",  # ajv's compiled validators (see the module docstring); no inline script
            "style-src 'self' 'unsafe-inline'",  # the only page that allows inline styles: Decap's emotion <style>s
            "img-src 'self' data: blob:",  # previews of an image before it is saved
            f"connect-src {connect}",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        )
    )


def admin_page(settings: Settings) -> str:
    policy = escape(admin_policy(settings), quote=False)
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
    <meta http-equiv="Content-Security-Policy" content="{policy}">
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="robots" content="noindex, nofollow">
    <title>网页投稿 · 典型示范故事库</title>
    <link rel="icon" href="../assets/images/favicon.png">
    <link href="config.yml" type="text/yaml" rel="cms-config-url">
</head>
<body>
    <noscript>网页投稿表单需要启用 JavaScript。也可以按投稿指南在仓库中直接编辑文件。</noscript>
    <script src="decap-cms.js"></script>
    <script src="region-widget.js"></script>
</body>
</html>
"""


def write_admin(out: Path, settings: Settings, methods: list[Method]) -> None:
    """Write `out`/admin/: index.html, config.yml (from the schema) and the vendored Decap bundle."""
    target = out / ADMIN_DIR
    target.mkdir(parents=True, exist_ok=True)
    for source in VENDOR.iterdir():
        if source.suffix in (".js", ".wasm") or source.name.endswith(".LICENSE.txt") or source.name == "LICENSE":
            destination = target / source.name
            if not destination.exists() or destination.stat().st_size != source.stat().st_size:
                shutil.copyfile(source, destination)
    for source in WIDGETS:
        shutil.copyfile(source, target / source.name)
    (target / "config.yml").write_text(config_yaml(settings, methods), encoding="utf-8")
    (target / "index.html").write_text(admin_page(settings), encoding="utf-8")
