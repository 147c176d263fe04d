"""`mkdocs serve`'s live reload under the pages' Content-Security-Policy: the bootstrap as a same-origin file.

MkDocs 1.6 appends an inline `<script>livereload(epoch, requestId);…</script>` to every HTML response, with a
per-request timestamp in it. Our pages carry a meta CSP that allows inline scripts by hash only (site/csp.py),
and no hash computed at build time can match a script written at request time, so Chromium blocks it and the
preview never reloads after a save. Instead of loosening the policy ('unsafe-inline') this module takes over
that one step, for the preview server only:

- each HTML response gets `<script src="/livereload/exemplars.js" data-epoch=… data-request-id=…></script>`:
  an external same-origin file, which the policy's `script-src 'self'` already allows, with the per-request
  values in data attributes instead of code;
- the server answers `/livereload/exemplars.js` with MkDocs' own script, its last line (the call with the two
  values) replaced by one that reads them from the tag. The polling endpoints stay MkDocs' own.

Two MkDocs internals are used, and `install` checks both before touching anything (PluginError otherwise, and
tests/test_preview_reload.py fails the same way): `LiveReloadServer._inject_js_into_html(content, epoch)`,
overridden on the one server instance, and `_SCRIPT_TEMPLATE_STR`, whose call line we replace. Public builds
never reach this module: it runs from the plugin's `on_serve`.
"""

from __future__ import annotations

import inspect

from mkdocs.livereload import _SCRIPT_TEMPLATE_STR, LiveReloadServer, _timestamp

SCRIPT_PATH = "/livereload/exemplars.js"  # absolute like MkDocs' own /livereload/ polling, whatever the mount path
_CALL = "livereload(${epoch}, ${request_id});"
# A statement like MkDocs' own call (a line starting with "(" would continue the expression above it)
_OUR_CALL = (
    "livereload(Number(document.currentScript.dataset.epoch), Number(document.currentScript.dataset.requestId));"
)


class LiveReloadShapeChanged(RuntimeError):
    """MkDocs' live-reload injection is no longer what this module replaces (after a MkDocs upgrade)."""


def check_shape() -> None:
    """Raise LiveReloadShapeChanged unless MkDocs injects its script the way this module expects."""
    method = getattr(LiveReloadServer, "_inject_js_into_html", None)
    if method is None or list(inspect.signature(method).parameters) != ["self", "content", "epoch"]:
        raise LiveReloadShapeChanged("LiveReloadServer._inject_js_into_html(self, content, epoch) is gone")
    if "self._inject_js_into_html(content, epoch)" not in inspect.getsource(LiveReloadServer._serve_request):
        raise LiveReloadShapeChanged("LiveReloadServer._serve_request no longer calls _inject_js_into_html")
    if _SCRIPT_TEMPLATE_STR.strip().splitlines()[-1] != _CALL:
        raise LiveReloadShapeChanged(f"mkdocs.livereload._SCRIPT_TEMPLATE_STR no longer ends with {_CALL}")


def script() -> bytes:
    """MkDocs' live-reload script, started from its own <script> tag's data attributes."""
    body = _SCRIPT_TEMPLATE_STR.strip()
    return (body[: -len(_CALL)] + _OUR_CALL + "\n").encode("utf-8")


def script_tag(epoch: int, request_id: int) -> bytes:
    return (
        f'<script src="{SCRIPT_PATH}" data-epoch="{int(epoch)}" data-request-id="{int(request_id)}"></script>'
    ).encode("ascii")


def inject(content: bytes, epoch: int) -> bytes:
    """What MkDocs' _inject_js_into_html does, with an external script instead of an inline one."""
    try:
        body_end = content.rindex(b"</body>")
    except ValueError:
        body_end = len(content)
    return content[:body_end] + script_tag(epoch, _timestamp()) + content[body_end:]


def install(server: LiveReloadServer) -> None:
    """Make `server` inject and serve the external bootstrap. Checks MkDocs' shape first."""
    check_shape()
    served = script()
    app = server.get_app()

    def serve_script(environ, start_response):
        if environ.get("PATH_INFO") == SCRIPT_PATH:
            start_response(
                "200 OK",
                [
                    ("Content-Type", "application/javascript"),
                    ("Content-Length", str(len(served))),
                    ("Cache-Control", "no-store"),
                ],
            )
            return [served]
        return app(environ, start_response)

    server._inject_js_into_html = inject  # this instance only; the class is left alone
    server.set_app(serve_script)
