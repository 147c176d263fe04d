"""`exemplars publish ID --reviewer NAME`: the reviewer's step after a story came in through the web form (or by
hand): three lines change, the rest of the file stays byte for byte, and what `check` refuses is refused first."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import yaml
from conftest import run_cli

# As Decap writes it: keys in the form's order, a date unquoted, a one-item list of mappings, status review.
IN_REVIEW = """---
id: biaodan-tougao-2024
title: 网页表单投稿的测试故事
kind: exemplar
methods:
  - minzhu-xieshang
summary: 某某镇用网页表单投稿，编辑不用装任何软件。
region: 浙江省/湖州市
date: 2024-03-05
status: review
sources:
  - title: 《湖州日报》2024年3月6日第2版
author: 林晓
---
镇里的干部把投稿表单发给了村里的通讯员。
"""
PATH = "stories/tougao/biaodan-tougao-2024.md"  # where the web form saves a new story
MOVED = "stories/zhejiang/biaodan-tougao-2024.md"  # its province's folder, where publish moves it


def _head(text: str) -> dict:
    return yaml.safe_load(text.split("---\n")[1])


def test_publish_sets_three_fields_and_leaves_every_other_line(library_copy):
    root = library_copy({PATH: IN_REVIEW})
    result = run_cli("publish", "biaodan-tougao-2024", "--reviewer", "周文澜", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "已发布" in result.stdout and MOVED in result.stdout
    assert not (root / PATH).exists()
    text = (root / MOVED).read_text(encoding="utf-8")
    head = _head(text)
    assert head["status"] == "published" and head["reviewed_by"] == "周文澜"
    assert head["published"] == dt.date.today()
    changed = set(text.splitlines()) ^ set(IN_REVIEW.splitlines())
    assert changed == {
        "status: review",
        "status: published",
        "reviewed_by: 周文澜",
        f"published: {dt.date.today().isoformat()}",
    }
    check = run_cli("check", cwd=root)
    assert check.returncode == 0, check.stdout + check.stderr


def test_publish_leaves_a_story_filed_outside_the_inbox_where_it_is(library_copy):
    elsewhere = "stories/henan/biaodan-tougao-2024.md"  # a story filed by hand: its folder is the editor's choice
    root = library_copy({elsewhere: IN_REVIEW})
    result = run_cli("publish", "biaodan-tougao-2024", "--reviewer", "周文澜", cwd=root)
    assert result.returncode == 0 and elsewhere in result.stdout, result.stderr
    assert _head((root / elsewhere).read_text(encoding="utf-8"))["status"] == "published"
    assert not (root / MOVED).exists()


def test_a_cover_beside_the_story_keeps_it_in_the_inbox(library_copy):
    """Moving would break a cover named alone (beside the story): the story is published where it is."""
    import io

    from PIL import Image

    image = io.BytesIO()
    Image.new("RGB", (1200, 630), (200, 120, 60)).save(image, "JPEG")
    story = IN_REVIEW.replace("author: 林晓\n", "author: 林晓\ncover: qiao.jpg\ncover_alt: 老桥边的屋场会\n")
    root = library_copy({PATH: story, "stories/tougao/qiao.jpg": image.getvalue()})
    assert run_cli("check", cwd=root).returncode == 0
    result = run_cli("publish", "biaodan-tougao-2024", "--reviewer", "周文澜", cwd=root)
    assert result.returncode == 0 and PATH in result.stdout, result.stderr
    assert not (root / MOVED).exists() and run_cli("check", cwd=root).returncode == 0


def test_publish_keeps_an_earlier_publication_date_and_replaces_a_block_value(library_copy):
    story = IN_REVIEW.replace("status: review\n", "status: review\npublished: 2024-04-02\nreviewed_by:\n  - 旧值\n")
    root = library_copy({PATH: story})
    result = run_cli("publish", "biaodan-tougao-2024", "--reviewer", "周文澜", cwd=root)
    assert result.returncode == 0, result.stderr
    head = _head((root / MOVED).read_text(encoding="utf-8"))
    assert head["published"] == dt.date(2024, 4, 2) and head["reviewed_by"] == "周文澜"


@pytest.mark.parametrize(
    "args, status, expected",
    [
        (("--reviewer", "林晓"), "review", "E-REVIEW-SELF"),  # the author cannot publish their own story
        (("--reviewer", "  "), "review", "--reviewer"),
        (("--reviewer", "周文澜"), "draft", "只有待审（review）的故事可以发布"),
    ],
)
def test_publish_refuses_and_writes_nothing(library_copy, args, status, expected):
    story = IN_REVIEW.replace("status: review", f"status: {status}")
    root = library_copy({PATH: story})
    result = run_cli("publish", "biaodan-tougao-2024", *args, cwd=root)
    assert result.returncode == 1 and expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert (root / PATH).read_text(encoding="utf-8") == story


def test_publish_an_unknown_id_names_the_status_command(library_copy):
    root = library_copy({PATH: IN_REVIEW})
    result = run_cli("publish", "no-such-story", "--reviewer", "周文澜", cwd=root)
    assert result.returncode == 1 and "no-such-story" in result.stderr and "exemplars status" in result.stderr


def test_publish_rolls_back_when_the_result_fails_check(library_copy):
    """A story `check` accepts in review but not once published (here: its existing publication date lies before
    the event's date, E-PUBLISHED-BEFORE-DATE): the file is restored and the checker's line is shown."""
    story = IN_REVIEW.replace("status: review\n", "status: review\npublished: 2024-01-02\n")
    root = library_copy({PATH: story})
    result = run_cli("publish", "biaodan-tougao-2024", "--reviewer", "周文澜", cwd=root)
    assert result.returncode == 1 and "文件保持原样" in result.stderr, result.stderr
    assert "E-PUBLISHED-BEFORE-DATE" in result.stderr and f"{PATH}:" in result.stderr
    assert (root / PATH).read_text(encoding="utf-8") == story


@pytest.mark.parametrize("name, written", [("yes", '"yes"'), ("张三: 李四", '"张三: 李四"'), ("欧阳·文", "欧阳·文")])
def test_reviewer_names_are_written_as_valid_yaml(library_copy, name, written):
    root = library_copy({PATH: IN_REVIEW})
    assert run_cli("publish", "biaodan-tougao-2024", "--reviewer", name, cwd=root).returncode == 0
    text = (root / MOVED).read_text(encoding="utf-8")
    assert f"reviewed_by: {written}\n" in text and _head(text)["reviewed_by"] == name


# Exactly what Decap 3.16.3 saved in tests/test_cms_browser.py: a quoted title (": "), a long summary folded over
# two lines at a space, block lists. Covered here too, so machines without node still check the loader on it.
DECAP_WROTE = """---
id: cms-ceshi-gushi-2024
title: "网页表单: 某某镇的测试故事"
kind: cautionary
methods:
  - minzhu-xieshang
  - jiaoyu-shudao
summary: 某某镇用网页表单投稿（Decap CMS web form），编辑不用装任何软件，也不用写 YAML 文件头；保存后 exemplars
  check 照常检查每一个字段，审核人再用 exemplars publish 发布。
region: 浙江省/湖州市
date: 2024-03-05
status: {status}
sources:
  - title: 《湖州日报》2024年3月6日第2版
---
某某镇的干部把投稿表单发给了村里的通讯员。
"""


@pytest.mark.parametrize("status", ["draft", "review"])
def test_what_decap_writes_passes_check_without_a_hand_edit(library_copy, status):
    root = library_copy({"stories/tougao/cms-ceshi-gushi-2024.md": DECAP_WROTE.format(status=status)})
    result = run_cli("check", "--format", "json", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    mine = [d for d in json.loads(result.stdout or "[]") if d["path"].startswith("stories/tougao/")]
    assert [d for d in mine if d["severity"] == "error"] == [], mine
    head = _head(DECAP_WROTE.format(status=status))
    assert head["summary"].count("\n") == 0 and "exemplars check" in head["summary"]  # folding is a space
