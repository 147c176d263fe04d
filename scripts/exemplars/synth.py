"""Synthetic libraries for benchmarks and scale tests: N realistic Chinese stories, deterministic per seed.

Bodies recombine sentences of the sample stories (real, natural Chinese) with generated people, places and
figures, so that text, segmentation and search behave as they would on a real library. Lessons (one per ~30 stories,
each citing 3-5 stories that share its method) come from their own random stream: adding them left every story
file byte-identical to what the same seed gave before.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

from .cautionary import cut_to_city
from .library import discover, load_library
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
    method_names = {m.id: m.name for m in load_library(dest).methods}
    methods = list(method_names)
    sentences = _sentences(repo)
    provinces = [(name, slug) for name, slug, _ in PROVINCES[:31]]
    cities = {name: [_place(rng, "市") for _ in range(6)] for name, _ in provinces}
    counties = {c: [_place(rng, rng.choice("县区")) for _ in range(5)] for cs in cities.values() for c in cs}
    written: list[tuple[str, str, str, list[str]]] = []  # (id, kind, title, methods) of each story, for the lessons
    for index in range(count):
        kind = "cautionary" if rng.random() < 0.3 else "exemplar"
        province, slug = rng.choice(provinces)
        city = rng.choice(cities[province])
        # a cautionary case goes no lower than the city level, which for a municipality is the municipality itself
        region = (
            cut_to_city((province, city)) if kind == "cautionary" else f"{province}/{city}/{rng.choice(counties[city])}"
        )
        year = rng.randint(2012, 2025)
        person, village = _name(rng, kind == "cautionary"), _place(rng, "村")
        title = (
            f"{person}与{village}的{rng.choice(DOMAINS)}故事"
            if kind == "exemplar"
            else f"{person}{rng.choice(('截留补助', '推诿群众', '弄虚作假', '态度粗暴'))}被查处"
        )
        story_methods = rng.sample(methods, k=min(len(methods), rng.choice((1, 2, 2, 3))))
        paragraphs = []
        for heading in ("背景", "做法", "成效", "启示") if kind == "exemplar" else ("问题", "查处", "警示"):
            body = "".join(rng.choice(sentences) for _ in range(rng.randint(5, 8)))
            body = (
                body.replace("。", f"。{person}说，{village}的事要大家一起办。", 1)
                if heading in ("做法", "问题")
                else body
            )
            paragraphs.append(f"## {heading}\n\n{body}")
        summary = (
            f"{village}{person}用群众工作方法解决{rng.choice(DOMAINS)}难题，"
            f"投入{rng.randint(2, 90)}万元，惠及{rng.randint(20, 900)}户群众。"
        )
        front = "\n".join(
            [
                "---",
                f"id: synth-{index:05d}",
                f"title: {title}",
                f"kind: {kind}",
                f"methods: [{', '.join(story_methods)}]",
                f"summary: {summary}",
                f"region: {region}",
                f"date: {year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "status: published",
                # published the year after the event, on a day spread by index (no draw: the same stories as before)
                f"published: {year + 1}-{index % 12 + 1:02d}-{index % 28 + 1:02d}",
                f"domains: [{rng.choice(DOMAINS)}]",
                "author: 基准作者",
                "reviewed_by: 基准审核",
                "sample: true",
                "sources:",
                "  - title: 虚构示例：基准测试生成",
                "---",
                "",
            ]
        )
        path = dest / "stories" / slug / f"synth-{index:05d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(front + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
        written.append((f"synth-{index:05d}", kind, title, story_methods))
    _write_lessons(dest, written, method_names, random.Random(f"lessons-{seed}"))
    return dest


STORIES_PER_LESSON = 30
AUDIENCES = ("新任村（社区）党组织书记", "乡镇（街道）干部", "社区网格员", "基层纪检监察干部", "驻村第一书记")
OBJECTIVES = (
    "能说出{m}的基本步骤和适用情形",
    "能结合本地实际设计一次{m}的工作方案",
    "能从反面案例中找出违背{m}要求的做法",
    "能向群众讲清楚一项政策的来龙去脉",
    "能为一件群众反映的难事列出办理时限和反馈方式",
)
QUESTIONS = (
    "{s}里，哪一步最值得你所在的地方借鉴？为什么？",
    "如果你是{s}里的干部，开头一个月会做哪三件事？",
    "群众意见不一致时，{m}应当怎样往下推进？",
    "有的干部说“群众工作费时间”，你怎么看？",
    "把今天的案例和你身边的一件事对照，差在哪里？",
)


def _write_lessons(
    dest: Path, stories: list[tuple[str, str, str, list[str]]], method_names: dict[str, str], rng: random.Random
) -> None:
    """One published lesson per STORIES_PER_LESSON stories: a method, 3-5 stories that use it (exemplars first,
    then cautionary cases, as trainers order them), objectives, questions and a teaching flow with story cards."""
    by_method: dict[str, list[tuple[str, str]]] = {}
    titles = {story_id: title for story_id, _, title, _ in stories}
    for story_id, kind, _, methods in stories:
        for method in methods:
            by_method.setdefault(method, []).append((story_id, kind))
    usable = sorted(m for m, cited in by_method.items() if len(cited) >= 3)
    for index in range(len(stories) // STORIES_PER_LESSON if usable else 0):
        method = rng.choice(usable)
        pool = by_method[method]
        cited = sorted(rng.sample(pool, k=min(len(pool), rng.randint(3, 5))), key=lambda s: (s[1] != "exemplar", s[0]))
        ids = [story_id for story_id, _ in cited]
        name, first = method_names[method], f"《{titles[ids[0]]}》"
        steps = [
            f"{n}. **{'正面案例' if kind == 'exemplar' else '反面案例'}（{rng.choice((10, 15, 20))} 分钟）**：\n\n"
            f"   [[story:{story_id}]]\n"
            for n, (story_id, kind) in enumerate(cited, start=2)
        ]
        lines = [
            "---",
            f"id: synth-lesson-{index:03d}",
            f"title: {name}专题课（第 {index + 1} 讲）",
            f"audience: {rng.choice(AUDIENCES)}",
            f"duration: {rng.choice((60, 90, 120))}",
            f"methods: [{method}]",
            "stories:",
            *(f"  - {story_id}" for story_id in ids),
            "objectives:",
            *(f"  - {o.format(m=name)}" for o in rng.sample(OBJECTIVES, k=rng.randint(2, 3))),
            "questions:",
            *(f"  - {q.format(m=name, s=first)}" for q in rng.sample(QUESTIONS, k=rng.randint(2, 4))),
            "status: published",
            f"summary: 用 {len(ids)} 个案例讲清{name}的做与不做。",
            "author: 基准作者",
            "sample: true",
            "---",
            "",
            "## 课程流程",
            "",
            "1. **导入（10 分钟）**：请学员说说自己最近办成的一件群众的事。",
            "",
            *steps,
            f"{len(cited) + 2}. **小结（15 分钟）**：共同整理一张方法清单。",
            "",
        ]
        path = dest / "lessons" / f"synth-lesson-{index:03d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines), encoding="utf-8")
