"""Redirect pages for old ids: a meta refresh, a canonical link and a plain link, no script.

The icon link (the site's own favicon) keeps browsers from asking for /favicon.ico during the instant the page
is shown (a 404 in the console, seen intermittently by the CSP browser test)."""

from __future__ import annotations

from html import escape

from .csp import add_csp


def redirect_html(relative_target: str, canonical: str, icon: str | None = None) -> str:
    """`canonical` is the new page's absolute URL (site_url is checked when the build starts)."""
    target = escape(relative_target, quote=True)
    icon_link = f'<link rel="icon" href="{escape(icon, quote=True)}">\n' if icon else ""
    return add_csp(f"""<!doctype html>
<html lang="zh">
<head>
<meta charset="utf-8">
<title>页面已移动</title>
{icon_link}<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url={target}">
<link rel="canonical" href="{escape(canonical, quote=True)}">
</head>
<body>
<p>此故事的网址已更改，正在跳转到 <a href="{target}">新地址</a>。</p>
</body>
</html>
""")
