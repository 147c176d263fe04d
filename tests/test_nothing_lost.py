"""Nothing lost: commands that write into the library write atomically (temp file + rename, or a hard link that
fails if the target exists), never overwrite, and leave every other file byte-identical. Round trips run the real
CLI; the failure paths run the real fsutil functions with the failure injected at the OS call."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from exemplars import fsutil

NEW_ARGS = (
    "--title",
    "怀阴社区老伙伴互助",
    "--kind",
    "exemplar",
    "--method",
    "民主协商法",
    "--method",
    "为民谋利法",
    "--region",
    "浙江省/湖州市/安吉县",
    "--date",
    "2020-04-12",
    "--author",
    "测试编辑",
    "--id",
    "laohuoban-2020",
)
NEW_PATH = "stories/zhejiang/laohuoban-2020.md"


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_new_adds_one_file_and_touches_nothing_else(library_copy, cli):
    root = library_copy({"stories/zhejiang/odd bytes.md": b"---\r\nid: x\r\n---\r\n\xe4\xb8\xad\x00\r\n"})
    before = snapshot(root)
    result = cli("new", "--root", str(root), *NEW_ARGS)
    assert result.returncode == 0, result.stderr
    after = snapshot(root)
    assert set(after) - set(before) == {NEW_PATH}
    assert {k: v for k, v in after.items() if k != NEW_PATH} == before
    assert not list(root.rglob(".tmp-*")), "a temporary file was left behind"


def test_new_never_overwrites_a_file_it_does_not_recognise(library_copy, cli):
    """A file already at the target path that is not a story the library knows (binary junk): refused, kept."""
    junk = b"\x89PNG\r\n\x1a\n\x00\x00 not a story"
    root = library_copy({NEW_PATH: junk})
    before = snapshot(root)
    result = cli("new", "--root", str(root), *NEW_ARGS)
    assert result.returncode == 2 and "没有覆盖" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(root) == before


def test_create_exclusive_loses_the_race_without_harm(tmp_path, monkeypatch):
    """The target appears between the caller's check and the write: the link fails, the other file stays."""
    target = tmp_path / "stories" / "x.md"
    real_link = os.link

    def racing_link(src, dst):
        Path(dst).write_bytes(b"written by someone else")
        return real_link(src, dst)

    monkeypatch.setattr(os, "link", racing_link)
    with pytest.raises(FileExistsError):
        fsutil.create_exclusive(target, "新内容")
    assert target.read_bytes() == b"written by someone else"
    assert [p.name for p in target.parent.iterdir()] == ["x.md"]


@pytest.mark.parametrize("function", ["create_exclusive", "write_atomic"])
def test_a_failed_write_leaves_no_half_file(tmp_path, monkeypatch, function):
    """ENOSPC at fsync (the data did not reach the disk): no target change, no temporary file."""
    target = tmp_path / "story.md"
    if function == "write_atomic":
        target.write_bytes("原来的内容\n".encode())

    def full_disk(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError):
        if function == "create_exclusive":
            fsutil.create_exclusive(target, "新内容")
        else:
            fsutil.write_atomic(target, "新内容".encode())
    expected = ["story.md"] if function == "write_atomic" else []
    assert sorted(p.name for p in tmp_path.iterdir()) == expected
    if function == "write_atomic":
        assert target.read_bytes() == "原来的内容\n".encode()


def test_write_atomic_keeps_permissions_and_bytes(tmp_path):
    target = tmp_path / "story.md"
    target.write_bytes(b"old")
    target.chmod(0o640)
    data = "---\r\nid: x\r\n---\r\n正文\x00保留\r\n".encode()
    fsutil.write_atomic(target, data)
    assert target.read_bytes() == data and target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["story.md"]


@pytest.mark.parametrize("function", ["create_exclusive", "write_atomic"])
def test_a_new_file_gets_the_permissions_of_any_new_file(tmp_path, function):
    """Not the temporary file's private 0600: a new story must be readable like its neighbours, and a cache entry is
    hard-linked into the published site, where the web server has to read it."""
    target = tmp_path / "new" / "story.md"
    old_umask = os.umask(0o022)
    try:
        if function == "create_exclusive":
            fsutil.create_exclusive(target, "新内容")
        else:
            fsutil.write_atomic(target, "新内容".encode(), durable=False)
    finally:
        os.umask(old_umask)
    assert target.read_text(encoding="utf-8") == "新内容" and target.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in target.parent.iterdir()] == ["story.md"]


def test_schema_output_is_written_atomically_and_round_trips(library_copy, cli, tmp_path):
    root = library_copy()
    out = tmp_path / "story.schema.json"
    first = cli("schema", "--root", str(root), "-o", str(out))
    assert first.returncode == 0, first.stderr
    printed = cli("schema", "--root", str(root))
    assert out.read_text(encoding="utf-8") == printed.stdout
    out.chmod(0o600)
    again = cli("schema", "--root", str(root), "-o", str(out))
    assert again.returncode == 0 and out.read_text(encoding="utf-8") == printed.stdout
    assert out.stat().st_mode & 0o777 == 0o600 and sorted(p.name for p in tmp_path.iterdir()) == [
        "lib",
        "story.schema.json",
    ]


def test_schema_output_into_a_missing_folder_is_a_clear_error(library_copy, cli, tmp_path):
    root = library_copy()
    blocked = tmp_path / "file"
    blocked.write_text("x", encoding="utf-8")
    result = cli("schema", "--root", str(root), "-o", str(blocked / "sub" / "s.json"))
    assert result.returncode == 2 and "无法写入" in result.stderr and "Traceback" not in result.stderr
    assert blocked.read_text(encoding="utf-8") == "x"
