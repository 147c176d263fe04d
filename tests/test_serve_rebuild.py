"""`mkdocs serve` rebuilds only the pages whose inputs changed (plugin: _write_changed_pages). These drive the
plugin through two serve-mode builds in-process, as `mkdocs serve --dirty` does after a save, and check that the
pages showing the edit are rewritten and the others are not."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from conftest import CITING_STORY
from mkdocs.commands.build import build
from mkdocs.config import load_config
from sitebuild import make_project, page, parse

from exemplars.check import check_library
from exemplars.library import load_library


@pytest.fixture
def serve_session(library_copy, tmp_path):
    """(library root, site folder, rebuild()): one plugin instance across rebuilds, as under `mkdocs serve`."""
    root = library_copy({"stories/henan/yinyong-2022.md": CITING_STORY})
    config = load_config(config_file=str(make_project(root)), site_dir=str(tmp_path / "site"))
    config.plugins["exemplars"].config.search = False  # the background index is not what this is about
    config.plugins.on_startup(command="serve", dirty=True)
    yield root, Path(config.site_dir), lambda: build(config, dirty=True)
    config.plugins.on_shutdown()


def retitle(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_page_citing_a_story_shows_the_cited_storys_new_title(serve_session):
    """The citing story shares no method or province with the cited one: only its body shows the title."""
    root, site, rebuild = serve_session
    rebuild()
    citing = page(site, "stories/yinyong-2022/")
    assert "某村干部截留补助被查处" in parse(citing).select_one(".ex-story__body").get_text()
    assert "jieliu-2019" not in str(parse(citing).select_one(".ex-related") or "")
    retitle(root / "stories/henan/jieliu-2019.md", "某村干部截留补助被查处", "某村干部截留救灾款被查处")
    rebuild()
    body = parse(citing).select_one(".ex-story__body").get_text()
    assert "某村干部截留救灾款被查处" in body and "某村干部截留补助被查处" not in body
    assert "某村干部截留救灾款被查处" in parse(page(site, "stories/jieliu-2019/")).select_one("h1").get_text()


def test_a_rebuild_with_nothing_changed_rewrites_no_story_page(serve_session):
    root, site, rebuild = serve_session
    rebuild()
    ids = {story.id for story in load_library(root).stories}  # not the alias redirects, made anew each build
    before = {
        path: path.stat().st_mtime_ns for path in (site / "stories").glob("*/index.html") if path.parent.name in ids
    }
    assert len(before) >= 4
    rebuild()
    assert {path: path.stat().st_mtime_ns for path in before} == before


def _break_front_matter(path: Path) -> None:
    """An unclosed quote in the title (a story's or a method's name): the file no longer loads at all."""
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith(("title:", "name:")))
    lines[at] = lines[at].split(":", 1)[0] + ': "没有结束的引号'
    path.write_text("\n".join(lines), encoding="utf-8")


def _file_errors(root: Path, rel: str) -> list:
    return [d for d in check_library(load_library(root)) if d.path == rel and d.is_error]


LESSON = """---
id: ceshi-kecheng
title: 测试课程：调解与查处
audience: 村（社区）干部
duration: 60
methods: [minzhu-xieshang, jiaoyu-shudao]
stories:
  - hezuo-tiaojie-2021
  - jieliu-2019
objectives:
  - 能说出调解的三个步骤
questions:
  - 截留补助为什么一定要查处？
status: published
summary: 一个调解案例和一个查处案例，对照讲授。
author: 周文澜
---
## 课程流程

