"""The bench's synthetic library (exemplars.synth): stories unchanged by the lessons, lessons that a trainer could
use (published stories sharing the lesson's method, cited in the flow), and a library the checker passes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import REPO, run_cli

from exemplars.library import load_library
from exemplars.synth import STORIES_PER_LESSON, make_library

# sha256 of the 90 story files seed 7 gave before the lessons existed: the lessons draw from their own stream,
# so figures measured on the synthetic library stay comparable with earlier runs.
STORIES_SEED_7_N90 = "8fe397cd849bbf1c7de0c10d635fb4f5d688ca7c7db52750b538c3341e41facd"


def digest(root: Path, folder: str) -> str:
    h = hashlib.sha256()
    for path in sorted((root / folder).rglob("*.md")):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def test_the_stories_are_the_ones_the_seed_gave_before_the_lessons(tmp_path):
    assert digest(make_library(tmp_path / "lib", 90, REPO, seed=7), "stories") == STORIES_SEED_7_N90


@pytest.mark.parametrize("count, seed", [(95, 7), (61, 3), (29, 5)])
def test_lessons_cite_published_stories_of_their_method(tmp_path, count, seed):
    root = make_library(tmp_path / "lib", count, REPO, seed=seed)
    library = load_library(root)
    stories = {story.id: story for story in library.stories}
    assert len(stories) == count
    assert len(library.lessons) == count // STORIES_PER_LESSON
    for lesson in library.lessons:
        text = (root / lesson.path).read_text(encoding="utf-8")
        assert 3 <= len(lesson.stories) <= 5 and len(set(lesson.stories)) == len(lesson.stories), lesson.id
        assert lesson.objectives and lesson.questions and lesson.status == "published"
        for story_id in lesson.stories:
            assert stories[story_id].status == "published"
            assert set(lesson.methods) <= set(stories[story_id].methods), (lesson.id, story_id)
            assert f"[[story:{story_id}]]" in text, "each cited story is a card in the teaching flow"
    again = make_library(tmp_path / "again", count, REPO, seed=seed)
    assert digest(again, "lessons") == digest(root, "lessons") and digest(again, "stories") == digest(root, "stories")


def test_the_synthetic_library_passes_the_checker(tmp_path):
    root = make_library(tmp_path / "lib", 120, REPO, seed=11)
    result = run_cli("check", "--root", str(root))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "没有发现问题" in result.stdout + result.stderr
    assert len(list((root / "lessons").glob("*.md"))) == 4
