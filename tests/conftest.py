"""Shared test helpers: fixture libraries copied into temp dirs, and the real CLI run as a subprocess."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures"


@pytest.fixture
def library_copy(tmp_path: Path):
    """A fresh copy of the small fixture library; call it with {relative path: text or bytes} to add files."""

    def make(extra: dict[str, str | bytes] | None = None, source: Path = FIXTURES / "library") -> Path:
        root = tmp_path / "lib"
        if not root.exists():
            shutil.copytree(source, root)
        for rel, content in (extra or {}).items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return root

    return make


def run_cli(*args: str, cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "exemplars", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        input=stdin if stdin is not None else "",
        env=env,
        timeout=120,
    )


def ctrl_c_works() -> None:
    """Popen's preexec_fn for a child the test stops with SIGINT, as Ctrl-C in a terminal would.

    A shell starting pytest in the background (`make test &`, CI runners) makes it ignore SIGINT, children inherit
    that, and Python then never raises KeyboardInterrupt: the child would only ever die of the test's timeout.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture(scope="module")
def library():
    """The repository's sample library as the checker loads it (a module that needs another library overrides this)."""
    from exemplars.library import load_library

    return load_library(REPO)


# Browser fixtures live in tests/browser.py and are registered here once, so every test module shares one
# Playwright session (two sync Playwright sessions cannot run at the same time).
from browser import browser, chromium_path  # noqa: E402,F401

EIGHTH_METHOD = (
    "---\nid: shidian-yinlu\nname: 试点引路法\norder: 8\nsummary: 先在一处试点，再用看得见的成效带动面上推开。\n"
    "aliases: [试点引路]\n---\n## 是什么\n\n测试用的第八个方法。\n"
)


def add_eighth_method(root: Path) -> str:
    """Add a method the code has never heard of, and one published story using it (by alias); returns its id.

    Methods are data: the checker, the model, the site and the search must all pick it up from the file alone.
    """
    (root / "methods" / "shidian-yinlu.md").write_text(EIGHTH_METHOD, encoding="utf-8")
    story = (REPO / "stories" / "zhejiang" / "banden-yishihui-2019.md").read_text(encoding="utf-8")
    story = story.replace("id: banden-yishihui-2019", "id: shidian-2019").replace("  - weimin-mouli", "  - 试点引路")
    (root / "stories" / "shidian-2019.md").write_text(story, encoding="utf-8")
    return "shidian-yinlu"


# A published story whose body cites the fixture library's jieliu-2019 as a card and inline; it shares no method
# and no province with it, so only its body shows the cited story.
CITING_STORY = """---
id: yinyong-2022
title: 引用另一个故事的故事
kind: exemplar
methods: [minzhu-xieshang]
summary: 正文里插入另一个故事的卡片。
region: 浙江省/湖州市
date: 2022-05-06
status: published
sources:
  - title: 虚构示例：测试用故事
reviewed_by: 周文澜
---
## 经过

先看这个反面案例：

[[story:jieliu-2019]]

再看正文里的行内引用[[story:jieliu-2019]]。
"""
