"""The site bench behind `scripts/bench` / `make bench`: synthetic libraries of N stories, built as the real site
(cold, warm with nothing changed, and warm after adding one story: the search shards it re-indexed are read from
the build's log), the same stories rendered by bare Material (no nav, no plugins) and Pagefind's own CLI over the
built story pages (references measured in the same run: the floors Material and Pagefind set, and how fast the
machine was at that moment), the stock MkDocs + Material set-up on the same 1,000-story library, and the search's
recall, precision and first-search bytes. Prints a Markdown table per N and a summary across N; writes
results.json. With --word-compare it only compares cold builds with and without the Word export (lesson handouts),
alternating; with --search-only it builds once and measures the search only (reusing a library kept by --keep).

Nothing here is a target check: it measures and prints. Builds run as subprocesses (`.venv/bin/mkdocs build`),
measured by procmon.run_measured (wall time, sampled RSS of mkdocs and of its whole process tree, GNU time).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import resource
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "scripts"))

import sitebench  # noqa: E402
from procmon import have_gnu_time  # noqa: E402

from exemplars.synth import make_library  # noqa: E402

MB = 1024 * 1024
SAMPLE_GAP_LIMIT = 0.2  # s: a build's memory peak is trusted when its tree was sampled at least this often
CHROMIUM = Path("/usr/bin/chromium")


class Log:
    """Timestamped progress lines, flushed at once (a 10k run is long)."""

    def __init__(self) -> None:
        self.t0 = time.perf_counter()

    def __call__(self, message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')} +{time.perf_counter() - self.t0:6.0f}s] {message}", flush=True)


def run_figures(stats) -> dict:
    """A measured build's figures, with its search index line parsed when the build was run with log=True."""
    figures = stats.as_dict()
    if stats.stderr_matches:
        figures["search_log"] = sitebench.search_log(stats)
    return figures


def build_figures(stats_cold, stats_warm, site: Path, story_glob: str) -> dict:
    figures = {"cold": run_figures(stats_cold), "warm": run_figures(stats_warm) if stats_warm else None}
    figures.update(sitebench.output_figures(site, story_glob))
    return figures


def bundle_check(site: Path, label: str, log) -> str | None:
    problem = sitebench.pagefind_bundle_problem(site)
    if problem:
        log(f"WARNING: after the {label}, the search bundle is broken: {problem}")
    return problem


def word_compare(n: int, args, log: Log) -> dict:
    """Cold builds of one library with the default Word export (a handout per lesson) and without it
    (`handout_docx: false`), alternating with/without so that a change in the machine's load hits both, `rounds`
    each. Best-of figures are the ones to compare; CPU time (user+sys of the whole tree) is the steadier one."""
    project = args.out / f"n{n}" / "project"
    log(f"N={n}: generating the synthetic library (Word comparison)")
    make_library(project, n, REPO, seed=args.seed)
    sitebench.copy_site_setup(project)
    without = sitebench.write_config_without_word(project)
    lessons = len(list((project / "lessons").glob("*.md")))
    runs: dict[str, list[dict]] = {"with": [], "without": []}
    handouts: dict[str, int] = {}
    for round_ in range(args.rounds):
        for label in ("with", "without") if round_ % 2 == 0 else ("without", "with"):
            log(f"N={n}: round {round_ + 1}/{args.rounds}, cold build {label} the Word export ...")
            stats = sitebench.mkdocs_build(
                project, strict=True, cold=True, config="mkdocs.yml" if label == "with" else without
            )
            handouts[label] = len(list((project / "site" / "lessons").glob("*/handout.docx")))
            runs[label].append(stats.as_dict())
            log(
                f"N={n}:   {stats.wall_s:.1f} s wall, {stats.cpu_s:.1f} s CPU, load {stats.load_before:.1f}, "
                f"{handouts[label]} handouts"
            )
    if not args.keep:
        shutil.rmtree(project, ignore_errors=True)
    return {"stories": n, "lessons": lessons, "rounds": args.rounds, "handouts": handouts, "runs": runs}


