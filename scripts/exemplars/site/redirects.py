"""Redirect pages for old ids: a meta refresh, a canonical link and a plain link, no script."""
from __future__ import annotations

from html import escape


def redirect_html(relative_target: str, canonical: str | None) -> str:
    """`canonical` is the new page's absolute URL; without a site_url there is none to give."""
    target = escape(relative_target, quote=True)
    canonical_link = f'<link rel="canonical" href="{escape(canonical, quote=True)}">\n' if canonical else ""
    return f"""<!doctype html>
<html lang="zh">
<head>
<meta charset="utf-8">
<title>页面已移动</title>
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url={target}">
{canonical_link}</head>
<body>
<p>此故事的网址已更改，正在跳转到 <a href="{target}">新地址</a>。</p>
</body>
</html>
"""
