"""Where the running preview (`make serve`) can be reached, for the next-steps text of `exemplars new`.

The plugin records the address in .cache/exemplars/preview.json when the preview server starts and removes it
when it stops; the record carries the server's process id, so a preview killed without cleaning up is not
mistaken for a running one. With no running preview the answer is `make serve`'s default address, and the
wording says so (`make serve PORT=…` picks another port).

Plain Python: nothing here imports MkDocs.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from .cache import CACHE_DIR
from .fsutil import write_atomic

RECORD = CACHE_DIR / "preview.json"
DEFAULT_URL = "http://127.0.0.1:8000/"  # the Makefile's HOST and default PORT


@dataclass(frozen=True)
class PreviewAddress:
    url: str  # ends with "/"
    running: bool  # True: read from a running preview; False: make serve's default

    def page(self, path: str = "") -> str:
        return self.url + path.lstrip("/")

    def where(self, path: str = "") -> str:
        """Chinese: where to look, saying where the address comes from."""
        if self.running:
            return f"在 {self.page(path)} 预览（正在运行的预览地址）"
        return f"在 {self.page(path)} 预览（make serve 的默认端口 8000；用 make serve PORT=端口号 启动时换成那个端口）"


def record(root: Path, url: str, pid: int | None = None) -> None:
    """Note that a preview at `url` runs in process `pid` (default: this one). Never fails the preview."""
    try:
        write_atomic(root / RECORD, json.dumps({"url": url, "pid": pid or os.getpid()}).encode("utf-8"), durable=False)
    except OSError:
        pass


def forget(root: Path, pid: int | None = None) -> None:
    """Remove the record if it is this process's (another preview may have started since)."""
    path = root / RECORD
    current = _read(path)
    if current is not None and current[1] == (pid or os.getpid()):
        path.unlink(missing_ok=True)


def preview_address(root: Path) -> PreviewAddress:
    current = _read(root / RECORD)
    if current is not None and _alive(current[1]):
        url = current[0] if current[0].endswith("/") else current[0] + "/"
        return PreviewAddress(url, running=True)
    return PreviewAddress(DEFAULT_URL, running=False)


def _read(path: Path) -> tuple[str, int] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        url, pid = data["url"], data["pid"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not (isinstance(url, str) and url.startswith("http") and isinstance(pid, int) and pid > 0):
        return None
    return url, pid


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True
