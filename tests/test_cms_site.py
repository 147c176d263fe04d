"""/admin/ in the built site: there in every build, served from the site itself (the vendored Decap bundle, no
CDN), Chinese, noindex, out of the sitemap, with a config generated from the schema and the plugin's settings."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES
from sitebuild import build_site, make_project, parse

from exemplars.site.admin import VENDOR


def _with_settings(root: Path, settings: str) -> None:
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        config.replace("\n  - exemplars\n", f"\n  - exemplars:\n{settings}"), encoding="utf-8"
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return _build(tmp_path_factory, "")


def _build(tmp_path_factory, settings: str) -> Path:
    root = tmp_path_factory.mktemp("cms-lib")
    shutil.copytree(FIXTURES / "library", root, dirs_exist_ok=True)
    make_project(root)
    if settings:
        _with_settings(root, settings)
    return build_site(root, root / "site", search=False)


def test_admin_is_in_the_public_build_and_loads_only_its_own_files(site):
    index = site / "admin" / "index.html"
    soup = parse(index)
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
    assert soup.html["lang"] == "zh-CN"
    refs = [e.get("src") or e.get("href") for e in soup.find_all(["script", "link"])]
    assert refs and all(not re.match(r"(https?:)?//", ref) for ref in refs), refs
    for ref in refs:
        assert (index.parent / ref).resolve().is_file(), ref
    version = (VENDOR / "VERSION").read_text().strip()
    assert f'"version": "{version}"' in (VENDOR / "package.json").read_text(encoding="utf-8")
    assert (VENDOR / "LICENSE").is_file() and (site / "admin" / "decap-cms.js.LICENSE.txt").is_file()
    chunks = {p.name for p in VENDOR.iterdir() if p.suffix in (".js", ".wasm")}
    assert chunks <= {p.name for p in (site / "admin").iterdir()}


def test_admin_is_out_of_the_sitemap_and_the_public_policy_has_no_local_proxy(site):
    assert "admin" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    config = yaml.safe_load((site / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert "local_backend" not in config  # a public build never talks to decap-server
    policy = parse(site / "admin" / "index.html").find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert "localhost" not in policy["content"]


def test_config_lists_the_librarys_methods_by_chinese_name(site):
    config = yaml.safe_load((site / "admin" / "config.yml").read_text(encoding="utf-8"))
    stories = next(c for c in config["collections"] if c["name"] == "stories")
    methods = next(f for f in stories["fields"] if f["name"] == "methods")
    names = {}
    for path in (FIXTURES / "library" / "methods").glob("*.md"):
        head = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        names[head["id"]] = head["name"]
    assert {o["value"]: o["label"] for o in methods["options"]} == names
    assert config["locale"] == "zh_Hans"


def test_backend_comes_from_the_plugin_settings(tmp_path_factory):
    site = _build(
        tmp_path_factory,
        "      cms_backend: gitlab\n      cms_repo: editors/exemplars\n"
        "      cms_base_url: https://git.example.gov.cn\n      cms_app_id: abc123\n",
    )
    config = yaml.safe_load((site / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert config["backend"] == {
        "name": "gitlab",
        "branch": "main",
        "repo": "editors/exemplars",
        "auth_type": "pkce",
        "app_id": "abc123",
        "base_url": "https://git.example.gov.cn",
        "api_root": "https://git.example.gov.cn/api/v4",
        "auth_endpoint": "oauth/authorize",
    }
    assert config["publish_mode"] == "editorial_workflow"
    policy = parse(site / "admin" / "index.html").find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert "connect-src 'self' blob: https://git.example.gov.cn" in policy["content"]
