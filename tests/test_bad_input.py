"""Every class of bad input: a real fixture file, and the exact file, line and code the checker reports."""

from __future__ import annotations

import hashlib
import os

import pytest
from conftest import FIXTURES

from exemplars.check import check_library
from exemplars.library import load_library

BAD = FIXTURES / "bad"
TARGET = "stories/zhejiang/case.md"

# fixture file → (code, line, words the message must contain)
CASES = {
    "no-front-matter.md": ("E-FM-MISSING", 1, "---"),
    "unclosed-front-matter.md": ("E-FM-UNCLOSED", 1, "---"),
    "yaml-syntax.md": ("E-YAML-SYNTAX", 6, "引号"),
    "not-a-mapping.md": ("E-FM-NOT-MAPPING", 2, "列表"),
    "duplicate-key.md": ("E-YAML-DUPKEY", 10, "第 3 行"),
    "empty.md": ("E-FILE-EMPTY", 1, "空"),
    "gbk-encoded.md": ("E-FILE-ENCODING", 3, "GBK"),
    "python-tag.md": ("E-YAML-TAG", 3, "!!python/object/apply"),
    "alias-bomb.md": ("E-YAML-ALIAS", 6, "锚点"),
    "invalid-date.md": ("E-DATE-INVALID", 8, "2019-02-30"),
    "empty-title.md": ("E-FIELD-EMPTY", 3, "title"),
    "wrong-type.md": ("E-FIELD-TYPE", 5, "列表"),
    "missing-sources.md": ("E-FIELD-MISSING", 1, "sources"),
    "unknown-key.md": ("E-FIELD-UNKNOWN", 10, "是不是 `sources`"),
    "unknown-method.md": ("E-METHOD-UNKNOWN", 7, "是不是 `民主协商法`"),
    "region-short-province.md": ("E-REGION-PROVINCE", 7, "是不是 `浙江省`"),
    "url-scheme.md": ("E-URL-SCHEME", 12, "javascript:alert(1)"),
    "invalid-kind.md": ("E-FIELD-CHOICE", 4, "exemplar"),
    "invalid-id.md": ("E-ID-FORMAT", 2, "Bad_Id_2019"),
    "body-script.md": ("E-HTML-SCRIPT", 17, "script"),
    "body-iframe.md": ("E-HTML-FRAME", 17, "iframe"),
    "body-event-attribute.md": ("E-HTML-EVENT", 17, "onerror"),
    "body-javascript-url.md": ("E-HTML-JSURL", 17, "javascript"),
    "body-id-card.md": ("E-PII-IDCARD", 17, "110***********002X"),
    "body-mobile.md": ("E-PII-MOBILE", 17, "138****5678"),
    "body-broken-link.md": ("E-LINK-MISSING", 17, "no-such-story.md"),
    "placeholder-in-review.md": ("E-PLACEHOLDER", 6, "summary"),
    "binary-nul.md": ("E-FILE-BINARY", 3, "二进制"),
    "published-without-reviewer.md": ("E-REVIEW-MISSING", 9, "reviewed_by"),
    "published-self-reviewed.md": ("E-REVIEW-SELF", 11, "林晓"),
}


def check_case(library_copy, content: bytes, target: str = TARGET):
    root = library_copy({target: content})
    return root, check_library(load_library(root))


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_fixture_is_reported_with_file_line_and_code(library_copy, name):
    code, line, words = CASES[name]
    root, diags = check_case(library_copy, (BAD / name).read_bytes())
    mine = [d for d in diags if d.path == TARGET]
    assert any(d.code == code and d.line == line for d in mine), [d.as_text() for d in mine]
    hit = next(d for d in mine if d.code == code and d.line == line)
    assert words in hit.as_text()
    assert hit.is_error
    # the text form is what editors read: path:line: 错误 CODE: message（hint）
    assert hit.as_text().startswith(f"{TARGET}:{line}: 错误 {code}: ")
    assert hit.hint, "every message says what to do"


def test_every_fixture_file_has_an_expectation():
    assert sorted(p.name for p in BAD.iterdir()) == sorted([*CASES, "duplicate-id.md", "region-spelling.md"])


def test_duplicate_id_names_both_files(library_copy):
    root, diags = check_case(library_copy, (BAD / "duplicate-id.md").read_bytes())
    dups = {d.path: d for d in diags if d.code == "E-ID-DUPLICATE"}
    assert set(dups) == {TARGET, "stories/zhejiang/qingshi-yishihui-2019.md"}
    assert "stories/zhejiang/qingshi-yishihui-2019.md:2" in dups[TARGET].message
    assert f"{TARGET}:2" in dups["stories/zhejiang/qingshi-yishihui-2019.md"].message


def test_alias_colliding_with_an_id_is_a_duplicate(library_copy):
    text = (
        (BAD / "duplicate-id.md")
        .read_text(encoding="utf-8")
        .replace("id: qingshi-yishihui-2019", "id: another-2019\naliases: [hezuo-tiaojie-2021]")
    )
    root, diags = check_case(library_copy, text.encode())
    assert any(d.code == "E-ID-DUPLICATE" and d.path == TARGET and d.line == 3 for d in diags)


