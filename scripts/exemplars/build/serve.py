"""What `mkdocs serve` keeps from one rebuild to the next, in one object: MkDocs keeps the plugin instance for
the whole session and each rebuild gets a new BuildSession, so nothing else survives a save."""

from __future__ import annotations

import logging
from pathlib import Path

from .. import livereload, preview_address
from ..cache import ContentCache
from ..search.background import BackgroundIndexer
from ..site.cards import CardRenderer
from ..site.pages import Page

log = logging.getLogger("mkdocs.plugins.exemplars")

WATCHED = ("stories", "methods", "lessons")  # the library's folders, watched beside MkDocs' docs/


class ServeState:
    """The preview's memory across rebuilds: what to reuse (parsed files, rendered pages, cached bodies, cards),
    what to show when a file stops building (last good pages) and the search index built in the background."""

    def __init__(self) -> None:
        self.parsed: dict = {}  # file path → its parsed record, by size and modification time
        self.rendered: dict[str, tuple] = {}  # page URL → (inputs key, search record) of the last rebuild
        self.last_good: dict[str, Page] = {}  # page URL → the page as the last rebuild that made it built it
        self.cache: ContentCache | None = None  # rendered bodies by content hash, opened by the first rebuild
        self.cards: CardRenderer | None = None  # the last rebuild's cards: reused while the card template is
        self.background: BackgroundIndexer | None = None  # Pagefind, run after each rebuild, off its path
        self.swaps_paused = False

    def pause_swaps(self) -> None:
        """No bundle swap while MkDocs cleans and writes the site folder (search/background.py)."""
        if self.background is not None and not self.swaps_paused:
            self.background.pause_swaps()
            self.swaps_paused = True

    def resume_swaps(self) -> None:
        if self.background is not None and self.swaps_paused:
            self.background.resume_swaps()
            self.swaps_paused = False

    def close(self) -> None:
        """on_shutdown: stop the background indexer, close the cache."""
        if self.background is not None:
            self.background.stop()
        if self.cache is not None:
            self.cache.close()
            self.cache = None


def watch(server, root: Path) -> None:
    """on_serve (also `mkdocs serve --clean`, which rebuilds without a ServeState): rebuild when a library file is
    saved, reload the browser after it, and let `exemplars new` print the address of the running preview."""
    for folder in WATCHED:
        path = root / folder
        if path.is_dir():
            server.watch(str(path))
    try:
        livereload.install(server)
    except livereload.LiveReloadShapeChanged as exc:
        log.warning(
            f"预览保存后不会自动刷新（请手动刷新页面）：本项目对 MkDocs 自动刷新脚本的适配与所装的 "
            f"MkDocs 版本不符（{exc}）。请按 constraints.txt 重新安装依赖：make install。"
        )
    preview_address.record(root, server.url)


class DirtyBuildNote(logging.Filter):
    """MkDocs warns in English on every `--dirty` build that navigation may be inaccurate. The preview rebuilds
    dirty on purpose (only what a save changed, our pages included, see BuildSession._write_changed_pages);
    editors get one line in Chinese, at the first build, saying so, and none after."""

    MESSAGE = (
        "预览只重写保存后有变化的页面（mkdocs serve --dirty），所以保存后几秒内就能看到改动；"
        "公开网站由 make site 完整构建，不受影响。"
    )

    def __init__(self) -> None:
        super().__init__()
        self.told = False

    def filter(self, record: logging.LogRecord) -> bool:
        if not str(record.msg).startswith("A 'dirty' build is being performed"):
            return True
        if self.told:
            return False
        self.told = True
        record.msg, record.args = self.MESSAGE, ()
        record.levelno, record.levelname = logging.INFO, logging.getLevelName(logging.INFO)
        return True
