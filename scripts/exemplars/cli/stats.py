"""`exemplars stats`: the library's figures (exemplars/stats.py) as text tables or JSON. The site shows the same
figures on its 库情 page (site/stats.py)."""

from __future__ import annotations

import json

from ..library import load_library
from ..model import Story
from ..schema import KINDS
from ..stats import MIN_EXEMPLARS, STALE_YEARS, Figures, figures
from .common import EXIT_OK, UsageError, library_root, text_table, valid_date


def register(commands) -> None:
    parser = commands.add(
        "stats",
        help="统计已发布的故事：方法、省份、年份和需要补充之处",
        description="只统计已发布（published）的故事；“超过五年”相对基准日期计算，不看今天的日期。",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="输出格式：text（默认）或 json")
    parser.add_argument(
        "--min-exemplars",
        type=int,
        default=MIN_EXEMPLARS,
        metavar="N",
        help=f"正面典型少于 N 篇的方法列为需要补充（默认 {MIN_EXEMPLARS}）",
    )
    parser.add_argument("--reference-date", metavar="YYYY-MM-DD", help="基准日期（默认：最新一篇已发布故事的发生日期）")
    parser.set_defaults(handler=cmd_stats)


def cmd_stats(args) -> int:
    if args.min_exemplars < 0:
        raise UsageError("--min-exemplars 不能是负数")
    reference = valid_date(args.reference_date) if args.reference_date else None
    fig = figures(load_library(library_root(args)), reference, args.min_exemplars)
    if args.format == "json":
        print(json.dumps(fig.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_text(fig))
    return EXIT_OK


def format_text(fig: Figures) -> str:
    kinds = list(KINDS)
    out = [f"已发布的故事：{fig.total} 篇（" + "，".join(f"{KINDS[k]} {fig.kinds[k]} 篇" for k in kinds) + "）"]
    if fig.reference_date:
        out.append(f"基准日期：{fig.reference_date.isoformat()}（最新一篇已发布故事的日期，或 --reference-date 指定）")
    out += [
        "",
        "一、各方法的故事数",
        text_table(
            ["方法", *(KINDS[k] for k in kinds), "合计"],
            [[row.name, *(row.counts[k] for k in kinds), row.total] for row in fig.methods],
            numeric=frozenset(range(1, len(kinds) + 2)),
        ),
    ]
    out += [
        "",
        "二、各省份",
        text_table(["省份", "篇数"], [list(p) for p in fig.provinces], numeric={1}) if fig.provinces else "  （无）",
    ]
    out += [
        "",
        "三、各年份（按发生日期）",
        text_table(["年份", "篇数"], [list(y) for y in fig.years], numeric={1}) if fig.years else "  （无）",
    ]
    out += [
        "",
        "四、需要补充的方法",
        "  没有反面典型：" + ("、".join(row.name for row in fig.no_cautionary) or "无"),
        f"  正面典型少于 {fig.min_exemplars} 篇："
        + ("、".join(f"{row.name}（{row.counts['exemplar']} 篇）" for row in fig.few_exemplars) or "无"),
    ]
    stale_title = (
        f"五、超过 {STALE_YEARS} 年未更新的故事（发生在 {fig.stale_before.isoformat()} 之前且没有 updated）"
        if fig.stale_before
        else f"五、超过 {STALE_YEARS} 年未更新的故事"
    )
    out += ["", stale_title, _story_table(fig.stale)]
    out += ["", "六、只有一条来源的故事", _story_table(fig.single_source)]
    return "\n".join(out)


def _story_table(stories: list[Story]) -> str:
    if not stories:
        return "  （无）"
    return text_table(["日期", "标识", "标题", "文件"], [[s.date.isoformat(), s.id, s.title, s.path] for s in stories])
