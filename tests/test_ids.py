"""Readable ids for new files: pinyin grouped by word with hyphens, cut only between words, the year kept."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from exemplars.ids import MAX_LENGTH, slug_from_title
from exemplars.library import load_library
from exemplars.schema import SLUG_RE


@pytest.mark.parametrize(
    "title, year, expected",
    [
        ("测试输入校验的故事", 2024, "ceshi-shuru-jiaoyan-de-gushi-2024"),
        ("测试输入校验", 2024, "ceshi-shuru-jiaoyan-2024"),
        ("把群众的事时刻放在心上办", 2023, "ba-qunzhong-de-shi-shike-fangzaixinshang-ban-2023"),  # the last 办 stays
        ("余村“板凳议事会”：垃圾分类大家定", 2019, "yucun-bandeng-yishihui-laji-fenlei-dajia-ding-2019"),
        ("Ｗｉｆｉ进村，老人学会用ＡＰＰ", 2022, "wifi-jincun-laoren-xuehui-yong-app-2022"),  # full-width Latin too
        ("12345热线：接诉即办", 2021, "12345-rexian-jiesu-ji-ban-2021"),
        ("绿色发展", 2020, "lvse-fazhan-2020"),  # ü as v
        ("宅基地纠纷怎样调", None, "zhaijidi-jiufen-zenyang-diao"),  # lessons: no year
        ("！！！……", 2020, "story-2020"),  # nothing spellable
    ],
)
def test_ids_group_syllables_by_word(title, year, expected):
    assert slug_from_title(title, year) == expected


def test_nothing_spellable_falls_back_to_the_given_word():
    assert slug_from_title("？？", fallback="lesson") == "lesson"


@pytest.mark.parametrize(
    "title",
    [
        "关于进一步加强新时代基层群众工作推动党的群众路线在城乡社区落地生根开花结果的实践探索与经验总结",
        "AI助手2.0上线：12345热线接诉即办，群众诉求件件有回音、事事有着落",
        "Ａ" * 70 + "村",
        "乌鲁木齐" * 20,
    ],
)
def test_long_titles_are_cut_between_words(title):
    slug = slug_from_title(title, 2024)
    assert SLUG_RE.match(slug) and slug.endswith("-2024")
    stem = slug[: -len("-2024")]
    assert len(stem) <= MAX_LENGTH
    full = slug_from_title_unbounded(title)
    if full != stem:  # cut: what is kept is a whole-word prefix of the full id (or one overlong word's start)
        kept = stem.split("-")
        words = full.split("-")
        assert words[: len(kept)] == kept or (len(kept) == 1 and words[0].startswith(kept[0]))


def slug_from_title_unbounded(title: str) -> str:
    import exemplars.ids as ids

    original = ids.MAX_LENGTH
    ids.MAX_LENGTH = 10_000
    try:
        return ids.slug_from_title(title)
    finally:
        ids.MAX_LENGTH = original


@pytest.mark.parametrize(
    "title",
    [
        "标题",
        "a",
        "--",
        "C++与Go：两种语言",
        "第1期・第２期",
        "𠀋𠀌客家话",
        "é à ü 中文",
        "x" * 200,
        "\u200b零宽\ufeff字符",
    ],
)
def test_every_id_matches_the_schema(title):
    assert SLUG_RE.match(slug_from_title(title, 2020))
    assert SLUG_RE.match(slug_from_title(title))


def test_new_writes_the_readable_id_and_no_jieba_noise(library_copy, cli, tmp_path):
    root = library_copy()
    env_cache = tmp_path / "xdg"  # a cold jieba cache: the first run is the one that would print "Building prefix dict"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "exemplars",
            "new",
            "--root",
            str(root),
            "--title",
            "把群众的事时刻放在心上办",
            "--kind",
            "exemplar",
            "--method",
            "为民谋利法",
            "--region",
            "浙江省/杭州市/西湖区",
            "--date",
            "2023-03-01",
            "--author",
            "测试编辑",
        ],
        capture_output=True,
        text=True,
        input="",
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", "XDG_CACHE_HOME": str(env_cache)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # jieba's log lines never reach the editor
    rel = "stories/zhejiang/ba-qunzhong-de-shi-shike-fangzaixinshang-ban-2023.md"
    assert (
        result.stdout.splitlines()[0]
        == f"已创建 {rel}（状态：草稿，标识：ba-qunzhong-de-shi-shike-fangzaixinshang-ban-2023）"
    )
    story = next(s for s in load_library(root).stories if s.path == rel)
    assert story.id == "ba-qunzhong-de-shi-shike-fangzaixinshang-ban-2023"
    assert list(env_cache.glob("exemplars/jieba*.cache"))  # its cache went to the user's cache folder, not /tmp


def test_new_lesson_uses_the_same_rule(library_copy, cli):
    root = library_copy()
    options = "--title 宅基地纠纷怎样调 --audience 新任村（社区）党组织书记 --duration 90 --method 教育疏导法"
    result = cli("new-lesson", "--root", str(root), *options.split(), "--story", "hezuo-tiaojie-2021")
    assert result.returncode == 0, result.stderr
    assert "已创建 lessons/zhaijidi-jiufen-zenyang-diao.md" in result.stdout
    assert re.search(
        r"^id: zhaijidi-jiufen-zenyang-diao$",
        (root / "lessons" / "zhaijidi-jiufen-zenyang-diao.md").read_text(encoding="utf-8"),
        re.M,
    )


def test_existing_ids_are_never_recomputed(library_copy, cli):
    """Generating ids is only for new files: check and a new story leave every existing file's bytes alone."""
    root = library_copy()
    before = {p: p.read_bytes() for p in root.rglob("*.md")}
    options = "--title 测试输入校验的故事 --kind exemplar --method 为民谋利法 --region 浙江省/杭州市 --date 2024-01-02"
    assert cli("new", "--root", str(root), *options.split()).returncode == 0
    assert cli("check", "--root", str(root)).returncode in (0, 1)
    assert {p: p.read_bytes() for p in before} == before
    assert (root / "stories" / "zhejiang" / "ceshi-shuru-jiaoyan-de-gushi-2024.md").is_file()


def test_check_does_not_import_the_segmenter(library_copy):
    """`exemplars check` must not pay for jieba's dictionary: ids are made only by new/new-lesson."""
    code = (
        "import sys; from exemplars.cli import main\n"
        "try:\n    main(['check', '--root', sys.argv[1]])\nexcept SystemExit:\n    pass\n"
        "print('jieba' in sys.modules, 'pypinyin' in sys.modules, file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(library_copy())],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert result.stderr.strip().splitlines()[-1] == "False False", result.stderr
