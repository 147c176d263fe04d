"""`exemplars new-lesson`: a trainer's lesson draft from the schema, one story card per cited story in teaching
order; the placeholders it leaves are warnings in a draft and errors once the lesson goes to review."""

from __future__ import annotations

from sitebuild import build_site, page, parse

from exemplars.library import load_library

ARGS = [
    "--title",
    "宅基地纠纷怎样调",
    "--audience",
    "新任村（社区）党组织书记",
    "--duration",
    "90分钟",
    "--method",
    "教育疏导法",
    "--story",
    "hezuo-tiaojie-2021",
    "--story",
    "jieliu-2019",
    "--id",
    "zhaijidi-tiaojie",
]


def test_new_lesson_writes_a_draft_that_passes_check_and_builds(library_copy, cli, tmp_path):
    root = library_copy()
    result = cli("new-lesson", "--root", str(root), *ARGS, "--author", "林晓")
    assert result.returncode == 0, result.stderr
    assert "已创建 lessons/zhaijidi-tiaojie.md" in result.stdout and "引用 2 个故事" in result.stdout
    path = root / "lessons" / "zhaijidi-tiaojie.md"
    lesson = next(x for x in load_library(root).lessons if x.id == "zhaijidi-tiaojie")
    assert (lesson.title, lesson.audience, lesson.duration, lesson.status) == (
        "宅基地纠纷怎样调",
        "新任村（社区）党组织书记",
        90,
        "draft",
    )
    assert list(lesson.methods) == ["jiaoyu-shudao"] and list(lesson.stories) == ["hezuo-tiaojie-2021", "jieliu-2019"]
    text = path.read_text(encoding="utf-8")
    # one card per story, in teaching order, under a heading naming it
    first, second = text.index("[[story:hezuo-tiaojie-2021]]"), text.index("[[story:jieliu-2019]]")
    assert first < second and "### 二、案例：老支书调解宅基地纠纷" in text and "### 四、小结" in text

    check = cli("check", "--root", str(root), str(path))
    assert check.returncode == 0, check.stdout + check.stderr
    warned = {line.split("`")[1] for line in check.stdout.splitlines() if "W-PLACEHOLDER" in line}
    assert {"objectives", "questions", "summary", "正文"} <= warned
    assert "lessons/zhaijidi-tiaojie.md:8: 警告 W-PLACEHOLDER" in check.stdout  # the objectives line

    path.write_text(text.replace("status: draft", "status: review"), encoding="utf-8")
    check = cli("check", "--root", str(root), str(path))
    assert check.returncode == 1 and "E-PLACEHOLDER" in check.stdout

    path.write_text(text, encoding="utf-8")  # a draft shows in the preview with its cards
    site = build_site(root, tmp_path / "site", preview=True)
    cards = parse(page(site, "lessons/zhaijidi-tiaojie/")).select("div.ex-cite:not(.ex-cite--missing)")
    assert [card.select_one(".ex-cite__title").get_text(strip=True) for card in cards] == [
        "老支书调解宅基地纠纷",
        "某村干部截留补助被查处",
    ]
    # the preview lists the placeholders on the page, and says warnings do not stop a public build
    problems = parse(page(site, "lessons/zhaijidi-tiaojie/")).select_one(".ex-problems")
    assert "只有警告，不妨碍公开构建" in problems.get_text() and len(problems.select("li")) == 7
    assert "ex-problems--warnings" in problems["class"] and problems["role"] == "status"  # amber, not an alarm

    path.write_text(text.replace("status: draft", "status: review"), encoding="utf-8")
    site = build_site(root, tmp_path / "site-review", strict=False, preview=True)
    problems = parse(page(site, "lessons/zhaijidi-tiaojie/")).select_one(".ex-problems")
    assert "检查发现 7 个错误" in problems.get_text() and "公开构建会拒绝" in problems.get_text()
    assert "ex-problems--warnings" not in problems["class"] and problems["role"] == "alert"


def test_new_lesson_refuses_unknown_stories_taken_ids_and_missing_flags(library_copy, cli):
    root = library_copy()
    args = list(ARGS)
    args[args.index("jieliu-2019")] = "jieliu-2018"
    result = cli("new-lesson", "--root", str(root), *args)
    assert result.returncode == 2 and "找不到故事 `jieliu-2018`" in result.stderr and "jieliu-2019" in result.stderr
    assert "Traceback" not in result.stderr
    for taken in ("jieliu-2019", "laozhishu-2021"):  # a story's id or old id is not free for a lesson
        args = list(ARGS)
        args[args.index("zhaijidi-tiaojie")] = taken
        result = cli("new-lesson", "--root", str(root), *args)
        assert result.returncode == 2 and "已被" in result.stderr
    result = cli("new-lesson", "--root", str(root), "--title", "只有标题")
    assert result.returncode == 2
    assert "--audience" in result.stderr and "--story" in result.stderr and "exemplars new-lesson" in result.stderr
    assert not (root / "lessons").exists() or not any((root / "lessons").glob("*.md"))
    args = list(ARGS)
    args[args.index("90分钟")] = "一个半小时"
    result = cli("new-lesson", "--root", str(root), *args)
    assert result.returncode == 2 and "时长" in result.stderr
