"""The bench instruments themselves (scripts/bench, tests/benchmarks/*): run on a tiny library so they cannot rot.

These check that the harness measures something real — truth sets from the stories' text, bytes counted from the
network, builds timed from real subprocesses — never what the figures are (that is what the bench is for).
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "tests" / "benchmarks"))

import search_quality  # noqa: E402
import sitebench  # noqa: E402
from procmon import run_measured  # noqa: E402

from exemplars.synth import make_library  # noqa: E402


def run_bench(out: Path, *args: str) -> tuple[subprocess.CompletedProcess, dict]:
    """`scripts/bench ARGS --out OUT`, which must succeed; returns the run and the first size's results.json."""
    proc = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "bench"), *args, "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc, json.loads((out / "results.json").read_text(encoding="utf-8"))["sizes"][0]


def test_queries_are_short_chinese_substrings_and_truth_is_every_story_holding_them():
    corpus = search_quality.Corpus(
        {
            "/stories/a/": "调解员老张\n他在村里调解纠纷。",
            "/stories/b/": "修路\n村里修路，大家出力。",
            "/stories/c/": "养老\nEnglish only 123",
        }
    )
    queries = search_quality.draw_queries(corpus, 12, seed=3)
    assert len(queries) == len(set(queries)) == 12
    for query in queries:
        assert 2 <= len(query) <= 4 and search_quality.CJK.fullmatch(query), query
        assert corpus.truth(query), f"{query} was drawn from a story, so some story holds it"
    assert corpus.truth("村里") == {"/stories/a/", "/stories/b/"}
    assert corpus.truth("调解") == {"/stories/a/"}


def test_request_kinds_of_the_sharded_search_layout():
    kind, shard = search_quality.byte_kind, search_quality.pagefind_shard
    assert kind("http://h/pagefind/shards.json") == "shards"
    assert kind("http://h/pagefind/pages/index/zh_1.pf_index") == "index"
    assert kind("http://h/pagefind/20230101-20241231-h01/fragment/zh_1.pf_fragment") == "fragment"
    assert kind("http://h/pagefind/20230101-20241231/filter/zh_1.pf_filter") == "filter"
    assert kind("http://h/pagefind/pages/pagefind.zh_1.pf_meta") == "meta"
    assert kind("http://h/pagefind/pages/wasm.unknown.pagefind") == "wasm"
    assert kind("http://h/pagefind/pages/pagefind-entry.json?ts=1") == "entry"
    assert kind("http://h/pagefind/pages/pagefind.js?bench") == "pagefind-js"
    assert kind("http://h/pagefind/20230101-20241231/pagefind-worker.js") == "pagefind-js"
    assert kind("http://h/pagefind/exemplars-sort-date.txt") == "sort"
    assert shard("http://h/pagefind/20230101-20241231-h01/fragment/zh_1.pf_fragment") == "20230101-20241231-h01"
    assert shard("http://h/pagefind/pages/pagefind.js") == "pages"
    assert shard("http://h/pagefind/index/zh_1.pf_index") is None  # the single-bundle layout
    assert shard("http://h/pagefind/shards.json") is None
    assert shard("http://h/assets/javascripts/search.js") is None


def test_request_kinds_split_search_bytes_from_the_rest():
    kind = search_quality.byte_kind
    assert kind("http://h/pagefind/index/zh_1.pf_index") == "index"
    assert kind("http://h/pagefind/fragment/zh_1.pf_fragment") == "fragment"
    assert kind("http://h/pagefind/filter/zh_1.pf_filter") == "filter"
    assert kind("http://h/pagefind/pagefind.zh_1.pf_meta") == "meta"
    assert kind("http://h/pagefind/wasm.unknown.pagefind") == "wasm"
    assert kind("http://h/pagefind/pagefind-entry.json?ts=1") == "entry"
    assert kind("http://h/pagefind/pagefind-worker.js") == "pagefind-js"
    assert kind("http://h/pagefind/exemplars-sort-date.txt") == "sort"
    assert kind("http://h/assets/javascripts/search.js") == "search-js"
    assert kind("http://h/search/?q=%E8%B0%83") == "search-page"
    assert kind("http://h/assets/stylesheets/exemplars.css") == "other"