def word_table(r: dict) -> str:
    """Best of N with and without the export, wall and CPU, and the growth; every run listed beside."""
    best = {
        label: {key: min(run[key] for run in runs) for key in ("wall_s", "cpu_s")} for label, runs in r["runs"].items()
    }
    lines = [
        f"### Word export at {r['stories']} stories ({r['lessons']} lessons; "
        f"handouts written: with {r['handouts']['with']}, without {r['handouts']['without']})",
        "",
        "| cold build | best wall s | best CPU s | every run: wall s / CPU s (load average) |",
        "|---|---:|---:|---|",
    ]
    for label in ("with", "without"):
        every = ", ".join(
            f"{run['wall_s']:.1f} / {run['cpu_s']:.1f} ({run['load_before']:.1f})" for run in r["runs"][label]
        )
        lines.append(f"| {label} the export | {best[label]['wall_s']:.2f} | {best[label]['cpu_s']:.2f} | {every} |")
    ratio = {key: best["with"][key] / best["without"][key] for key in ("wall_s", "cpu_s")}
    loads = [run["load_before"] for runs in r["runs"].values() for run in runs]
    lines.append(
        f"\nwith / without, best of {r['rounds']}: wall ×{ratio['wall_s']:.3f} "
        f"({100 * (ratio['wall_s'] - 1):+.1f}%), CPU ×{ratio['cpu_s']:.3f} ({100 * (ratio['cpu_s'] - 1):+.1f}%); "
        f"load average (1 min) at the starts {min(loads):.1f}–{max(loads):.1f} on {os.cpu_count()} cores"
    )
    return "\n".join(lines)


LIBRARY_MARK = ".bench-library.json"  # in a kept project: the size and seed its library was generated with


def search_only(n: int, args, log: Log) -> dict:
    """One build and the search figures, nothing else. A project kept (--keep) by an earlier run with the same size
    and seed is reused: its library is not generated again, the site set-up (mkdocs.yml, docs/, overrides/) is
    copied from this checkout again, and the build keeps the cache (the cache key holds the code's source, so
    changed code re-renders). This re-measures a 10,000-story site after a change to the search without paying
    for a new library, a cold build, a warm build and the Pagefind reference each time."""
    project = args.out / f"n{n}" / "project"
    wanted = {"stories": n, "seed": args.seed}
    mark = project / LIBRARY_MARK
    kept = mark.is_file() and json.loads(mark.read_text(encoding="utf-8")) == wanted
    result: dict = {"stories": n, "search_only": True, "reused_library": kept}
    if not kept:
        log(f"N={n}: generating the synthetic library")
        make_library(project, n, REPO, seed=args.seed)
        mark.write_text(json.dumps(wanted), encoding="utf-8")
    else:
        log(f"N={n}: reusing the library kept in {project}")
    sitebench.copy_site_setup(project)
    log(f"N={n}: build (mkdocs build --strict, cache kept) ...")
    stats = sitebench.mkdocs_build(project, strict=True, cold=False, log=True)
    result["build"] = run_figures(stats)
    result["bundle_problem"] = bundle_check(project / "site", "build", log)
    log(f"N={n}: build took {stats.wall_s:.1f} s (load average {stats.load_before:.1f} at the start)")
    if not CHROMIUM.is_file():
        raise SystemExit(f"{CHROMIUM} is missing (make browser-deps): --search-only measures nothing without it")
    import search_quality

    log(f"N={n}: search quality ({args.queries} queries) and first-search bytes ({args.byte_queries})")
    result["search"] = search_quality.run_search_bench(
        project / "site", project, queries=args.queries, byte_queries=args.byte_queries, seed=args.seed, progress=log
    )
    result["load_after"] = os.getloadavg()[0]
    _partial(args, result)
    if not args.keep:
        shutil.rmtree(project, ignore_errors=True)
    return result


def add_one_build(project: Path, n: int, log) -> dict:
    """A warm build after one new story (published after all others) was added to the library, cache kept: what
    publishing a story costs, and how many search shards it re-indexed (from the build's log). The story file is
    removed afterwards, so the library is N stories again for the builds that copy it (the site keeps the page)."""
    added = sitebench.add_one_story(project)
    story_id = added.stem
    log(f"N={n}: warm build after adding one story ({added.relative_to(project)}) ...")
    try:
        stats = sitebench.mkdocs_build(project, strict=True, cold=False, log=True)
    finally:
        added.unlink()
    site = project / "site"
    figures = run_figures(stats)
    figures["story"] = str(added.relative_to(project))
    figures["story_page_written"] = (site / "stories" / story_id / "index.html").is_file()
    figures["search_pages"] = sitebench.pagefind_split(site)["pages"]
    figures["bundle_problem"] = bundle_check(site, "warm build after adding one story", log)
    reindexed = (figures.get("search_log") or {}).get("reindexed")
    log(f"N={n}: warm build after adding one story took {stats.wall_s:.1f} s; shards re-indexed: {reindexed}")
    if not figures["story_page_written"]:
        log(f"WARNING: the added story's page site/stories/{story_id}/index.html was not written")
    return figures


