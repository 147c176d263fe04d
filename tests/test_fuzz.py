"""Arbitrary bytes and text never make the reader or the checker raise."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exemplars.check import check_library
from exemplars.library import load_library
from exemplars.load import parse_record

FIELD_NAMES = [
    "id",
    "title",
    "kind",
    "methods",
    "summary",
    "region",
    "date",
    "status",
    "sources",
    "tags",
    "aliases",
    "related",
    "featured",
    "url",
    "<<",
    "!!python/object",
    "&a",
    "*a",
]
YAML_BITS = st.sampled_from(
    [
        ": ",
        "\n",
        "  ",
        "- ",
        "[",
        "]",
        "{",
        "}",
        "'",
        '"',
        "#",
        "&a ",
        "*a",
        "!!str ",
        "!tag ",
        "|",
        ">",
        "---",
        "...",
        "\t",
        "\r\n",
        "\ufeff",
        "2019-13-45",
        "浙江/",
        "民主协商法",
        "%",
        "@",
    ]
)
front_matter_like = st.builds(
    lambda parts: "---\n" + "".join(parts) + "\n---\n正文",
    st.lists(st.one_of(st.sampled_from(FIELD_NAMES), YAML_BITS, st.text(max_size=8)), max_size=40),
)


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=2000))
def test_reader_survives_arbitrary_bytes(raw):
    record = parse_record("stories/x.md", raw)
    assert record.readable or record.problems


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=500), front_matter_like))
def test_reader_survives_arbitrary_text(text):
    record = parse_record("stories/x.md", text.encode("utf-8", "surrogatepass"))
    for problem in record.problems:
        assert problem.line >= 1 and problem.code and problem.message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(front_matter_like, st.binary(max_size=600).map(lambda b: b.decode("latin-1"))))
def test_checker_survives_arbitrary_story(library_copy, text):
    root = library_copy()
    target: Path = root / "stories" / "fuzz.md"
    target.write_bytes(text.encode("utf-8", "surrogatepass"))
    diags = check_library(load_library(root))
    for diag in diags:
        assert diag.path and diag.line >= 1 and diag.as_text()


def test_deeply_nested_front_matter_is_refused_not_crashed():
    record = parse_record("stories/x.md", ("---\na: " + "[" * 5000 + "]" * 5000 + "\n---\n").encode())
    assert not record.readable
    assert record.problems[0].code in {"E-YAML-DEPTH", "E-YAML-SYNTAX"}


def test_fixture_bad_files_through_reader_never_raise():
    for path in (FIXTURES / "bad").iterdir():
        parse_record(path.name, path.read_bytes())