def test_the_static_server_gzips_text_and_serves_pagefind_files_as_stored(tmp_path: Path):
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "index.html").write_text("<p>搜索</p>" * 200, encoding="utf-8")
    (tmp_path / "pagefind").mkdir()
    stored = gzip.compress(b"pagefind_dcd{}")
    (tmp_path / "pagefind" / "x.pf_fragment").write_bytes(stored)
    with search_quality.serve_gzip(tmp_path) as base:
        request = urllib.request.Request(base + "search/", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            assert gzip.decompress(response.read()).decode("utf-8") == "<p>搜索</p>" * 200
        request = urllib.request.Request(base + "pagefind/x.pf_fragment", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            assert response.headers.get("Content-Encoding") is None
            assert response.read() == stored


def _bundle(folder: Path, pages: list[tuple[str, dict]], hash_: str = "zh_abc") -> None:
    """A Pagefind bundle as the sharded build writes one per shard: entry, meta, wasm, pagefind.js, chunks, and a
    fragment per (id, page record) in Pagefind's stored form."""
    (folder / "index").mkdir(parents=True)
    (folder / "fragment").mkdir()
    (folder / "filter").mkdir()
    entry = {"version": "1.5.2", "languages": {"zh": {"hash": hash_, "wasm": None, "page_count": len(pages)}}}
    (folder / "pagefind-entry.json").write_text(json.dumps(entry), encoding="utf-8")
    (folder / f"pagefind.{hash_}.pf_meta").write_bytes(b"m" * 10)
    (folder / "wasm.unknown.pagefind").write_bytes(b"w" * 100)
    (folder / "pagefind.js").write_text("export {}", encoding="utf-8")
    (folder / "index" / f"{hash_}_1.pf_index").write_bytes(b"i" * 1000)
    (folder / "filter" / f"{hash_}_1.pf_filter").write_bytes(b"f" * 50)
    for page_id, record in pages:
        raw = b"pagefind_dcd" + json.dumps(record, ensure_ascii=False).encode("utf-8")
        (folder / "fragment" / f"{page_id}.pf_fragment").write_bytes(gzip.compress(raw))


def _page(url: str, title: str, text: str) -> dict:
    return {"url": url, "content": f"{title} {text}", "meta": {"title": title}}


def _sharded_site(site: Path) -> Path:
    root = site / "pagefind"
    _bundle(root / "pages", [("zh_p1", _page("/methods/m/", "群众路线", "方法说明"))])
    _bundle(
        root / "20230101-20241231",
        [
            ("zh_s1", _page("/stories/a/", "调解员老张", "他在村里调解纠纷")),
            ("zh_s2", _page("/stories/b/", "修路", "村里修路大家出力")),
        ],
        hash_="zh_def",
    )
    (root / "shards.json").write_text(
        json.dumps({"primary": "pages", "shards": ["pages", "20230101-20241231"]}), encoding="utf-8"
    )
    return site


def test_the_search_index_split_sums_every_shard(tmp_path: Path):
    site = _sharded_site(tmp_path / "site")
    split = sitebench.pagefind_split(site)
    assert split["shards"] == 2 and split["pages"] == 3 and split["unlisted"] == 0
    assert split["index"] == 2000 and split["filter"] == 100 and split["meta"] == 20
    assert split["files"] == {"index": 2, "fragment": 3, "filter": 2}
    assert split["index"] + split["fragment"] + split["filter"] + split["meta"] + split["other"] == split["total"]
    assert split["other"] > 2 * 100, "the wasm, entry files, pagefind.js and shards.json are the rest"
    _bundle(site / "pagefind" / "19990101-19991231", [("zh_x", _page("/stories/x/", "旧", "旧的"))])
    assert sitebench.pagefind_split(site)["unlisted"] == 1, "a bundle folder shards.json does not name is a leftover"


def test_the_search_index_split_still_reads_the_single_bundle_layout(tmp_path: Path):
    site = tmp_path / "site"
    _bundle(site / "pagefind", [("zh_s1", _page("/stories/a/", "调解员老张", "他在村里调解纠纷"))])
    split = sitebench.pagefind_split(site)
    assert split["shards"] == 0 and split["pages"] == 1
    assert split["files"] == {"index": 1, "fragment": 1, "filter": 1} and split["index"] == 1000
    assert sitebench.pagefind_bundle_problem(site) is None
    (site / "pagefind" / "wasm.unknown.pagefind").unlink()
    assert sitebench.pagefind_bundle_problem(site) == (
        "site/pagefind/wasm.unknown.pagefind named by the entry file is missing"
    )


def test_a_broken_shard_or_shard_list_is_named(tmp_path: Path):
    site = _sharded_site(tmp_path / "site")
    root = site / "pagefind"
    problem = sitebench.pagefind_bundle_problem
    assert problem(site) is None
    (root / "20230101-20241231" / "pagefind.zh_def.pf_meta").unlink()
    assert problem(site) == "site/pagefind/20230101-20241231/pagefind.zh_def.pf_meta named by the entry file is missing"
    (root / "shards.json").write_text(json.dumps({"primary": "pages", "shards": ["pages", "20250101-20251231"]}))
    assert problem(site) == "site/pagefind/20250101-20251231/pagefind-entry.json is missing"
    (root / "shards.json").write_text(json.dumps({"primary": "20230101-20241231", "shards": ["pages"]}))
    assert "the primary '20230101-20241231' is not the first of `shards`" in problem(site)
    (root / "shards.json").write_text("{")
    assert problem(site).startswith("site/pagefind/shards.json is not JSON")
    (root / "shards.json").unlink()
    assert problem(site) == "site/pagefind/shards.json is missing (and site/pagefind is no single bundle either)"


def test_result_records_are_read_from_every_shard(tmp_path: Path):
    site = _sharded_site(tmp_path / "site")
    records = search_quality.read_fragments(site)
    assert sorted(records) == ["zh_p1", "zh_s1", "zh_s2"] and records.duplicates == 0
    assert records["zh_s2"].url == "/stories/b/" and records["zh_s2"].title == "修路"
    assert records["zh_s1"].contains("调解纠纷") and not records["zh_s1"].contains("修路")
    # the same page id in two shards for two different pages: a result id would be ambiguous
    _bundle(site / "pagefind" / "x", [("zh_s1", _page("/stories/z/", "别的", "别的故事"))])
    (site / "pagefind" / "shards.json").write_text(
        json.dumps({"primary": "pages", "shards": ["pages", "20230101-20241231", "x"]}), encoding="utf-8"
    )
    assert search_quality.read_fragments(site).duplicates == 1


def test_the_search_index_line_of_a_build_log_is_kept_and_read():
    line = "INFO    -  搜索索引：12 个分片、10051 个页面，重新索引 1 个分片（其余来自缓存 .cache/search/）"
    code = (
        f"import sys; print('INFO    -  Cleaning site directory\\n' + {line!r} + '\\n' + 'x' * 5000, file=sys.stderr)"
    )
    stats = run_measured([sys.executable, "-c", code], keep_lines=sitebench.SEARCH_LOG.pattern)
    assert stats.stderr_matches == [line], "the line is kept however much the build logs after it"
    assert sitebench.search_log(stats) == {"shards": 12, "pages": 10051, "reindexed": 1, "line": line.strip()}
    old = run_measured(
        [sys.executable, "-c", "import sys; print('INFO - 搜索索引：38 个页面', file=sys.stderr)"],
        keep_lines=sitebench.SEARCH_LOG.pattern,
    )
    assert sitebench.search_log(old) == {
        "shards": None,
        "pages": 38,
        "reindexed": None,
        "line": "INFO - 搜索索引：38 个页面",
    }
    assert sitebench.search_log(run_measured([sys.executable, "-c", "pass"], keep_lines="x")) is None


def test_one_story_added_is_a_valid_new_story_published_after_all_others(tmp_path: Path):
    project = make_library(tmp_path / "lib", 12, REPO, seed=5)
    before = {p: p.read_text(encoding="utf-8") for p in (project / "stories").rglob("*.md")}
    added = sitebench.add_one_story(project)
    assert added.name == "synth-00012.md" and added not in before
    assert {p: p.read_text(encoding="utf-8") for p in before} == before, "no other story is touched"
    text = added.read_text(encoding="utf-8")
    assert "id: synth-00012\n" in text and "（新增）\n" in text
    newest = max(sitebench.PUBLISHED.search(t).group(1) for t in before.values())
    assert sitebench.PUBLISHED.search(text).group(1) > newest
    check = subprocess.run(
        [str(Path(sys.executable).parent / "exemplars"), "check", "--root", str(project)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == 0, check.stdout[-2000:] + check.stderr[-2000:]


def test_the_bare_material_project_has_no_plugins_and_no_story_in_its_nav(tmp_path: Path):
    import yaml

    library = make_library(tmp_path / "lib", 3, REPO, seed=5)
    bare = sitebench.make_bare_project(library, tmp_path / "bare")
    config = yaml.safe_load((bare / "mkdocs.yml").read_text(encoding="utf-8"))
    assert (
        config["plugins"] == [] and config["nav"] == [{"首页": "index.md"}] and (bare / "docs" / "index.md").is_file()
    )
    assert config["theme"] == {"name": "material", "language": "zh"}
    stories = sorted(p.relative_to(library) for p in (library / "stories").rglob("*.md"))
    assert sorted(p.relative_to(bare / "docs") for p in (bare / "docs" / "stories").rglob("*.md")) == stories


def test_the_process_monitor_sees_children_in_the_tree_peak():
    # a parent that holds ~30 MB while its child holds ~60 MB: the tree peak must exceed the parent's own
    code = (
        "import subprocess, sys, time; a = bytearray(30 << 20); "
        "subprocess.run([sys.executable, '-c', 'import time; b = bytearray(60 << 20); time.sleep(0.8)'])"
    )
    stats = run_measured([sys.executable, "-c", code], interval=0.05)
    assert stats.exit_code == 0 and stats.samples > 0
    assert stats.main_peak_rss >= 30 << 20
    assert stats.tree_peak_rss >= stats.main_peak_rss + (50 << 20)
    assert stats.wall_s >= 0.8


def test_the_process_monitor_counts_short_children_started_late_and_samples_often():
    # like a build that starts one short Pagefind process per shard near its end: three children of ~80 MB, 0.3 s
    # each, one after another, after the parent has run alone for a second
    child = "import time; b = bytearray(80 << 20); time.sleep(0.3)"
    code = (
        "import subprocess, sys, time; time.sleep(1.0)\n"
        f"for _ in range(3): subprocess.run([sys.executable, '-c', {child!r}])"
    )
    stats = run_measured([sys.executable, "-c", code], interval=0.05, use_gnu_time=False)
    assert stats.exit_code == 0
    assert stats.processes_seen == 4, "the parent and each of the three children"
    assert stats.tree_peak_rss >= stats.main_peak_rss + (70 << 20)
    assert 0 < stats.sample_gap_max_s <= 0.2, stats.sample_gap_max_s
    assert stats.samples >= stats.wall_s / 0.2
    assert stats.tree_peak_rss_bound >= stats.tree_peak_rss


def test_the_process_monitor_bounds_a_spike_between_two_samples():
    # 100 MB written and freed within a few hundredths of a second, between samples half a second apart: the
    # sampled peak may miss it, the bound from each process's own high-water mark cannot
    code = "import time; time.sleep(0.6); b = b'x' * (100 << 20); del b; time.sleep(1.0)"
    stats = run_measured([sys.executable, "-c", code], interval=0.5, use_gnu_time=False)
    assert stats.exit_code == 0 and stats.samples >= 3
    assert stats.tree_peak_rss_bound >= 100 << 20, (stats.tree_peak_rss, stats.tree_peak_rss_bound)


@pytest.mark.slow
@pytest.mark.browser
def test_the_bench_runs_on_a_tiny_library_and_reports_sane_figures(tmp_path: Path, chromium_path):
    out = tmp_path / "bench-out"
    proc, result = run_bench(out, "--sizes", "30", "--queries", "20", "--byte-queries", "3", "--stock-at", "30")
    assert "### 30 stories" in proc.stdout and "### summary" in proc.stdout
    assert "| cold build, s (site + search index) |" in proc.stdout
    ours = result["ours"]
    assert ours["cold"]["wall_s"] > 0 and ours["warm"]["wall_s"] > 0
    assert ours["cold"]["tree_peak_rss"] > ours["cold"]["main_peak_rss"] > 0, "Pagefind's child must be in the tree"
    assert ours["story_pages"] == 30 and ours["site_bytes"] > ours["search"]["total"] > 0
    assert ours["search"]["files"]["fragment"] >= 30
    alone = result["pagefind_alone"]  # the reference: Pagefind's CLI over the same built story pages
    assert alone["exit_code"] == 0 and alone["wall_s"] > 0 and alone["tree_peak_rss"] > 0
    assert "| reference: Pagefind's CLI alone on the built story pages" in proc.stdout
    assert not (out / "n30" / "pagefind-alone").exists()
    quality = result["search"]["quality"]
    assert quality["queries"] == quality["queries_with_truth"] == 20
    assert 0 < quality["recall_micro"] <= 1 and 0 < quality["recall_macro"] <= 1
    assert quality["stories_in_truth_corpus"] == 30 and quality["indexed_pages"] >= 30
    assert quality["truth_text_mismatches"] == 0, "the truth mirror must read the text the index holds"
    assert quality["data_mismatches"] == 0 and quality["unknown_result_ids"] == 0
    assert quality["repeated_results"] == 0 and quality["fragment_ids_in_two_shards"] == 0, "no page in two shards"
    first = result["search"]["first_search"]
    assert first["queries"] == 3 and first["median_bytes"] > 0
    assert {"index", "fragment", "pagefind-js", "search-page"} <= set(first["median_by_kind"])
    assert ours["cold"]["search_log"]["pages"] == ours["search"]["pages"] >= 30, "the build log and the index agree"
    assert not result["cold_bundle_problem"] and not result["warm_bundle_problem"]
    bare = result["bare"]  # the reference: the same stories, bare Material, no nav, no plugins
    assert bare["story_pages"] == 30 and bare["cold"]["wall_s"] > 0 and bare["search"]["total"] == 0
    assert "| reference: bare Material render, same stories (no nav, no plugins)" in proc.stdout
    assert "|   ours / bare Material, cold build: wall / CPU | ×" in proc.stdout
    assert not (out / "n30" / "bare").exists()
    one = result["add_one"]  # a warm build after a new story was added
    assert one["exit_code"] == 0 and one["wall_s"] > 0 and one["tree_peak_rss"] > 0
    assert one["story_page_written"] and not one["bundle_problem"], one
    assert one["search_pages"] == one["search_log"]["pages"] == ours["search"]["pages"] + 1
    assert "| warm build after adding one story, s / CPU s / peak RSS tree MB |" in proc.stdout
    cold_log, warm_log = ours["cold"]["search_log"], ours["warm"]["search_log"]
    if cold_log["shards"] is not None:  # a sharded index (issue 20): what each build re-indexed, from its log
        assert cold_log["reindexed"] == cold_log["shards"] >= 1 and warm_log["reindexed"] == 0
        assert one["search_log"]["reindexed"] == 1, "the new story is in the newest shard, the others are cached"
    stock = result["stock"]
    assert stock["story_pages"] == 30 and stock["cold"]["wall_s"] > 0
    assert stock["material_index"]["present"] and stock["material_index"]["story_pages"] == 30
    # at the stock size both are built cold three times and the median runs are compared
    for side in (ours, stock):
        assert len(side["cold_runs"]) == 3 and side["cold"]["wall_s"] == sorted(side["cold_runs"])[1]
    assert "|   every cold build, s (the median is compared) |" in proc.stdout
    assert "median of 3 cold builds each" in proc.stdout
    assert not (out / "n30" / "project").exists(), "projects are removed unless --keep"
    assert not (out / "n30" / "aside").exists(), "what was moved aside is deleted once nothing more is timed"


def test_the_word_comparison_builds_with_and_without_the_handouts_in_one_run(tmp_path: Path):
    out = tmp_path / "bench-out"
    proc, result = run_bench(out, "--sizes", "60", "--word-compare", "--rounds", "1")
    assert result["lessons"] == 2 and result["handouts"] == {"with": 2, "without": 0}, result["handouts"]
    for label in ("with", "without"):
        (run,) = result["runs"][label]
        assert run["exit_code"] == 0 and run["wall_s"] > 0 and run["cpu_s"] > 0 and run["load_before"] >= 0
    assert "### Word export at 60 stories (2 lessons" in proc.stdout
    assert "| with the export |" in proc.stdout and "| without the export |" in proc.stdout
    assert "with / without, best of 1: wall ×" in proc.stdout and "load average (1 min)" in proc.stdout
    report = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "bench"), "--report", str(out / "results.json")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert report.returncode == 0 and "### Word export at 60 stories" in report.stdout, report.stderr[-2000:]
    assert not (out / "n60" / "project").exists(), "projects are removed unless --keep"


@pytest.mark.slow
def test_edit_to_reload_bench_times_a_real_edit_under_mkdocs_serve(tmp_path: Path):
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO / "tests" / "benchmarks" / "bench_serve.py"),
            "--stories",
            "30",
            "--repeat",
            "1",
            "--workdir",
            str(tmp_path),
            "--keep",
            "--timeout",
            "240",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "| median |" in proc.stdout
    stories = list((tmp_path / "project" / "stories").rglob("*.md"))
    assert stories and not any("计时标记" in p.read_text(encoding="utf-8") for p in stories), "edits are restored"