def bench_size(n: int, args, log: Log) -> dict:
    workdir = args.out / f"n{n}"
    project = workdir / "project"
    log(f"N={n}: generating the synthetic library")
    started = time.perf_counter()
    make_library(project, n, REPO, seed=args.seed)
    (project / LIBRARY_MARK).write_text(json.dumps({"stories": n, "seed": args.seed}), encoding="utf-8")
    sitebench.copy_site_setup(project)
    result: dict = {"stories": n, "generate_s": time.perf_counter() - started}

    log(f"N={n}: exemplars check")
    result["check"] = sitebench.check_library(project).as_dict()
    compared = args.stock and n == args.stock_at
    rounds = args.cold_rounds if compared else 1
    label = f"N={n}: cold build (mkdocs build --strict, .cache/ removed)"
    colds = cold_builds(project, rounds, label, log, strict=True, log=True, aside=workdir / "aside")
    cold = median_run(colds)
    result["cold_bundle_problem"] = bundle_check(project / "site", "cold build", log)
    log(f"N={n}: warm build (cache kept, nothing changed) ...")
    warm = sitebench.mkdocs_build(project, strict=True, cold=False, log=True)
    result["warm_bundle_problem"] = bundle_check(project / "site", "warm build", log)
    log(f"N={n}: warm build took {warm.wall_s:.1f} s")
    result["ours"] = build_figures(cold, warm, project / "site", "stories/*/index.html")
    result["ours"]["cold_runs"] = [run.wall_s for run in colds]
    if args.bare:
        log(f"N={n}: the same stories rendered by bare Material (no nav, no plugins), cold (reference) ...")
        bare = sitebench.make_bare_project(project, workdir / "bare")
        stats = sitebench.mkdocs_build(bare, strict=False, cold=True)
        result["bare"] = build_figures(stats, None, bare / "site", "stories/*/*/index.html")
        log(f"N={n}: bare Material took {stats.wall_s:.1f} s ({result['bare']['story_pages']} story pages)")
        if not args.keep:  # deleted at the end: no build is timed right after thousands of deletions
            sitebench.move_aside(bare, workdir / "aside")
    if n <= args.pagefind_alone_up_to:
        log(f"N={n}: Pagefind's CLI alone on the built story pages (reference) ...")
        alone = sitebench.pagefind_alone(project / "site", workdir / "pagefind-alone")
        result["pagefind_alone"] = alone.as_dict()
        log(f"N={n}: Pagefind alone took {alone.wall_s:.1f} s")
    else:
        log(f"N={n}: Pagefind's CLI alone skipped (--pagefind-alone-up-to {args.pagefind_alone_up_to})")
        result["pagefind_alone_skipped"] = args.pagefind_alone_up_to
    _partial(args, result)

    if args.search_quality:
        if CHROMIUM.is_file():
            import search_quality

            log(f"N={n}: search quality ({args.queries} queries) and first-search bytes ({args.byte_queries})")
            try:  # a broken search must not cost the build figures of a long run
                result["search"] = search_quality.run_search_bench(
                    project / "site",
                    project,
                    queries=args.queries,
                    byte_queries=args.byte_queries,
                    seed=args.seed,
                    progress=log,
                )
            except Exception as error:  # noqa: BLE001 - reported in the table and results.json
                log(f"WARNING: search bench failed: {type(error).__name__}: {error}")
                result["search"] = {"error": f"{type(error).__name__}: {str(error)[:500]}"}
            _partial(args, result)
        else:
            log(f"N={n}: search quality skipped: {CHROMIUM} is missing (make browser-deps)")
            result["search"] = {"skipped": f"{CHROMIUM} missing"}

    try:  # a failed build here must not cost the figures of a long run either
        result["add_one"] = add_one_build(project, n, log)
    except Exception as error:  # noqa: BLE001 - reported in the table and results.json
        log(f"WARNING: the build after adding one story failed: {type(error).__name__}: {error}")
        result["add_one"] = {"error": f"{type(error).__name__}: {str(error)[:1500]}"}
    _partial(args, result)

    if args.material_index:
        log(f"N={n}: the same stories with Material's search plugin and a small nav (lunr index size) ...")
        material = sitebench.make_material_index_project(project, workdir / "material-index")
        stats = sitebench.mkdocs_build(material, strict=False, cold=True)
        result["material_index"] = {"build": stats.as_dict(), **sitebench.material_index_figures(material / "site")}
        if not args.keep:  # deleted at the end: no build is timed right after thousands of deletions
            sitebench.move_aside(material, workdir / "aside")

    if compared:
        stock = sitebench.make_stock_project(project, workdir / "stock")
        label = f"N={n}: stock set-up (Material, plugins [search, tags], stories under docs/, no nav), cold build"
        runs = cold_builds(stock, rounds, label, log, strict=False, aside=workdir / "aside")
        result["stock"] = build_figures(median_run(runs), None, stock / "site", "stories/*/*/index.html")
        result["stock"]["cold_runs"] = [run.wall_s for run in runs]
        result["stock"]["material_index"] = sitebench.material_index_figures(stock / "site")
        if not args.keep:  # deleted at the end: no build is timed right after thousands of deletions
            sitebench.move_aside(stock, workdir / "aside")
    if not args.keep:
        shutil.rmtree(project, ignore_errors=True)
    shutil.rmtree(workdir / "aside", ignore_errors=True)  # earlier sites, reference projects: nothing is timed now
    return result


