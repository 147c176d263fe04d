"""The editors' workflow: review rules, `status`, `stats` and its charts, `check --watch`, the pre-commit hook,
the CI workflow files, and a new editor's first story from `exemplars new` to `exemplars status`."""

from __future__ import annotations

import datetime as dt
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, REPO, ctrl_c_works
from lxml import etree

from exemplars.check import check_library
from exemplars.library import load_library
from exemplars.messages import codes_table
from exemplars.site.charts import STYLESHEET, ThemeColourError, svg_bars, svg_heatmap, svg_line, theme_colour
from exemplars.site.stats import dashboard
from exemplars.stats import figures, years_before
from exemplars.status import pending

BIN = Path(sys.executable).parent
SVG_NS = "{http://www.w3.org/2000/svg}"
COLOUR = "#2a6f97"  # any colour: the charts paint with the one they are given
GOOD_REVIEW = """---
id: {id}
title: {title}
kind: exemplar
methods: [minzhu-xieshang]
summary: 社区用议事会商定了停车办法，三个月后投诉减少一半。
region: 浙江省/杭州市/西湖区
date: 2022-05-01
status: {status}
author: 林晓
sources:
  - title: 虚构示例：测试用来源
---
## 做法

居民分三次议定了办法。
"""


def git(root: Path, *args: str, date: str | None = None) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "测试",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "测试",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{date}T12:00:00+08:00"
    return subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True).stdout


def git_repo(root: Path) -> Path:
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "commit.gpgsign", "false")
    return root


# --- review rules -------------------------------------------------------------------------------------------
def test_review_rules(library_copy):
    target = "stories/zhejiang/case.md"
    text = GOOD_REVIEW.format(id="case-2022", title="测试", status="published").replace(
        "sources:", "published: 2022-06-01\nsources:"
    )  # the reviewer dates the publication (guide, review step)
    cases = {
        text: [("E-REVIEW-MISSING", 9)],
        text.replace("author: 林晓", "author: 林晓\nreviewed_by: 周文澜").replace("published: 2022-06-01\n", ""): [
            ("W-PUBLISHED-MISSING", 9)
        ],
        text.replace("author: 林晓", "author: 林晓\nreviewed_by: 周文澜"): [],
        text.replace("author: 林晓", "author: 林晓\nreviewed_by: ' 林 晓 '"): [("E-REVIEW-SELF", 11)],
        text.replace("status: published", "status: review"): [],  # in review nobody has reviewed it yet
        text.replace("status: published", "status: draft"): [],
        text.replace("author: 林晓\n", "reviewed_by: 周文澜\n"): [],  # no author named: nothing to compare
    }
    for content, expected in cases.items():
        root = library_copy({target: content})
        diags = [d for d in check_library(load_library(root)) if d.path == target]
        assert [(d.code, d.line) for d in diags] == expected, content


def test_readme_lists_every_code():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert codes_table() in readme, "README 的检查代码表已过时：用 `exemplars codes` 的输出替换"
    assert "`E-REVIEW-MISSING`" in readme and "`E-REVIEW-SELF`" in readme


# --- exemplars status ----------------------------------------------------------------------------------------
def test_status_lists_review_stories_oldest_first_with_commit_dates(library_copy, cli):
    root = git_repo(library_copy())
    git(root, "add", "-A")
    git(root, "commit", "-qm", "fixture library", date="2023-01-10")
    newer = root / "stories" / "zhejiang" / "newer-2022.md"
    newer.write_text(GOOD_REVIEW.format(id="newer-2022", title="较新的待审故事", status="review"), encoding="utf-8")
    git(root, "add", str(newer))
    git(root, "commit", "-qm", "newer", date="2024-03-05")
    older = root / "stories" / "henan" / "older-2022.md"
    older.write_text(GOOD_REVIEW.format(id="older-2022", title="较早的待审故事", status="review"), encoding="utf-8")
    git(root, "add", str(older))
    git(root, "commit", "-qm", "older", date="2023-11-20")
    loose = root / "stories" / "zhejiang" / "loose-2022.md"
    loose.write_text(GOOD_REVIEW.format(id="loose-2022", title="还没提交的故事", status="review"), encoding="utf-8")

    result = cli("status", "--root", str(root))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "待审（review）的故事：3 篇" in lines[0]
    rows = [line for line in lines if line.startswith(("20", "未提交"))]
    assert [row.split()[0] for row in rows] == ["2023-11-20", "2024-03-05", "未提交"]
    assert "older-2022" in rows[0] and "较早的待审故事" in rows[0] and "林晓" in rows[0]
    assert "stories/henan/older-2022.md" in rows[0]
    assert "loose-2022" in rows[2]
    assert "draft-caogao-2024" not in result.stdout  # drafts only with --all

    every = json.loads(cli("status", "--root", str(root), "--all", "--format", "json").stdout)
    assert [(i["id"], i["status"], i["since"]) for i in every] == [
        ("draft-caogao-2024", "draft", "2023-01-10"),
        ("older-2022", "review", "2023-11-20"),
        ("newer-2022", "review", "2024-03-05"),
        ("loose-2022", "review", None),
    ]
    assert every[-1]["since_source"] == "untracked" and every[1]["path"] == "stories/henan/older-2022.md"


