"""The exported JSON Schema agrees with the checker: check-jsonschema accepts good stories, rejects bad ones."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, run_cli

from exemplars.load import parse_record


def front_matter_as_json(source: Path, dest: Path) -> Path:
    record = parse_record(source.name, source.read_bytes())
    assert record.readable, source
    dest.write_text(json.dumps(record.meta, ensure_ascii=False), encoding="utf-8")
    return dest


def check_jsonschema(schema: Path, instances: list[Path]) -> subprocess.CompletedProcess:
    exe = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent)) or "check-jsonschema"
    return subprocess.run([exe, "--schemafile", str(schema), *map(str, instances)], capture_output=True, text=True)


@pytest.fixture(scope="module")
def story_schema(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("schema") / "story.schema.json"
    result = run_cli("schema", "--root", str(REPO), "-o", str(out))
    assert result.returncode == 0, result.stderr
    schema = json.loads(out.read_text(encoding="utf-8"))
    assert schema["$schema"].endswith("2020-12/schema")
    assert "民主协商法" in schema["properties"]["methods"]["items"]["enum"]  # editors get autocompletion
    return out


def stories_under(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.md"))


def test_fixture_and_sample_stories_validate(story_schema, tmp_path):
    sources = stories_under(FIXTURES / "library" / "stories") + stories_under(REPO / "stories")
    sources += sorted((FIXTURES / "accepted").iterdir())
    assert len(sources) >= 40
    instances = [front_matter_as_json(p, tmp_path / f"{i}.json") for i, p in enumerate(sources)]
    result = check_jsonschema(story_schema, instances)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "name",
    [
        "unknown-key.md",
        "region-short-province.md",
        "invalid-kind.md",
        "invalid-id.md",
        "placeholder-in-review.md",
        "missing-sources.md",
        "url-scheme.md",
        "wrong-type.md",
        "empty-title.md",
        "unknown-method.md",
    ],
)
def test_bad_fixture_fails_the_schema(story_schema, tmp_path, name):
    instance = front_matter_as_json(FIXTURES / "bad" / name, tmp_path / "bad.json")
    result = check_jsonschema(story_schema, [instance])
    assert result.returncode == 1, result.stdout


def test_markdown_table_lists_every_field():
    result = run_cli("schema", "--format", "markdown")
    assert result.returncode == 0
    for field in ("id", "title", "kind", "methods", "summary", "region", "date", "status", "sources", "aliases"):
        assert f"| `{field}` |" in result.stdout


def test_readme_field_table_is_generated_from_the_schema():
    table = run_cli("schema", "--format", "markdown").stdout.strip()
    assert table in (REPO / "README.md").read_text(encoding="utf-8"), (
        "README 的字段表已过时：运行 exemplars schema --format markdown 更新"
    )


def test_sample_lessons_validate_against_the_lesson_schema(tmp_path):
    out = tmp_path / "lesson.schema.json"
    result = run_cli("schema", "--kind", "lesson", "--root", str(REPO), "-o", str(out))
    assert result.returncode == 0, result.stderr
    schema = json.loads(out.read_text(encoding="utf-8"))
    assert {"stories", "objectives", "duration", "audience"} <= set(schema["required"])
    assert "民主协商法" in schema["properties"]["methods"]["items"]["enum"]
    lessons = sorted(p for p in (REPO / "lessons").glob("*.md") if p.name != "README.md")
    assert len(lessons) >= 3
    instances = [front_matter_as_json(p, tmp_path / f"{i}.json") for i, p in enumerate(lessons)]
    assert check_jsonschema(out, instances).returncode == 0
    bad = json.loads(instances[0].read_text(encoding="utf-8"))
    bad["duration"], bad["stories"] = 0, []
    (tmp_path / "bad.json").write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    assert check_jsonschema(out, [tmp_path / "bad.json"]).returncode == 1
