"""One definition per constraint: every bound the exported JSON Schema states, `exemplars check` enforces with the
same value, and the other way round for what the schema can express.

The walk reads the schema as exported by the real CLI (`exemplars schema --kind …`), finds every property with a
bound (maxLength, minLength, pattern, enum, minimum, minItems, type, required, additionalProperties, the
draft/status conditionals), writes files with values at and around each bound, runs the real `exemplars check`
once over them all, and asserts that the schema (validated as check-jsonschema does, ECMA-262 patterns and
formats) and the checker give the same verdict for every file. A hypothesis test then throws random text at every
text bound through the same validation code the checker runs.
"""

from __future__ import annotations

import json

import pytest
import yaml
from check_jsonschema.regex_variants import RegexImplementation, RegexVariantName
from conftest import FIXTURES, REPO, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from jsonschema.validators import extend

from exemplars.load import parse_record
from exemplars.schema import CONTRACTS, KINDS, LESSON_STATUSES, PLACEHOLDER, SPACES, STATUSES, validate_mapping

BASES = {  # a valid file of each kind: the walk changes one property at a time
    "story": FIXTURES / "library" / "stories" / "zhejiang" / "qingshi-yishihui-2019.md",
    "lesson": REPO / "lessons" / "xianshang-ting-minsheng.md",
    "method": FIXTURES / "library" / "methods" / "minzhu-xieshang.md",
}
FOLDERS = {"story": "stories", "lesson": "lessons", "method": "methods"}
# Codes for what a schema can say about one file. Rules only check can apply (ids unique, references exist,
# personal data, region spellings, empty bodies …) are named in the schema's descriptions instead.
SCHEMA_CODES = {
    "E-FIELD-MISSING",
    "E-FIELD-EMPTY",
    "E-FIELD-TYPE",
    "E-FIELD-UNKNOWN",
    "E-FIELD-CHOICE",
    "E-ID-FORMAT",
    "E-DATE-INVALID",
    "E-URL-SCHEME",
    "E-TEXT-NEWLINE",
    "E-TEXT-TOO-LONG",
    "E-REGION-PROVINCE",
    "E-REGION-FORMAT",
    "E-PLACEHOLDER",
    "E-REVIEW-MISSING",
    "E-FM-NOT-MAPPING",
}
BOUNDS = ("maxLength", "minLength", "pattern", "enum", "minimum", "minItems", "format")

# Values every string property is tried with: blanks of every kind, line breaks, slugs, dates, urls, regions.
TRICKY = [
    "",
    " ",
    "a",
    "abc",
    "Abc",
    "a--b",
    "-a",
    "a-",
    "ab_c",
    "abc\n",
    "a\nb",
    " a ",
    "\ufeff",
    "\u3000",
    "\u3000字\u3000",
    "\x1c",
    "\xa0字",
    "字\u2028字",
    "2019-06-12",
    "2019-6-12",
    "2019-02-30",
    " 2019-06-12",
    "2019-06-12\n",
    "20190612",
    "https://x.cn/a",
    "HTTP://X.CN",
    "ftp://x.cn",
    " https://x.cn",
    "https://",
    "https:// x",
    "https://\ufeffx",
    "javascript:alert(1)",
    "浙江省",
    "浙江省/湖州市/安吉县",
    "浙江/湖州市",
    "浙江省//湖州市",
    "浙江省/湖 州",
    " 浙江省",
    "浙江省/",
    "浙江省/湖州市\n",
    "浙江省/\u3000",
    "exemplar",
    "cautionary",
    "draft",
    "review",
    "published",
    "withdrawn",
    " exemplar",
    "Exemplar",
    *KINDS.values(),
    *STATUSES.values(),
    "民主协商法",
    "minzhu-xieshang",
    "true",
    "90",
]
NON_STRINGS = [None, 0, -1, 1, 2, 90, 90.0, 1.5, True, False, [], ["a"], {}, {"title": "x"}, [{"title": "来源"}]]


