"""Share cards: every page of the built sample site carries Open Graph and Twitter meta that agree with the page
(title, description, canonical address); story, method and lesson pages are articles; the picture is the story's
cover at share size, else the committed site image; and the site ships its security headers file."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import REPO
from PIL import Image
from sitebuild import build_site, html_files, page, parse

from exemplars.site import urls
from exemplars.site.headers import HEADERS
from exemplars.site.share_meta import SITE_IMAGE, SITE_IMAGE_SIZE

SITE_URL = "https://exemplars.example.org/"  # mkdocs.yml


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory) -> Path:
    return build_site(REPO, tmp_path_factory.mktemp("share-site") / "site")


def meta(soup) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for tag in soup.head.find_all("meta"):
        key = tag.get("property") or tag.get("name")
        if key and (key.startswith("og:") or key.startswith("twitter:")):
            found.setdefault(key, []).append(tag.get("content", ""))
    return found


def local_file(site: Path, absolute: str) -> Path:
    assert absolute.startswith(SITE_URL), absolute
    return site / urlsplit(absolute).path.lstrip("/")


def article_urls(library) -> dict[str, str]:
    """Every published story, method and lesson page → what it is."""
    found = {urls.story(s.id): "story" for s in library.stories if s.is_public}
    found.update({urls.method(m.id): "method" for m in library.methods})
    for lesson in library.lessons:
        if lesson.is_public:
            found[urls.lesson(lesson.id)] = "lesson"
            found[urls.lesson_handout(lesson.id)] = "lesson"
    return found


def test_every_story_method_and_lesson_page_has_a_correct_share_card(sample_site, library):
    pages = article_urls(library)
    assert {"story", "method", "lesson"} <= set(pages.values())
    covers = 0
    for url in pages:
        soup = parse(page(sample_site, url))
        tags = meta(soup)
        for key, values in tags.items():
            assert len(values) == 1, (url, key)
        one = {key: values[0] for key, values in tags.items()}
        assert one["og:type"] == "article", url
        assert one["og:site_name"] == "典型示范故事库" and one["og:locale"] == "zh_CN", url
        assert one["og:url"] == soup.find("link", rel="canonical")["href"] == SITE_URL + url, url
        title = soup.title.get_text().rsplit(" - ", 1)[0]
        assert one["og:title"] == one["twitter:title"] == title, url
        description = soup.find("meta", attrs={"name": "description"})["content"]
        assert one["og:description"] == one["twitter:description"], url
        assert description.startswith(one["og:description"].rstrip("…")), url
        assert one["twitter:card"] == "summary_large_image" and one["twitter:image"] == one["og:image"], url
        assert one["og:image:alt"] and one["twitter:image:alt"] == one["og:image:alt"], url
        picture = local_file(sample_site, one["og:image"])
        with Image.open(picture) as image:
            assert image.size == (int(one["og:image:width"]), int(one["og:image:height"])), url
            assert Image.MIME[image.format] == one["og:image:type"], url
        cover = soup.select_one("figure.ex-cover img")
        if cover is not None:  # a story with a cover shares it, as a JPEG no wider than 1200 px
            covers += 1
            assert "/media/" in one["og:image"] and one["og:image"].endswith("-share.jpg"), url
            assert one["og:image:alt"] == cover["alt"], url
            assert int(one["og:image:width"]) <= 1200
        else:
            assert one["og:image"] == SITE_URL + SITE_IMAGE, url
    assert covers >= 1, "the sample library's cover story was not seen"


def test_other_pages_are_websites_with_a_card_too(sample_site, library):
    articles = set(article_urls(library))
    checked = 0
    for file in html_files(sample_site):
        soup = parse(file)
        if file.name != "index.html" or soup.find("meta", attrs={"http-equiv": "refresh"}):
            continue  # 404.html is never shared; redirects of old ids
        url = file.parent.relative_to(sample_site).as_posix() + "/"
        url = "" if url == "./" else url
        tags = meta(soup)
        assert tags.get("og:title") and tags.get("og:image"), url
        if url not in articles:
            assert tags["og:type"] == ["website"], url
            checked += 1
    assert checked > 20


def test_the_home_page_is_shared_under_the_site_name(sample_site):
    tags = meta(parse(page(sample_site, "")))
    assert tags["og:title"] == ["典型示范故事库"] and tags["og:url"] == [SITE_URL]


def test_the_site_share_image_is_committed_and_published(sample_site):
    committed = REPO / "overrides" / SITE_IMAGE
    with Image.open(committed) as image:
        assert image.size == SITE_IMAGE_SIZE
    assert (sample_site / SITE_IMAGE).read_bytes() == committed.read_bytes()


def test_the_site_ships_its_security_headers_for_netlify_and_cloudflare(sample_site):
    lines = (sample_site / "_headers").read_text(encoding="utf-8").splitlines()
    assert "/*" in lines
    rules = [line.strip() for line in lines[lines.index("/*") + 1 :] if line.strip()]
    assert rules == [f"{name}: {value}" for name, value in HEADERS]
    assert "Content-Security-Policy: frame-ancestors 'none'" in rules


def test_share_meta_escapes_what_editors_wrote_and_shortens_long_descriptions():
    from bs4 import BeautifulSoup

    from exemplars.site.share_meta import MAX_DESCRIPTION, share_meta

    hostile = '"><script>alert(1)</script>'
    html = share_meta(
        title=hostile, description="长" * 400 + "\n 尾", url="stories/x/", site_name="站", base=SITE_URL, article=True
    )
    assert "<script" not in html
    soup = BeautifulSoup(f"<head>{html}</head>", "html.parser")
    tags = {t.get("property") or t.get("name"): t["content"] for t in soup.find_all("meta")}
    assert tags["og:title"] == hostile and tags["og:url"] == SITE_URL + "stories/x/"
    assert len(tags["og:description"]) == MAX_DESCRIPTION and tags["og:description"].endswith("…")
    assert tags["og:image"] == SITE_URL + SITE_IMAGE and tags["og:type"] == "article"


def test_a_shell_fills_its_meta_slot_per_page_and_may_have_none():
    from exemplars.site.shell import CONTENT, DESCRIPTION, META, TITLE, Shell

    html = (
        f'<html><head><title>{TITLE}</title><meta name=description content="{DESCRIPTION}">{META}</head>'
        f"<body>{CONTENT}</body></html>"
    )
    shell = Shell.parse(html, canonical="")
    assert "meta" in shell.slots
    page = shell.fill(
        title="标题",
        description="说明",
        canonical="",
        content="<p>正文</p>",
        meta='<meta property="og:title" content="标题">',
    )
    assert '<meta property="og:title" content="标题"></head>' in page and META not in page
    plain = Shell.parse(html.replace(META, ""), canonical="")
    assert "meta" not in plain.slots
    assert plain.fill(title="t", description="d", canonical="", content="c", meta="<meta x>").count("<meta") == 1