def test_status_works_outside_git(library_copy, cli, tmp_path):
    root = library_copy(
        {"stories/zhejiang/wait-2022.md": GOOD_REVIEW.format(id="wait-2022", title="等待审核", status="review")}
    )
    if subprocess.run(["git", "rev-parse"], cwd=root, capture_output=True).returncode == 0:
        pytest.skip("the temporary folder is itself inside a git work tree")
    items = pending(load_library(root))
    assert [(p.id, p.source) for p in items] == [("wait-2022", "mtime")]
    assert items[0].since == dt.date.fromtimestamp((root / items[0].path).stat().st_mtime)
    result = cli("status", "--root", str(root))
    assert result.returncode == 0 and "wait-2022" in result.stdout and "文件时间" in result.stdout
    as_json = cli("status", "--root", str(root), "--format", "json")
    assert json.loads(as_json.stdout)[0]["since_source"] == "mtime"


def test_status_with_nothing_in_review(tmp_path, cli):
    root = tmp_path / "lib"
    shutil.copytree(FIXTURES / "library", root)
    result = cli("status", "--root", str(root))
    assert result.returncode == 0 and result.stdout.strip() == "没有待审（review）的故事。"


# --- stats ------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sample():
    return load_library(REPO)


def test_stats_figures_match_an_independent_count(sample):
    fig = figures(sample)
    published = [s for s in sample.stories if s.status == "published"]
    assert fig.total == len(published) >= 30
    pairs = Counter()
    for story in published:
        for method in set(story.methods):
            pairs[(method, story.kind)] += 1
    assert {(row.id, kind): n for row in fig.methods for kind, n in row.counts.items() if n} == dict(pairs)
    assert [row.id for row in fig.methods] == [m.id for m in sample.methods]
    assert dict(fig.provinces) == Counter(s.region[0] for s in published)
    counts = [n for _, n in fig.provinces]
    assert counts == sorted(counts, reverse=True)
    years = Counter(s.date.year for s in published)
    assert dict(fig.years) == {y: years.get(y, 0) for y in range(min(years), max(years) + 1)}
    assert {kind: n for kind, n in fig.kinds.items() if n} == dict(Counter(s.kind for s in published))

    newest = max(s.date for s in published)
    assert fig.reference_date == newest  # never the wall clock
    cutoff = dt.date(newest.year - 5, newest.month, 28 if (newest.month, newest.day) == (2, 29) else newest.day)
    assert {s.id for s in fig.stale} == {s.id for s in published if s.date < cutoff and s.updated is None}
    assert {s.id for s in fig.single_source} == {s.id for s in published if len(s.sources) == 1}
    assert {r.id for r in fig.no_cautionary} == {m.id for m in sample.methods if not pairs[(m.id, "cautionary")]}
    assert {r.id for r in fig.few_exemplars} == {m.id for m in sample.methods if pairs[(m.id, "exemplar")] < 3}
    assert {r.id for r in figures(sample, min_exemplars=100).few_exemplars} == {m.id for m in sample.methods}


def test_stats_gaps_and_reference_date_on_the_fixture_library():
    library = load_library(FIXTURES / "library")
    fig = figures(library)
    assert fig.total == 3 and fig.reference_date == dt.date(2021, 3, 2)
    assert fig.stale == []  # nothing older than 2016-03-02
    assert [r.id for r in fig.no_cautionary] == ["minzhu-xieshang"]
    assert {r.id for r in fig.few_exemplars} == {m.id for m in library.methods}
    later = figures(library, reference_date=dt.date(2025, 1, 1))
    assert later.stale_before == dt.date(2020, 1, 1)
    assert [s.id for s in later.stale] == ["qingshi-yishihui-2019", "jieliu-2019"]
    assert years_before(dt.date(2024, 2, 29), 5) == dt.date(2019, 2, 28)


