"""Search shards built on separate machines and assembled (README 大型故事库): what a CI matrix does.

One project is copied into four folders. A and B each run `mkdocs build` in their own process with
`search_part` 1/2 and 2/2 (through an environment variable and mkdocs.yml's `!ENV`, as a matrix job sets it);
their `.cache/exemplars/search/` folders are copied together into C's, and C builds with no part: it must index
no shard itself and give a search bundle byte-identical to D's, a plain build on one machine with a fresh cache.
C's variable is set but empty (a job outside the matrix), D's is not set: both mean every shard. A part build must
say that its own site's search is partial, and its site must not pretend otherwise: it has no search bundle (its
shards wait in its cache for the assembling build). A wrong part is refused before the build.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from sitebuild import make_project

from exemplars.search.sharded import MERGED

MKDOCS = Path(sys.executable).with_name("mkdocs")
PART_VARIABLE = "EXEMPLARS_SEARCH_PART"
OPTIONS = f"""  - exemplars:
      search_shard_size: 1
      search_part: !ENV [{PART_VARIABLE}, ""]
"""


def start(project: Path, part: str | None) -> subprocess.Popen:
    """`mkdocs build --strict` of `project` in a process of its own, `part` in the environment (None: unset)."""
    env = {k: v for k, v in os.environ.items() if k != PART_VARIABLE}
    env["NO_MKDOCS_2_WARNING"] = "1"
    if part is not None:
        env[PART_VARIABLE] = part
    return subprocess.Popen(
        [str(MKDOCS), "build", "--strict", "-f", str(project / "mkdocs.yml")],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish(build: subprocess.Popen) -> str:
    """The build's log; fails the test when the build failed."""
    log, _ = build.communicate(timeout=600)
    assert build.returncode == 0, log
    return log


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def cached_shards(project: Path) -> set[str]:
    """The shards in a project's search cache (each finished entry's `done` file names its shard; the merged
    bundle's says MERGED)."""
    done = (project / ".cache/exemplars/search").glob("*/done")
    return {text for text in (path.read_text(encoding="utf-8") for path in done) if text != MERGED}


def plan_order(names: set[str]) -> list[str]:
    """Shard names in the plan's order (search/shards.py): periods newest first (a name ends with its period's
    last day; pieces of one day, `-h…`, by name)."""
    return sorted(names, key=lambda name: (-int(name.split("-")[1]), name))


def shard_names(project: Path) -> list[str]:
    return plan_order(cached_shards(project))


def summary(log: str) -> str:
    lines = [line for line in log.splitlines() if "搜索索引：" in line]
    assert len(lines) == 1, log
    return lines[0]


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    base = tmp_path_factory.mktemp("assemble")
    source = base / "source"
    shutil.copytree(FIXTURES / "library", source)
    config = make_project(source)
    text = config.read_text(encoding="utf-8")
    assert "  - exemplars\n" in text
    config.write_text(text.replace("  - exemplars\n", OPTIONS), encoding="utf-8")
    projects = {name: base / name for name in "ABCD"}
    for project in projects.values():
        shutil.copytree(source, project)
    # A and B: the matrix's two jobs; D: the one-machine build to compare with. Each its own process and folder.
    running = {"A": start(projects["A"], "1/2"), "B": start(projects["B"], "2/2"), "D": start(projects["D"], None)}
    logs = {name: finish(build) for name, build in running.items()}
    # The assembling job: both jobs' caches copied into its own, then a build with the variable empty.
    for name in "AB":
        shutil.copytree(
            projects[name] / ".cache/exemplars/search", projects["C"] / ".cache/exemplars/search", dirs_exist_ok=True
        )
    logs["C"] = finish(start(projects["C"], ""))
    return projects, logs


def test_the_fixture_has_enough_shards_for_each_part_to_have_two(builds):
    projects, _ = builds
    names = shard_names(projects["D"])
    assert len(names) >= 4, names
    assert (projects["D"] / "site/pagefind/pagefind-entry.json").is_file()


def test_each_part_indexes_every_other_shard_into_its_own_cache(builds):
    projects, logs = builds
    names = shard_names(projects["D"])
    assert cached_shards(projects["A"]) == set(names[0::2])
    assert cached_shards(projects["B"]) == set(names[1::2])
    assert f"重新索引 {len(names[0::2])} 个分片" in summary(logs["A"])
    assert f"重新索引 {len(names[1::2])} 个分片" in summary(logs["B"])


def test_the_assembled_build_indexes_nothing_and_matches_a_one_machine_build(builds):
    projects, logs = builds
    assert "重新索引 0 个分片" in summary(logs["C"]), summary(logs["C"])
    assembled, alone = files(projects["C"] / "site/pagefind"), files(projects["D"] / "site/pagefind")
    assert sorted(assembled) == sorted(alone)
    different = [name for name in alone if assembled[name] != alone[name]]
    assert not different, different
    # and so is the rest of the site: nothing in it depends on where its shards were indexed
    assembled, alone = files(projects["C"] / "site"), files(projects["D"] / "site")
    assert sorted(assembled) == sorted(alone)
    assert [name for name in alone if assembled[name] != alone[name]] == []
    assert "留给其他机器" not in logs["C"] and "不完整" not in logs["C"]


def test_the_one_machine_build_indexes_every_shard(builds):
    projects, logs = builds
    names = shard_names(projects["D"])
    assert f"搜索索引：{len(names)} 个分片" in summary(logs["D"])
    assert f"重新索引 {len(names)} 个分片" in summary(logs["D"])
    assert "留给其他机器" not in logs["D"]


@pytest.mark.parametrize(("part", "mine", "theirs"), [("A", 0, 1), ("B", 1, 0)])
def test_a_part_build_says_its_search_is_partial_and_has_no_search_bundle(builds, part, mine, theirs):
    projects, logs = builds
    names = shard_names(projects["D"])
    left = names[theirs::2]
    line = summary(logs[part])
    assert f"{len(left)} 个分片留给其他机器" in line, line
    assert "不完整" in line and "不要发布" in line and ".cache/exemplars/search" in line, line
    assert cached_shards(projects[part]) == set(names[mine::2])
    assert not (projects[part] / "site/pagefind").exists(), "a part build's site has no search bundle to publish"


@pytest.mark.parametrize("value", ["3/2", "0/2", "一/二"])
def test_a_wrong_part_in_the_environment_names_the_line_and_what_it_takes(library_copy, caplog, monkeypatch, value):
    config = make_project(library_copy())
    config.write_text(config.read_text(encoding="utf-8").replace("  - exemplars\n", OPTIONS), encoding="utf-8")
    monkeypatch.setenv(PART_VARIABLE, value)
    caplog.set_level(logging.ERROR, logger="mkdocs")
    with pytest.raises(Abort):
        load_config(config_file=str(config))
    errors = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)
    line = config.read_text(encoding="utf-8").splitlines().index(f'      search_part: !ENV [{PART_VARIABLE}, ""]') + 1
    assert f"mkdocs.yml:{line}: 错误：exemplars 插件的设置 `search_part` 是 “{value}”，应为“第几份/共几份”" in errors
    assert "要改的是那个环境变量" in errors and "用默认值（空）" in errors
