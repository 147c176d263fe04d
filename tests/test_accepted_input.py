"""What the checker must accept without a word: BOM, CRLF, full-width punctuation, emoji, long bodies, numbers."""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from exemplars.check import check_library
from exemplars.library import load_library

ACCEPTED = sorted(p.name for p in (FIXTURES / "accepted").iterdir())


@pytest.mark.parametrize("name", ACCEPTED)
def test_accepted_fixture_has_no_diagnostics(library_copy, name):
    target = f"stories/zhejiang/{name}"
    root = library_copy({target: (FIXTURES / "accepted" / name).read_bytes()})
    library = load_library(root)
    diags = [d for d in check_library(library) if d.path == target]
    assert diags == [], [d.as_text() for d in diags]
    story = next(s for s in library.stories if s.path == target)
    assert story.title and story.methods == ("minzhu-xieshang",)


def test_crlf_lines_are_counted_like_lf(library_copy):
    text = (FIXTURES / "bad" / "invalid-date.md").read_text(encoding="utf-8").replace("\n", "\r\n")
    root = library_copy({"stories/x.md": text.encode()})
    diags = [d for d in check_library(load_library(root)) if d.path == "stories/x.md"]
    assert [(d.code, d.line) for d in diags] == [("E-DATE-INVALID", 8)]


def test_bom_does_not_shift_lines(library_copy):
    text = (FIXTURES / "bad" / "invalid-date.md").read_bytes()
    root = library_copy({"stories/x.md": b"\xef\xbb\xbf" + text})
    diags = [d for d in check_library(load_library(root)) if d.path == "stories/x.md"]
    assert [(d.code, d.line) for d in diags] == [("E-DATE-INVALID", 8)]


def test_fixture_library_itself_is_clean_apart_from_the_draft(library_copy):
    diags = check_library(load_library(library_copy()))
    assert all(not d.is_error for d in diags), [d.as_text() for d in diags]
    assert {d.path for d in diags} == {"stories/zhejiang/draft-caogao-2024.md"}
