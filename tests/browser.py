"""Browser test helpers: Debian's chromium driven by Playwright, and a static server on 127.0.0.1.

Import the fixtures into a test module (`from browser import browser  # noqa: F401`). Without /usr/bin/chromium
the tests are skipped locally with an install hint, but under CI=true they fail: a browser test is never
silently skipped in CI. Playwright's own browser downloads are never used (`playwright install` is not run).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL_HINT = (
    "浏览器测试需要 Debian 的 chromium：sudo apt-get install chromium fonts-noto-cjk（或运行 make browser-deps）"
)


def require_chromium() -> str:
    """The chromium path; skips the test locally when it is missing, fails it under CI=true."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return str(CHROMIUM)
    message = f"找不到 {CHROMIUM}。{INSTALL_HINT}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true：浏览器测试不能跳过。{message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    return require_chromium()


@pytest.fixture(scope="session")
def browser(chromium_path: str):
    """One headless chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        try:
            yield instance
        finally:
            instance.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def serve(root: Path, handler: type[http.server.SimpleHTTPRequestHandler] = _QuietHandler) -> Iterator[str]:
    """Serve `root` on 127.0.0.1 at a free port with `handler` (plain static files unless given); yields the base
    URL ending in '/'."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
