"""`make site` is atomic (scripts/build-site → exemplars.atomic_site): the site is built into a temporary folder
beside site/ and swapped in only on success. Each fault below runs the real script as a subprocess against a
real library, then checks that the previous site/ is byte-identical and no temporary folder is left.

Fault cases: a story the checker rejects; ENOSPC ("no space left on device") raised by a MkDocs hook after the
whole site was written; a real kernel-refused write (RLIMIT_FSIZE: a file-size limit, writes fail with EFBIG)
in the middle of writing pages; SIGTERM to the script mid-build; SIGINT to the whole process group mid-build
(what Ctrl-C does).
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO
from sitebuild import make_project

SCRIPT = REPO / "scripts" / "build-site"
BAD_STORY = (FIXTURES / "bad" / "body-script.md").read_text(encoding="utf-8")


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.glob(".site-*"))


@pytest.fixture
def project(tmp_path) -> Path:
    """The fixture library as a full project, with a previous site/ already published."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "library", root)
    make_project(root)
    (root / "site" / "stories").mkdir(parents=True)
    (root / "site" / "index.html").write_text("<p>上一次发布的网站</p>", encoding="utf-8")
    (root / "site" / "stories" / "old.html").write_bytes(b"\x00old bytes\xff")
    return root


def run(root: Path, **options) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        **options,
    )


def start(root: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(SCRIPT)],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def wait_until_building(root: Path, process: subprocess.Popen) -> None:
    """Until the build has written into its temporary folder (so the signal lands mid-build)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        if any(any(d.rglob("*.html")) for d in root.glob(".site-tmp-*")):
            return
        time.sleep(0.02)
    pytest.fail("the build never started writing")


def test_a_good_build_replaces_the_site(project):
    result = run(project)
    assert result.returncode == 0, result.stderr
    assert (project / "site" / "stories" / "hezuo-tiaojie-2021" / "index.html").is_file()
    assert not (project / "site" / "stories" / "old.html").exists()
    assert leftovers(project) == []


def test_a_first_build_creates_the_site(project):
    shutil.rmtree(project / "site")
    assert run(project).returncode == 0
    assert (project / "site" / "index.html").is_file() and leftovers(project) == []


def test_a_rejected_story_leaves_the_previous_site(project):
    (project / "stories" / "zhejiang" / "bad.md").write_text(BAD_STORY, encoding="utf-8")
    before = snapshot(project / "site")
    result = run(project)
    assert result.returncode != 0
    assert "E-HTML-SCRIPT" in result.stderr and "原有的 site/ 保持不变" in result.stderr
    assert snapshot(project / "site") == before
    assert leftovers(project) == []


def test_no_space_left_on_device_leaves_the_previous_site(project):
    """ENOSPC raised after MkDocs wrote every page (the worst moment: a complete-looking but broken site)."""
    (project / "enospc.py").write_text(
        "import errno\n\ndef on_post_build(config):\n    raise OSError(errno.ENOSPC, 'No space left on device')\n",
        encoding="utf-8",
    )
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("\nhooks:\n  - enospc.py\n")
    before = snapshot(project / "site")
    result = run(project)
    assert result.returncode != 0 and "No space left on device" in result.stderr
    assert snapshot(project / "site") == before
    assert leftovers(project) == []


def test_a_write_refused_by_the_kernel_leaves_the_previous_site(project):
    """RLIMIT_FSIZE of 16 KiB: the first page bigger than that fails to be written (EFBIG), mid-build."""

    def limit_file_size():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # so the write fails with an error instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 1024, 16 * 1024))

    before = snapshot(project / "site")
    result = run(project, preexec_fn=limit_file_size)
    assert result.returncode != 0
    assert "File too large" in result.stderr or "EFBIG" in result.stderr, result.stderr[-2000:]
    assert snapshot(project / "site") == before
    assert leftovers(project) == []


@pytest.mark.parametrize("how", ["SIGTERM to the script", "SIGINT to the process group"])
def test_an_interrupted_build_leaves_the_previous_site(project, how):
    before = snapshot(project / "site")
    process = start(project)
    wait_until_building(project, process)
    if how.startswith("SIGTERM"):
        process.send_signal(signal.SIGTERM)
    else:
        os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode != 0
    assert "构建被中断" in stderr or "KeyboardInterrupt" in stderr or process.returncode < 0, stderr
    assert snapshot(project / "site") == before
    assert leftovers(project) == []


def test_make_site_uses_the_atomic_build():
    dry = subprocess.run(["make", "-n", "site"], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert "scripts/build-site" in dry.stdout and "mkdocs build" not in dry.stdout
