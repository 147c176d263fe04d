"""Cautionary cases (反面典型) go no lower than the city and name nobody: the region level rule and the full-name
rule, as functions and through the real `exemplars check`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPO, run_cli

from exemplars.cautionary import below_city, cut_to_city, full_names
from exemplars.library import load_library


@pytest.mark.parametrize(
    "region, below, cut",
    [
        ("浙江省", False, "浙江省"),
        ("浙江省/杭州市", False, "浙江省/杭州市"),
        ("浙江省/杭州市/临安区", True, "浙江省/杭州市"),
        ("浙江省/杭州市/临安区/某镇", True, "浙江省/杭州市"),
        ("湖北省/仙桃市", False, "湖北省/仙桃市"),  # a county-level city directly under the province
        ("湖北省/神农架林区", False, "湖北省/神农架林区"),
        ("海南省/五指山市", False, "海南省/五指山市"),
        ("新疆维吾尔自治区/石河子市", False, "新疆维吾尔自治区/石河子市"),
        ("内蒙古自治区/呼伦贝尔市/某旗", True, "内蒙古自治区/呼伦贝尔市"),
        ("北京市", False, "北京市"),
        ("北京市/朝阳区", True, "北京市"),  # a municipality is the city level itself
        ("天津市/滨海新区", True, "天津市"),
        ("上海市/浦东新区", True, "上海市"),
        ("重庆市/城口县", True, "重庆市"),
        ("香港特别行政区/油尖旺区", True, "香港特别行政区"),
        ("澳门特别行政区", False, "澳门特别行政区"),
        ("台湾省/台北市", False, "台湾省/台北市"),  # a province
        ("台湾省/台北市/大安区", True, "台湾省/台北市"),
    ],
)
def test_region_level(region, below, cut):
    parts = tuple(region.split("/"))
    assert below_city(parts) is below
    assert cut_to_city(parts) == cut


@pytest.mark.parametrize(
    "text, names",
    [
        ("副镇长孙建国值班接访时态度生硬", ["孙建国"]),
        ("村党支部书记王强截留补助", ["王强截"]),  # two characters after the surname are taken: the message quotes them
        ("社区居委会主任李秀英在群里训人", ["李秀英"]),
        ("村会计张伟挪用资金", ["张伟挪"]),
        ("窗口工作人员刘洋推拒老人", ["刘洋推"]),
        ("村支书张三截留低保金", ["张三截"]),
        ("辅警李四殴打群众", ["李四殴"]),
        ("副镇长孙某某值班接访", []),
        ("村党支部副书记李某某借代领代发之机", []),
        ("村会计张某挪用资金", []),
        ("村主任赵X截留补助", []),
        ("某镇党委书记和镇长被问责", []),  # 和 is not taken for a surname
        ("镇长高度重视，书记方案先行", []),  # ordinary words after a role word
        ("宝鸡市某镇值班干部态度生硬", []),
        ("村党支部书记曾多次截留补助", []),  # 曾 (once) and 任 (appoint) read as words here, not surnames
        ("干部任用程序不规范", []),
        ("村干部截留贫困户产业奖补被查处", []),
    ],
)
def test_full_names_after_a_role_word(text, names):
    assert full_names(text) == names


def test_no_full_name_in_the_sample_cautionary_cases():
    """The detector was chosen so that the sample library raises no false alarm; its exemplar stories, which may
    name people, show that it does find names where they are written."""
    library = load_library(REPO)
    cautionary = [s for s in library.stories if s.kind == "cautionary"]
    assert len(cautionary) >= 10
    assert [(s.id, full_names(s.title + s.summary)) for s in cautionary if full_names(s.title + s.summary)] == []
    named = [s.id for s in library.stories if s.kind == "exemplar" and full_names(s.summary + s.body)]
    assert len(named) >= 5


STORY = """---
id: {id}
title: {title}
kind: {kind}
methods: [weimin-mouli]
summary: {summary}
region: {region}
date: 2019-09-10
status: {status}
sources:
  - title: 虚构示例：测试用故事
reviewed_by: 周文澜
---
## 问题

某村干部截留补助。
"""


def check_story(library_copy, **fields) -> list[tuple[int, str]]:
    values = {
        "id": "jingshi-2019",
        "title": "某村干部截留补助被查处",
        "kind": "cautionary",
        "summary": "某村干部截留困难群众补助，被查处并退赔。",
        "region": "河南省/南阳市",
        "status": "published",
        **fields,
    }
    root: Path = library_copy({"stories/test/jingshi-2019.md": STORY.format(**values)})
    result = run_cli("check", "--format", "json", "stories/test/jingshi-2019.md", cwd=root)
    return [(d["line"], d["code"]) for d in json.loads(result.stdout) if "CAUTIONARY" in d["code"]]


@pytest.mark.parametrize(
    "status, code",
    [
        ("published", "E-CAUTIONARY-REGION"),
        ("review", "E-CAUTIONARY-REGION"),
        ("withdrawn", "E-CAUTIONARY-REGION"),
        ("draft", "W-CAUTIONARY-REGION"),
    ],
)
def test_check_flags_a_cautionary_region_below_the_city(library_copy, status, code):
    assert check_story(library_copy, region="浙江省/杭州市/临安区", status=status) == [(7, code)]


@pytest.mark.parametrize("region", ["北京市/朝阳区", "重庆市/城口县", "河南省/南阳市/某县"])
def test_check_message_names_the_region_and_the_cut(library_copy, region):
    root = library_copy(
        {
            "stories/test/jingshi-2019.md": STORY.format(
                id="jingshi-2019",
                title="某村干部截留补助被查处",
                kind="cautionary",
                summary="某村干部截留补助。",
                region=region,
                status="review",
            )
        }
    )
    result = run_cli("check", "stories/test/jingshi-2019.md", cwd=root)
    assert result.returncode != 0
    cut = cut_to_city(tuple(region.split("/")))
    line = next(line for line in result.stdout.splitlines() if "E-CAUTIONARY-REGION" in line)
    assert line.startswith("stories/test/jingshi-2019.md:7:") and f"`{region}`" in line and f"region: {cut}" in line


@pytest.mark.parametrize("region", ["河南省/南阳市", "湖北省/仙桃市", "北京市", "河南省"])
def test_check_accepts_a_cautionary_region_at_city_level(library_copy, region):
    assert check_story(library_copy, region=region) == []


def test_an_exemplar_may_name_any_level_and_any_person(library_copy):
    assert (
        check_story(
            library_copy, kind="exemplar", region="浙江省/湖州市/安吉县/余村", title="村党支部书记王建国带头修路"
        )
        == []
    )


@pytest.mark.parametrize("status, code", [("published", "E-CAUTIONARY-NAME"), ("draft", "W-CAUTIONARY-NAME")])
def test_check_flags_a_full_name_in_title_or_summary(library_copy, status, code):
    found = check_story(
        library_copy,
        status=status,
        title="村党支部书记王建国截留补助被查处",
        summary="村会计张丽华挪用补助，被查处并退赔。",
    )
    assert found == [(3, code), (6, code)]
