"""Security headers for deployers: what a <meta> policy cannot do (site/csp.py), said once, for every host.

A <meta> Content-Security-Policy cannot carry `frame-ancestors`, so without these headers any site may show ours
in a frame (clickjacking). The per-page script hashes stay in each page's <meta> policy: they differ per page
depth and a header copy of them could not be kept in step with the pages. Browsers enforce both policies, so the
header policy holds only what the meta one cannot.

The build writes `_headers` into the site (Netlify and Cloudflare Pages read it from the published folder);
deploy/nginx-security-headers.conf is the same list for nginx; GitHub Pages cannot set headers at all
(deploy/README.md). tests/test_deploy_headers.py keeps the three in step with `HEADERS`.

Plain Python: nothing here imports MkDocs.
"""

from __future__ import annotations

from pathlib import Path

HEADERS: tuple[tuple[str, str], ...] = (
    ("Content-Security-Policy", "frame-ancestors 'none'"),  # no other site may frame ours
    ("X-Frame-Options", "DENY"),  # the same, for browsers that predate frame-ancestors
    ("X-Content-Type-Options", "nosniff"),  # a file is only ever what its Content-Type says
    ("Referrer-Policy", "strict-origin-when-cross-origin"),  # other sites see our address, never a reader's page
)


def netlify_headers() -> str:
    """The `_headers` file of Netlify and Cloudflare Pages: every path gets every header."""
    lines = ["# Security headers (Netlify, Cloudflare Pages). Made by the build from exemplars/site/headers.py.", "/*"]
    lines += [f"  {name}: {value}" for name, value in HEADERS]
    return "\n".join(lines) + "\n"


def write_headers_file(out: Path) -> None:
    (Path(out) / "_headers").write_text(netlify_headers(), encoding="utf-8")
