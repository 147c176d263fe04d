"""Feeds carry new stories: ordered by when a story was published on the site (`published`, set by the reviewer;
else `updated`, else `date`), newest first, with the feed's `updated` moving at every publication or revision.
Read back with feedparser from write_feeds and from a real `mkdocs build`; the checker's rules through the CLI."""

from __future__ import annotations

import datetime as dt
import json
import subprocess

import feedparser
import pytest
from sitebuild import build_site

from exemplars.library import load_library
from exemplars.site.catalogue import catalogue
from exemplars.site.feeds import write_feeds

SITE = "https://exemplars.example.org/"
FEEDS = ("feed.atom.xml", "feed.rss.xml")


def story(
    story_id: str,
    date: str,
    *,
    published: str | None = None,
    updated: str | None = None,
    methods: str = "[为民谋利法]",
    status: str = "published",
    title: str = "测试故事",
) -> str:
    extra = "".join(f"{k}: {v}\n" for k, v in (("published", published), ("updated", updated)) if v)
    return (
        f"---\nid: {story_id}\ntitle: {title}\nkind: exemplar\nmethods: {methods}\nsummary: 测试用的摘要。\n"
        f"region: 浙江省/杭州市\ndate: {date}\nstatus: {status}\n{extra}sources:\n  - title: 虚构示例：测试用故事\n"
        f"reviewed_by: 周文澜\n---\n## 做法\n\n正文。\n"
    )


OLD_EVENT = {
    "stories/zhejiang/laoshi-2010.md": story(
        "laoshi-2010", "2010-05-04", published="2026-12-01", title="2010年的老事今天发布"
    )
}


def read(path):
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, f"{path}: {feed.get('bozo_exception')}"
    return feed


def ids(feed) -> list[str]:
    return [e.link.rstrip("/").rsplit("/", 1)[1] for e in feed.entries]


def day(parsed) -> dt.date:
    """A feed date (UTC struct_time) as the Beijing calendar day it was written for."""
    return (dt.datetime(*parsed[:6], tzinfo=dt.timezone.utc) + dt.timedelta(hours=8)).date()


@pytest.mark.parametrize("name", FEEDS)
def test_a_story_published_today_about_2010_leads_both_feeds_and_moves_updated(library_copy, tmp_path, name):
    root = library_copy()
    write_feeds(load_library(root), tmp_path / "before", SITE)
    before = read(tmp_path / "before" / name)
    assert "laoshi-2010" not in ids(before)

    library_copy(OLD_EVENT)
    write_feeds(load_library(root), tmp_path / "after", SITE)
    for path in (tmp_path / "after" / name, tmp_path / "after" / "methods" / "weimin-mouli" / name):
        feed = read(path)
        assert ids(feed)[0] == "laoshi-2010", path
        assert feed.entries[0].title == "2010年的老事今天发布"
        assert day(feed.entries[0].published_parsed) == dt.date(2026, 12, 1)  # publication, not the event
        assert day(feed.feed.updated_parsed) == dt.date(2026, 12, 1)
    assert day(before.feed.updated_parsed) < dt.date(2026, 12, 1)
    # a method the story is not about keeps its own feed date
    other = read(tmp_path / "after" / "methods" / "minzhu-xieshang" / name)
    assert "laoshi-2010" not in ids(other) and day(other.feed.updated_parsed) < dt.date(2026, 12, 1)


def test_the_limit_keeps_the_last_published(library_copy, tmp_path):
    library = load_library(library_copy(OLD_EVENT))
    write_feeds(library, tmp_path, SITE, limit=1)
    assert ids(read(tmp_path / "feed.atom.xml")) == ["laoshi-2010"]
    assert ids(read(tmp_path / "methods" / "weimin-mouli" / "feed.rss.xml")) == ["laoshi-2010"]


def test_without_published_the_date_falls_back_to_updated_then_date(library_copy):
    library = load_library(
        library_copy(
            {
                "stories/zhejiang/a.md": story("xiuding-2012", "2012-01-01", updated="2025-06-01"),
                "stories/zhejiang/b.md": story("luoshi-2013", "2013-02-02"),
                "stories/zhejiang/c.md": story("fabu-2014", "2014-03-03", published="2024-04-04", updated="2025-01-01"),
            }
        )
    )
    by_id = {s.id: s for s in library.stories}
    assert by_id["xiuding-2012"].published_on == dt.date(2025, 6, 1)
    assert by_id["luoshi-2013"].published_on == dt.date(2013, 2, 2)
    assert by_id["fabu-2014"].published_on == dt.date(2024, 4, 4)
    assert by_id["fabu-2014"].last_changed == dt.date(2025, 1, 1)  # a revision moves the feed's date, not the order


