"""The web form's config (admin/config.yml) against the schema in code: every field shown or hidden, with the
schema's Chinese labels, the checker's patterns and the editor-only statuses."""

from __future__ import annotations

import re

import pytest
import yaml

from exemplars import cms
from exemplars.model import Method
from exemplars.regions import PROVINCES
from exemplars.schema import KINDS, LESSON, SLUG_PATTERN, STATUSES, STORY, Region

METHODS = [
    Method(id="minzhu-xieshang", name="民主协商法", order=1, summary="s", aliases=(), body="", path=None, body_line=0),
    Method(id="jiaoyu-shudao", name="教育疏导法", order=2, summary="s", aliases=(), body="", path=None, body_line=0),
]


def _collection(cfg, name):
    return next(c for c in cfg["collections"] if c["name"] == name)


@pytest.mark.parametrize("contract", [STORY, LESSON], ids=lambda c: c.name)
def test_every_schema_field_is_shown_with_its_label_or_listed_as_hidden(contract):
    cfg = cms.config(cms.Settings(), METHODS)
    shown = {f["name"]: f for f in _collection(cfg, contract.folder)["fields"]}
    hidden = cms.HIDDEN[contract.name]
    for f in contract.fields:
        assert (f.name in shown) != (f.name in hidden), f"{f.name}: shown and hidden, or neither"
        if f.name in shown:
            assert shown[f.name]["label"] == f.label and shown[f.name]["hint"]
            assert shown[f.name]["required"] == f.required
    assert set(shown) - {f.name for f in contract.fields} == {"body"}
    assert all(re.search("[\u4e00-\u9fff]", reason) for reason in hidden.values())


def test_a_field_added_to_the_schema_fails_the_comparison(monkeypatch):
    from exemplars.schema import Field, Text

    grown = STORY.__class__(
        STORY.name,
        STORY.folder,
        STORY.fields + (Field("extra", Text(), "新字段", "说明", "x"),),
        STORY.title,
        STORY.draft_aware,
    )
    cfg = cms.collection(grown, "故事", METHODS)
    names = {f["name"] for f in cfg["fields"]}
    assert "extra" in names  # the generator shows it: it is never silently dropped
    assert "extra" not in cms.HIDDEN["story"]


def test_kind_and_status_are_selects_with_chinese_labels_and_no_publication():
    fields = {f["name"]: f for f in _collection(cms.config(cms.Settings(), METHODS), "stories")["fields"]}
    assert fields["kind"]["widget"] == "select"
    assert fields["kind"]["options"] == [{"label": v, "value": k} for k, v in KINDS.items()]
    status = [o["value"] for o in fields["status"]["options"]]
    assert status == ["draft", "review"] and all(
        o["label"] == STATUSES[o["value"]] for o in fields["status"]["options"]
    )
    assert fields["status"]["default"] == "draft"


def test_id_region_date_methods_sources_and_cover_widgets():
    fields = {f["name"]: f for f in _collection(cms.config(cms.Settings(), METHODS), "stories")["fields"]}
    assert fields["id"]["pattern"][0] == SLUG_PATTERN and "拼音" in fields["id"]["hint"]
    region = re.compile(fields["region"]["pattern"][0])
    assert region.match("浙江省/湖州市/安吉县") and region.match("北京市")
    assert not region.match("浙江/湖州市") and not region.match("浙江省//安吉县")
    assert fields["region"]["pattern"][0] == Region().json_schema()["pattern"]
    assert fields["region"]["widget"] == "region"  # admin/region-widget.js: province select + lower levels
    assert fields["region"]["provinces"] == [name for name, _, _ in PROVINCES]
    assert fields["date"]["widget"] == "datetime" and fields["date"]["format"] == "YYYY-MM-DD"
    assert fields["date"]["time_format"] is False
    assert fields["methods"]["multiple"] is True and fields["methods"]["min"] == 1
    assert fields["methods"]["options"] == [
        {"label": "民主协商法", "value": "minzhu-xieshang"},
        {"label": "教育疏导法", "value": "jiaoyu-shudao"},
    ]
    assert [f["name"] for f in fields["sources"]["fields"]] == ["title", "url", "date"]
    assert fields["sources"]["min"] == 1
    assert fields["domains"]["widget"] == fields["tags"]["widget"] == "list"
    assert fields["cover"]["widget"] == "image" and fields["cover"]["public_folder"] == "media"