def test_stats_command_text_and_json(cli):
    root = str(FIXTURES / "library")
    text = cli("stats", "--root", root)
    assert text.returncode == 0, text.stderr
    assert "已发布的故事：3 篇（正面典型 2 篇，反面典型 1 篇）" in text.stdout
    assert re.search(r"^民主协商法\s+1\s+0\s+1$", text.stdout, re.M), text.stdout
    assert "没有反面典型：民主协商法" in text.stdout
    as_json = cli("stats", "--root", root, "--format", "json", "--reference-date", "2025-01-01")
    data = json.loads(as_json.stdout)
    assert data["reference_date"] == "2025-01-01" and data["total"] == 3
    assert [s["id"] for s in data["stale"]] == ["qingshi-yishihui-2019", "jieliu-2019"]
    assert {p["name"]: p["count"] for p in data["provinces"]} == {"河南省": 2, "浙江省": 1}
    again = cli("stats", "--root", root, "--format", "json", "--reference-date", "2025-01-01")
    assert again.stdout == as_json.stdout
    bad = cli("stats", "--root", root, "--reference-date", "2025-02-30")
    assert bad.returncode == 2 and "日期" in bad.stderr and "Traceback" not in bad.stderr


def svg_tree(svg: str):
    return etree.fromstring(svg.encode("utf-8"))


def assert_accessible(root, title: str) -> list[str]:
    assert root.tag == f"{SVG_NS}svg" and root.get("role") == "img"
    assert root.find(f"{SVG_NS}title").text == title
    labelled = root.get("aria-labelledby").split()
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    assert set(labelled) <= ids
    assert not root.findall(f".//{SVG_NS}script") and not root.findall(f".//{SVG_NS}foreignObject")
    for el in root.iter():
        for name, value in el.attrib.items():
            assert "href" not in name and not name.startswith("on"), (el.tag, name)
            assert "url(" not in value and "javascript:" not in value
    return [t.text for t in root.iter(f"{SVG_NS}text")]


def test_svg_charts_are_accessible_labelled_and_deterministic(sample):
    board = dashboard(sample, COLOUR)
    methods, provinces, years = (svg_tree(getattr(board.svg, k)) for k in ("methods", "provinces", "years"))
    texts = assert_accessible(methods, "各方法的正面典型与反面典型数量")
    assert {"正面典型", "反面典型", *(m.name for m in sample.methods)} <= set(texts)
    first = board.figures.methods[0]
    assert str(first.counts["exemplar"]) in texts
    texts = assert_accessible(provinces, "各省份已发布的故事数量")
    assert [t for t in texts if not t.isdigit()] == [name for name, _ in board.figures.provinces]
    texts = assert_accessible(years, "各年份的故事数量（按发生日期）")
    assert {str(y) for y, _ in board.figures.years} <= set(texts)
    assert dashboard(sample, COLOUR).svg == board.svg  # byte-for-byte stable
    assert len({el.get("id") for el in (methods, provinces, years)}) == 3  # one page can hold all three
    painted = {
        el.get(name) for tree in (methods, provinces, years) for el in tree.iter() for name in ("fill", "stroke")
    }
    assert painted - {None, "currentColor", "none", "#ffffff"} == {COLOUR}


def test_svg_functions_escape_and_handle_empty_input():
    svg = svg_bars([("<甲&乙>", 2), ("丙", 0)], title="a < b", colour=COLOUR)
    tree = svg_tree(svg)
    assert_accessible(tree, "a < b")
    assert "<甲&乙>" in [t.text for t in tree.iter(f"{SVG_NS}text")]
    empties = (
        svg_bars([], "空", colour=COLOUR),
        svg_line([], "空", colour=COLOUR),
        svg_heatmap([], ["正面典型"], [], "空", colour=COLOUR),
    )
    for empty in empties:
        assert_accessible(svg_tree(empty), "空")
    one = svg_tree(svg_line([("2020", 3)], "一年", colour=COLOUR))
    assert [t.text for t in one.iter(f"{SVG_NS}text")] == ["3", "2020"]
    crowded = svg_tree(svg_line([(str(2000 + i), i) for i in range(30)], "三十年", colour=COLOUR))
    labels = [t.text for t in crowded.iter(f"{SVG_NS}text") if len(t.text) == 4]
    assert "2000" in labels and "2029" in labels and len(labels) < 30
    zeros = svg_tree(svg_heatmap(["方法"], ["正面典型", "反面典型"], [[0, 0]], "全零", colour=COLOUR))
    assert [t.text for t in zeros.iter(f"{SVG_NS}text")].count("0") == 2