def test_same_day_publications_have_a_stable_order(library_copy, tmp_path):
    """Same publication day: the newer event first, then the id; never the order files happen to be read in."""
    same_day = {
        "stories/zhejiang/z.md": story("bbb-2015", "2015-01-01", published="2026-01-10"),
        "stories/zhejiang/y.md": story("aaa-2015", "2015-01-01", published="2026-01-10"),
        "stories/henan/x.md": story("ccc-2018", "2018-01-01", published="2026-01-10"),
    }
    write_feeds(load_library(library_copy(same_day)), tmp_path / "one", SITE)
    assert ids(read(tmp_path / "one" / "feed.atom.xml"))[:3] == ["ccc-2018", "aaa-2015", "bbb-2015"]
    renamed = {f"stories/zhejiang/renamed-{i}.md": text for i, text in enumerate(reversed(list(same_day.values())))}
    other = tmp_path / "other"
    import shutil

    from conftest import FIXTURES

    shutil.copytree(FIXTURES / "library", other)
    for rel, text in renamed.items():
        (other / rel).write_text(text, encoding="utf-8")
    write_feeds(load_library(other), tmp_path / "two", SITE)
    for name in ("feed.atom.xml", "feed.rss.xml", "methods/weimin-mouli/feed.atom.xml"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_catalogue_carries_the_publication_date_and_its_updated_moves(library_copy):
    root = library_copy()
    before = catalogue(load_library(root), SITE)
    library_copy(OLD_EVENT)
    after = catalogue(load_library(root), SITE)
    entry = next(s for s in after["stories"] if s["id"] == "laoshi-2010")
    assert entry["published"] == "2026-12-01" and entry["date"] == "2010-05-04"
    assert before["updated"] < "2026-12-01" == after["updated"]
    assert all(s["published"] for s in after["stories"])  # every entry has one (the fallback included)


def test_feeds_and_catalogue_read_no_git(library_copy, tmp_path, monkeypatch):
    """The publication date is a field: cheap for every story, and the same in a shallow clone or outside git."""
    library = load_library(library_copy(OLD_EVENT))

    def no_subprocess(*args, **kwargs):
        raise AssertionError(f"feeds must not run {args}")

    monkeypatch.setattr(subprocess, "run", no_subprocess)
    monkeypatch.setattr(subprocess, "Popen", no_subprocess)
    write_feeds(library, tmp_path, SITE)
    catalogue(library, SITE)


def test_a_real_build_puts_the_new_story_first_in_every_feed(library_copy, tmp_path):
    root = library_copy(OLD_EVENT)
    site = build_site(root, tmp_path / "site", search=False)
    for name in FEEDS:
        for path in (site / name, site / "methods" / "weimin-mouli" / name):
            feed = read(path)
            assert ids(feed)[0] == "laoshi-2010", path
            assert day(feed.feed.updated_parsed) == dt.date(2026, 12, 1)
    data = json.loads((site / "stories.json").read_text(encoding="utf-8"))
    assert {s["id"]: s["published"] for s in data["stories"]}["laoshi-2010"] == "2026-12-01"
    assert data["updated"] == "2026-12-01"
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "stories/laoshi-2010/</loc>\n         <lastmod>2026-12-01</lastmod>" in sitemap


# --- the checker -----------------------------------------------------------------------------------------------
def test_check_warns_when_a_published_story_has_no_publication_date(library_copy, cli):
    root = library_copy({"stories/zhejiang/wu-2016.md": story("wu-2016", "2016-06-06")})
    result = cli("check", "--root", str(root), "stories/zhejiang/wu-2016.md", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr  # a warning: the build still goes ahead
    lines = [line for line in result.stdout.splitlines() if "W-PUBLISHED-MISSING" in line]
    assert lines and lines[0].startswith("stories/zhejiang/wu-2016.md:9: 警告 W-PUBLISHED-MISSING")  # status line
    assert "published:" in result.stdout  # the hint shows the line to add


def test_check_is_quiet_about_drafts_and_dated_stories(library_copy, cli):
    root = library_copy(
        {
            "stories/zhejiang/cao-2016.md": story("cao-2016", "2016-06-06", status="draft"),
            "stories/zhejiang/you-2016.md": story("you-2016", "2016-06-06", published="2026-01-02"),
        }
    )
    for rel in ("stories/zhejiang/cao-2016.md", "stories/zhejiang/you-2016.md"):
        result = cli("check", "--root", str(root), rel, cwd=root)
        assert "PUBLISHED" not in result.stdout, result.stdout


def test_check_refuses_a_publication_before_the_event(library_copy, cli):
    root = library_copy({"stories/zhejiang/fan-2016.md": story("fan-2016", "2016-06-06", published="2016-06-05")})
    result = cli("check", "--root", str(root), "stories/zhejiang/fan-2016.md", cwd=root)
    assert result.returncode == 1
    line = next(line for line in result.stdout.splitlines() if "E-PUBLISHED-BEFORE-DATE" in line)
    assert line.startswith("stories/zhejiang/fan-2016.md:10: 错误 E-PUBLISHED-BEFORE-DATE")
    assert "2016-06-05" in line and "2016-06-06" in line
    assert "Traceback" not in result.stderr


def test_an_invalid_publication_date_is_a_date_error_only(library_copy, cli):
    root = library_copy({"stories/zhejiang/cuo-2016.md": story("cuo-2016", "2016-06-06", published="2026-02-30")})
    result = cli("check", "--root", str(root), "stories/zhejiang/cuo-2016.md", cwd=root)
    assert result.returncode == 1 and "E-DATE-INVALID" in result.stdout
    assert "W-PUBLISHED-MISSING" not in result.stdout and "Traceback" not in result.stderr
