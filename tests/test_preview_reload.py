"""The preview reloads itself after a save, under the pages' strict Content-Security-Policy.

What `make serve` runs (its exact command line, from `make -n serve`) serves a copy of the small fixture library;
a real chromium opens a story page, the test edits the story's title on disk, and the open page shows the new
title by itself, with no CSP violation. The injection MkDocs does and exemplars.livereload replaces is checked
on its own too, so a MkDocs upgrade that changes it fails here loudly.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import time
import urllib.request

import pytest
from conftest import REPO, ctrl_c_works
from sitebuild import make_project
from test_serve_local import free_port

from exemplars import livereload

STORY = "stories/henan/jieliu-2019.md"
OLD_TITLE, NEW_TITLE = "某村干部截留补助被查处", "某村干部截留救灾款被查处"


def make_serve_command(port: int) -> list[str]:
    """The command `make serve PORT=port` runs, with the repository's .venv spelled out."""
    dry = subprocess.run(
        ["make", "-n", "serve", f"PORT={port}"], cwd=REPO, capture_output=True, text=True, timeout=60, check=True
    )
    line = next(line for line in dry.stdout.splitlines() if "mkdocs serve" in line)
    command = shlex.split(line)
    command[0] = str(REPO / command[0])
    return command


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


@pytest.fixture
def preview(library_copy):
    """(library root, base URL, server log path, process): `make serve`'s command running on a copy of the library."""
    root = library_copy()
    make_project(root)
    port = free_port()
    log = root.parent / "serve.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(
            make_serve_command(port),
            cwd=root,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            preexec_fn=ctrl_c_works,
        )
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert server.poll() is None, log.read_text(encoding="utf-8", errors="replace")[-3000:]
            assert time.monotonic() < deadline, "the preview never answered"
            try:
                get(base)
                break
            except OSError:
                time.sleep(0.3)
        yield root, base, log, server
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)  # our own session: the server and its Pagefind
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


def test_mkdocs_injection_is_the_shape_we_replace():
    """Fails after a MkDocs upgrade that changes how the live-reload script is injected."""
    livereload.check_shape()
    script = livereload.script().decode("utf-8")
    assert "${" not in script and "document.currentScript" in script and "/livereload/" in script
    page = b"<html><body><p>x</p></body></html>"
    injected = livereload.inject(page, 1234)
    assert injected.startswith(b'<html><body><p>x</p><script src="/livereload/exemplars.js" data-epoch="1234"')
    assert injected.endswith(b"</script></body></html>")
    assert re.findall(rb"<script\b[^>]*>(.*?)</script>", injected) == [b""], "no inline code at all"


def test_the_preview_serves_the_bootstrap_as_a_file_and_no_inline_script(preview):
    root, base, log, server = preview
    html = get(base + "stories/jieliu-2019/")
    tag = re.search(
        r'<script src="/livereload/exemplars\.js" data-epoch="(\d+)" data-request-id="(\d+)"></script>', html
    )
    assert tag, "the bootstrap is an external script with its values as data attributes"
    assert "livereload(" not in html, "MkDocs' inline script is not injected"
    assert "'unsafe-inline'" not in html
    assert "livereload(Number(document.currentScript.dataset.epoch)" in get(base + "livereload/exemplars.js")
    assert "'dirty' build" not in log.read_text(encoding="utf-8"), "MkDocs' English dirty-build warning is hidden"
    assert "预览只重写保存后有变化的页面" in log.read_text(encoding="utf-8")


@pytest.mark.browser
def test_the_open_page_shows_a_saved_title_by_itself_with_no_csp_violation(preview, browser):
    root, base, log, server = preview
    context = browser.new_context()
    page = context.new_page()
    console: list[str] = []
    violations: list[str] = []
    page.expose_function("reportViolation", lambda text: violations.append(text))  # survives the page's own reload
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "window.reportViolation(e.violatedDirective + ' ' + e.blockedURI))"
    )
    page.on("console", lambda m: console.append(m.text))
    page.on("pageerror", lambda e: console.append(str(e)))
    try:
        page.goto(base + "stories/jieliu-2019/", wait_until="load")
        assert page.locator("h1").first.text_content().strip() == OLD_TITLE
        deadline = time.monotonic() + 10
        while "Enabled live reload" not in console:  # MkDocs' own script, from our file, has started
            assert time.monotonic() < deadline, f"the live-reload script did not run: {console} {violations}"
            page.wait_for_timeout(50)
        path = root / STORY
        path.write_text(path.read_text(encoding="utf-8").replace(OLD_TITLE, NEW_TITLE), encoding="utf-8")
        saved = time.monotonic()
        # no page.reload(), no wait_for_function (its string is eval, which the policy refuses)
        page.locator("h1", has_text=NEW_TITLE).wait_for(timeout=3000)
        took = time.monotonic() - saved
        assert took < 3.5, took
        page.wait_for_timeout(200)
        assert console.count("Enabled live reload") == 2, "the reloaded page polls again"

        path.write_text(
            path.read_text(encoding="utf-8").replace(f"title: {NEW_TITLE}", 'title: "未闭合'), encoding="utf-8"
        )  # a save that breaks the file: the open page says it is stale
        page.locator(".ex-stale").wait_for(timeout=3000)
        assert page.locator("h1").first.text_content().strip() == NEW_TITLE, "the last good version"
        assert f"{STORY}:" in page.locator(".ex-stale").text_content()
        assert violations == []
        assert [m for m in console if "Content Security Policy" in m or "Refused" in m or "Failed to load" in m] == []
    finally:
        context.close()


def test_new_names_the_running_previews_address(preview, cli):
    """`make serve PORT=…` on another port than 8000: `exemplars new` points at the page where it really is."""
    root, base, log, server = preview
    new = ["new", "--root", str(root), *"--kind exemplar --method 民主协商 --region 浙江省/杭州市".split()]
    result = cli(*new, *"--title 槐荫社区结对陪伴独居老人 --date 2020-04-12 --id peiban-2020".split())
    assert result.returncode == 0, result.stderr
    assert f"{base}stories/peiban-2020/" in result.stdout and "正在运行" in result.stdout
    assert "127.0.0.1:8000/" not in result.stdout

    server.send_signal(signal.SIGINT)  # Ctrl-C: the preview stops and says so; `new` falls back to the default
    server.wait(timeout=60)
    assert not (root / ".cache" / "exemplars" / "preview.json").exists()
    after = cli(*new, *"--title 另一个测试故事的标题 --date 2020-04-13 --id lingyi-2020".split())
    assert "http://127.0.0.1:8000/stories/lingyi-2020/" in after.stdout and "默认端口" in after.stdout
