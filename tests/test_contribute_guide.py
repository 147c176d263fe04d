"""The contribution guide (docs/contribute.md) tells the truth: its two complete example stories pass the checker,
every command it shows exists, what it says about CI, pre-commit, VS Code and the pull-request checklist matches
the files that do it, and the built 投稿指南 page carries the field and code tables generated from the schema."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
import yaml
from conftest import REPO
from sitebuild import build_site, copy_repo, parse

from exemplars.library import load_library
from exemplars.messages import CATALOGUE
from exemplars.regions import PROVINCE_SLUGS
from exemplars.schema import STORY

GUIDE = REPO / "docs" / "contribute.md"
FICTIONAL_SOURCE = "虚构示例：本文为演示编写，人物、单位与情节均为虚构"  # what the sample stories cite
EXAMPLE_BLOCK = re.compile(r"^```markdown[ \t]*\n(---\n.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
# Commands the guide documents; each must be mentioned and exist.
DOCUMENTED = {"new", "new-lesson", "check", "status", "stats", "codes", "schema", "publish", "import"}


def guide_text() -> str:
    return GUIDE.read_text(encoding="utf-8")


def examples() -> list[str]:
    """The complete example files: fenced ```markdown blocks whose content starts with front matter."""
    return EXAMPLE_BLOCK.findall(guide_text())


def front_matter(text: str) -> dict:
    head = text.split("---\n", 2)[1]
    return yaml.safe_load(head)


def example_path(text: str) -> str:
    meta = front_matter(text)
    return f"stories/{PROVINCE_SLUGS[meta['region'].split('/')[0]]}/{meta['id']}.md"


def jsonc(path: Path) -> dict:
    """VS Code's settings.json: JSON with whole-line // comments."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.strip().startswith("//")]
    return json.loads("\n".join(lines))


# --- the two complete examples --------------------------------------------------------------------------------


def test_guide_has_one_complete_example_of_each_kind():
    found = examples()
    kinds = sorted(front_matter(text)["kind"] for text in found)
    assert kinds == ["cautionary", "exemplar"], f"expected one example of each kind, found {kinds}"
    for text in found:
        meta = front_matter(text)
        assert meta.get("sample") is True, f"{meta['id']}: a fictional example must say sample: true"
        assert [s["title"] for s in meta["sources"]] == [FICTIONAL_SOURCE], meta["id"]
        body = text.split("---\n", 2)[2]
        assert body.count("\n## ") >= 3, f"{meta['id']}: the body should follow the outline with ## headings"
        assert "待填写" not in text


def test_cautionary_example_follows_the_rules_it_sits_next_to():
    (cautionary,) = [t for t in examples() if front_matter(t)["kind"] == "cautionary"]
    meta = front_matter(cautionary)
    assert len(meta["region"].split("/")) == 2, "a cautionary case names its region to city level only"
    body = cautionary.split("---\n", 2)[2]
    people = re.findall(r"[\u4e00-\u9fff]某某", body + meta["summary"])
    assert people, "people in a cautionary case are anonymised as 某某"
    for place in ("某县", "某镇", "某村"):
        assert place in body, f"places below city level are written {place}"
    assert "公开通报" in body, "a cautionary case rests on a public notice"
    assert meta["status"] == "published" and meta["reviewed_by"] != meta["author"]


def test_examples_pass_exemplars_check(library_copy, cli):
    files = {example_path(text): text for text in examples()}
    assert len(files) == 2
    root = library_copy(files)
    result = cli("check", "--root", str(root), "--format", "json")
    diags = json.loads(result.stdout or "[]")
    ours = [d for d in diags if d["path"] in files]
    assert ours == [], "\n".join(f"{d['path']}:{d['line']}: {d['code']} {d['message']}" for d in ours)
    assert result.returncode == 0, result.stdout + result.stderr
    library = load_library(root)
    for path, text in files.items():
        meta = front_matter(text)
        story = library.story(meta["id"])
        assert story is not None and story.path == path and story.kind == meta["kind"]


def test_exemplar_example_published_as_the_guide_says(library_copy, cli):
    """The reviewer's step from the guide: add reviewed_by, set status to published, write the publication date.
    Still clean; without the date a warning; and a story "reviewed" by its own author is refused, as the guide
    warns."""
    (exemplar,) = [t for t in examples() if front_matter(t)["kind"] == "exemplar"]
    assert "status: review\n" in exemplar
    path = example_path(exemplar)
    undated = exemplar.replace("status: review\n", "status: published\nreviewed_by: 周文澜\n")
    root = library_copy({path: undated})
    result = cli("check", "--root", str(root), path, "--format", "json", cwd=root)
    assert result.returncode == 0 and [d["code"] for d in json.loads(result.stdout)] == ["W-PUBLISHED-MISSING"]
    assert "W-PUBLISHED-MISSING" in guide_text() and "`published: " in guide_text()
    published = undated.replace("reviewed_by: 周文澜\n", "reviewed_by: 周文澜\npublished: 2024-06-01\n")
    (root / path).write_text(published, encoding="utf-8")
    result = cli("check", "--root", str(root), path, "--format", "json", cwd=root)
    assert result.returncode == 0 and json.loads(result.stdout or "[]") == [], result.stdout
    author = front_matter(exemplar)["author"]
    (root / path).write_text(published.replace("reviewed_by: 周文澜", f"reviewed_by: {author}"), encoding="utf-8")
    result = cli("check", "--root", str(root), path, "--format", "json", cwd=root)
    assert result.returncode == 1
    assert [d["code"] for d in json.loads(result.stdout)] == ["E-REVIEW-SELF"]
    assert "E-REVIEW-SELF" in guide_text() and "E-REVIEW-MISSING" in guide_text()


