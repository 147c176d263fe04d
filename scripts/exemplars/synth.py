"""Synthetic libraries for benchmarks and scale tests: N realistic Chinese stories, deterministic per seed.

Bodies recombine sentences of the sample stories (real, natural Chinese) with generated people, places and
figures, so that text, segmentation and search behave as they would on a real library.
"""
from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

from .library import discover, load_library
from .cautionary import cut_to_city
from .regions import PROVINCES
from .schema import STORY

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "建国秀兰红梅志强海燕丽华玉芬德明春生桂英永平淑珍国庆文军小红晓东雪梅立新金凤宏伟丽娟振华凤英家乐思远雨桐子涵"
PLACE = "青石桥山河溪湾坪岭塘沟坝林桃李柳杨槐竹梅松柏枣杏泉池东西南北新安乐和丰宁平康福兴"
DOMAINS = ("就业", "就学", "就医", "出行", "社保", "扶贫", "调解", "环境", "养老", "住房", "产业", "治理")
FALLBACK_SENTENCES = (
    "村里召开议事会，请每户派一名代表参加，把要办的事摆到桌面上商量",
    "干部挨家挨户上门，先听群众说，再把政策一条一条讲清楚",
    "三个月后，群众的满意率明显提高，原来的矛盾也慢慢化解了",
    "这件事说明，群众工作没有捷径，只有把群众的事当成自己的事",
)


def _sentences(repo: Path) -> list[str]:
    pool: list[str] = []
    for path in discover(repo, STORY):
        text = Path(path).read_text(encoding="utf-8").split("\n---", 2)[-1]
        for line in text.splitlines():
            if line.startswith("#") or not line.strip():
                continue
            pool.extend(s.strip() for s in re.split(r"(?<=[。！？])", line) if len(s.strip()) >= 12)
    return pool or list(FALLBACK_SENTENCES)


def _name(rng: random.Random, cautionary: bool) -> str:
    surname = rng.choice(SURNAMES)
    return surname + "某某" if cautionary else surname + "".join(rng.sample(GIVEN, 2))


def _place(rng: random.Random, suffix: str) -> str:
    return "".join(rng.sample(PLACE, 2)) + suffix


def make_library(dest: Path, count: int, repo: Path, seed: int = 7) -> Path:
    """Write a library of `count` published stories (plus repo's methods) under `dest`; returns dest."""
    rng = random.Random(seed)
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(repo / "methods", dest / "methods")
    methods = [m.id for m in load_library(dest).methods]
    sentences = _sentences(repo)
    provinces = [(name, slug) for name, slug, _ in PROVINCES[:31]]
    cities = {name: [_place(rng, "市") for _ in range(6)] for name, _ in provinces}
    counties = {c: [_place(rng, rng.choice("县区")) for _ in range(5)] for cs in cities.values() for c in cs}
    for index in range(count):
        kind = "cautionary" if rng.random() < 0.3 else "exemplar"
        province, slug = rng.choice(provinces)
        city = rng.choice(cities[province])
        # a cautionary case goes no lower than the city level, which for a municipality is the municipality itself
        region = cut_to_city((province, city)) if kind == "cautionary" else f"{province}/{city}/{rng.choice(counties[city])}"
        year = rng.randint(2012, 2025)
        person, village = _name(rng, kind == "cautionary"), _place(rng, "村")
        title = f"{person}与{village}的{rng.choice(DOMAINS)}故事" if kind == "exemplar" else f"{person}{rng.choice(('截留补助', '推诿群众', '弄虚作假', '态度粗暴'))}被查处"
        story_methods = rng.sample(methods, k=min(len(methods), rng.choice((1, 2, 2, 3))))
        paragraphs = []
        for heading in (("背景", "做法", "成效", "启示") if kind == "exemplar" else ("问题", "查处", "警示")):
            body = "".join(rng.choice(sentences) for _ in range(rng.randint(5, 8)))
            body = body.replace("。", f"。{person}说，{village}的事要大家一起办。", 1) if heading in ("做法", "问题") else body
            paragraphs.append(f"## {heading}\n\n{body}")
        summary = f"{village}{person}用群众工作方法解决{rng.choice(DOMAINS)}难题，投入{rng.randint(2, 90)}万元，惠及{rng.randint(20, 900)}户群众。"
        front = "\n".join([
            "---", f"id: synth-{index:05d}", f"title: {title}", f"kind: {kind}",
            f"methods: [{', '.join(story_methods)}]", f"summary: {summary}", f"region: {region}",
            f"date: {year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "status: published",
            # published the year after the event, on a day spread by index (no draw: the same stories as before)
            f"published: {year + 1}-{index % 12 + 1:02d}-{index % 28 + 1:02d}",
            f"domains: [{rng.choice(DOMAINS)}]", "author: 基准作者", "reviewed_by: 基准审核", "sample: true", "sources:", "  - title: 虚构示例：基准测试生成", "---", "",
        ])
        path = dest / "stories" / slug / f"synth-{index:05d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(front + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return dest
