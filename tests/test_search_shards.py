"""The search index as shards, in real `mkdocs build`s of a synthetic library (30 stories, its methods and a
lesson) with `search_shard_size: 12` in mkdocs.yml: each shard indexed by its own Pagefind into
.cache/exemplars/search/, every searchable page in exactly one, the shards merged into the site's one bundle
(site/pagefind/); a rebuild indexes only the shards whose pages changed and takes the others, untouched, from the
cache; the cache stays bounded, and a damaged cache entry is made again. (`search_part`, shards built on several
machines: test_search_assemble.py.)"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import logging
import re
import shutil
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import REPO
from mkdocs.exceptions import Abort
from sitebuild import build_site, make_project, search_fragments

from exemplars.build import session as session_module
from exemplars.library import load_library
from exemplars.search import sharded as sharded_module
from exemplars.search.merge import MergeError
from exemplars.search.merge import _load as load_bundle_file
from exemplars.search.sharded import MERGED
from exemplars.search.shards import ShardKey, plan_shards
from exemplars.synth import make_library

SIZE = 12  # above the 9 pages without a date (8 methods, a lesson), which share the calendar's first day
SUMMARY = re.compile(r"搜索索引：(\d+) 个分片、(\d+) 个页面，重新索引 (\d+) 个分片")
BUNDLE = ("pagefind-entry.json", "pagefind.js", "pagefind-worker.js", "exemplars-sort-date.txt")


class _Summary(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if SUMMARY.search(record.getMessage()):
            self.lines.append(record.getMessage())


@contextmanager
def summary():
    """The build's search summary line (ShardedIndex.summary), as (shards, pages, re-indexed shards)."""
    handler, logger = _Summary(), logging.getLogger("mkdocs.plugins.exemplars")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    counts: list[tuple[int, int, int]] = []
    try:
        yield counts
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert len(handler.lines) == 1, handler.lines
    counts.extend(map(int, SUMMARY.search(handler.lines[0]).groups()))


def build(root: Path, site: Path) -> tuple[int, int, int]:
    with summary() as counts:
        build_site(root, site)
    return tuple(counts)


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def cache(root: Path) -> dict[str, tuple[str, dict[str, bytes]]]:
    """The search cache: each entry's key → (what it holds: a shard's name or MERGED, its bundle's files)."""
    folder = root / ".cache" / "exemplars" / "search"
    return {
        entry.name: ((entry / "done").read_text(encoding="utf-8"), files(entry / "bundle"))
        for entry in sorted(folder.iterdir())
    }


def made(before: dict, after: dict) -> list[str]:
    """The shards a build indexed: its new cache entries but the merged bundle; and every entry it found is as it
    was, byte for byte."""
    assert all(after[key] == before[key] for key in before.keys() & after.keys()), "a cache entry was rewritten"
    return sorted(name for key, (name, _) in after.items() if key not in before and name != MERGED)