def test_dashboard_hands_a_template_what_it_needs(sample):
    board = dashboard(sample, COLOUR, reference_date=dt.date(2030, 1, 1))
    assert board.reference_date == dt.date(2030, 1, 1) and board.stale_before == dt.date(2025, 1, 1)
    assert all(s.url.startswith("stories/") for s in board.stale)
    fig = board.figures
    assert (board.total, board.min_exemplars, board.stale, board.single_source) == (
        fig.total,
        fig.min_exemplars,
        fig.stale,
        fig.single_source,
    )
    assert (board.no_cautionary, board.few_exemplars, board.by_source_count) == (
        fig.no_cautionary,
        fig.few_exemplars,
        fig.by_source_count,
    )
    assert board.single_source_share == fig.single_source_share
    template = (REPO / "overrides" / "exemplars" / "stats.html").read_text(encoding="utf-8")
    used = set(re.findall(r"\bd\.([a-z_]+)", template))  # every name the page reads from its view model
    assert used and all(hasattr(board, name) for name in used), sorted(used)


def test_charts_take_the_theme_colour_from_its_stylesheet(tmp_path):
    css = (REPO / "overrides" / STYLESHEET).read_text(encoding="utf-8")
    declared = re.search(r"--md-primary-fg-color:\s*([^;]+);", css).group(1)
    assert theme_colour(REPO / "overrides") == declared
    theme = tmp_path / "theme"
    stylesheet = theme / STYLESHEET
    stylesheet.parent.mkdir(parents=True)
    stylesheet.write_text(":root {\n  --md-primary-fg-color--light: #ffffff;\n  --md-primary-fg-color: #0a5;\n}\n")
    assert theme_colour(theme) == "#0a5"  # not the --light variant declared before it
    stylesheet.write_text(":root {\n  --md-primary-fg-color: var(--brand);\n}\n")
    with pytest.raises(
        ThemeColourError, match=r"exemplars\.css:2：--md-primary-fg-color 的值“var\(--brand\)”不是十六进制颜色"
    ):
        theme_colour(theme)
    stylesheet.write_text(":root { --md-accent-fg-color: #c0392b; }\n")
    with pytest.raises(ThemeColourError, match=r"exemplars\.css：没有声明 --md-primary-fg-color"):
        theme_colour(theme)
    with pytest.raises(ThemeColourError, match=r"nothing.*无法读取主题样式表"):
        theme_colour(tmp_path / "nothing")
    with pytest.raises(ThemeColourError, match=r"mkdocs\.yml：theme 没有 custom_dir"):
        theme_colour(None)


# --- check --format github -------------------------------------------------------------------------------------
def test_github_annotations(library_copy, cli):
    root = library_copy(
        {
            "stories/zhejiang/a.md": (FIXTURES / "bad" / "published-self-reviewed.md").read_bytes(),
            "stories/zhejiang/b.md": (FIXTURES / "bad" / "invalid-date.md").read_bytes(),
            "stories/zhejiang/c.md": (FIXTURES / "bad" / "region-spelling.md").read_bytes(),
        }
    )
    result = cli("check", "--root", str(root), "--format", "github")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines
    pattern = re.compile(r"^::(error|warning) file=[^,:]+,line=[1-9][0-9]*,title=[EW]-[A-Z-]+::\S.*$")
    assert all(pattern.match(line) for line in lines), lines
    assert "::error file=stories/zhejiang/a.md,line=11,title=E-REVIEW-SELF::" in result.stdout
    assert "::error file=stories/zhejiang/b.md,line=8,title=E-DATE-INVALID::" in result.stdout
    assert "::warning file=stories/zhejiang/c.md,line=7,title=W-REGION-SPELLING::" in result.stdout


# --- CI and editor files ---------------------------------------------------------------------------------------
def load_yaml(rel: str) -> dict:
    return yaml.safe_load((REPO / rel).read_text(encoding="utf-8"))


