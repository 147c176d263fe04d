"""The search shard plan (search/shards.py), without Pagefind: every shard within its size and its named period,
names that stay the same from build to build, and a change to the library touching as few shards as possible —
adding a story changes one shard (or splits it in two when it passes the size), deleting one changes only its own
(or merges two back into one when a period falls from size + 1 to size). Methods and lessons have no date: they sit
on the calendar's first day, so no story, however new, moves them. And the plugin options that set the plan,
refused in Chinese with mkdocs.yml's line when wrong."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_site_settings import _config_errors, with_options

from exemplars.search.shards import STORIES, ShardKey, plan_shards

DAY = dt.date(2024, 5, 17).toordinal()
NAME = re.compile(r"(\d{8})-(\d{8})(?:-h([01]+))?")
METHODS = [ShardKey(f"methods/m{i}/") for i in range(3)]


def library(n: int, seed: int = 1, first: dt.date = dt.date(2015, 1, 1), days: int = 3650) -> list[ShardKey]:
    """`n` stories published on random days from `first` on (several on some days), and three methods."""
    rng = random.Random(seed)
    stories = [ShardKey(f"stories/s{seed}-{i}/", first.toordinal() + rng.randrange(days)) for i in range(n)]
    return stories + METHODS


def members(plan) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {name: set() for name in plan.names}
    for url, name in plan.by_url.items():
        out[name].add(url)
    return {name: frozenset(urls) for name, urls in out.items()}


def _date(text: str) -> int:
    return dt.date(int(text[:4]), int(text[4:6]), int(text[6:])).toordinal()


def check_plan(plan, keys: list[ShardKey]) -> dict[str, frozenset[str]]:
    """What every plan must be: each page in one shard, no shard empty or over the size, newest first, each
    holding only days of the period its name says (a page without a date counting as 0001-01-01) and,
    cut below a day, only URLs whose hash starts with its bits. Returns the shards' members."""
    by_name = members(plan)
    assert sorted(plan.by_url) == sorted(key.url for key in keys)
    assert len(set(plan.names)) == len(plan.names) and all(by_name.values())
    assert all(len(urls) <= plan.size for urls in by_name.values())
    first_day = dt.date(1, 1, 1).toordinal()
    day_of = {key.url: first_day if key.day is None else key.day for key in keys}
    if keys:
        last = [max(day_of[url] for url in by_name[name]) for name in plan.names]
        assert last == sorted(last, reverse=True), "newest first"
    for name in plan.names:
        if name == STORIES:
            assert plan.names == [STORIES], "STORIES: everything in one shard"
            continue
        first, last_day, bits = NAME.fullmatch(name).groups()
        for url in by_name[name]:
            day = day_of[url]
            if day is not None:
                assert _date(first) <= day <= _date(last_day), (name, url)
            if bits:
                assert first == last_day and format(ShardKey(url).bits(0)[1], "016b").startswith(bits), (name, url)
    return by_name


def change(before: dict[str, frozenset[str]], after: dict[str, frozenset[str]]):
    """The shards that are not exactly as they were (name and members): (gone, new)."""
    gone = {name: urls for name, urls in before.items() if after.get(name) != urls}
    new = {name: urls for name, urls in after.items() if before.get(name) != urls}
    return gone, new


def newest_day(keys: list[ShardKey]) -> int:
    return max(key.day for key in keys if key.day is not None)


# --- the plan ------------------------------------------------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(
    days=st.lists(st.integers(min_value=DAY - 2000, max_value=DAY + 30), min_size=0, max_size=120),
    clustered=st.integers(min_value=0, max_value=40),
    undated=st.integers(min_value=0, max_value=3),
    size=st.integers(min_value=2, max_value=25),
)
def test_every_plan_keeps_every_shard_within_its_size_and_its_period(days, clustered, undated, size):
    keys = [ShardKey(f"stories/d{i}/", day) for i, day in enumerate(days)]
    keys += [ShardKey(f"stories/c{i}/", DAY) for i in range(clustered)]  # many on one day: cut by hash
    keys += [ShardKey(f"lessons/l{i}/") for i in range(undated)]
    check_plan(plan_shards(keys, size), keys)


def test_names_do_not_depend_on_the_order_pages_come_in():
    keys = library(400)
    plan = plan_shards(keys, 16)
    for seed in range(3):
        shuffled = list(keys)
        random.Random(seed).shuffle(shuffled)
        again = plan_shards(shuffled, 16)
        assert again.names == plan.names and again.by_url == plan.by_url
    check_plan(plan, keys)
    assert len(plan.names) > 25 and all(NAME.fullmatch(name) for name in plan.names)


