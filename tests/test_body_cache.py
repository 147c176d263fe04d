"""The rendered-body cache cannot go stale: its key covers every file of the package and the versions of the
libraries that shape the HTML, so a warm build after a code change serves what the new code renders."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from conftest import CITING_STORY
from sitebuild import page, parse

from exemplars.site import render
from exemplars.site.render import code_signature

PACKAGE = Path(render.__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent

OLD_SUMMARY = """f'<p class="ex-cite__summary">{escape(target.summary)}</p>'"""
NEW_SUMMARY = """f'<p class="ex-cite__summary">摘要（新）：{escape(target.summary)}</p>'"""

DRIVER = """
import sys
sys.path[:0] = [sys.argv[1], sys.argv[2]]
import exemplars
assert exemplars.__file__.startswith(sys.argv[1]), exemplars.__file__
from sitebuild import build_site
build_site(sys.argv[3], sys.argv[4], search=False)
"""


def _build(package_root: Path, library: Path, site: Path) -> None:
    """A real `mkdocs build` in a fresh process that imports the package from `package_root`."""
    result = subprocess.run(
        [sys.executable, "-c", DRIVER, str(package_root), str(TESTS), str(library), str(site)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _entries(library: Path) -> set[str]:
    with sqlite3.connect(library / ".cache" / "exemplars" / "bodies.sqlite") as db:
        return {key for (key,) in db.execute("SELECT key FROM entries")}


def _card_summary(site: Path) -> str:
    card = parse(page(site, "stories/yinyong-2022/")).select_one(".ex-cite--cautionary .ex-cite__summary")
    return card.get_text()


def test_a_warm_build_after_a_card_html_change_serves_the_new_html(library_copy, tmp_path):
    package_root = tmp_path / "pkg"
    shutil.copytree(PACKAGE, package_root / "exemplars", ignore=shutil.ignore_patterns("__pycache__"))
    library = library_copy({"stories/zhejiang/yinyong-2022.md": CITING_STORY})

    _build(package_root, library, tmp_path / "site1")
    assert _card_summary(tmp_path / "site1") == "某村干部截留困难群众补助，被查处并退赔。"
    warm = _entries(library)
    assert warm  # the first build filled the cache the second one starts from

    cite = package_root / "exemplars" / "site" / "cite.py"
    source = cite.read_text(encoding="utf-8")
    assert OLD_SUMMARY in source
    cite.write_text(source.replace(OLD_SUMMARY, NEW_SUMMARY), encoding="utf-8")

    _build(package_root, library, tmp_path / "site2")
    assert _card_summary(tmp_path / "site2") == "摘要（新）：某村干部截留困难群众补助，被查处并退赔。"
    assert _entries(library) - warm  # the changed code made new keys beside the old entries

    # and a rebuild with nothing changed reuses the cache: no new keys
    before = _entries(library)
    _build(package_root, library, tmp_path / "site3")
    assert _entries(library) == before
    assert _card_summary(tmp_path / "site3") == "摘要（新）：某村干部截留困难群众补助，被查处并退赔。"


def test_the_signature_covers_the_shaping_library_versions(monkeypatch):
    real = code_signature()
    for name in ("Markdown", "pymdown-extensions", "nh3", "exemplars"):
        original = render.metadata.version
        monkeypatch.setattr(
            render.metadata,
            "version",
            lambda dist, name=name, original=original: "99.0" if dist == name else original(dist),
        )
        code_signature.cache_clear()
        assert code_signature() != real, name
        monkeypatch.setattr(render.metadata, "version", original)
    code_signature.cache_clear()
    assert code_signature() == real


def _renderer(tmp_path: Path, links: dict[str, str]):
    from exemplars.cache import ContentCache
    from exemplars.site.render import BodyRenderer, LinkMap

    cache = ContentCache(tmp_path, "bodies")
    renderer = BodyRenderer(LinkMap(links))
    renderer.use_cache(cache)
    return renderer, cache


def test_a_body_without_links_is_rendered_once_for_every_page_that_shows_it(tmp_path):
    """A story shown on its own page, in a lesson and in a Word handout: without a "[" or a "<" nothing in it is
    written relative to the page, so the second and third renders are cache hits — and still what an uncached
    render for that page gives."""
    from exemplars.site.render import BodyRenderer

    body = "老党员王某某走访了三十户人家。\n\n**群众**说：有事好商量。"
    renderer, cache = _renderer(tmp_path, {})
    first = renderer.render(body, "stories/zhejiang/a.md", "stories/a/")
    assert (cache.hits, cache.misses) == (0, 1)
    for page_url in ("lessons/l1/", "lessons/l2/handout/"):
        assert renderer.render(body, "stories/zhejiang/a.md", page_url) == first
        assert BodyRenderer().render(body, "stories/zhejiang/a.md", page_url) == first
    assert (cache.hits, cache.misses) == (2, 1), "found among the entries not yet written to the database"


def test_a_body_with_a_link_is_rendered_for_each_page(tmp_path):
    body = "见[另一篇故事](b.md)。"
    renderer, cache = _renderer(tmp_path, {"stories/zhejiang/b.md": "stories/b/"})
    on_story = renderer.render(body, "stories/zhejiang/a.md", "stories/a/")
    in_lesson = renderer.render(body, "stories/zhejiang/a.md", "lessons/l1/")
    assert 'href="../b/"' in on_story and 'href="../../stories/b/"' in in_lesson
    assert (cache.hits, cache.misses) == (0, 2)
    assert renderer.render(body, "stories/zhejiang/a.md", "lessons/l1/") == in_lesson and cache.hits == 1


def test_a_body_that_an_extension_gives_a_link_is_rendered_for_each_page(tmp_path):
    """No "[" or "<" in the Markdown, but magiclink makes the bare address a link: the HTML decides, not the
    source, so the render is kept per page."""
    from exemplars.cache import ContentCache
    from exemplars.site.render import BodyRenderer

    cache = ContentCache(tmp_path, "bodies")
    renderer = BodyRenderer(extensions=["pymdownx.magiclink"])
    renderer.use_cache(cache)
    body = "详见 https://example.org/gongkai 的公开材料。"
    on_story = renderer.render(body, "stories/zhejiang/a.md", "stories/a/")
    assert 'href="https://example.org/gongkai"' in on_story
    renderer.render(body, "stories/zhejiang/a.md", "lessons/l1/")
    assert (cache.hits, cache.misses) == (0, 2)