def steps_of(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def triggers(workflow: dict) -> dict:
    return workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true


def test_github_pull_request_workflow():
    workflow = load_yaml(".github/workflows/check.yml")
    assert "pull_request" in triggers(workflow)
    steps = steps_of(workflow)
    runs = [step.get("run", "") for step in steps]
    uses = [step.get("uses", "") for step in steps]
    order = [
        next(i for i, r in enumerate(runs) if needle in r)
        for needle in ("pip install", "exemplars check --format github", "mkdocs build --strict")
    ]
    assert order == sorted(order)
    upload = next(step for step in steps if step.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"].rstrip("/") == "site"
    assert steps.index(upload) > order[-1]
    assert any(u.startswith("actions/checkout@") for u in uses)
    assert workflow["permissions"] == {"contents": "read"}


def test_github_publish_workflow():
    workflow = load_yaml(".github/workflows/publish.yml")
    assert triggers(workflow)["push"]["branches"] == ["main"]
    assert workflow["permissions"]["pages"] == "write" and workflow["permissions"]["id-token"] == "write"
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    runs = " ".join(step.get("run", "") for step in build["steps"])
    assert "exemplars check --format github" in runs and "mkdocs build --strict" in runs
    pages = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert pages["with"]["path"].rstrip("/") == "site"
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])


def test_gitlab_pipeline():
    pipeline = load_yaml(".gitlab-ci.yml")
    assert "exemplars check" in " ".join(pipeline["check"]["script"])
    build = pipeline["build"]
    assert "mkdocs build --strict" in " ".join(build["script"])
    assert build["artifacts"]["paths"] == ["site/"]
    assert any("merge_request_event" in rule["if"] for rule in build["rules"])
    pages = pipeline["pages"]
    assert "--site-dir public" in " ".join(pages["script"]) and pages["artifacts"]["paths"] == ["public"]
    assert pages["rules"] == [{"if": '$CI_COMMIT_BRANCH == "main"'}]
    assert "-c constraints.txt" in " ".join(pipeline["default"]["before_script"])


def test_pre_commit_config_and_vscode_settings():
    hook = load_yaml(".pre-commit-config.yaml")["repos"][0]["hooks"][0]
    assert hook["language"] == "system" and hook["pass_filenames"] is True
    files = re.compile(hook["files"])
    assert files.search("stories/zhejiang/a.md") and files.search("methods/x.md") and files.search("lessons/l.md")
    assert not files.search("docs/contribute.md") and not files.search("stories/images/a.png")
    text = (REPO / ".vscode" / "settings.json").read_text(encoding="utf-8")
    settings = json.loads("\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//")))
    assert "./.vscode/story.schema.json" in settings["yaml.schemas"]
    assert "exemplars schema -o .vscode/story.schema.json" in text and "front matter" in text