def test_the_error_line_the_guide_shows_is_what_check_prints(library_copy, cli):
    """The guide's sample error is the exemplar example with an impossible date; check prints exactly that line."""
    (exemplar,) = [t for t in examples() if front_matter(t)["kind"] == "exemplar"]
    shown = re.search(r"^(stories/\S+\.md:\d+: 错误 E-DATE-INVALID: .+)$", guide_text(), re.MULTILINE).group(1)
    bad_date = re.search(r"`date` 的值 `([0-9-]+)`", shown).group(1)
    path = example_path(exemplar)
    root = library_copy({path: re.sub(r"^date: .*$", f"date: {bad_date}", exemplar, count=1, flags=re.MULTILINE)})
    result = cli("check", "--root", str(root), path, cwd=root)
    assert result.returncode == 1
    assert result.stdout.strip().splitlines() == [shown]


def test_the_new_command_the_guide_shows_works(library_copy, cli):
    """The `exemplars new` line of the guide, run as written, creates the file its sample output names."""
    text = re.sub(r"[ \t]*\\\n[ \t]*", " ", guide_text())
    command = re.search(r"^\.venv/bin/exemplars (new --title .+)$", text, re.MULTILINE).group(1)
    created = re.search(r"^已创建 (stories/\S+\.md)（.*$", text, re.MULTILINE)
    root = library_copy()
    result = cli(*shlex.split(command), "--root", str(root), "--author", "林晓", cwd=root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == created.group(0)
    assert (root / created.group(1)).is_file()
    assert cli("check", "--root", str(root), created.group(1), cwd=root).returncode == 0  # a draft: warnings only


# --- commands ---------------------------------------------------------------------------------------------------


def help_commands(cli) -> set[str]:
    result = cli("--help")
    assert result.returncode == 0, result.stderr
    section = re.split(r"^命令[:：]$", result.stdout, maxsplit=1, flags=re.MULTILINE)[1]  # heading: "命令："
    return set(re.findall(r"^ {4}([a-z][a-z-]*) {2,}", section, re.MULTILINE))


def shown_commands(text: str) -> list[tuple[str, list[str], list[str]]]:
    """Every `exemplars <command> …` the guide shows: (command, flags, --format values), per occurrence."""
    shown = []
    text = re.sub(r"[ \t]*\\\n[ \t]*", " ", text)  # shell line continuations: one command per line
    for match in re.finditer(r"(?<![\w.-])exemplars ([a-z][a-z-]*)([^`\n]*)", text):
        rest = match.group(2)
        flags = re.findall(r"(?<!\S)(--[a-z][a-z-]*|-[a-z])\b", rest)
        formats = re.findall(r"--format\s+([a-z]+)", rest)
        shown.append((match.group(1), flags, formats))
    return shown


def test_every_command_the_guide_shows_exists(cli):
    commands = help_commands(cli)
    assert DOCUMENTED <= commands, f"`exemplars --help` lacks {DOCUMENTED - commands}"
    shown = shown_commands(guide_text())
    names = {name for name, _, _ in shown}
    assert DOCUMENTED <= names, f"the guide does not show {DOCUMENTED - names}"
    assert names <= commands, f"the guide shows commands that do not exist: {names - commands}"
    helps = {}
    for name, flags, formats in shown:
        if name not in helps:
            result = cli(name, "--help")
            assert result.returncode == 0, result.stderr
            helps[name] = result.stdout
        for flag in flags:
            assert re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", helps[name]), (
                f"`exemplars {name}` has no option {flag}"
            )
        for value in formats:
            assert re.search(rf"\{{[a-z,]*\b{value}\b[a-z,]*\}}", helps[name]), (
                f"`exemplars {name} --format` does not accept {value}"
            )
    # The options the guide explains in words.
    flags_shown = {(name, flag) for name, flags, _ in shown for flag in flags}
    for expected in [
        ("check", "--watch"),
        ("check", "--format"),
        ("status", "--all"),
        ("new", "--title"),
        ("new", "--kind"),
        ("new", "--method"),
        ("new", "--region"),
        ("new", "--date"),
    ]:
        assert expected in flags_shown, f"the guide does not show `exemplars {expected[0]} {expected[1]}`"
    # Options named on their own in the text (`--id`, `--author` …) belong to `exemplars new`.
    for flag in re.findall(r"`(--[a-z][a-z-]*)[^`]*`", guide_text()):
        assert any(
            re.search(rf"(?<![\w-]){flag}(?![\w-])", helps.get(name) or cli(name, "--help").stdout)
            for name in DOCUMENTED
        ), f"no command has the option {flag} the guide mentions"
    assert "`--id`" in guide_text() and "`--author`" in guide_text()


