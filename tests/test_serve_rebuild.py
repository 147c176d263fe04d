"""`mkdocs serve` rebuilds only the pages whose inputs changed (plugin: _write_changed_pages). These drive the
plugin through two serve-mode builds in-process, as `mkdocs serve --dirty` does after a save, and check that the
pages showing the edit are rewritten and the others are not."""
from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from exemplars.library import load_library
from sitebuild import make_project, page, parse

CITING = """---
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


@pytest.fixture
def serve_session(library_copy, tmp_path):
    """(library root, site folder, rebuild()): one plugin instance across rebuilds, as under `mkdocs serve`."""
    root = library_copy({"stories/henan/yinyong-2022.md": CITING})
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
    before = {path: path.stat().st_mtime_ns for path in (site / "stories").glob("*/index.html")
              if path.parent.name in ids}
    assert len(before) >= 4
    rebuild()
    assert {path: path.stat().st_mtime_ns for path in before} == before