def fragments(site: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment"))}


def searchable_urls(root: Path) -> list[str]:
    library = load_library(root)
    return sorted(
        [f"/stories/{s.id}/" for s in library.public_stories()]
        + [f"/methods/{m.id}/" for m in library.methods]
        + [f"/lessons/{lesson.id}/" for lesson in library.lessons if lesson.is_public]
    )


def keys_of(root: Path, without: str | None = None) -> list[ShardKey]:
    """The searchable pages of the library at `root` (optionally without one story) as the build plans them
    (site/pages/site.py: stories by publication day; methods and lessons have none: the calendar's first day)."""
    library = load_library(root)
    keys = [
        ShardKey(f"stories/{s.id}/", s.published_on.toordinal()) for s in library.public_stories() if s.id != without
    ]
    keys += [ShardKey(f"methods/{m.id}/") for m in library.methods]
    return keys + [ShardKey(f"lessons/{lesson.id}/") for lesson in library.lessons if lesson.is_public]


def plan_of(root: Path, without: str | None = None, size: int = SIZE):
    return plan_shards(keys_of(root, without), size)


def members(plan) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {name: set() for name in plan.names}
    for url, name in plan.by_url.items():
        out[name].add(url)
    return out


def copy_library(built, dest: Path) -> Path:
    """The built library with its caches (.cache/: bodies and search shards), as a later build finds it."""
    root, *_ = built
    shutil.copytree(root, dest)
    return dest


def story_file(root: Path, story_id: str) -> Path:
    (path,) = (root / "stories").glob(f"*/{story_id}.md")
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(library, site, its summary counts) of the first build: every shard indexed."""
    base = tmp_path_factory.mktemp("shards")
    root = make_library(base / "lib", 30, REPO)
    config = make_project(root)
    text = config.read_text(encoding="utf-8")
    assert "  - exemplars\n" in text
    config.write_text(text.replace("  - exemplars\n", f"  - exemplars:\n      search_shard_size: {SIZE}\n"), "utf-8")
    site = base / "site"
    counts = build(root, site)
    return root, site, counts


# --- the layout --------------------------------------------------------------------------------------------------
def test_every_page_is_in_one_shard_and_the_site_has_them_merged(built):
    root, site, (shards, pages, reindexed) = built
    plan = plan_of(root)
    assert len(plan.names) >= 5, plan.names
    assert (shards, pages, reindexed) == (len(plan.names), len(searchable_urls(root)), len(plan.names)), "all"
    entries = cache(root)
    assert sorted(name for name, _ in entries.values()) == sorted([*plan.names, MERGED]), "one entry a shard"
    in_shards = []
    for name, bundle in entries.values():
        if name == MERGED:
            assert bundle == files(site / "pagefind"), "the site's bundle is the merged one, as cached"
            continue
        urls = sorted(
            json.loads(gzip.decompress(data)[12:])["url"] for path, data in bundle.items() if "fragment/" in path
        )
        assert urls == sorted("/" + url for url in members(plan)[name]), name
        in_shards += urls
    assert sorted(in_shards) == searchable_urls(root), "every searchable page in exactly one shard"
    folder = site / "pagefind"
    assert all((folder / name).is_file() for name in BUNDLE) and len(list(folder.glob("pagefind.*.pf_meta"))) == 1
    assert sorted(p.name for p in folder.iterdir() if p.is_dir()) == ["filter", "fragment", "index"], "one bundle"
    entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert [index["page_count"] for index in entry["languages"].values()] == [pages]
    urls = sorted(record["url"] for record in search_fragments(site).values())
    assert urls == searchable_urls(root), "every searchable page once in the site's bundle"
    assert any(url.startswith("/lessons/") for url in urls), "the lesson is searchable too (in pages)"
    common, *lines = (folder / "exemplars-sort-date.txt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(urls), "one date order for the pages of every shard"


def test_more_methods_and_lessons_than_a_shard_holds(built, tmp_path):
    """With shards of 5, the 9 pages without a date (all on one day) are cut by hash: the lesson's record (made
    before the others, from MkDocs' page) waits for its shard's turn, and the build indexes every page once."""
    root, site, _ = built
    root = copy_library(built, tmp_path / "lib")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(f"search_shard_size: {SIZE}", "search_shard_size: 5"))
    plan = plan_of(root, size=5)
    lessons = {plan.shard_of(url) for url in plan.by_url if url.startswith("lessons/")}
    assert plan.names[0] not in lessons and len(plan.names) > len(plan_of(root).names), "a lesson not in the first"
    shards, pages, reindexed = build(root, tmp_path / "site")
    assert (shards, pages) == (len(plan.names), len(searchable_urls(root)))
    assert sorted(record["url"] for record in search_fragments(tmp_path / "site").values()) == searchable_urls(root)


# --- the merge, started as soon as the last shard is written ---------------------------------------------------
def without_merged_bundle(root: Path) -> None:
    """Take the merged bundle out of a copied library's search cache: its next build must merge again."""
    for done in (root / ".cache" / "exemplars" / "search").glob("*/done"):
        if done.read_text(encoding="utf-8") == MERGED:
            shutil.rmtree(done.parent)


def test_the_merge_runs_while_the_build_writes_the_rest_of_the_site(built, tmp_path, monkeypatch):
    """A cold build: the shards are merged as soon as the last one is written, while post_build writes the bulk
    pages, listings, feeds and QR codes, not when the build waits for the search bundle at the end. Here the QR codes
    wait until the merge has begun: had it waited for the end (after the QR codes), they would wait in vain."""
    root, site, _ = built
    root = copy_library(built, tmp_path / "lib")
    shutil.rmtree(root / ".cache" / "exemplars" / "search")
    merging, waited = threading.Event(), []
    merge, write_qr_files = sharded_module.merge_bundles, session_module.write_qr_files

    def merge_bundles(bundles, out, **options):
        merging.set()
        return merge(bundles, out, **options)

    def qr_codes(*args, **kwargs):
        waited.append(merging.wait(timeout=60))
        return write_qr_files(*args, **kwargs)

    monkeypatch.setattr(sharded_module, "merge_bundles", merge_bundles)
    monkeypatch.setattr(session_module, "write_qr_files", qr_codes)
    shards, pages, reindexed = build(root, tmp_path / "site")
    assert waited == [True], "the merge had begun before the QR codes were written"
    assert reindexed == shards == len(plan_of(root).names)
    assert files(tmp_path / "site" / "pagefind") == files(site / "pagefind"), "the same bundle as ever"


def test_a_failed_merge_still_fails_the_build_with_its_message(built, tmp_path, monkeypatch):
    """The merge runs in the background, but its failure stops the build as before: at the end, once the rest of
    the site is written, with the merge's own message; no search bundle is left in the site."""
    root = copy_library(built, tmp_path / "lib")
    without_merged_bundle(root)

    def merge_bundles(bundles, out, **options):
        raise MergeError("搜索分片 0 的元数据格式不认识")

    monkeypatch.setattr(sharded_module, "merge_bundles", merge_bundles)
    with pytest.raises(Abort) as failed:
        build_site(root, tmp_path / "site")
    assert "搜索分片未能合并：搜索分片 0 的元数据格式不认识" in str(failed.value)
    assert f"删除 {root / '.cache' / 'exemplars' / 'search'} 后重新构建" in str(failed.value), "and what to do"
    assert (tmp_path / "site" / "sitemap.xml").is_file() and (tmp_path / "site" / "stories.schema.json").is_file()
    assert not (tmp_path / "site" / "pagefind").exists()


def test_seal_merges_into_the_cache_before_finish_and_takes_no_more_records(tmp_path):
    """ShardedIndex.seal: the last record has come; the merged bundle appears in the cache with no call to
    `finish`, which then only copies it. A record after `seal` is a bug of the caller."""
    from exemplars.search.records import SearchRecord
    from exemplars.search.sharded import ShardedIndex

    day = dt.date(2024, 5, 17).toordinal()
    keys = [ShardKey(f"stories/s{n}/", day + 40 * n) for n in range(6)]
    plan = plan_shards(keys, 3)
    assert len(plan.names) >= 2
    index = ShardedIndex(plan, tmp_path / "cache")
    order = plan.order()
    try:
        for key in sorted(keys, key=lambda key: order[plan.shard_of(key.url)]):
            record = SearchRecord(url=key.url, title=f"故事{key.url}", text="调解邻里纠纷", sort={"date": "2024-01-01"})
            index.add_html(record.url, record.html(), record.sort)
        index.seal()
        deadline = time.monotonic() + 120
        while index.busy() and time.monotonic() < deadline:
            time.sleep(0.05)
        (merged,) = [p.parent for p in (tmp_path / "cache").glob("*/done") if p.read_text("utf-8") == MERGED]
        with pytest.raises(RuntimeError):
            index.add_html(keys[0].url, "<html></html>")
        index.finish(tmp_path / "site" / "pagefind")
        assert files(tmp_path / "site" / "pagefind") == files(merged / "bundle")
    finally:
        index.close()


def test_seal_with_the_site_folder_copies_the_merged_bundle_there_before_finish(tmp_path, monkeypatch):
    """seal(out): as soon as the shards are merged, a worker process copies the bundle into `out` (10,000 stories:
    ~10,500 files, ~1 s that `finish` spent at the very end of a build); `finish(out)` then has nothing to copy.
    Given another folder, `finish` still copies."""
    from exemplars.search import sharded as sharded_module
    from exemplars.search.records import SearchRecord
    from exemplars.search.sharded import ShardedIndex

    day = dt.date(2024, 5, 17).toordinal()
    keys = [ShardKey(f"stories/s{n}/", day + 40 * n) for n in range(6)]
    plan = plan_shards(keys, 3)
    order = plan.order()
    copied_here = []
    copy_tree = sharded_module.copy_tree
    monkeypatch.setattr(sharded_module, "copy_tree", lambda *args: copied_here.append(args[1]) or copy_tree(*args))
    for target, given in (("site", "site"), ("site", "elsewhere")):
        index = ShardedIndex(plan, tmp_path / "cache")
        try:
            for key in sorted(keys, key=lambda key: order[plan.shard_of(key.url)]):
                title, date = f"故事{key.url}", {"date": "2024-01-01"}
                record = SearchRecord(url=key.url, title=title, text="调解邻里纠纷", sort=date)
                index.add_html(record.url, record.html(), record.sort)
            index.seal(tmp_path / target / "pagefind")
            deadline = time.monotonic() + 120
            while index.busy() and time.monotonic() < deadline:
                time.sleep(0.05)
            (merged,) = [p.parent for p in (tmp_path / "cache").glob("*/done") if p.read_text("utf-8") == MERGED]
            assert files(tmp_path / target / "pagefind") == files(merged / "bundle"), "copied before finish"
            index.finish(tmp_path / given / "pagefind")
            assert files(tmp_path / given / "pagefind") == files(merged / "bundle")
        finally:
            index.close()
    assert copied_here == [tmp_path / "elsewhere" / "pagefind"], "finish copied only where seal had not"


# --- rebuilds ------------------------------------------------------------------------------------------------------
def test_a_rebuild_with_nothing_changed_indexes_no_shard_and_writes_the_same_bytes(built, tmp_path):
    root, site, _ = built
    root = copy_library(built, tmp_path / "lib")
    before = cache(root)
    shards, pages, reindexed = build(root, tmp_path / "site")
    assert (shards, reindexed) == (len(plan_of(root).names), 0)
    assert made(before, cache(root)) == [] and cache(root).keys() == before.keys(), "nothing new, nothing merged"
    assert files(tmp_path / "site" / "pagefind") == files(site / "pagefind")


def test_new_stories_reindex_only_the_shards_they_change(built, tmp_path):
    """Stories published one after another land in the newest shard: each rebuild indexes the shards whose pages
    changed by the plan — that shard alone while it has room —, every other shard comes from the cache untouched,
    and in the site every other page's fragment stays as it was (a reader's browser keeps what it cached)."""
    root, site, _ = built
    root = copy_library(built, tmp_path / "lib")
    library = load_library(root)
    published = max(s.published_on for s in library.public_stories())
    old = min(library.public_stories(), key=lambda s: s.date)  # new stories about an old event: sort far back
    before, outcomes, shown = cache(root), [], fragments(site)
    for n in range(4):
        published += dt.timedelta(days=3)
        path = story_file(root, old.id)
        text = path.read_text(encoding="utf-8").replace(f"id: {old.id}\n", f"id: synth-new-{n}\n")
        text = re.sub(r"\npublished: .*\n", f"\npublished: {published}\n", text, count=1)
        path.with_name(f"synth-new-{n}.md").write_text(text.replace("\ntitle: ", f"\ntitle: 新增{n}"), "utf-8")
        was, plan = members(plan_of(root, f"synth-new-{n}")), plan_of(root)
        target = plan.shard_of(f"stories/synth-new-{n}/")
        assert target == plan.names[0], "new stories land in the newest shard"
        expected = sorted(name for name, urls in members(plan).items() if was.get(name) != urls)  # per the plan

        shards, pages, reindexed = build(root, tmp_path / f"site-{n}")
        after = cache(root)
        assert (shards, pages) == (len(plan.names), len(searchable_urls(root)))
        assert reindexed == len(expected) and made(before, after) == expected
        now = fragments(tmp_path / f"site-{n}")
        assert {name: data for name, data in now.items() if name in shown} == shown and len(now) == len(shown) + 1
        (new,) = [data for name, data in now.items() if name not in shown]
        assert f"新增{n}" in gzip.decompress(new).decode("utf-8")
        outcomes.append(len(expected))
        before, shown = after, now
    assert 1 in outcomes, f"while the newest shard had room, it alone was indexed again ({outcomes})"
    common, *lines = (tmp_path / "site-3" / "pagefind" / "exemplars-sort-date.txt").read_text("utf-8").splitlines()
    assert len(lines) == len(searchable_urls(root)), "one date order for every page"


def test_stories_with_accented_latin_words_build_in_several_shards(built, tmp_path):
    """Pagefind keeps a word written with diacritics (Müller, café) as a variant of its plain form. Two such
    stories in different shards used to stop the build at the merge (MergeError: 索引格式不认识); now both pages
    are found under the plain word and under the form they were written in."""
    root = copy_library(built, tmp_path / "lib")
    plan = plan_of(root)
    by_shard = {}
    for url in searchable_urls(root):
        if url.startswith("/stories/"):
            by_shard.setdefault(plan.shard_of(url.strip("/") + "/"), url)
    first, second = list(by_shard.values())[:2]
    for url in (first, second):
        path = story_file(root, url.strip("/").split("/")[-1])
        path.write_text(path.read_text(encoding="utf-8") + "\n德国志愿者 Müller 在社区 café 里帮忙调解。\n", "utf-8")
    build(root, tmp_path / "site")
    folder = tmp_path / "site" / "pagefind"
    entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
    ((language, info),) = entry["languages"].items()
    meta = load_bundle_file(folder / f"pagefind.{info['hash']}.pf_meta")
    urls = [
        json.loads(gzip.decompress((folder / "fragment" / f"{h}.pf_fragment").read_bytes())[12:])["url"]
        for h, _ in meta[1]
    ]
    found: dict[tuple[str, str], list[str]] = {}
    for _, _, chunk in meta[2]:
        (words,) = load_bundle_file(folder / "index" / f"{chunk}.pf_index")
        for word, pages, variants in words:
            for form, form_pages in [("", pages), *variants]:
                number = 0
                for page in form_pages:
                    number += page[0]
                    found.setdefault((word, form), []).append(urls[number])
    assert sorted(found[("muller", "müller")]) == sorted([first, second])
    assert sorted(found[("cafe", "café")]) == sorted([first, second])


def test_stories_that_fill_a_shard_then_split_it_leave_the_others(built, tmp_path):
    """An older period (not the newest) gets stories published on one of its days until it is full — only its
    shard is indexed again —, then one more: it splits in two, both indexed, every other shard untouched."""
    root, site, _ = built
    shards_before = members(plan_of(root))
    name = max(list(shards_before)[1:], key=lambda n: len(shards_before[n]))  # the fullest but the newest
    root = copy_library(built, tmp_path / "lib")
    story_id = min(shards_before[name]).split("/")[1]  # copies of one of its stories: published the same day
    path, text = story_file(root, story_id), story_file(root, story_id).read_text(encoding="utf-8")
    fill = SIZE - len(shards_before[name])
    for step, count in (("fill", fill), ("split", 1)):
        before = cache(root)
        for n in range(count):
            copy = f"synth-{step}-{n}"
            path.with_name(f"{copy}.md").write_text(
                text.replace(f"id: {story_id}\n", f"id: {copy}\n").replace("\ntitle: ", f"\ntitle: {copy}"), "utf-8"
            )
        plan = plan_of(root)
        shards, _, reindexed = build(root, tmp_path / f"site-{step}")
        indexed = made(before, cache(root))
        if step == "fill":
            assert fill >= 1 and (shards, reindexed) == (len(shards_before), 1) and indexed == [name]
            assert len(members(plan)[name]) == SIZE
        else:
            assert name not in plan.names and (shards, reindexed) == (len(shards_before) + 1, 2)
            assert len(indexed) == 2 and members(plan)[indexed[0]] | members(plan)[indexed[1]] == {
                *shards_before[name],
                *(f"stories/synth-fill-{n}/" for n in range(fill)),
                "stories/synth-split-0/",
            }
    assert {n: urls for n, urls in members(plan).items() if n not in indexed} == {
        n: urls for n, urls in shards_before.items() if n != name
    }


def test_a_deleted_story_changes_only_its_shard(built, tmp_path):
    root, site, _ = built
    plan = plan_of(root)
    cited = {story for lesson in load_library(root).lessons for story in lesson.stories}
    for story in sorted(load_library(root).public_stories(), key=lambda s: s.id):
        url = f"stories/{story.id}/"
        rest = plan_of(root, story.id)
        if story.id in cited or len(members(plan)[plan.shard_of(url)]) < 2:
            continue
        if rest.names == plan.names and all(rest.shard_of(u) == plan.shard_of(u) for u in rest.by_url):
            break  # no merge (the size+1 → size case is test_shards.py's)
    else:
        pytest.fail("no story whose deletion leaves the other shards as they are")
    root = copy_library(built, tmp_path / "lib")
    before = cache(root)
    story_file(root, story.id).unlink()
    shards, pages, reindexed = build(root, tmp_path / "site")
    assert (shards, reindexed) == (len(plan.names), 1) and made(before, cache(root)) == [plan.shard_of(url)]
    shown, now = fragments(site), fragments(tmp_path / "site")
    assert {name: data for name, data in shown.items() if name in now} == now and len(now) == len(shown) - 1
    assert f"/{url}" not in {record["url"] for record in search_fragments(tmp_path / "site").values()}


def test_the_cache_stays_bounded_over_many_rebuilds(built, tmp_path):
    """Each edit makes a new cache entry for its shard, and a new merged bundle; entries no build used lately are
    removed (prune): besides those in use, at most one per shard and one merged bundle are kept, the most recently
    used (going back to the previous version costs nothing)."""
    root, site, _ = built
    root = copy_library(built, tmp_path / "lib")
    cited = {story for lesson in load_library(root).lessons for story in lesson.stories}  # their titles show there
    plan = plan_of(root)
    by_shard: dict[str, list[str]] = {}
    for story in sorted(load_library(root).public_stories(), key=lambda s: s.id):
        if story.id not in cited:
            by_shard.setdefault(plan.shard_of(f"stories/{story.id}/"), []).append(story.id)
    edited = [ids[0] for ids in by_shard.values()][:3]  # one story in each of three shards
    assert len(edited) == 3
    first, bound = cache(root), 2 * (len(plan.names) + 1)
    for edit in range(5):
        for story_id in edited:
            path = story_file(root, story_id)
            path.write_text(path.read_text(encoding="utf-8").replace("\ntitle: ", f"\ntitle: 第{edit}次"), "utf-8")
        shards, _, reindexed = build(root, tmp_path / f"site-{edit}")
        assert (shards, reindexed) == (len(plan.names), 3)
        entries = list((root / ".cache" / "exemplars" / "search").iterdir())
        assert len(entries) <= bound, f"{len(entries)} cache entries after {edit + 1} rebuilds"
        assert all(re.fullmatch(r"[0-9a-f]{64}", p.name) for p in entries), "no scratch folder left behind"
    now = cache(root)
    assert len(now) == bound, "the previous versions are kept, within the bound"
    changed = {plan.shard_of(f"stories/{story_id}/") for story_id in edited}
    kept = sorted(first[key][0] for key in first if key in now)  # the first build's: the oldest versions went first
    assert kept == sorted(name for name in plan.names if name not in changed)


@pytest.mark.parametrize(
    "damage",
    [
        "a fragment gone",
        "a file cut short",
        "the bundle gone",
        "orders.json garbled",
        "files.json garbled",
        "done gone",
        "the merged bundle's fragment gone",
    ],
)
def test_a_damaged_cache_entry_is_made_again(built, tmp_path, damage):
    """A cache entry whose files are not all there (a disk filled up, a removal cut short, a hand in the cache
    folder) is indexed (or merged) again, never copied into the site broken or stopping the build with a
    traceback."""
    root, site, _ = built
    root = copy_library(built, tmp_path / "lib")
    before = cache(root)
    kind = MERGED if "merged" in damage else "20"
    key = next(key for key, (name, _) in before.items() if name.startswith(kind))
    entry = root / ".cache" / "exemplars" / "search" / key
    bundle = entry / "bundle"
    if "fragment gone" in damage:
        next(bundle.glob("fragment/*.pf_fragment")).unlink()
    elif damage == "a file cut short":
        meta = next(bundle.glob("pagefind.*.pf_meta"))
        meta.write_bytes(meta.read_bytes()[:10])
    elif damage == "the bundle gone":
        shutil.rmtree(bundle)
    elif damage == "done gone":
        (entry / "done").unlink()
    else:
        (entry / damage.split()[0]).write_text("{", encoding="utf-8")
    shards, _, reindexed = build(root, tmp_path / "site")
    assert (shards, reindexed) == (len(plan_of(root).names), 0 if kind == MERGED else 1)
    assert files(tmp_path / "site" / "pagefind") == files(site / "pagefind"), "as built the first time"
    assert cache(root) == before, "the entry is whole again"


def _small_index(cache: Path, prefix: str, site: Path):
    """A finished ShardedIndex of six small records in shards of three or fewer (not closed: as if its build were
    still running)."""
    from exemplars.search.records import SearchRecord
    from exemplars.search.sharded import ShardedIndex

    day = dt.date(2024, 5, 17).toordinal()
    keys = [ShardKey(f"stories/{prefix}{n}/", day + 40 * n) for n in range(6)]
    plan = plan_shards(keys, 3)
    index = ShardedIndex(plan, cache)
    for key in sorted(keys, key=lambda key: plan.rank(key.url)):  # shard by shard, as a build hands them over
        record = SearchRecord(url=key.url, title=f"故事{key.url}", text=f"{prefix}调解邻里纠纷", sort={"date": "2024"})
        index.add_html(record.url, record.html(), record.sort)
    index.finish(site)
    return index


def test_an_unwritable_cache_folder_falls_back_to_a_temporary_one_that_goes_with_the_build(tmp_path, caplog):
    """`.cache` cannot be written (here: a file stands where its folder would be): the shards are built in a
    temporary folder, the bundle is whole, the log says why, and closing removes the temporary folder."""
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder", encoding="utf-8")
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.exemplars")
    index = _small_index(blocker / "search", "s", tmp_path / "site" / "pagefind")
    temporary = index.cache
    assert temporary.is_dir() and not str(temporary).startswith(str(tmp_path))
    assert len(index.plan.names) >= 2, "several shards: a real merge"
    index.close()
    assert json.loads((tmp_path / "site/pagefind/pagefind-entry.json").read_text(encoding="utf-8"))["languages"]
    assert len(list((tmp_path / "site/pagefind/fragment").iterdir())) == 6
    assert "无法写入" in caplog.text and not temporary.exists()


def test_a_build_does_not_prune_the_entries_another_running_build_uses(tmp_path):
    """Two builds share the cache (a preview beside `make site`): one's prune must not remove what the other has
    found or written and not yet copied into its site. Each running build lists its entries in an in-use file;
    once it is closed (or its process is gone) they are ordinary unused entries again."""
    cache = tmp_path / "search"
    first = _small_index(cache, "a", tmp_path / "site-a")
    firsts = {p.name for p in cache.iterdir() if p.is_dir()}
    assert len(firsts) >= 3, "its shards (two or more) and their merged bundle"
    second = _small_index(cache, "b", tmp_path / "site-b")
    second.close()
    second.prune(keep_unused=0)
    assert firsts <= {p.name for p in cache.iterdir()}, "the running build's entries stay"

    first.close()
    assert not list(cache.glob("in-use-*")), "closing removes the in-use file"
    third = _small_index(cache, "b", tmp_path / "site-c")
    third.close()
    third.prune(keep_unused=0)
    left = {p.name for p in cache.iterdir()} & firsts
    assert len(left) <= 1, "the closed build's shards went (prune keeps one unused merged bundle)"

    # a build killed before it closed: its file names a process that is gone, and it is ignored and removed
    fourth = _small_index(cache, "a", tmp_path / "site-d")
    fourth._marker.rename(cache / "in-use-999999999-dead.json")
    fifth = _small_index(cache, "b", tmp_path / "site-e")
    fifth.close()
    fifth.prune(keep_unused=0)
    assert not (cache / "in-use-999999999-dead.json").exists()
    assert len({p.name for p in cache.iterdir()} & firsts) <= 1
    fourth.close()


def test_a_bundles_file_list_is_in_path_order_with_sizes(tmp_path):
    """files.json lists a bundle's files as pathlib orders paths (by part: `a/b` before `a-b`), with their sizes."""
    from exemplars.search.sharded import _sizes

    for name, size in {"a/b": 3, "a-b": 1, "a/c/d.pf_index": 7, "z": 0, "fragment/x.pf_fragment": 2}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x" * size)
    expected = {
        p.relative_to(tmp_path).as_posix(): p.stat().st_size for p in sorted(tmp_path.rglob("*")) if p.is_file()
    }
    assert list(_sizes(tmp_path).items()) == list(expected.items())
    assert list(expected)[:2] == ["a/b", "a/c/d.pf_index"]