def test_make_targets_and_pre_commit_hook_exist():
    text = guide_text()
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    for target in re.findall(r"\bmake ([a-z-]+)", text):
        assert re.search(rf"^{re.escape(target)}:", makefile, re.MULTILINE), f"the Makefile has no `{target}` target"
    assert "make serve" in text and "127.0.0.1:8000" in text
    assert ".venv/bin/pre-commit install" in text and "pre-commit run --all-files" in text
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert any("exemplars check" in hook["entry"] for hook in hooks)
    assert any(re.search(hook.get("files", ""), "stories/zhejiang/x.md") for hook in hooks)


def test_what_the_guide_says_about_ci_matches_the_workflows():
    text = guide_text()
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "check.yml").read_text(encoding="utf-8"))
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    runs = [step["run"].strip() for step in steps if "run" in step]
    assert "exemplars check --format github" in runs
    assert "exemplars check --format github" in text
    assert workflow["name"] in text, "the guide names the workflow as GitHub shows it"
    (upload,) = [step for step in steps if str(step.get("uses", "")).startswith("actions/upload-artifact")]
    assert f"`{upload['with']['name']}`" in text, "the guide names the preview artifact as the workflow does"
    assert f"保留 {upload['with']['retention-days']} 天" in text
    assert upload["with"]["path"].rstrip("/") == "site"

    gitlab = yaml.safe_load((REPO / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    artifacts = gitlab["build"]["artifacts"]
    assert f"`{artifacts['name']}`" in text and artifacts["expose_as"] in text
    assert gitlab["check"]["script"] == ["exemplars check"], "the guide says GitLab runs the plain text check"


def test_pull_request_checklist_is_described():
    template = (REPO / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    headings = re.findall(r"^\*\*(.+?)\*\*\s*$", template, re.MULTILINE)
    assert len(headings) >= 4
    section = guide_text().split("### 合并请求的核对清单", 1)[1].split("\n## ", 1)[0]
    for heading in headings:
        assert f"**{heading}**" in section, f"the guide's checklist section lacks 「{heading}」"
    for item in ("某某", "地市级", "身份证号", "reviewed_by", "site-preview"):
        assert item in template and item in section


def test_what_the_guide_says_about_vscode_is_true():
    """The guide says: the schema is wired to .yaml/.yml files under stories/, not to front matter in .md."""
    settings = jsonc(REPO / ".vscode" / "settings.json")
    schemas = settings["yaml.schemas"]
    text = guide_text()
    generated = re.search(r"exemplars schema -o (\S+)", text).group(1)
    assert "./" + generated in schemas, "the guide generates the schema file the settings point at"
    globs = [g for patterns in schemas.values() for g in patterns]
    assert globs and all(g.endswith((".yaml", ".yml")) for g in globs)
    assert all(g.startswith("stories/") for g in globs)
    assert "不会检查 `.md` 故事文件开头的文件头" in text


# --- the built page ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def guide_page(tmp_path_factory) -> Path:
    """The repository's project and library, copied (others may edit the tree meanwhile) and built strictly."""
    root = copy_repo(tmp_path_factory.mktemp("guide") / "repo")
    site = build_site(root, root / "site", strict=True)
    page = site / "contribute" / "index.html"
    assert page.is_file(), "the 投稿指南 page was not built"
    return page


def table_with_header(soup, first_header: str):
    for table in soup.select("article table"):
        header = table.select_one("thead th") or table.select_one("tr th")
        if header is not None and header.get_text(strip=True) == first_header:
            return table
    raise AssertionError(f"no table headed 「{first_header}」 on the page")


def first_cells(table) -> list[str]:
    return [row.select_one("td").get_text(strip=True) for row in table.select("tbody tr")]


def test_page_has_the_generated_field_table(guide_page):
    soup = parse(guide_page)
    assert soup.select_one("article h1").get_text(strip=True) == "投稿指南"
    assert "exemplars:fields" not in guide_page.read_text(encoding="utf-8")
    table = table_with_header(soup, "字段")
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    assert headers == ["字段", "名称", "必填", "取值", "说明", "示例"]
    assert first_cells(table) == [f.name for f in STORY.fields]
    for row, spec in zip(table.select("tbody tr"), STORY.fields):
        cells = [td.get_text(strip=True) for td in row.select("td")]
        assert cells[1] == spec.label
        assert cells[2] == ("可选" if not spec.required else "必填（草稿可暂缺）" if spec.content else "必填")


def test_page_has_the_generated_codes_table(guide_page):
    soup = parse(guide_page)
    assert "exemplars:codes" not in guide_page.read_text(encoding="utf-8")
    table = table_with_header(soup, "代码")
    assert first_cells(table) == list(CATALOGUE)
    for row in table.select("tbody tr"):
        code, level = [td.get_text(strip=True) for td in row.select("td")][:2]
        assert level == ("警告" if code.startswith("W-") else "错误")


def test_examples_render_as_code_blocks(guide_page):
    """MkDocs always adds fenced_code to hand-written pages; a fence inside a list item would still break."""
    soup = parse(guide_page)
    blocks = [pre.get_text() for pre in soup.select("article pre")]
    for text in examples():
        assert any(block.strip() == text.strip() for block in blocks), front_matter(text)["id"]
    headings = [h.get_text(strip=True) for h in soup.select("article h2, article h3")]
    assert "背景" not in headings, "the examples' own headings must not become headings of the guide"


def test_field_table_shows_help_texts_verbatim(guide_page):
    table = table_with_header(parse(guide_page), "字段")
    for row, spec in zip(table.select("tbody tr"), STORY.fields):
        assert row.select("td")[4].get_text(strip=True) == spec.help


def test_page_has_the_generated_lesson_field_table(guide_page):
    from exemplars.schema import LESSON

    soup = parse(guide_page)
    assert "exemplars:lesson-fields" not in guide_page.read_text(encoding="utf-8")
    tables = [
        t
        for t in soup.select("article table")
        if [td.get_text(strip=True) for td in t.select("tbody tr td:first-child")] == [f.name for f in LESSON.fields]
    ]
    assert len(tables) == 1