def test_pull_request_template_and_contributing():
    template = (REPO / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    for words in ("来源", "同意", "某某", "地市级", "身份证号", "手机号", "exemplars check", "reviewed_by"):
        assert words in template, words
    assert template.count("- [ ]") >= 6
    contributing = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "投稿指南" in contributing and "(docs/contribute.md)" in contributing
    assert (REPO / "docs" / "contribute.md").is_file()


# --- the pre-commit hook, for real -----------------------------------------------------------------------------
def pre_commit(root: Path, *files: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(root.parent / "pre-commit-home"),
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONIOENCODING": "utf-8",
    }
    env.pop("PRE_COMMIT", None)
    return subprocess.run(
        [str(BIN / "pre-commit"), "run", "--color", "never", "--files", *files],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_pre_commit_hook_blocks_a_bad_story_and_passes_a_good_one(library_copy):
    if not (BIN / "pre-commit").exists():
        pytest.fail("pre-commit is a test dependency: install with `pip install -e '.[test]'`")
    root = library_copy()
    shutil.copy(REPO / ".pre-commit-config.yaml", root / ".pre-commit-config.yaml")
    git_repo(root)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "library")
    bad = "stories/zhejiang/bad-2019.md"
    (root / bad).write_bytes((FIXTURES / "bad" / "unknown-method.md").read_bytes())
    good = "stories/zhejiang/good-2022.md"
    (root / good).write_text(GOOD_REVIEW.format(id="good-2022", title="好故事", status="review"), encoding="utf-8")
    git(root, "add", bad, good)

    blocked = pre_commit(root, bad)
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    assert "E-METHOD-UNKNOWN" in blocked.stdout and f"{bad}:7" in blocked.stdout
    assert "Failed" in blocked.stdout

    passed = pre_commit(root, good)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout

    both = pre_commit(root, good, bad)  # one bad file among several still blocks the commit
    assert both.returncode == 1 and "E-METHOD-UNKNOWN" in both.stdout


# --- check --watch ----------------------------------------------------------------------------------------------
class Reader:
    """Collects a subprocess's output lines on a thread, so the test can wait for text with a timeout."""

    def __init__(self, stream) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream) -> None:
        for line in stream:
            self.lines.put(line)

    def text(self) -> str:
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return "".join(self.seen)

    def wait_for(self, needle: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = "".join(self.seen)
            if needle in text:
                return text
            try:
                self.seen.append(self.lines.get(timeout=0.2))
            except queue.Empty:
                pass
        raise AssertionError(f"no {needle!r} within {timeout}s; output so far:\n" + "".join(self.seen))


def test_check_watch_reruns_after_a_save_and_stops_on_ctrl_c(library_copy):
    root = library_copy()
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "exemplars", "check", "--watch", "--root", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        preexec_fn=ctrl_c_works,
    )
    try:
        out = Reader(proc.stdout)
        first = out.wait_for("按 Ctrl-C 退出")
        assert (
            "第 1 次检查" in first and "E-DATE-INVALID" not in first and "正在监视 stories/、methods/ 的改动" in first
        )
        time.sleep(0.5)  # the observer is running once the first report is out; give inotify a moment
        story = root / "stories" / "zhejiang" / "qingshi-yishihui-2019.md"
        story.write_text(
            story.read_text(encoding="utf-8").replace("date: 2019-06-12", "date: 2019-02-30"), encoding="utf-8"
        )
        second = out.wait_for("第 2 次检查")
        after = second[second.index("第 1 次检查") :]
        assert "stories/zhejiang/qingshi-yishihui-2019.md:8: 错误 E-DATE-INVALID" in after
        assert re.search(r"\[\d\d:\d\d:\d\d\] 第 2 次检查：检查了 7 个文件", after), after
        (root / "stories" / "zhejiang" / ".qingshi.md.swp").write_text("x", encoding="utf-8")  # editor noise
        time.sleep(1.5)
        assert "第 3 次检查" not in out.text()
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 0
        assert "已停止监视" in out.wait_for("已停止监视", timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


# --- a new editor's first story -------------------------------------------------------------------------------
def test_walk_through_new_check_review_status(library_copy, cli):
    root = library_copy()
    options = "--title 桂香园停车难题居民自己定方案 --kind exemplar --method 民主协商法 --region 浙江省/杭州市/西湖区"
    made = cli("new", "--root", str(root), *options.split(), "--date", "2022-05-01", "--author", "新编辑")
    assert made.returncode == 0, made.stderr
    rel = re.search(r"已创建 (\S+\.md)", made.stdout).group(1)
    path = root / rel
    draft = path.read_text(encoding="utf-8")
    assert "待填写" in draft and "status: draft" in draft

    # the editor fills every placeholder, as the next-steps message says
    filled = re.sub(r"summary: .*", "summary: 桂香园居民分三次议定停车办法，三个月后投诉减少一半。", draft)
    filled = re.sub(r"- title: .*", "- title: 虚构示例：《西湖区社区通讯》2022年第5期", filled)
    filled = re.sub(r"待填写：.*", "居民代表、物业和社区一起算了车位账，分三次议定了办法。", filled)
    path.write_text(filled, encoding="utf-8")
    checked = cli("check", "--root", str(root), str(path))
    assert checked.returncode == 0 and checked.stdout.strip() == "", checked.stdout + checked.stderr
    assert "没有发现问题" in checked.stderr

    path.write_text(filled.replace("status: draft", "status: review"), encoding="utf-8")
    assert cli("check", "--root", str(root), str(path)).returncode == 0
    story_id = path.stem
    listed = json.loads(cli("status", "--root", str(root), "--format", "json").stdout)
    assert [(i["id"], i["path"], i["author"], i["title"]) for i in listed] == [
        (story_id, rel, "新编辑", "桂香园停车难题居民自己定方案")
    ]

    # publishing needs a second pair of eyes
    path.write_text(filled.replace("status: draft", "status: published"), encoding="utf-8")
    published = cli("check", "--root", str(root), str(path))
    assert published.returncode == 1 and "E-REVIEW-MISSING" in published.stdout
    path.write_text(filled.replace("status: draft", "status: published\nreviewed_by: 周文澜"), encoding="utf-8")
    assert cli("check", "--root", str(root), str(path)).returncode == 0
    assert json.loads(cli("status", "--root", str(root), "--format", "json").stdout) == []