def test_collections_name_files_by_id_in_the_contract_folders():
    cfg = cms.config(cms.Settings(), METHODS)
    for contract in (STORY, LESSON):
        col = _collection(cfg, contract.folder)
        assert col["folder"] == contract.folder and col["identifier_field"] == "id" and col["slug"] == "{{slug}}"
        assert col["format"] == "frontmatter" and col["extension"] == "md"
    assert cfg["locale"] == "zh_Hans" and cfg["media_folder"] == "media"


@pytest.mark.parametrize(
    "settings, name, workflow",
    [
        (cms.Settings("gitlab", "editors/exemplars", "https://git.example.cn", "abc"), "gitlab", True),
        (cms.Settings("forgejo", "editors/exemplars", "https://code.example.cn", "abc"), "forgejo", True),
        (cms.Settings("gitea", "editors/exemplars", "https://gitea.example.cn", "abc"), "gitea", False),
        (cms.Settings("github", "editors/exemplars", app_id=""), "github", True),
    ],
)
def test_backends(settings, name, workflow):
    cfg = cms.config(settings, METHODS)
    assert cfg["backend"]["name"] == name and cfg["backend"]["repo"] == "editors/exemplars"
    assert (cfg.get("publish_mode") == "editorial_workflow") is workflow
    if name in ("gitlab", "forgejo"):
        assert cfg["backend"]["auth_type"] == "pkce"
        assert cfg["backend"]["base_url"] == settings.base_url
        assert settings.base_url in cms.connect_sources(settings)


def test_config_yaml_round_trips():
    text = cms.config_yaml(cms.Settings(), METHODS)
    assert yaml.safe_load(text) == cms.config(cms.Settings(), METHODS)
    assert "正面典型" in text  # Chinese written as such, not as \u escapes


@pytest.mark.parametrize("contract", [STORY, LESSON], ids=lambda c: c.name)
def test_text_patterns_agree_with_the_checker(contract):
    """A form value the pattern lets through is one the checker's Text type accepts (line breaks, length)."""
    from exemplars.schema import Text

    fields = {f["name"]: f for f in _collection(cms.config(cms.Settings(), METHODS), contract.folder)["fields"]}
    seen = 0
    for spec in contract.fields:
        if (
            not isinstance(spec.type, Text)
            or spec.name not in fields
            or not spec.type.single_line
            or fields[spec.name]["widget"] == "image"
        ):
            continue
        pattern = re.compile(fields[spec.name]["pattern"][0].replace("\\n", "\n"))
        samples = ["正常的一句话", "第一行\n第二行"] + (
            ["字" * spec.type.max_length, "字" * (spec.type.max_length + 1)] if spec.type.max_length else []
        )
        for sample in samples:
            passes_checker = not spec.type.validate(sample)[1]
            assert bool(pattern.fullmatch(sample)) == passes_checker, (spec.name, sample[:10])
        seen += 1
    assert seen >= 2


def test_choice_hints_name_the_chinese_labels_not_the_english_values():
    fields = {f["name"]: f for f in _collection(cms.config(cms.Settings(), METHODS), "stories")["fields"]}
    assert "正面典型" in fields["kind"]["hint"] and "exemplar" not in fields["kind"]["hint"]
    assert "待审" in fields["status"]["hint"] and "published" not in fields["status"]["hint"]


def _listed_by_decap(root, collection: dict) -> set[str]:
    """The files a Decap folder collection lists: under `folder`, as deep as `path` has levels, whose names end with
    the `extension` (decap-server's listRepoFiles; the forge backends' filterByExtension adds a dot, stricter)."""
    depth = collection.get("path", "{{slug}}").count("/") + 1
    folder = root / collection["folder"]
    return {
        p.relative_to(root).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.name.endswith(collection["extension"]) and len(p.relative_to(folder).parts) <= depth
    }


def test_the_form_lists_exactly_the_librarys_stories_and_lessons():
    """No untitled entry in the form's lists: every file Decap would list in the sample library is a story or a
    lesson the library loads (a folder note is README.markdown, which Decap's `extension: md` leaves out)."""
    from conftest import REPO

    from exemplars.library import load_library

    library = load_library(REPO)
    cfg = cms.config(cms.Settings(), METHODS)
    loaded = {"stories": {s.path for s in library.stories}, "lessons": {lesson.path for lesson in library.lessons}}
    for collection in cfg["collections"]:
        listed = _listed_by_decap(REPO, collection)
        assert listed and listed == loaded[collection["name"]], listed ^ loaded[collection["name"]]