def test_a_small_library_is_one_shard_and_methods_have_their_own_in_a_large_one():
    keys = library(40)
    assert plan_shards(keys, 1000).names == [STORIES]
    plan = plan_shards(keys, 8)
    (methods,) = {plan.shard_of(key.url) for key in METHODS}
    assert methods == plan.names[-1] and methods.startswith("00010101-"), "the calendar's first day: the oldest"
    assert not {key.url for key in keys if key.day is not None} & members(plan)[methods], "no story with them"
    assert plan_shards([], 1000).names == []
    assert plan_shards(METHODS, 1000).names == [STORIES], "no story yet: the methods alone"
    with pytest.raises(ValueError):
        plan_shards(keys, 0)


def test_more_pages_without_a_date_than_a_shard_holds_and_no_story():
    """A library of methods and lessons only (nothing published yet) with more of them than `size`: cut by hash,
    like an over-full day, never an error."""
    keys = [ShardKey(f"methods/m{i}/") for i in range(7)]
    plan = plan_shards(keys, 2)
    assert sorted(plan.by_url) == sorted(key.url for key in keys)
    assert len(plan.names) >= 4 and all(len(urls) <= 2 for urls in members(plan).values())


def _added(keys: list[ShardKey], new: ShardKey, size: int):
    """Add `new` and check what changed: nothing but one shard, which grew by it or split in two."""
    before = check_plan(plan_shards(keys, size), keys)
    plan = plan_shards([*keys, new], size)
    after = check_plan(plan, [*keys, new])
    gone, made = change(before, after)
    if new.day > newest_day(keys):
        assert plan.shard_of(new.url) == plan.names[0], "a new story lands in the newest shard"
    if len(made) == 1:  # one shard gained it (or it began a shard of its own): the same name, one member more
        ((name, urls),) = made.items()
        assert gone in ({name: urls - {new.url}}, {}) and (gone or urls == {new.url})
    else:  # the shard it joined passed the size: two shards of the same pages now
        ((old, urls),) = gone.items()
        assert len(made) == 2 and len(urls) == size and frozenset.union(*made.values()) == urls | {new.url}
    return plan, before, after


@settings(max_examples=80, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=10**6),
    day=st.one_of(
        st.integers(min_value=dt.date(2015, 1, 1).toordinal(), max_value=dt.date(2025, 1, 1).toordinal()),
        st.integers(min_value=1, max_value=dt.date.max.toordinal()),
    ),
    size=st.integers(min_value=4, max_value=40),
)
def test_adding_a_story_changes_one_shard_or_splits_it(seed, day, size):
    keys = library(150, seed)
    _added(keys, ShardKey(f"stories/new-{seed}/", day), size)


@pytest.mark.parametrize(
    ("keys", "published", "size"),
    [(library(150, 1), dt.date(2024, 11, 26), 4), (library(300), dt.date(2031, 1, 1), 40)],
    ids=["size-4", "size-40"],
)
def test_a_newer_story_leaves_the_older_shards_alone(keys, published, size):
    new = ShardKey("stories/new/", published.toordinal())
    assert new.day > newest_day(keys)
    _added(keys, new, size)


@pytest.mark.parametrize(
    "published",
    [dt.date(1, 1, 1), dt.date(1949, 10, 1), dt.date(2019, 6, 30), dt.date(2025, 1, 2), dt.date(9999, 12, 31)],
    ids=str,
)
@pytest.mark.parametrize("size", [7, 16, 1000])
def test_adding_a_story_of_any_date(published, size):
    keys = library(300)
    _added(keys, ShardKey("stories/new/", published.toordinal()), size)


def test_new_stories_land_in_the_newest_shard_and_older_shards_stay():
    keys = library(300, days=3650)  # up to the end of 2024
    for size in (10, 16, 40):
        for published in (dt.date(2024, 12, 31), dt.date(2025, 3, 1), dt.date(2031, 1, 1))[: 3 if size < 40 else 2]:
            new = ShardKey("stories/new/", published.toordinal())
            plan, before, after = _added(keys, new, size)
            assert plan.shard_of(new.url) == plan.names[0]
    # Stories keep coming, one a day: the old shards never change again once newer ones exist.
    plan = plan_shards(keys, 16)
    older, newest = members(plan), plan.names[0]
    for n in range(60):
        keys.append(ShardKey(f"stories/daily-{n}/", dt.date(2025, 1, 1).toordinal() + n))
        plan = plan_shards(keys, 16)
        assert plan.shard_of(keys[-1].url) == plan.names[0]
    now = check_plan(plan, keys)
    kept = {name: urls for name, urls in older.items() if now.get(name) == urls}
    # Only the newest shard of then changed: it took the first new stories.
    changed = [name for name in older if name not in kept]
    assert changed == [newest], changed


def test_a_story_filling_its_period_splits_that_shard_in_two():
    size = 8
    keys = [ShardKey(f"stories/s{i}/", DAY + 3 * i) for i in range(size)]
    assert plan_shards(keys, size).names == [STORIES]
    plan, before, after = _added(keys, ShardKey("stories/ninth/", DAY + 1), size)
    assert len(plan.names) == 2 and STORIES not in plan.names and before[STORIES] < frozenset(plan.by_url)