1. 先讲[[story:hezuo-tiaojie-2021]]。
2. 再讲[[story:jieliu-2019]]。
"""


@pytest.mark.parametrize(
    "rel, url, heading",
    [
        ("stories/henan/jieliu-2019.md", "stories/jieliu-2019/", "某村干部截留补助被查处"),
        ("methods/weimin-mouli.md", "methods/weimin-mouli/", None),
        ("lessons/ceshi-kecheng.md", "lessons/ceshi-kecheng/", "测试课程：调解与查处"),
        ("lessons/ceshi-kecheng.md", "lessons/ceshi-kecheng/handout/", None),
    ],
)
def test_a_page_whose_file_broke_says_it_is_stale_and_why(serve_session, rel, url, heading):
    root, site, rebuild = serve_session
    (root / "lessons").mkdir(exist_ok=True)
    (root / "lessons/ceshi-kecheng.md").write_text(LESSON, encoding="utf-8")
    rebuild()
    before = parse(page(site, url))
    heading = heading or before.select_one("h1").get_text(strip=True)
    assert before.select_one(".ex-stale") is None and before.select_one(".ex-announce") is None
    original = (root / rel).read_text(encoding="utf-8")

    _break_front_matter(root / rel)
    errors = _file_errors(root, rel)
    assert errors, "the edit must break the file"
    rebuild()
    stale = parse(page(site, url))
    assert stale.select_one("h1").get_text(strip=True) == heading, "the last good version is still shown"
    notice = stale.select_one(".ex-stale")
    assert notice is not None and "已过期" in notice.get_text() and "上次" in notice.get_text()
    for diag in errors:  # why: every error of the file, with its line
        assert f"{diag.path}:{diag.line}" in notice.get_text() and diag.code in notice.get_text()
    assert any(a["href"].rstrip("/").endswith("_errors") for a in notice.select("a[href]"))
    assert stale.select_one(".ex-announce") is not None, "the page shows the preview banner like every other"

    (root / "stories/henan/hezuo-tiaojie-2021.md").touch()  # another save while the file is still broken
    rebuild()
    again = parse(page(site, url))
    assert again.select_one(".ex-stale") is not None and again.select_one("h1").get_text(strip=True) == heading

    (root / rel).write_text(original, encoding="utf-8")  # fixed: the page is the file's own again
    rebuild()
    fixed = parse(page(site, url))
    assert fixed.select_one(".ex-stale") is None and fixed.select_one(".ex-announce") is None
    assert fixed.select_one("h1").get_text(strip=True) == heading


def test_a_file_broken_before_the_first_build_has_no_page_and_is_listed_on_the_errors_page(serve_session):
    """There is no last good version to show: the page is missing (404) and /_errors/ names the file and line."""
    root, site, rebuild = serve_session
    rel = "stories/henan/jieliu-2019.md"
    _break_front_matter(root / rel)
    rebuild()
    assert not page(site, "stories/jieliu-2019/").exists()
    listed = parse(page(site, "_errors/")).get_text()
    for diag in _file_errors(root, rel):
        assert f"{diag.path}:{diag.line}" in listed


def test_a_story_deleted_while_broken_is_not_shown_stale(serve_session):
    root, site, rebuild = serve_session
    rebuild()
    rel = "stories/henan/jieliu-2019.md"
    _break_front_matter(root / rel)
    rebuild()
    assert parse(page(site, "stories/jieliu-2019/")).select_one(".ex-stale") is not None
    (root / rel).unlink()
    rebuild()
    path = page(site, "stories/jieliu-2019/")
    assert not path.exists() or parse(path).select_one(".ex-stale") is None


def test_the_dirty_build_warning_is_one_chinese_line(serve_session, caplog):
    """MkDocs warns in English on every `--dirty` build; the preview says once, in Chinese, why it builds so."""
    root, site, rebuild = serve_session
    caplog.set_level(logging.INFO)
    rebuild()
    (root / "stories/henan/jieliu-2019.md").touch()
    rebuild()
    from_build = [r for r in caplog.records if r.name == "mkdocs.commands.build"]
    assert "'dirty'" not in caplog.text and not [r for r in from_build if r.levelno >= logging.WARNING]
    notes = [r for r in from_build if "mkdocs serve --dirty" in r.getMessage()]
    assert len(notes) == 1 and "make site" in notes[0].getMessage()


@pytest.mark.parametrize(
    "old, new",
    [
        ("date: 2019-09-10", "date: 2019-13-45"),  # loads, but a required value is invalid
        ("kind: cautionary", "kind: 反面"),
        ("---\nid: jieliu-2019", "id: jieliu-2019"),  # no front matter any more
    ],
)
def test_any_breaking_save_leaves_a_page_that_says_why(serve_session, old, new):
    """Whatever the save broke, the story's page either still builds (with its problems shown) or is stale."""
    root, site, rebuild = serve_session
    rebuild()
    rel = "stories/henan/jieliu-2019.md"
    retitle(root / rel, old, new)
    errors = _file_errors(root, rel)
    assert errors
    rebuild()
    shown = parse(page(site, "stories/jieliu-2019/"))
    box = shown.select_one(".ex-stale") or shown.select_one(".ex-problems")
    assert box is not None
    for diag in errors:
        assert f"{diag.path}:{diag.line}" in box.get_text() and diag.code in box.get_text()
