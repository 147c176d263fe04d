"""Writing into the library safely: never overwrite by accident, never leave half a file."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def create_exclusive(path: Path, text: str) -> None:
    """Write `text` to a new file at `path`; FileExistsError if anything is there, even if created meanwhile."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".md", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.link(tmp, path)  # atomic, and fails if the target exists (unlike rename)
    finally:
        os.unlink(tmp)


def replace_atomic(path: Path, data: bytes) -> None:
    """Replace an existing file's bytes in one step (temp file + rename), keeping its permissions."""
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


# --- build caches (.cache/qr, .cache/docx …): entries written whole, then linked or copied into the site ------
def store_cache_entry(path: Path, data: bytes) -> None:
    """Write a cache entry atomically: a build killed midway must not leave half a file to be reused."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_bytes(data)
    os.replace(partial, path)


def place_from_cache(cached: Path, target: Path) -> None:
    """A hard link when the cache and the site share a file system (no bytes copied), else a copy."""
    if target.exists() or target.is_symlink():
        target.unlink()
    try:
        os.link(cached, target)
    except OSError:
        shutil.copyfile(cached, target)
