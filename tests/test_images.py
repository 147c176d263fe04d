"""Images: the checker opens every referenced image (covers and body images) and says what is wrong with a missing,
fake, outside or absurd one; the build publishes resized copies without photo metadata (EXIF, GPS), shows the cover
with srcset, and publishes no image only a draft uses."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from conftest import run_cli
from PIL import ExifTags, Image, PngImagePlugin
from sitebuild import build_site, page, parse

from exemplars import media
from exemplars.site.images import WIDTHS, widths_for

STORY = "stories/zhejiang/qingshi-yishihui-2019.md"  # published, in tests/fixtures/library
OTHER = "stories/henan/hezuo-tiaojie-2021.md"  # published
DRAFT = "stories/zhejiang/draft-caogao-2024.md"


def picture(
    width: int,
    height: int,
    fmt: str = "JPEG",
    *,
    gps: bool = False,
    orientation: int = 1,
    text: str | None = None,
    colour=(40, 110, 190),
) -> bytes:
    """An image as a camera or an editor would hand it in: optionally with GPS position, camera make and an
    orientation tag (JPEG) or a text chunk (PNG)."""
    image = Image.new("RGB", (width, height), colour)
    for x in range(0, width, 50):  # some detail, so that resizing has work to do
        image.paste((255 - x % 255, 80, x % 200), (x, 0, min(x + 20, width), height // 2))
    out = io.BytesIO()
    options = {}
    if fmt == "JPEG":
        exif = Image.Exif()
        exif[ExifTags.Base.Make] = "SecretCam"
        exif[ExifTags.Base.Orientation] = orientation
        if gps:
            exif[ExifTags.IFD.GPSInfo] = {
                ExifTags.GPS.GPSLatitudeRef: "N",
                ExifTags.GPS.GPSLatitude: (30.0, 38.0, 7.5),
                ExifTags.GPS.GPSLongitudeRef: "E",
                ExifTags.GPS.GPSLongitude: (119.0, 40.0, 2.0),
            }
        options["exif"] = exif
    if fmt == "PNG" and text:
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", text)
        options["pnginfo"] = info
    image.save(out, fmt, **options)
    return out.getvalue()


def with_front(text: str, *lines: str) -> str:
    """`text` (a story file) with `lines` added at the end of its front matter."""
    head, sep, rest = text[4:].partition("\n---\n")
    return "---\n" + head + "\n" + "\n".join(lines) + sep + rest


def story_text(root: Path, rel: str) -> str:
    return (root / rel).read_text(encoding="utf-8")


def check(root: Path, *paths: str):
    return run_cli("check", *paths, cwd=root)


# --- the checker --------------------------------------------------------------------------------------------
def test_valid_images_of_every_format_pass(library_copy):
    root = library_copy(
        {
            "media/a.jpg": picture(800, 600),
            "media/b.png": picture(300, 300, "PNG"),
            "media/sub/c.webp": picture(500, 200, "WEBP"),
        }
    )
    text = story_text(root, STORY)
    (root / STORY).write_text(
        with_front(text, "cover: media/b.png")
        + '\n![现场](../../media/a.jpg)\n\n![图](<../../media/sub/c.webp> "标题")\n',
        encoding="utf-8",
    )
    result = check(root, STORY)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "IMAGE" not in result.stdout


def test_a_cover_beside_its_story_may_be_named_alone(library_copy):
    root = library_copy({"stories/zhejiang/village.png": picture(400, 300, "PNG")})
    (root / STORY).write_text(with_front(story_text(root, STORY), "cover: village.png"), encoding="utf-8")
    assert check(root, STORY).returncode == 0
    assert media.probe(root, "stories/zhejiang/village.png").width == 400
    (root / OTHER).write_text(with_front(story_text(root, OTHER), "cover: village.png"), encoding="utf-8")
    result = check(root, OTHER)  # another folder: neither the root nor the story's folder holds it
    assert "E-IMAGE-MISSING" in result.stdout and "`village.png` 不存在" in result.stdout


def test_a_missing_cover_is_an_error_at_its_line_with_the_fix(library_copy):
    root = library_copy({"media/zhejiang/yucun.jpg": picture(800, 600)})
    text = with_front(story_text(root, STORY), "cover: media/yucun.jpg")
    (root / STORY).write_text(text, encoding="utf-8")
    line = text.splitlines().index("cover: media/yucun.jpg") + 1
    result = check(root, STORY)
    assert result.returncode == 1
    assert f"{STORY}:{line}: 错误 E-IMAGE-MISSING" in result.stdout
    assert "`media/yucun.jpg` 不存在" in result.stdout
    assert "`media/zhejiang/yucun.jpg` 同名，是不是这个？" in result.stdout  # the same name elsewhere in media/
    assert "Traceback" not in result.stderr


def test_a_missing_body_image_is_an_error_at_its_body_line(library_copy):
    root = library_copy()
    text = story_text(root, STORY) + "\n段落。\n\n![村口](../../media/nowhere.png)\n"
    (root / STORY).write_text(text, encoding="utf-8")
    line = text.splitlines().index("![村口](../../media/nowhere.png)") + 1
    result = check(root, STORY)
    assert f"{STORY}:{line}: 错误 E-IMAGE-MISSING: 正文引用的图片 `../../media/nowhere.png` 不存在" in result.stdout


@pytest.mark.parametrize(
    "content, found",
    [
        (b"just some text pretending to be a photo\n", "文本文件"),
        (b"", "空文件"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF 文档"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64), "HEIC 照片"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(40), "损坏或不完整的图片文件"),
        ("gif", "GIF"),
    ],
)
def test_a_fake_or_unsupported_image_is_an_error_saying_what_it_is(library_copy, content, found):
    if content == "gif":
        buffer = io.BytesIO()
        Image.new("P", (200, 200)).save(buffer, "GIF")
        content = buffer.getvalue()
    root = library_copy({"media/photo.jpg": content})
    (root / STORY).write_text(with_front(story_text(root, STORY), "cover: media/photo.jpg"), encoding="utf-8")
    result = check(root, STORY)
    assert result.returncode == 1
    line = next(line for line in result.stdout.splitlines() if "E-IMAGE-FORMAT" in line)
    assert f"{STORY}:" in line and "`media/photo.jpg` 不是 JPEG、PNG 或 WebP 图片" in line and found in line, line
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("size", [(20, 400), (13000, 70)])
def test_an_image_of_absurd_size_is_an_error(library_copy, size):
    root = library_copy({"media/odd.png": picture(*size, "PNG")})
    (root / STORY).write_text(with_front(story_text(root, STORY), "cover: media/odd.png"), encoding="utf-8")
    result = check(root, STORY)
    assert "E-IMAGE-DIMENSIONS" in result.stdout and f"{size[0]}×{size[1]} 像素" in result.stdout


def test_an_image_outside_the_library_is_refused(library_copy, tmp_path):
    (tmp_path / "outside.jpg").write_bytes(picture(300, 300))
    root = library_copy()
    (root / STORY).write_text(
        with_front(story_text(root, STORY), "cover: ../outside.jpg") + "\n![外面](../../../outside.jpg)\n",
        encoding="utf-8",
    )
    result = check(root, STORY)
    assert result.stdout.count("E-IMAGE-OUTSIDE") == 2, result.stdout


def test_a_file_over_the_size_limit_is_refused_before_it_is_decoded(tmp_path, monkeypatch):
    (tmp_path / "big.jpg").write_bytes(picture(400, 300))
    monkeypatch.setattr(media, "MAX_BYTES", 1000)
    with pytest.raises(media.ImageProblem) as caught:
        media.probe(tmp_path, "big.jpg")
    assert caught.value.code == "E-IMAGE-TOO-LARGE"


def test_images_shown_as_examples_in_code_are_not_checked():
    body = "文字\n\n```\n![示例](../../media/none.jpg)\n```\n\n`![行内](x.jpg)` 和 ![真的](a.png)\n"
    refs = media.body_refs("stories/zhejiang/x.md", body, 10)
    assert [(r.written, r.path, r.line) for r in refs] == [("a.png", "stories/zhejiang/a.png", 16)]


def test_widths_never_enlarge_and_always_include_one():
    assert widths_for(100) == [100]
    assert widths_for(1000) == [480, 960, 1000]
    assert widths_for(5000) == list(WIDTHS)


# --- the built site -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def image_site(tmp_path_factory) -> tuple[Path, Path]:
    import shutil

    from conftest import FIXTURES

    root = tmp_path_factory.mktemp("images") / "lib"
    shutil.copytree(FIXTURES / "library", root)
    files = {
        "media/gps.jpg": picture(2400, 1200, gps=True, orientation=6),  # a phone held upright: 1200×2400 shown
        "media/wide.png": picture(1000, 500, "PNG", text="owner: 13812345678", colour=(200, 60, 60)),
        "media/small.webp": picture(300, 200, "WEBP"),
        "media/draft-only.jpg": picture(700, 500, colour=(10, 200, 10)),
    }
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    (root / STORY).write_text(
        with_front(story_text(root, STORY), "cover: media/gps.jpg", "cover_alt: 村民在晒场上开议事会")
        + "\n![宽图](../../media/wide.png)\n",
        encoding="utf-8",
    )
    (root / OTHER).write_text(with_front(story_text(root, OTHER), "cover: media/small.webp"), encoding="utf-8")
    (root / DRAFT).write_text(with_front(story_text(root, DRAFT), "cover: media/draft-only.jpg"), encoding="utf-8")
    site = build_site(root, tmp_path_factory.mktemp("images-site") / "site")
    return root, site


def story_url(root: Path, rel: str) -> str:
    return "stories/" + re.search(r"^id: (\S+)", story_text(root, rel), re.M).group(1) + "/"


def test_the_cover_is_shown_with_srcset_lazily_and_with_its_alt(image_site):
    root, site = image_site
    soup = parse(page(site, story_url(root, STORY)))
    img = soup.select_one("figure.ex-cover img")
    assert img is not None
    assert img["alt"] == "村民在晒场上开议事会" and img["loading"] == "lazy"
    candidates = [c.strip().split() for c in img["srcset"].split(",")]
    assert [int(w[:-1]) for _, w in candidates] == [480, 960, 1200]  # shown 1200 wide: never enlarged to 1600
    folder = page(site, story_url(root, STORY)).parent
    for src, width in candidates:
        with Image.open(folder / src) as copy:
            assert copy.size == (int(width[:-1]), int(width[:-1]) * 2)  # upright: the EXIF turn was applied
    assert (folder / img["src"]).is_file()
    assert (int(img["width"]), int(img["height"])) == (960, 1920)


def test_without_cover_alt_the_title_describes_the_cover(image_site):
    root, site = image_site
    soup = parse(page(site, story_url(root, OTHER)))
    img = soup.select_one("figure.ex-cover img")
    assert img["alt"] == soup.h1.get_text(strip=True)
    assert [c.split()[1] for c in img["srcset"].split(", ")] == ["300w"]  # a small image: one copy, its own size


def test_body_images_go_through_the_same_pipeline(image_site):
    root, site = image_site
    file = page(site, story_url(root, STORY))
    img = parse(file).select_one(".ex-story__body img[alt='宽图']")
    assert img["loading"] == "lazy" and "480w" in img["srcset"] and "1000w" in img["srcset"]
    assert (file.parent / img["src"]).is_file()
    with Image.open(file.parent / img["src"]) as copy:
        assert copy.format == "PNG" and "Comment" not in copy.info  # the text chunk (with a phone number) is gone


def test_published_copies_carry_no_exif_or_gps(image_site):
    _, site = image_site
    copies = sorted((site / "media").iterdir())
    assert len(copies) >= 6
    for file in copies:
        data = file.read_bytes()
        assert b"SecretCam" not in data and b"13812345678" not in data, file
        with Image.open(file) as copy:
            exif = copy.getexif()
            assert not exif.get_ifd(ExifTags.IFD.GPSInfo) and ExifTags.Base.Make not in exif, file
            assert "exif" not in copy.info and "xmp" not in copy.info, file


def test_published_names_are_content_digests_not_the_editors_file_names(image_site):
    _, site = image_site
    names = [f.name for f in (site / "media").iterdir()]
    assert all(re.fullmatch(r"[0-9a-f]{16}-(\d+|share)\.(jpg|png|webp)", n) for n in names), names


def test_an_image_only_a_draft_uses_is_not_published(image_site):
    root, site = image_site
    digest = media.probe(root, "media/draft-only.jpg").digest[:16]
    assert not any(f.name.startswith(digest) for f in (site / "media").iterdir())
    assert all(digest not in f.read_text(encoding="utf-8") for f in site.rglob("*.html"))


def test_a_missing_image_stops_the_public_build(library_copy, tmp_path):
    from mkdocs.exceptions import Abort

    root = library_copy()
    (root / STORY).write_text(with_front(story_text(root, STORY), "cover: media/gone.jpg"), encoding="utf-8")
    with pytest.raises(Abort) as caught:
        build_site(root, tmp_path / "site", search=False)
    assert "E-IMAGE-MISSING" in str(caught.value)


def test_a_second_build_reuses_the_cached_copies_byte_for_byte(image_site, tmp_path):
    root, site = image_site
    cache = root / ".cache" / "media"
    before = {f.name: f.stat().st_mtime_ns for f in cache.iterdir()}
    assert before, "the first build cached nothing"
    again = build_site(root, tmp_path / "again", search=False)
    assert {f.name: f.stat().st_mtime_ns for f in cache.iterdir()} == before  # nothing encoded again
    first = {f.name: f.read_bytes() for f in (site / "media").iterdir()}
    assert {f.name: f.read_bytes() for f in (again / "media").iterdir()} == first


@pytest.mark.parametrize(
    "written", ["media/[a-z]*.jpg", "media/" + "长" * 200 + ".jpg", "media", "media/", "./././", "图片 带空格.jpg"]
)
def test_odd_cover_values_are_told_never_a_traceback(library_copy, written):
    root = library_copy({"media/a.jpg": picture(300, 300)})
    (root / STORY).write_text(with_front(story_text(root, STORY), f'cover: "{written}"'), encoding="utf-8")
    result = check(root, STORY)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "E-IMAGE-" in result.stdout


def test_a_symlink_out_of_the_library_is_outside(library_copy, tmp_path):
    (tmp_path / "secret.jpg").write_bytes(picture(300, 300))
    root = library_copy()
    (root / "media").mkdir()
    (root / "media" / "link.jpg").symlink_to(tmp_path / "secret.jpg")
    (root / STORY).write_text(with_front(story_text(root, STORY), "cover: media/link.jpg"), encoding="utf-8")
    assert "E-IMAGE-OUTSIDE" in check(root, STORY).stdout
