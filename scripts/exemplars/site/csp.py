"""A Content-Security-Policy for every page, as a <meta> tag computed from the page's final HTML.

Only the site's own files may run, plus the exact inline scripts the page carries (Material's small bootstrap
snippets, which embed the page's base URL and so differ per page depth): each is allowed by its SHA-256 hash,
never by 'unsafe-inline'. Pagefind compiles WebAssembly ('wasm-unsafe-eval'): only the page that loads the
search script (/search/) is allowed to; every other page, bulk pages included (their shell loads no search), is
not. Styles come from files only — the theme and our pages use no inline <style> or style attributes (Material
sets styles from script through the CSSOM, which CSP does not restrict), so neither 'unsafe-inline' nor
'unsafe-hashes' is needed. Images may be data: URLs because Material's stylesheet draws its icons with them.
`frame-ancestors` is ignored in a <meta> policy, so it is not written: deployers add it as an HTTP header (deploy/,
site/headers.py).

Plain Python: nothing here imports MkDocs.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html import escape  # the policy holds single quotes only: the attribute is double-quoted

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
_SRC = re.compile(r"\ssrc\s*=", re.IGNORECASE)
_TYPE = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]*)""", re.IGNORECASE)
_SEARCH_SCRIPT = re.compile(r"""<script\b[^>]*\ssrc\s*=\s*["']?[^"'\s>]*assets/javascripts/search\.js""", re.IGNORECASE)
_CLASSIC_OR_MODULE = {"", "text/javascript", "application/javascript", "module", "text/ecmascript"}

BASE_POLICY = (
    ("default-src", "'self'"),
    ("script-src", "'self'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
)


def inline_script_hashes(html: str) -> list[str]:
    """CSP source expressions ('sha256-…') for every inline script the browser would run, in page order."""
    hashes = []
    for attributes, body in _SCRIPT.findall(html):
        kind = _TYPE.search(attributes)
        if _SRC.search(attributes) or (kind and kind.group(1).lower() not in _CLASSIC_OR_MODULE):
            continue  # external files are covered by 'self'; data blocks (application/json) never run
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
        source = f"'sha256-{digest}'"
        if source not in hashes:
            hashes.append(source)
    return hashes


def needs_wasm(html: str) -> bool:
    """Whether the page runs Pagefind (the search page's script loads it), which compiles WebAssembly."""
    return _SEARCH_SCRIPT.search(html) is not None


def policy(html: str) -> str:
    parts = []
    for directive, sources in BASE_POLICY:
        if directive == "script-src":
            wasm = ["'wasm-unsafe-eval'"] if needs_wasm(html) else []
            sources = " ".join([sources, *wasm, *inline_script_hashes(html)])
        parts.append(f"{directive} {sources}")
    return "; ".join(parts)


def add_csp(html: str) -> str:
    """`html` with a CSP <meta> as the first element of <head>; unchanged if it has no <head> (not a page)."""
    head = _HEAD.search(html)
    if head is None:
        return html
    tag = f'<meta http-equiv="Content-Security-Policy" content="{escape(policy(html), quote=False)}">'
    return html[: head.end()] + "\n    " + tag + html[head.end() :]