def cold_builds(project: Path, rounds: int, label: str, progress: Log, **build) -> list:
    """`rounds` cold builds of `project` one after another (sitebench.mkdocs_build's other arguments in `build`),
    each reported to `progress` as `label` with its time; their RunStats in order."""
    runs = []
    for round_ in range(rounds):
        progress(f"{label} {round_ + 1}/{rounds} ...")
        runs.append(sitebench.mkdocs_build(project, cold=True, **build))
        progress(f"{label} {round_ + 1}/{rounds} took {runs[-1].wall_s:.1f} s")
    return runs


def median_run(runs: list):
    """The run whose wall time is the median (the lower middle one of an even number): its other figures (memory,
    CPU, the search log) come with it. One cold build on this VM varied by ±10 % within minutes; the bench compares
    the middle of several, ours and stock alike."""
    return sorted(runs, key=lambda run: run.wall_s)[(len(runs) - 1) // 2]


# ---------------------------------------------------------------- tables


def _mb(value) -> str:
    return "–" if value is None else f"{value / MB:.1f}"


def _kb(value) -> str:
    return "–" if value is None else f"{value / 1024:.1f}"


def _s(value) -> str:
    return "–" if value is None else f"{value:.2f}"


def _pct(value) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def _ratio(ours, stock) -> str:
    return f"{ours / stock:.2f}" if ours and stock else ""


def _one_line(text: str) -> str:
    """Text for one table cell: line breaks and pipes would break the Markdown row."""
    return " ".join(text.split()).replace("|", "/")


def _add_one(r: dict) -> dict | None:
    """The figures of the build after adding one story, None when it was not run or failed."""
    one = r.get("add_one")
    return None if not one or one.get("error") else one


def _log_figure(run: dict | None, key: str) -> str:
    """A figure of a build's search index line (sitebench.search_log), '–' when the build or the figure is absent."""
    value = ((run or {}).get("search_log") or {}).get(key)
    return "–" if value is None else str(value)


def search_rows(r: dict, add) -> None:
    """The search's rows of a size's table: recall, precision, first-search bytes of both routes."""
    sq = r.get("search", {})
    if "quality" in sq:
        q, f = sq["quality"], sq["first_search"]
        add(
            f"search recall, micro / macro ({q['queries']} queries)",
            f"{_pct(q['recall_micro'])} / {_pct(q['recall_macro'])}",
        )
        add("  queries with every true story found", f"{q['queries_fully_recalled']} of {q['queries_with_truth']}")
        if q.get("repeated_results"):
            add(
                "WARNING: a page found twice in one query's results (in two shards)",
                f"{q['repeated_results']} repeats in {q['queries_with_repeated_results']} queries",
            )
        if q.get("fragment_ids_in_two_shards"):
            add("WARNING: page ids two shards hold with different pages", str(q["fragment_ids_in_two_shards"]))
        add("  lowest recall", ", ".join(f"{w['query']} {w['hits_in_truth']}/{w['truth']}" for w in q["worst"][:3]))
        add(
            "search precision@10: Pagefind raw / UI as rendered / UI mirrored",
            f"{_pct(q['precision_raw_micro'])} / {_pct(f['precision_ui_dom'])} / {_pct(q['precision_ui_micro'])}",
        )
        add(
            "  UI first page full (min(10, true stories) shown)",
            f"{q['ui_first_page_full']} of {q['queries_with_truth']}",
        )
        add(
            f"first-search bytes, median / p95, KB ({f['queries']} queries)",
            f"{_kb(f['median_bytes'])} / {_kb(f['p95_bytes'])}",
        )
        add("  median by kind, KB", ", ".join(f"{k} {_kb(v)}" for k, v in f["median_by_kind"].items() if k != "other"))
        add("  other page assets re-fetched meanwhile (not counted), KB", _kb(f["other_bytes_median"]))
        if f.get("shards_fetched_max"):
            add(
                "  shards whose files the first search fetched, median / max",
                f"{f['shards_fetched_median']:g} / {f['shards_fetched_max']}",
            )
        add("first search, submit → results rendered, ms (median / p95)", f"{f['ms_median']:.0f} / {f['ms_p95']:.0f}")
        if f.get("direct"):
            d = f["direct"]
            add(
                f"direct /search/?q= link, fresh browser, every byte, median / p95, KB ({d['queries']} queries)",
                f"{_kb(d['median_bytes'])} / {_kb(d['p95_bytes'])}",
            )
            add("  median by kind, KB", ", ".join(f"{k} {_kb(v)}" for k, v in d["median_by_kind"].items()))
            if d.get("median_by_common_path"):
                add(
                    "  files every direct link fetched, median KB",
                    ", ".join(f"{path} {_kb(v)}" for path, v in d["median_by_common_path"].items()),
                )
    elif sq.get("skipped") or sq.get("error"):
        add(
            "search quality",
            f"skipped: {sq['skipped']}" if sq.get("skipped") else f"FAILED: {_one_line(sq['error'])[:200]}",
        )


def size_table(r: dict) -> str:
    ours, stock = r["ours"], r.get("stock")
    rows: list[tuple[str, str, str, str]] = []

    def add(label, ours_value, stock_value="", ratio=""):
        rows.append((label, ours_value, stock_value, ratio))

    def build_row(label, key, fmt):
        o = ours["cold"].get(key)
        s = stock["cold"].get(key) if stock else None
        add(label, fmt(o), fmt(s) if stock else "", _ratio(o, s) if stock else "")

    build_row("cold build, s (site + search index)", "wall_s", _s)
    if len(ours.get("cold_runs", ())) > 1:
        add(
            "  every cold build, s (the median is compared)",
            " / ".join(_s(wall) for wall in ours["cold_runs"]),
            " / ".join(_s(wall) for wall in stock.get("cold_runs", ())) if stock else "",
        )
    add("warm build (cache kept, nothing changed), s", _s(ours["warm"]["wall_s"]))
    one = _add_one(r)
    if r.get("add_one", {}).get("error"):
        add("warm build after adding one story", f"FAILED: {_one_line(r['add_one']['error'])[:300]}")
    if one:
        add(
            "warm build after adding one story, s / CPU s / peak RSS tree MB",
            f"{_s(one['wall_s'])} / {_s(one.get('cpu_s'))} / {_mb(one['tree_peak_rss'])}",
        )
    add(
        "search shards re-indexed: cold / warm / after adding one story (build log)",
        " / ".join(_log_figure(run, "reindexed") for run in (ours["cold"], ours["warm"], one)),
    )
    build_row("cold build CPU time (user+sys, whole tree), s", "cpu_s", _s)
    add(
        "load average (1 min) when the cold build started",
        f"{ours['cold'].get('load_before', 0):.1f}",
        f"{stock['cold'].get('load_before', 0):.1f}" if stock else "",
    )
    bare = r.get("bare")
    if bare:
        add(
            "reference: bare Material render, same stories (no nav, no plugins), cold s / CPU s / peak RSS tree MB",
            f"{_s(bare['cold']['wall_s'])} / {_s(bare['cold'].get('cpu_s'))} / {_mb(bare['cold']['tree_peak_rss'])}",
        )
        add(
            "  ours / bare Material, cold build: wall / CPU",
            f"×{_ratio(ours['cold']['wall_s'], bare['cold']['wall_s'])} / "
            f"×{_ratio(ours['cold'].get('cpu_s'), bare['cold'].get('cpu_s'))}",
        )
        if bare["story_pages"] != r["stories"]:
            add("WARNING: bare Material rendered story pages", f"{bare['story_pages']} of {r['stories']}")
    if r.get("pagefind_alone"):
        p = r["pagefind_alone"]
        add(
            "reference: Pagefind's CLI alone on the built story pages, s / CPU s / peak RSS MB",
            f"{_s(p['wall_s'])} / {_s(p.get('cpu_s'))} / {_mb(p['tree_peak_rss'])}",
        )
    elif r.get("pagefind_alone_skipped") is not None:
        add(
            "reference: Pagefind's CLI alone on the built story pages",
            f"skipped above {r['pagefind_alone_skipped']} stories (one process over every page: ~0.5 MB a page)",
        )
    build_row("peak RSS, mkdocs process, MB (sampled)", "main_peak_rss", _mb)
    build_row("peak RSS, whole process tree summed, MB (sampled)", "tree_peak_rss", _mb)
    build_row("  upper bound: each process at its own peak so far (VmHWM), summed, MB", "tree_peak_rss_bound", _mb)
    add(
        "  tree sampling, cold build: samples / longest gap between two, s / processes seen",
        f"{ours['cold']['samples']} / {_s(ours['cold'].get('sample_gap_max_s'))} / "
        f"{ours['cold'].get('processes_seen', '–')}",
    )
    for label, run in (
        ("cold build", ours["cold"]),
        ("warm build", ours["warm"]),
        ("build after adding one story", one),
    ):
        gap = (run or {}).get("sample_gap_max_s") or 0
        if gap > SAMPLE_GAP_LIMIT:
            add(
                f"WARNING: {label}: process tree not sampled every {SAMPLE_GAP_LIMIT} s",
                f"longest gap {gap:.2f} s (a busy machine starves the sampler): a shorter memory spike can be missed",
            )
    build_row("max RSS of the largest single process, MB (GNU time)", "gnu_time_max_rss", _mb)
    add("warm build peak RSS, tree, MB", _mb(ours["warm"]["tree_peak_rss"]))
    for label, key, fmt in (
        ("output, MB (whole site dir)", "site_bytes", _mb),
        ("HTML files", "html_files", str),
        ("story page HTML, largest, KB", "story_html_largest", _kb),
        ("story page HTML, median, KB", "story_html_median", _kb),
    ):
        o = ours[key]
        s = stock[key] if stock else None
        add(label, fmt(o), fmt(s) if stock else "", _ratio(o, s) if stock else "")
    search = ours["search"]
    add(
        "search index (site/pagefind), MB",
        _mb(search["total"]),
        f"{_mb(stock['material_index'].get('bytes'))} (lunr)" if stock else "",
    )
    add(
        "  index / fragment / filter / meta+js+wasm, MB",
        " / ".join(_mb(search[k]) for k in ("index", "fragment", "filter"))
        + " / "
        + _mb(search["meta"] + search["other"]),
    )
    add(
        "  files: index / fragment / filter",
        " / ".join(str(search["files"][k]) for k in ("index", "fragment", "filter")),
    )
    add(
        "  search shards built (build log) / served as / pages in the served index",
        f"{_log_figure(ours['cold'], 'shards')} / "
        + (f"{search['shards']} bundles (shards.json)" if search.get("shards") else "one bundle")
        + f" / {search.get('pages', '–')}"
        + (f"; {search['unlisted']} shard folders not in shards.json" if search.get("unlisted") else ""),
    )
    if r.get("material_index", {}).get("present"):
        m = r["material_index"]
        add(
            "Material's lunr index, same stories, small nav (search_index.json), MB",
            f"{_mb(m['bytes'])} (gzip {_mb(m['gzip_bytes'])}); build {_s(m['build']['wall_s'])} s",
        )
        add("  pages in it: all / stories", f"{m['pages']} / {m['story_pages']}")
    add("checker (exemplars check), s", _s(r["check"]["wall_s"]))
    search_rows(r, add)
    for key, label in (("cold_bundle_problem", "cold"), ("warm_bundle_problem", "warm")):
        if r.get(key):
            add(f"WARNING: search bundle after the {label} build", r[key])
    if one and one.get("bundle_problem"):
        add("WARNING: search bundle after adding one story", one["bundle_problem"])
    if one and not one.get("story_page_written"):
        add("WARNING: after adding one story", f"its page was not written ({one['story']})")
    head = f"### {r['stories']} stories\n\n"
    if stock:
        lines = ["| figure | ours | stock | ours/stock |", "|---|---:|---:|---:|"]
        lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
        speed = stock["cold"]["wall_s"] / ours["cold"]["wall_s"]
        cpu = stock["cold"].get("cpu_s", 0) / ours["cold"]["cpu_s"] if ours["cold"].get("cpu_s") else 0
        lines.append(
            f"\nspeed-up, stock cold build time / ours: **{speed:.1f}×** wall, {cpu:.1f}× CPU "
            f"(stock = theme material zh, plugins [search, tags], stories under docs/, no nav; "
            f"median of {len(ours.get('cold_runs', [0]))} cold builds each)"
        )
    else:
        lines = ["| figure | ours |", "|---|---:|"] + [f"| {a} | {b} |" for a, b, _, _ in rows]
    if r.get("bare"):
        lines.append(
            "\nbare Material = theme material zh, `plugins: []`, `nav: [index.md]` (no navigation rendered), the same "
            "story files under docs/, cold `mkdocs build`"
        )
    return head + "\n".join(lines)


def search_only_table(r: dict) -> str:
    rows: list[tuple[str, str]] = []
    build = r["build"]
    rows.append(
        (
            "build, s (cache kept" + (", library reused)" if r.get("reused_library") else ")"),
            f"{build['wall_s']:.1f} (load average {build.get('load_before', 0):.1f} at the start)",
        )
    )
    rows.append(
        (
            "search shards / pages / shards re-indexed (build log)",
            " / ".join(_log_figure(build, key) for key in ("shards", "pages", "reindexed")),
        )
    )
    search_rows(r, lambda label, value, *_: rows.append((label, value)))
    if r.get("load_after") is not None:
        rows.append(("load average (1 min) when the measurements ended", f"{r['load_after']:.1f}"))
    if r.get("bundle_problem"):
        rows.append(("WARNING: search bundle after the build", r["bundle_problem"]))
    lines = ["| figure | value |", "|---|---:|"] + [f"| {a} | {b} |" for a, b in rows]
    return f"### {r['stories']} stories, search only\n\n" + "\n".join(lines)


def summary_table(results: list[dict]) -> str:
    lines = [
        "| stories | cold s | cold CPU s | bare Material s | ours / bare | warm s | warm +1 story s | shards "
        "re-indexed +1 | Pagefind alone s / MB | RSS mkdocs MB | RSS tree MB (bound) | +1 story RSS tree MB | "
        "output MB | story median KB | search MB | shards | check s | recall | precision (UI) | "
        "1st search median / p95 KB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        o = r["ours"]
        sq = r.get("search", {})
        q, f = sq.get("quality"), sq.get("first_search")
        bare, one = r.get("bare"), _add_one(r)
        lines.append(
            " | ".join(
                [
                    f"| {r['stories']}",
                    _s(o["cold"]["wall_s"]),
                    _s(o["cold"].get("cpu_s")),
                    _s(bare["cold"]["wall_s"]) if bare else "–",
                    f"×{_ratio(o['cold']['wall_s'], bare['cold']['wall_s'])}" if bare else "–",
                    _s(o["warm"]["wall_s"]),
                    _s(one["wall_s"]) if one else "–",
                    _log_figure(one, "reindexed"),
                    (
                        f"{_s(r['pagefind_alone']['wall_s'])} / {_mb(r['pagefind_alone']['tree_peak_rss'])}"
                        if r.get("pagefind_alone")
                        else "–"
                    ),
                    _mb(o["cold"]["main_peak_rss"]),
                    f"{_mb(o['cold']['tree_peak_rss'])} ({_mb(o['cold'].get('tree_peak_rss_bound'))})",
                    _mb(one["tree_peak_rss"]) if one else "–",
                    _mb(o["site_bytes"]),
                    _kb(o["story_html_median"]),
                    _mb(o["search"]["total"]),
                    _log_figure(o["cold"], "shards"),
                    _s(r["check"]["wall_s"]),
                    _pct(q["recall_micro"]) if q else "–",
                    _pct(f["precision_ui_dom"]) if f else "–",
                    f"{_kb(f['median_bytes'])} / {_kb(f['p95_bytes'])}" if f else "–",
                ]
            )
            + " |"
        )
    if len(results) >= 2:
        small, big = results[0], results[-1]
        factor = big["stories"] / small["stories"]
        t = big["ours"]["cold"]["wall_s"] / small["ours"]["cold"]["wall_s"]
        size = big["ours"]["site_bytes"] / small["ours"]["site_bytes"]
        cpu = (
            big["ours"]["cold"].get("cpu_s", 0) / small["ours"]["cold"]["cpu_s"]
            if small["ours"]["cold"].get("cpu_s")
            else 0
        )
        lines.append(
            f"\ngrowth {small['stories']} → {big['stories']} stories ({factor:.0f}× the stories): "
            f"cold build time ×{t:.2f}" + (f" (CPU ×{cpu:.2f})" if cpu else "") + f", output size ×{size:.2f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--seed", type=int, default=7, help="library and query seed")
    parser.add_argument("--out", type=Path, default=REPO / "bench-out", help="work and results folder (gitignored)")
    parser.add_argument("--no-stock", dest="stock", action="store_false", help="skip the stock MkDocs set-up")
    parser.add_argument("--stock-at", type=int, default=1000, help="library size for the stock comparison")
    parser.add_argument(
        "--cold-rounds",
        type=int,
        default=3,
        help="at the stock comparison's size, cold builds of ours and of the stock set-up, each; the median is "
        "compared (default 3)",
    )
    parser.add_argument(
        "--pagefind-alone-up-to",
        type=int,
        default=10000,
        metavar="N",
        help="run the reference of Pagefind's CLI alone over every story page only up to N stories (default "
        "10000): one Pagefind process holds ~0.5 MB a page, ~10 GB at 20,000",
    )
    parser.add_argument(
        "--no-bare",
        dest="bare",
        action="store_false",
        help="skip the reference at each size: the same stories rendered by bare Material (no nav, no plugins)",
    )
    parser.add_argument(
        "--no-search-quality",
        dest="search_quality",
        action="store_false",
        help="skip recall/precision/first-search bytes (needs chromium)",
    )
    parser.add_argument("--queries", type=int, default=200, help="queries for recall and precision")
    parser.add_argument(
        "--byte-queries", type=int, default=100, help="of those, how many get a fresh-browser first-search byte count"
    )
    parser.add_argument(
        "--material-index",
        action="store_true",
        help="also build the same stories with Material's search plugin and a small nav, for the "
        "size of its lunr index",
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated projects and sites")
    parser.add_argument(
        "--search-only",
        action="store_true",
        help="one build (cache kept) and the search figures only; with --keep, reuse the library an earlier "
        "--keep run left at the same size and seed (the site set-up is copied from this checkout again)",
    )
    parser.add_argument(
        "--word-compare",
        action="store_true",
        help="only compare cold builds with and without the Word export (lesson handouts), "
        "alternating, best of --rounds, at each size",
    )
    parser.add_argument("--rounds", type=int, default=3, help="cold builds of each kind for --word-compare")
    parser.add_argument(
        "--report",
        type=Path,
        metavar="RESULTS_JSON",
        help="only print the tables of an earlier run's results.json (or partial-N.json)",
    )
    args = parser.parse_args(argv)
    if args.report:
        data = json.loads(args.report.read_text(encoding="utf-8"))
        sizes = data["sizes"] if "sizes" in data else [data]
        if sizes and "runs" in sizes[0]:  # a --word-compare run
            print("\n\n".join(word_table(r) for r in sizes))
            return 0
        for r in sizes:
            print((search_only_table(r) if r.get("search_only") else size_table(r)) + "\n")
        if all("ours" in r for r in sizes):
            print("### summary\n\n" + summary_table(sizes))
        return 0
    args.out = args.out.resolve()
    args.out.mkdir(parents=True, exist_ok=True)
    log = Log()
    # as `make bench` does (Makefile: bytecode): where PYTHONDONTWRITEBYTECODE is set, every process of our builds
    # would compile the package anew, which MkDocs and Material (compiled by pip) never do
    if not compileall.compile_dir(str(REPO / "scripts" / "exemplars"), quiet=1):
        log("WARNING: compileall failed on scripts/exemplars (see above)")
    log(
        f"bench: sizes {args.sizes}, out {args.out}; {os.cpu_count()} cores; "
        f"GNU time {'yes' if have_gnu_time() else 'no'}"
    )
    if args.word_compare:
        run, table = word_compare, word_table
    elif args.search_only:
        run, table = search_only, search_only_table
    else:
        run, table = bench_size, size_table
    results = []
    for n in args.sizes:
        results.append(run(n, args, log))
        print("\n" + table(results[-1]) + "\n", flush=True)
        _write(args, results, log)  # after each size: a long run stopped midway keeps what it measured
    if run is bench_size:  # the two modes measure one thing each: no summary across sizes
        print("### summary\n\n" + summary_table(results) + "\n", flush=True)
    log(f"done; figures in {args.out / 'results.json'}; the bench's own peak RSS {_mb(_own_peak_rss())} MB")
    _write(args, results, log)
    return 0


def _partial(args, result: dict) -> None:
    """The figures of the size in progress, so a crash later in a long run loses nothing measured."""
    (args.out / f"partial-{result['stories']}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8"
    )


def _own_peak_rss() -> int:
    """Peak RSS of this process, bytes (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _write(args, results, log: Log) -> None:
    payload = {
        "machine": {"cores": os.cpu_count(), "python": sys.version.split()[0], "platform": platform.platform()},
        "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "total_s": time.perf_counter() - log.t0,
        # the bench's own Python process at its largest (library generation, truth corpus, fragments read back),
        # not counted in any build's figures: a 20,000-story run must not need a machine of its own
        "bench_peak_rss": _own_peak_rss(),
        "sizes": results,
    }
    (args.out / "results.json").write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
