"""The sample library that ships with the repo: it passes the checker and keeps the coverage the site needs."""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter

import pytest
from conftest import REPO, add_eighth_method
from expected import stories_by_method

from exemplars.check import check_library
from exemplars.library import load_library

SIX_FIELDS = {"就业", "就学", "就医", "出行", "社保", "扶贫"}
SEEDS = REPO.parent / "shared" / "seeds"


def test_sample_library_passes_the_checker(library):
    errors = [d.as_text() for d in check_library(library) if d.is_error]
    assert errors == []


def test_every_method_has_exemplars_and_cautionary_cases(library):
    assert len(library.methods) >= 7
    counts = Counter((m, s.kind) for s in library.public_stories() for m in s.methods)
    for method in library.methods:
        assert counts[(method.id, "exemplar")] >= 3, method.name
        assert counts[(method.id, "cautionary")] >= 2, method.name


def test_breadth_of_the_samples(library):
    stories = library.stories
    assert len(stories) >= 40
    assert sum(len(s.methods) >= 2 for s in stories) > len(stories) / 2
    assert len({s.province for s in stories}) >= 10
    assert {s.year for s in stories} >= set(range(2015, 2026))
    domains = {d for s in stories for d in s.domains}
    assert SIX_FIELDS <= domains and len(domains - SIX_FIELDS) >= 3
    last_levels = [s.region[-1] for s in stories if len(s.region) >= 3]
    assert any(level.endswith("县") for level in last_levels), "rural counties"
    assert any(level.endswith("区") for level in last_levels), "urban districts"


def test_story_lengths_and_sample_marking(library):
    for story in library.stories:
        length = len(re.sub(r"\s", "", story.body))
        assert 800 <= length <= 2000, (story.path, length)
        assert story.sample, story.path
        assert any("虚构示例" in source.title for source in story.sources), story.path


def test_cautionary_cases_are_anonymised(library):
    for story in (s for s in library.stories if s.kind == "cautionary"):
        assert len(story.region) <= 2, story.path
        assert "某某" in story.body, story.path


def test_editorial_states_are_shown(library):
    statuses = Counter(s.status for s in library.stories)
    assert statuses["draft"] >= 1 and statuses["review"] >= 1 and statuses["published"] >= 30
    assert any(s.aliases for s in library.stories)
    assert sum(s.featured for s in library.public_stories()) >= 3


def test_method_pages_have_their_sections(library):
    for method in library.methods:
        for heading in ("## 是什么", "## 什么时候用", "## 怎么做", "## 常见误区", "## 怎样算做成了"):
            assert heading in method.body, (method.path, heading)


def _cjk_only(text: str) -> str:
    """Punctuation, whitespace and ASCII (the seed's anti-copy noise) ignored."""
    return "".join(ch for ch in text if ord(ch) > 0x2FFF and ch.isalnum())


def test_no_sentence_of_the_seed_article_is_copied():
    if not SEEDS.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"seed article not found at {SEEDS}")
        pytest.skip("seed article (../shared/seeds) not beside this checkout")
    seed = _cjk_only("".join(p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")))
    assert len(seed) > 1000
    window = 15
    grams = {seed[i : i + window] for i in range(len(seed) - window + 1)}
    files = [
        *REPO.glob("methods/**/*.md"),
        *REPO.glob("stories/**/*.md"),
        *REPO.glob("docs/**/*.md"),
        *REPO.glob("lessons/**/*.md"),
        *REPO.glob("lessons/**/*.markdown"),
        REPO / "README.md",
    ]
    assert len(files) > 45
    for path in files:
        text = _cjk_only(path.read_text(encoding="utf-8"))
        copied = next(
            (text[i : i + window] for i in range(len(text) - window + 1) if text[i : i + window] in grams), None
        )
        assert copied is None, f"{path.relative_to(REPO)} copies the seed: {copied}"


def test_an_eighth_method_is_just_a_file(tmp_path):
    """Methods are data: adding methods/<id>.md adds a method to the checker and the model."""
    root = tmp_path / "lib"
    for folder in ("methods", "stories"):
        shutil.copytree(REPO / folder, root / folder)
    method_id = add_eighth_method(root)
    library = load_library(root)
    assert [d.as_text() for d in check_library(library) if d.is_error] == []
    assert [m.id for m in library.methods][-1] == method_id
    assert len(library.methods) == len([p for p in (REPO / "methods").glob("*.md") if p.name != "README.md"]) + 1
    assert [s.id for s in stories_by_method(library, method_id)] == ["shidian-2019"]
