"""Screenshots of built pages at desktop and phone widths, for looking at what we build.

    .venv/bin/python tests/tools/screenshots.py SITE_DIR OUT_DIR [PATH ...]

Serves SITE_DIR on 127.0.0.1 and saves OUT_DIR/<name>-1280.png and -390.png for each PATH (default: home,
the methods index, one method page and one story page).
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serve(root: Path) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> int:
    site, out = Path(sys.argv[1]), Path(sys.argv[2])
    paths = sys.argv[3:] or ["", "methods/", "methods/minzhu-xieshang/", "stories/banden-yishihui-2019/"]
    out.mkdir(parents=True, exist_ok=True)
    server = serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for width, height in ((1280, 900), (390, 844)):
            page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
            for path in paths:
                page.goto(base + path)
                name = path.strip("/").replace("/", "_") or "home"
                page.screenshot(path=str(out / f"{name}-{width}.png"), full_page=True)
                page.screenshot(path=str(out / f"{name}-{width}-top.png"))  # what a reader sees first
        browser.close()
    server.shutdown()
    print(f"saved to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