def test_region_spelled_two_ways_warns(library_copy):
    root, diags = check_case(library_copy, (BAD / "region-spelling.md").read_bytes())
    warnings = [d for d in diags if d.code == "W-REGION-SPELLING"]
    assert [(d.path, d.line) for d in warnings] == [(TARGET, 7)]
    assert "浙江省/湖州市" in warnings[0].message and not warnings[0].is_error


def test_draft_missing_content_is_a_warning_but_structure_is_still_checked(library_copy):
    text = (BAD / "missing-sources.md").read_text(encoding="utf-8").replace("status: published", "status: draft")
    text = text.replace("region: 浙江省/湖州市/安吉县", "region: 浙江/湖州市")
    root, diags = check_case(library_copy, text.encode())
    mine = {(d.code, d.severity.value) for d in diags if d.path == TARGET}
    assert ("W-FIELD-MISSING", "warning") in mine
    assert ("E-REGION-PROVINCE", "error") in mine


def test_placeholder_in_draft_is_only_a_warning(library_copy):
    text = (BAD / "placeholder-in-review.md").read_text(encoding="utf-8").replace("status: review", "status: draft")
    root, diags = check_case(library_copy, text.encode())
    mine = [d for d in diags if d.path == TARGET]
    assert [(d.code, d.line) for d in mine] == [("W-PLACEHOLDER", 6)]


def test_one_run_reports_every_problem_of_a_file(library_copy):
    text = (BAD / "duplicate-key.md").read_text(encoding="utf-8")
    text = text.replace("kind: exemplar", "kind: good").replace("date: 2019-06-12", "date: 2019-13-01")
    text += "\n手机 13912345678\n"
    root, diags = check_case(library_copy, text.encode())
    codes = {d.code for d in diags if d.path == TARGET}
    assert {"E-YAML-DUPKEY", "E-FIELD-CHOICE", "E-DATE-INVALID", "E-PII-MOBILE"} <= codes


def test_symlink_pointing_outside_the_repository_is_refused(library_copy, tmp_path):
    root = library_copy()
    outside = tmp_path / "secret.md"
    outside.write_text((BAD / "invalid-id.md").read_text(encoding="utf-8"), encoding="utf-8")
    os.symlink(outside, root / "stories" / "zhejiang" / "link.md")
    diags = check_library(load_library(root))
    assert [(d.code, d.line) for d in diags if d.path == "stories/zhejiang/link.md"] == [("E-PATH-SYMLINK", 1)]


def test_symlink_inside_the_repository_is_read(library_copy):
    root = library_copy()
    os.symlink(root / "stories" / "henan" / "jieliu-2019.md", root / "stories" / "zhejiang" / "inside.md")
    diags = check_library(load_library(root))
    assert any(d.code == "E-ID-DUPLICATE" and d.path == "stories/zhejiang/inside.md" for d in diags)


def test_huge_file_is_refused_quickly(library_copy):
    text = (BAD / "invalid-id.md").read_text(encoding="utf-8").replace("Bad_Id_2019", "huge-2019")
    root, diags = check_case(library_copy, (text + "很长的正文。" * 300_000).encode())
    assert [(d.code, d.line) for d in diags if d.path == TARGET] == [("E-FILE-TOO-LARGE", 1)]


def test_alias_bomb_does_not_hang(library_copy):
    bomb = "---\na: &a [" + ", ".join(["x"] * 50) + "]\n"
    for i in range(1, 12):
        bomb += f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}" if i > 1 else "*a"] * 50) + "]\n"
    root, diags = check_case(library_copy, (bomb + "---\n").encode())
    assert any(d.code == "E-YAML-ALIAS" for d in diags if d.path == TARGET)


def test_check_never_writes(library_copy, cli):
    root = library_copy(
        {
            TARGET: (BAD / "gbk-encoded.md").read_bytes(),
            "stories/zhejiang/b.md": (BAD / "duplicate-key.md").read_bytes(),
        }
    )

    def snapshot():
        return {
            p: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*"))
            if p.is_file()
        }

    before = snapshot()
    result = cli("check", "--root", str(root))
    assert result.returncode == 1
    assert snapshot() == before


@pytest.mark.parametrize("body", ["```\n\n<script>alert(4)</script>\n", "   ```\n<script>alert(4)</script>\n   ```\n"])
def test_a_fence_markdown_does_not_render_as_code_hides_nothing(library_copy, body):
    """Python-Markdown only treats a closed fence at column 0 as code; anything else is scanned."""
    text = (BAD / "invalid-id.md").read_text(encoding="utf-8").replace("Bad_Id_2019", "fence-2019") + body
    root, diags = check_case(library_copy, text.encode())
    assert any(d.code == "E-HTML-SCRIPT" for d in diags if d.path == TARGET)


def test_a_closed_fence_at_column_zero_is_code(library_copy):
    text = (BAD / "invalid-id.md").read_text(encoding="utf-8").replace("Bad_Id_2019", "fence-2019")
    root, diags = check_case(library_copy, (text + "```html\n<script>alert(4)</script>\n```\n").encode())
    assert not any(d.code.startswith("E-HTML") for d in diags if d.path == TARGET)
