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
from procmon import run_measured  # noqa: E402


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
    first = result["search"]["first_search"]
    assert first["queries"] == 3 and first["median_bytes"] > 0
    assert {"index", "fragment", "pagefind-js", "search-page"} <= set(first["median_by_kind"])
    stock = result["stock"]
    assert stock["story_pages"] == 30 and stock["cold"]["wall_s"] > 0
    assert stock["material_index"]["present"] and stock["material_index"]["story_pages"] == 30
    assert not (out / "n30" / "project").exists(), "projects are removed unless --keep"


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