def test_a_deleted_story_changes_only_its_shard():
    keys = library(300, seed=4)
    size = 16
    before = check_plan(plan_shards(keys, size), keys)
    merged = 0
    newest = newest_day(keys)
    for at in range(0, 300, 7):
        gone_key = keys[at]
        rest = keys[:at] + keys[at + 1 :]
        after = check_plan(plan_shards(rest, size), rest)
        gone, made = change(before, after)
        (name,) = [name for name, urls in before.items() if gone_key.url in urls]
        if len(gone) == 1:  # its shard lost it (and is gone if it held nothing else)
            assert gone == {name: before[name]}
            assert made == ({name: before[name] - {gone_key.url}} if len(before[name]) > 1 else {})
        else:  # the documented merge: its period fell from size + 1 to size pages, one shard again
            merged += 1
            assert name in gone and len(gone) == 2 and len(made) == 1
            assert sum(map(len, gone.values())) == size + 1 and list(made.values()) == [
                frozenset.union(*gone.values()) - {gone_key.url}
            ]
    assert merged < 10, "merging is the exception"
    # The newest story deleted: the methods go with the story now newest; the older shards stay.
    (last,) = [key for key in keys if key.day == newest]
    rest = [key for key in keys if key != last]
    after = check_plan(plan_shards(rest, size), rest)
    gone, made = change(before, after)
    now_newest = max((key for key in rest if key.day is not None), key=lambda key: key.day)
    plan = plan_shards(keys, size)
    assert plan.names[0] in gone and set(gone) <= {plan.names[0], plan.shard_of(now_newest.url)}, gone


def test_deleting_from_a_period_of_size_plus_one_merges_its_two_shards():
    """Documented in shards.py: deleting moves no other page, except when a period falls from size + 1 stories to
    size: then that period's pieces are one shard again (and adding the story back splits it as before)."""
    size = 8
    keys = [ShardKey(f"stories/s{i}/", DAY + 3 * i) for i in range(size + 1)]
    split = check_plan(plan_shards(keys, size), keys)
    assert len(split) == 2
    rest = [key for key in keys if key.url != "stories/s0/"]
    whole = check_plan(plan_shards(rest, size), rest)
    assert whole == {STORIES: frozenset(k.url for k in rest)}
    assert members(plan_shards(keys, size)) == split, "and back"


def test_three_thousand_stories_of_one_day_are_cut_by_hash():
    keys = [ShardKey(f"stories/same-day-{i}/", DAY) for i in range(3000)] + METHODS
    plan = plan_shards(keys, 1000)
    by_name = check_plan(plan, keys)
    assert len(plan.names) >= 4 and sum(len(urls) for urls in by_name.values()) == 3003
    day = dt.date.fromordinal(DAY).strftime("%Y%m%d")
    *stories, methods = plan.names
    assert all(name.startswith(f"{day}-{day}-h") for name in stories), plan.names
    assert methods.startswith("00010101-") and members(plan)[methods] == {key.url for key in METHODS}
    # one more that day changes one of the pieces (or splits it), the others stay
    _added([key for key in keys if key.day is not None], ShardKey("stories/same-day-extra/", DAY), 1000)


# --- the plugin options ----------------------------------------------------------------------------------------
PART = "应为“第几份/共几份”：两个正整数，第几份不大于共几份，如 1/2、2/2；留空表示全部分片"


@pytest.mark.parametrize(
    ("option", "shown", "need"),
    [
        ("search_shard_size: 0", "0", "应为正整数（每个搜索分片最多收录的页面数）"),
        ("search_shard_size: 很多", "“很多”", "应为正整数（每个搜索分片最多收录的页面数）"),
        ("search_part: 3/2", "“3/2”", PART),
        ("search_part: 0/2", "“0/2”", PART),
        ("search_part: x", "“x”", PART),
    ],
)
def test_a_wrong_search_option_names_its_line(library_copy, caplog, option, shown, need):
    config = with_options(library_copy(), f"  - exemplars:\n      page_size: 10\n      {option}\n")
    line = config.read_text(encoding="utf-8").splitlines().index(f"      {option}") + 1
    key = option.split(":")[0]
    errors = _config_errors(config, caplog)
    assert f"mkdocs.yml:{line}: 错误：exemplars 插件的设置 `{key}` 是 {shown}，{need}" in errors
    assert f"改成例如 `{key}: " in errors


def test_right_search_options_are_taken(library_copy):
    from mkdocs.config import load_config

    from exemplars.config import parse_search_part

    config = with_options(library_copy(), "  - exemplars:\n      search_shard_size: 5\n      search_part: 2/3\n")
    options = load_config(config_file=str(config)).plugins["exemplars"].config
    assert (options.search_shard_size, parse_search_part(options.search_part)) == (5, (2, 3))
    assert [parse_search_part(text) for text in ("", " 1 / 1 ", "1/2/3", "-1/2")] == [None, (1, 1), None, None]