def validator_for(schema: dict):
    """Validation as check-jsonschema does it: ECMA-262 regular expressions, formats asserted."""
    regex = RegexImplementation(RegexVariantName.default)
    cls = extend(Draft202012Validator, {"pattern": regex.pattern_keyword})
    return cls(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def schemas(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("schemas")
    found = {}
    for kind in CONTRACTS:
        out = folder / f"{kind}.json"
        result = run_cli("schema", "--kind", kind, "-o", str(out), cwd=folder)  # no library: no method enum
        assert result.returncode == 0, result.stderr
        found[kind] = json.loads(out.read_text(encoding="utf-8"))
    return found


def base_meta(kind: str) -> dict:
    record = parse_record(BASES[kind].name, BASES[kind].read_bytes())
    assert record.readable
    return json.loads(json.dumps(record.meta, ensure_ascii=False, default=str))


def bounded_properties(schema: dict, path: tuple = ()):
    """(path, fragment) of every property, items and nested object included."""
    for name, fragment in schema.get("properties", {}).items():
        yield path + (name,), fragment
        items = fragment.get("items")
        if isinstance(items, dict):
            yield path + (name, "[]"), items
            yield from bounded_properties(items, path + (name, "[]"))


def values_for(fragment: dict) -> list:
    values = list(TRICKY) + list(NON_STRINGS)
    for keyword in ("maxLength", "minLength"):
        if keyword in fragment:
            n = fragment[keyword]
            values += [
                "字" * n,
                "字" * (n + 1),
                "a" * max(n - 1, 0),
                " " + "字" * n,
                "字" * n + "\n",
                "字" * (n - 1) + " ",
            ]
    if "minimum" in fragment:
        m = fragment["minimum"]
        values += [m - 1, m, m + 1, float(m), str(m)]
    if "enum" in fragment:
        values += list(fragment["enum"]) + [v.upper() for v in fragment["enum"] if isinstance(v, str)]
    return values


def placed(meta: dict, path: tuple, value) -> dict:
    """`meta` with the value at `path` (an "[]" step means: a one-item list holding the rest)."""
    meta = json.loads(json.dumps(meta, ensure_ascii=False))
    head, rest = path[0], path[1:]
    if not rest:
        meta[head] = value
    elif rest[0] == "[]" and len(rest) == 1:
        meta[head] = [value]
    else:
        inner = (meta.get(head) or [{}])[0]
        inner = inner if isinstance(inner, dict) else {}
        meta[head] = [placed(inner, rest[1:], value)]
    return meta


def cases(kind: str, schema: dict) -> list[tuple[str, dict]]:
    base = base_meta(kind)
    found = [("base", base)]
    for path, fragment in bounded_properties(schema):
        for value in values_for(fragment):
            found.append(("/".join(path) + f"={value!r}", placed(base, path, value)))
    for name in schema.get("required", []):  # required, one at a time
        found.append((f"without {name}", {k: v for k, v in base.items() if k != name}))
    found.append(("unknown key", {**base, "titel": "x"}))  # additionalProperties
    if kind == "story":  # the status conditionals: content fields, placeholders, the reviewer
        for status in STATUSES:
            for missing in ("summary", "sources", "reviewed_by", None):
                meta = {k: v for k, v in base.items() if k != missing}
                found.append((f"status {status} without {missing}", {**meta, "status": status}))
            found.append(
                (f"status {status}, placeholder summary", {**base, "status": status, "summary": f"{PLACEHOLDER}：摘要"})
            )
            found.append(
                (
                    f"status {status}, placeholder source",
                    {**base, "status": status, "sources": [{"title": f" {PLACEHOLDER}"}]},
                )
            )
    if kind == "lesson":
        for status in LESSON_STATUSES:
            found.append((f"status {status}", {**base, "status": status}))
    return found


def as_file(meta: dict, index: int, kind: str) -> str:
    if kind != "method" and isinstance(meta.get("id"), str) and meta.get("id") == base_meta(kind)["id"]:
        meta = {**meta, "id": f"walk-{index}"}  # distinct ids: uniqueness is a check-only rule anyway
    head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000)
    return f"---\n{head}---\n正文第一段。\n"


def test_check_and_the_schema_agree_at_every_bound(schemas, library_copy):
    files, expected = {}, {}
    for kind, schema in schemas.items():
        validator = validator_for(schema)
        for index, (label, meta) in enumerate(cases(kind, schema)):
            path = f"{FOLDERS[kind]}/walk/{kind}-{index}.md"
            files[path] = as_file(meta, index, kind)
            written = parse_record(path, files[path].encode()).meta  # the schema judges what check reads
            assert written is not None, label
            expected[path] = (label, validator.is_valid(written), kind)
    root = library_copy(files)
    result = run_cli("check", "--format", "json", cwd=root)
    assert "Traceback" not in result.stderr
    errors: dict[str, set] = {}
    for diag in json.loads(result.stdout):
        if diag["code"] in SCHEMA_CODES:
            errors.setdefault(diag["path"], set()).add(diag["code"])
    disagreements = [
        (label, "schema accepts" if ok else "schema rejects", sorted(errors.get(path, ())))
        for path, (label, ok, _) in expected.items()
        if ok == bool(errors.get(path))
    ]
    assert disagreements == [], disagreements[:20]
    # every bounded property was seen both accepted and rejected: the walk reached each bound
    outcomes: dict[tuple, set] = {}
    for label, ok, kind in expected.values():
        outcomes.setdefault((kind, label.split("=")[0]), set()).add(ok)
    for kind, schema in schemas.items():
        for prop, fragment in bounded_properties(schema):
            if any(keyword in fragment for keyword in BOUNDS):
                assert outcomes[(kind, "/".join(prop))] == {True, False}, (kind, prop)


def test_a_120_character_title_fails_check_as_it_fails_the_schema(library_copy, cli, schemas):
    base = FIXTURES / "library" / "stories" / "zhejiang" / "qingshi-yishihui-2019.md"
    text = base.read_text(encoding="utf-8").replace("id: qingshi-yishihui-2019", "id: long-title-2019")
    title = "青石村议事会商定垃圾分类办法" * 9  # 126 characters
    long_title = text.replace("title: 青石村议事会商定垃圾分类办法", f"title: {title[:120]}")
    at_limit = text.replace("title: 青石村议事会商定垃圾分类办法", f"title: {title[:80]}")
    root = library_copy(
        {
            "stories/zhejiang/long-title-2019.md": long_title,
            "stories/zhejiang/limit-2019.md": at_limit.replace("long-title-2019", "limit-2019"),
        }
    )
    result = cli("check", "stories/zhejiang/long-title-2019.md", "stories/zhejiang/limit-2019.md", cwd=root)
    assert result.returncode == 1
    assert result.stdout.strip() == (
        "stories/zhejiang/long-title-2019.md:3: 错误 E-TEXT-TOO-LONG: "
        "`title`（标题）有 120 个字，超过上限 80 个字（删减到上限以内：一行标题或摘要只写最要紧的事，细节放进正文）"
    )
    assert schemas["story"]["properties"]["title"]["maxLength"] == 80


def test_rules_only_check_can_apply_are_named_in_the_schema(schemas):
    story, lesson = schemas["story"], schemas["lesson"]
    for words in ("身份证号", "手机号", "全角数字", "正文不能为空"):
        assert words in story["description"], words
    assert (
        "全库" in story["properties"]["id"]["description"]
        and "exemplars check" in story["properties"]["id"]["description"]
    )
    assert "methods/" in story["properties"]["methods"]["description"]
    assert "已有故事" in story["properties"]["related"]["description"]
    assert "地市级" in story["properties"]["region"]["description"]
    assert "已有故事" in lesson["properties"]["stories"]["description"]


# --- random text at every text bound, through the checker's own validation -------------------------------------
TEXT = st.text(
    alphabet=st.sampled_from(list("a字 -_/#:\n\t") + list(SPACES[:8]) + ["\ufeff", "\x1c", "\u3000"]), max_size=90
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(CONTRACTS)), st.data())
def test_random_text_gets_the_same_verdict(schemas, kind, data):
    schema, contract = schemas[kind], CONTRACTS[kind]
    props = [name for name, fragment in schema["properties"].items() if fragment.get("type") == "string"]
    name = data.draw(st.sampled_from(props))
    limit = schema["properties"][name].get("maxLength")
    value = data.draw(TEXT if not limit else st.one_of(TEXT, st.text(min_size=limit - 2, max_size=limit + 2)))
    if value.strip(SPACES).startswith(PLACEHOLDER):
        return
    meta = {**base_meta(kind), name: value}
    schema_ok = validator_for(schema).is_valid(meta)
    _, problems = validate_mapping(meta, contract.fields, draft=meta.get("status") == "draft")
    check_ok = not [code for code, _, _ in problems if code.startswith("E-")]
    assert schema_ok == check_ok, (kind, name, value, problems)
