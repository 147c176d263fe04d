"""One MkDocs build of the library, from on_config to on_post_build (or on_build_error).

The plugin (exemplars/plugin.py) makes a BuildSession at on_config and drops it when the build ends; everything a
build holds lives here and goes with it: the checked library and its pages (`exemplars.site.pages`), written
through their one rendering path (site/pages/html.py: MkDocs frames the hand pages and the few THEME pages, the
bulk pages are filled into pre-rendered shells, redirects are documents of their own), the search feed (Pagefind
fed while bodies are rendered in `mkdocs build`, the background indexer in serve), the body cache and the worker
pool (exemplars.parallel). What `mkdocs serve` keeps between rebuilds is a ServeState
(build/serve.py), given to each session; in `mkdocs build` there is none.

The methods are in the order MkDocs calls them: files (on_files), page_markdown and page_content (each page read),
env (on_env: every page read, none written; a build starts Pagefind writing here), post_template, page_context and
post_page (each page written), post_build (the bulk pages, feeds, QR codes, Word files, images) and build_error.
"""

from __future__ import annotations

import functools
import gc
import logging
import shutil
import time
from dataclasses import replace
from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

from ..cache import CACHE_DIR, ContentCache
from ..check import check_library
from ..cms import Settings as CmsSettings
from ..config import ExemplarsConfig, library_root, line_of_key, parse_search_part
from ..diagnostics import Diagnostic, format_diagnostics
from ..library import Library, load_library
from ..parallel import SharedMap, share_work
from ..privacy import mask_diagnostics, mask_library
from ..search import worker as search_worker
from ..search.background import BackgroundIndexer
from ..search.indexer import SearchIndexError
from ..search.normalise import browser_module, browser_table_module
from ..search.pairs import Split
from ..search.records import SearchRecord, record_for
from ..search.sharded import ShardedIndex
from ..search.vocabulary import vocabulary_json
from ..site import urls
from ..site.admin import write_admin
from ..site.cards import CardRenderer
from ..site.catalogue import SiteUrlError, site_base, write_catalogue, write_schema
from ..site.charts import ThemeColourError, theme_colour
from ..site.cite import CitationIndex
from ..site.csp import add_csp
from ..site.feeds import write_feeds
from ..site.headers import write_headers_file
from ..site.images import MediaIndex, used_images
from ..site.markers import expand
from ..site.pages import (
    FRAME_TEMPLATE,
    THEME,
    BuildState,
    Page,
    PageRenderer,
    Site,
    build_site,
    shard_plan,
    shell_pages,
    story_share_codes,
)
from ..site.qr import DrawAhead, write_qr_files
from ..site.render import BodyRenderer, LinkMap
from ..site.sanitize import sanitize
from ..site.settings import DEFAULT
from ..site.shell import SHELL_ROOT, Shell, depth_of
from ..site.sitemap import sitemap_entries, write_robots, write_sitemap
from ..site.word import docx_tasks, write_docx_files
from .serve import ServeState

log = logging.getLogger("mkdocs.plugins.exemplars")

MAX_ERRORS_SHOWN = 50
# Pages, Word files and the feeds are taken this many at a time, by the build or by its helper once the search
# shards no longer take the second core (~10 ms of pages, one or a few Word files)
PAGES_PER_BLOCK = 8
SHARE_FROM_TASKS = 24  # a helper takes ~50 ms to fork: worth it for three blocks or more (a Word file is ~12 ms)


def _run(task) -> int:
    return task()


class _Phases:
    """Seconds spent per build phase, logged at debug level (`mkdocs build -v`) for profiling by editors."""

    def __init__(self) -> None:
        self.last = time.perf_counter()

    def done(self, name: str) -> None:
        now = time.perf_counter()
        log.debug(f"耗时 {name}：{now - self.last:.2f} 秒")
        self.last = now


class BuildSession:
    """Everything one build holds. `serve` is the preview's state across rebuilds, None in `mkdocs build`."""

    def __init__(self, mkdocs_config, options: ExemplarsConfig, command: str, serve: ServeState | None) -> None:
        check_site_url(mkdocs_config)  # fail before rendering anything
        # MkDocs' own sitemap would be rendered (a template compiled for it) only to be overwritten: _write_sitemap
        mkdocs_config.theme.static_templates.discard("sitemap.xml")
        self.mkdocs_config = mkdocs_config
        self.options = options  # the plugin's options (config.py)
        self.command = command
        self.serve = serve
        self.root = library_root(options, mkdocs_config.config_file_path)
        self.preview = options.preview if options.preview is not None else command == "serve"
        self.settings = options.settings  # URL prefixes, page and feed sizes, names (site/settings.py)
        self.phases = _Phases()
        self.library: Library | None = None
        self.site: Site | None = None
        self.specs: dict[str, Page] = {}  # src_uri → the page MkDocs frames (THEME pages and the shells)
        self.bulk: list[Page] = []  # pages written in post_build (shell-framed and redirects), not by MkDocs
        self.searchable: list[Page] = []  # the bulk pages with a search record (stories, methods), in page order
        self.shell_depths: dict[str, int] = {}  # src_uri of each shell page → its URL depth
        self.shells: dict[int, Shell] = {}
        self.page_urls: list[str] = []  # every page MkDocs rendered (the sitemap adds the bulk pages)
        self.env = None
        self.renderer: PageRenderer | None = None  # every generated page's one rendering path, from env_ready
        self.cards: CardRenderer | None = None
        self.images: MediaIndex | None = None  # the images published pages show, written in post_build
        self.error_count = 0
        # rendered bodies by content hash, kept across builds in .cache/ (and across rebuilds by ServeState)
        self.cache: ContentCache | None = serve.cache if serve is not None else None
        self.indexer: ShardedIndex | None = None  # `mkdocs build`: shards indexed while bodies are rendered
        self.records: list[SearchRecord] | None = None  # waiting for the indexer (build) or the background (serve)
        self.bodies: list[str] | None = None  # build: the searchable bulk pages' bodies, from env to post_build
        self.qr_ahead: list[DrawAhead] = []  # QR codes drawn in processes of their own from on_files on
        urls.use(self.settings)  # until close()

    def pre_build(self) -> None:
        if self.serve is not None:  # no bundle swap while MkDocs cleans and writes
            self.serve.pause_swaps()
        # Records wait here: in a build until the search service starts (after the page helper is forked, so
        # that the helper shares no thread or pipe with it), in `serve` until the background indexer takes them.
        self.records = [] if self.options.search else None

    def files(self, files: Files) -> Files:
        config = self.mkdocs_config
        self.phases = _Phases()
        if self.serve is None and self.options.search:  # on_startup started it (CLI); API builds: now
            search_worker.start()
        # serve: files not saved since the last rebuild keep their parsed records
        library = self.library = load_library(self.root, reuse=self.serve.parsed if self.serve is not None else None)
        if self.serve is None and self.options.search and len(library.stories) > 2 * self.settings.search_shard_size:
            search_worker.start(2)  # several shards: two may be finished at once, and a merge follows
        self.phases.done("读取故事库")
        diagnostics = check_library(library)
        self.phases.done("检查")
        errors = [d for d in diagnostics if d.is_error]
        self.error_count = len(errors)
        if errors and not self.preview:
            shown = format_diagnostics(errors[:MAX_ERRORS_SHOWN], "text")
            more = f"\n……另有 {len(errors) - MAX_ERRORS_SHOWN} 个错误未列出。" if len(errors) > MAX_ERRORS_SHOWN else ""
            raise PluginError(
                f"故事库检查未通过（{len(errors)} 个错误），已停止构建：\n{shown}{more}"
                "\n\n修正以上问题后重新构建（运行 `exemplars check` 可查看全部问题）。"
            )
        for diag in errors:
            log.warning(diag.as_text())
        if self.preview:  # it builds despite errors: whatever it writes reads masked personal numbers
            library = self.library = mask_library(library)
            diagnostics = mask_diagnostics(diagnostics)
        links = LinkMap({s.path: urls.story(s.id) for s in library.stories})
        links.by_path.update({m.path: urls.method(m.id) for m in library.methods})
        links.by_path.update({lesson.path: urls.lesson(lesson.id) for lesson in library.lessons})
        # Library bodies skip MkDocs' `toc`: their pages show no table of contents, and it was a quarter of the
        # Markdown time (heading ids nobody links to).
        self.images = MediaIndex(self.root)
        renderer = BodyRenderer(
            links,
            images=self.images,
            extensions=[e for e in config["markdown_extensions"] if e != "toc"],
            extension_configs={k: v for k, v in config["mdx_configs"].items() if k != "toc"},
            postprocess=sanitize,
            citations=CitationIndex(library, self.preview),
        )
        if self.cache is None:
            self.cache = ContentCache(self.root, "bodies")
            if self.serve is not None:
                self.serve.cache = self.cache
        renderer.use_cache(self.cache)
        self.phases.done("准备渲染")
        try:
            chart_colour = theme_colour(config.theme.custom_dir)
        except ThemeColourError as exc:
            raise PluginError(str(exc)) from None
        base = site_base(config.site_url)
        # the stories' share codes (nearly all of them) are drawn in a process of their own while the pages are
        # planned (10,000 stories: ~2 s on one core); the rest (lessons') once they are known
        early = story_share_codes(library, self.preview, base) if base else {}
        self.qr_ahead = [DrawAhead(early, self._qr_cache)]
        self.site = build_site(
            library,
            renderer.render,
            preview=self.preview,
            diagnostics=diagnostics if self.preview else None,
            site_base=base,
            images=self.images,
            handout_docx=self.options.handout_docx,
            story_docx=self.options.story_docx,
            chart_colour=chart_colour,
            settings=self.settings,
            edit_base=self._edit_base(config),
        )
        rest = {file: url for file, url in self.site.qr_codes.items() if early.get(file) != url}
        self.qr_ahead.append(DrawAhead(rest, self._qr_cache))
        # before any body is rendered, in a helper process too: the parent must know every image to write
        used_images(self.images, library, {spec.source_path for spec in self.site.pages if spec.source_path})
        if self.serve is not None:  # stale pages are searchable too: plan the shards again with them
            self.site.pages.extend(self._stale_pages(diagnostics))
            self.site.shards = shard_plan(self.site.pages, self.settings.search_shard_size)
        self.specs, self.shells = {}, {}
        self.bulk = [spec for spec in self.site.pages if spec.frame != THEME]
        # `bodies` follow this order: shard by shard (search/shards.py), so that each shard is indexed as soon as
        # its last page is rendered, while the next shard's pages are
        searchable = [spec for spec in self.bulk if spec.search is not None]
        self.searchable = sorted(searchable, key=lambda spec: self.site.shards.rank(spec.url))
        shells = shell_pages(self.bulk)
        self.shell_depths = {shell.url + "index.md": depth_of(shell.url) for shell in shells}
        for spec in [*self.site.pages, *shells]:
            src_uri = spec.url + "index.md"
            if files.get_file_from_path(src_uri) is not None:
                raise PluginError(f"docs/ 中的 {src_uri} 与自动生成的页面重名，请改名或删除它")
            if spec.frame != THEME:  # written in post_build, never a MkDocs file; no hand page may clash either
                continue
            files.append(File.generated(config, src_uri, content="", inclusion=InclusionLevel.NOT_IN_NAV))
            self.specs[src_uri] = spec
        self.phases.done("页面规格")
        # The library and page specs live until the build ends: move them out of the garbage collector's sight,
        # or every full collection re-walks millions of objects (measured: neutral to a few per cent at 1,000
        # stories; it grows with the library).
        gc.unfreeze()  # serve: the previous rebuild's library is garbage now, let it be collected
        gc.collect()
        gc.freeze()
        if self.serve is not None:  # `serve --dirty` rebuilds only edited hand pages; ours show library data
            for file in files.documentation_pages():
                if file.src_uri not in self.specs:
                    Path(file.abs_dest_path).unlink(missing_ok=True)
        # The search page's normalisation table (the index's own, normalise.py) and did-you-mean words.
        files.append(
            File.generated(
                config, "assets/javascripts/fold.js", content=browser_module(), inclusion=InclusionLevel.NOT_IN_NAV
            )
        )
        # Its full table, loaded only for text holding a character that folds
        files.append(
            File.generated(
                config,
                "assets/javascripts/fold-table.js",
                content=browser_table_module(),
                inclusion=InclusionLevel.NOT_IN_NAV,
            )
        )
        files.append(
            File.generated(
                config, "search/vocabulary.json", content=vocabulary_json(library), inclusion=InclusionLevel.NOT_IN_NAV
            )
        )
        return files

    def _stale_pages(self, diagnostics: list[Diagnostic]) -> list[Page]:
        """Serve: the pages whose file no longer builds after a save, as last built, marked stale with the file's
        problems. Every rebuild remembers the pages it made; a page is shown stale while its file has errors and
        no page of its own. It is forgotten once the file builds again, or when the file is deleted or builds no
        page for another reason (id changed): then its page file is removed, as a full build would. A file
        already broken at the first build has no last good version: no page, and /_errors/ lists it."""
        last_good, rendered = self.serve.last_good, self.serve.rendered
        problems: dict[str, list[Diagnostic]] = {}
        for diag in diagnostics:
            problems.setdefault(diag.path, []).append(diag)
        made = {spec.url for spec in self.site.pages}
        stale = []
        for url, spec in list(last_good.items()):
            if url in made:
                continue
            broken = problems.get(spec.source_path or "", [])
            if not any(d.is_error for d in broken):  # deleted, unpublished, id changed: its page goes too
                del last_good[url]
                rendered.pop(url, None)
                (Path(self.mkdocs_config.site_dir) / url / "index.html").unlink(missing_ok=True)
                continue
            stale.append(replace(spec, problems=[], stale=broken))
        last_good.update((spec.url, spec) for spec in self.site.pages if spec.source_path)
        return stale

    def page_markdown(self, markdown: str, page) -> str:
        spec = self.specs.get(page.file.src_uri)
        if spec is None:
            return expand(markdown)  # a hand-written page: fill in generated tables
        # MkDocs renders the theme's chrome around the page's content block (site/pages/html.py)
        page.meta.update(
            title=spec.title, description=spec.description, template=FRAME_TEMPLATE, hide=["navigation", "toc"]
        )
        page.edit_url = spec.edit_url or page.edit_url
        return markdown

    @staticmethod
    def _edit_base(config) -> str | None:
        """Where a library file is edited on the forge, less the file's path; None without repo_url and edit_uri."""
        if config.repo_url and config.edit_uri:
            return config.repo_url.rstrip("/") + "/" + config.edit_uri.strip("/") + "/"
        return None

    def page_content(self, html: str, page) -> str:
        spec = self.specs.get(page.file.src_uri)
        if spec is not None:
            html = spec.body()
        if spec is not None and spec.search is not None:
            self._index(self._record(spec, html))
        return html

    def env_ready(self, env):
        self.env = env
        if self.serve is None:  # a build never edits templates: no file-time check on each of ~5 loads a page
            env.auto_reload = False
        if env.bytecode_cache is None:  # compiled templates survive rebuilds and builds (~1 s of every build)
            cache_dir = self.root / CACHE_DIR / "jinja"
            try:
                cache_dir.mkdir(parents=True, exist_ok=True)
                env.bytecode_cache = FileSystemBytecodeCache(str(cache_dir))
            except OSError:
                pass
        self.cards = CardRenderer(env, previous=self.serve.cards if self.serve is not None else None)
        if self.serve is not None:
            self.serve.cards = self.cards
        env.globals["ex_card"] = self.cards.jinja_global
        env.globals["ex_urls"] = urls  # every URL a template writes: {{ ex_urls.story(id) | url }}
        config = self.mkdocs_config
        self.renderer = PageRenderer(
            env,
            config,
            BuildState(preview=self.preview, error_count=self.error_count),
            site_name=config.site_name,
            site_base=site_base(config.site_url),
            favicon=config.theme["favicon"] or None,
            shells=self.shells,
        )
        if self.serve is None:
            self._index_library(Path(self.mkdocs_config.site_dir))
        return env

    def _index_library(self, out: Path) -> None:
        """Build: by `on_env` MkDocs has read every page (a THEME page's record came with on_page_content) and written
        none, so every search record can be made now: the story and method bodies and records, shard by shard,
        each shard indexed as soon as it is complete. MkDocs' own page rendering, then the bulk pages, listings,
        feeds and QR codes (post_build) all run while the last shards are indexed and then merged."""
        self.phases.done("MkDocs 读取页面")
        self.bodies = self._bodies_and_records(self.searchable)
        self.phases.done("故事与方法页正文和搜索记录")
        if self.indexer is not None:
            # no record follows: the merge starts as soon as the last shard is written, and its bundle is copied
            # into the site as soon as it is merged
            self.indexer.seal(out / "pagefind")

    @staticmethod
    def post_template(output: str, template_name: str) -> str:
        return add_csp(output) if template_name.endswith(".html") else output  # 404.html

    def page_context(self, context: dict, page) -> dict:
        config = self.mkdocs_config
        spec = self.specs.get(page.file.src_uri)
        if spec is not None:  # a generated page (or a shell): its content block, framed by the theme
            page.content = self.renderer.theme_content(spec, page.content, page.title)
            context.update(self.renderer.theme_variables(spec))
            return context
        description = (page.meta or {}).get("description") or config.site_description
        title = config.site_name if page.is_homepage else page.title or config.site_name
        context["view"] = self.site.home if page.is_homepage and self.site is not None else None
        context["build"] = self.renderer.build
        context["head_meta"] = self.renderer.head_meta(None, title, description or "", page.url)
        return context

    def post_page(self, output: str, page) -> str:
        output = add_csp(output)  # before a shell is taken, so that every bulk page carries the policy
        depth = self.shell_depths.get(page.file.src_uri)
        if depth is not None:
            self.shells[depth] = Shell.parse(output, canonical=page.canonical_url or "")
        else:
            self.page_urls.append(page.url)
        return output

    def post_build(self) -> None:
        config = self.mkdocs_config
        out = Path(config.site_dir)
        # Pagefind has been indexing shards since env_ready; the pages, listings, feeds and QR codes are made
        # meanwhile.
        self.phases.done("MkDocs 页面")
        bodies, self.bodies = self.bodies, None
        indexer, self.indexer = self.indexer, None

        def second_core_free() -> bool:
            # Asked before each block of pages, not once: while the search shards are written or merged they take
            # the second core and a helper would only contend (measured: slower at 1,000 stories, no faster at
            # 10,000); once they are done, a helper takes the pages, feeds and Word files that are left with us.
            return indexer is None or not indexer.busy()

        try:  # everything below overlaps with Pagefind indexing the last shards
            unsearched = [spec for spec in self.bulk if spec.search is None]
            docx = self.site.docx if self.site is not None else {}
            docx_cache = self.root / ".cache" / "docx"
            try:  # SiteUrlError: from this process, or raised in the helper and come back here as itself
                if self.serve is not None:  # only the pages whose inputs changed; records in shard order
                    self._write_changed_pages(out, self.searchable + unsearched, self._render_inputs(config))
                    self._write_trainer_files(out, config)
                    built = write_docx_files(docx, out, docx_cache, share=True, **self._helper_hooks())
                else:
                    pages = list(zip(self.searchable, bodies if bodies is not None else [None] * len(self.searchable)))
                    pages += [(spec, None) for spec in unsearched]
                    bodies = None
                    tasks = [functools.partial(self._write_trainer_files, out, config)]
                    tasks += [functools.partial(self._write_page, out, spec, body) for spec, body in pages]
                    tasks += docx_tasks(docx, out, docx_cache)
                    pages = None  # the bodies go with their tasks
                    sharing = dict(share_when=second_core_free, block=PAGES_PER_BLOCK, min_items=SHARE_FROM_TASKS)
                    built = sum(share_work(tasks, _run, **sharing, **self._helper_hooks()))
                    tasks = None
            except SiteUrlError as exc:
                raise PluginError(str(exc)) from exc
            self.phases.done(f"页面、订阅、目录与 Word 文件（新生成 {built} 个）")
            if self.cache is not None:
                self._flush_cache("主进程")
            shutil.rmtree(out / SHELL_ROOT, ignore_errors=True)
            if self.site is not None:  # share boxes' QR codes; .cache/qr/ keeps them for the next build
                for ahead in self.qr_ahead:  # long done, as a rule: they started before the pages were read
                    ahead.wait()
                jobs = None if second_core_free() else 1
                write_qr_files(self.site.qr_codes, out, self._qr_cache, jobs=jobs)
            self.phases.done("二维码")
            if self.images is not None:  # covers and body images; .cache/media/ keeps the resized copies
                encoded = self.images.write(out, self.root / ".cache" / "media")
                self.phases.done(f"图片（新生成 {encoded} 个）")
            if self.serve is not None and self.records is not None:  # the page is up, search follows
                self.serve.background = self.serve.background or BackgroundIndexer()
                self.serve.background.submit(self.records, out / "pagefind", self.site.shards, self._search_cache)
                self.records = None
        finally:
            if self.serve is not None:
                self.serve.resume_swaps()
            if indexer is not None:
                try:
                    indexer.finish(out / "pagefind")
                    self.phases.done("等待搜索索引写完")
                except SearchIndexError as exc:
                    raise PluginError(str(exc)) from exc
                finally:
                    indexer.close()
                indexer.prune()
                log.info(indexer.summary())

    def build_error(self) -> None:
        if self.serve is not None:
            self.serve.resume_swaps()
        for ahead in self.qr_ahead:
            ahead.stop()
        self.bodies = None
        if self.indexer is not None:
            self.indexer.close()
            self.indexer = None

    def close(self) -> None:
        """The build is over (done or failed): the cache stays open only for the next rebuild of `mkdocs serve`."""
        for ahead in self.qr_ahead:
            ahead.stop()
        self.qr_ahead = []
        if self.serve is None and self.cache is not None:
            self.cache.close()
        self.cache = None
        urls.use(DEFAULT)

    # The search feed: records in page order, to Pagefind (build) or to the background indexer (serve).

    @property
    def _qr_cache(self) -> Path:
        return self.root / ".cache" / "qr"

    @property
    def _search_cache(self) -> Path:
        return self.root / CACHE_DIR / "search"

    def _start_search(self) -> list[SearchRecord]:
        """Start the index; returns the records made so far (THEME pages', from page_content) in shard order: they
        wait for their shard's turn, as the index takes the pages shard by shard."""
        if self.serve is not None or self.records is None or self.indexer is not None:
            return []
        self.indexer = ShardedIndex(
            self.site.shards, self._search_cache, part=parse_search_part(self.options.search_part)
        )
        held = sorted(self.records, key=lambda record: self.site.shards.rank(record.url))
        self.records = None
        return held

    def _index(self, record: SearchRecord) -> None:
        if self.indexer is not None:
            self.indexer.add_html(record.url, record.split_html(), record.sort)
        elif self.records is not None:
            self.records.append(record)

    def _bodies_and_records(self, specs: list[Page]) -> list[str] | None:
        """Build: the bodies of the searchable pages, with their search records handed to Pagefind in page order;
        shared with a forked helper process (exemplars.parallel), and the search service starts only after the fork.

        The pages themselves are written afterwards (_write_in_steps, with these bodies), while Pagefind writes
        its bundle: that write runs on one core, cannot start before the last record and is the longest step of a
        large build, so records come first and everything else fills the other core. None in `mkdocs serve`,
        which renders only the pages whose inputs changed, and when search is off (the pages then render their
        bodies themselves, in one pass shared with a helper)."""
        if self.serve is not None or not self.options.search:
            return None

        def work(spec: Page) -> tuple[str, str, Split]:
            body = spec.body()
            return spec.url, body, self._record(spec, body).split_html()

        bodies = []
        by_url = {spec.url: spec for spec in specs}
        plan = self.site.shards
        with SharedMap(specs, work, **self._helper_hooks()) as results:
            held = self._start_search()
            for url, body, record in results:
                bodies.append(body)
                if self.indexer is not None:
                    while held and plan.rank(held[0].url) <= plan.rank(url):
                        record = held.pop(0)  # a THEME page of this shard or an earlier one: its place in the order
                        self.indexer.add_html(record.url, record.split_html(), record.sort)
                    self.indexer.add_html(url, record, by_url[url].search.sort)
            for record in held:  # shards after the last rendered page's
                self.indexer.add_html(record.url, record.split_html(), record.sort)
        return bodies

    @staticmethod
    def _record(spec: Page, body: str) -> SearchRecord:
        return record_for(spec.url, spec.title, spec.description, body, spec.search)

    # The worker pool: a forked helper shares the page work (exemplars.parallel), with its own cache connection.

    def _helper_hooks(self) -> dict:
        """SharedMap's hooks for page work: a helper opens its own cache connection, and at the end writes its
        entries and says what the cache saved it."""
        if self.cache is None:
            return {}
        return {"on_fork": self.cache.reopen_after_fork, "on_exit": lambda: self._flush_cache("辅助进程")}

    def _flush_cache(self, process: str) -> None:
        self.cache.flush()
        log.debug(f"正文缓存（{process}）：命中 {self.cache.hits}，新渲染 {self.cache.misses}")
        self.cache.hits = self.cache.misses = 0

    # Bulk pages (shell-framed pages and redirects) go through the one rendering path, site/pages/html.py.

    def _write_page(self, out: Path, spec: Page, body: str | None) -> int:
        self.renderer.write(out, spec, body)
        return 0  # no document built (share_work's results are summed: Word files built)

    def _write_trainer_files(self, out: Path, config) -> int:
        """The sitemap and the trainers' machine-readable outputs (published stories only, even in preview)."""
        self._write_sitemap(out, config)
        write_feeds(self.library, out, config.site_url, settings=self.settings)
        write_catalogue(self.library, out, config.site_url)
        write_schema(out / "stories.schema.json")
        write_robots(out, config.site_url, preview=self.preview)
        write_headers_file(out)  # Netlify / Cloudflare Pages security headers (deploy/README.md)
        write_admin(out, self.cms_settings, self.library.methods if self.library else [])
        return 0

    def _write_changed_pages(self, out: Path, specs: list[Page], unchanged: int) -> None:
        """`mkdocs serve`: a bulk page whose inputs (its view model, the shell, the templates) are what they were
        at the previous rebuild is neither rendered nor written again: saving one story re-renders the few pages
        that show it, not the whole library."""
        rendered = self.serve.rendered
        for spec in specs:
            # The body is part of the key: a citation card in it shows another story's title, which can change
            # while this page's own file does not (bodies come from the content cache, so this is cheap).
            body = spec.body()
            key = hash((unchanged, depth_of(spec.url), *spec.change_key(), body))
            previous = rendered.get(spec.url)
            if previous is not None and previous[0] == key and (out / spec.url / "index.html").is_file():
                if previous[1] is not None:
                    self._index(previous[1])
                continue
            self.renderer.write(out, spec, body)
            record = self._record(spec, body) if spec.search else None
            if record is not None:
                self._index(record)
            rendered[spec.url] = (key, record)

    def _render_inputs(self, config) -> int:
        """What every bulk page depends on besides its own view model: shells, templates, preview state."""
        custom = Path(config.theme.custom_dir) if config.theme.custom_dir else None
        templates = sorted((str(path), path.read_bytes()) for path in custom.rglob("*.html")) if custom else []
        return hash(
            (
                tuple(sorted((d, shell.parts) for d, shell in self.shells.items())),
                tuple(templates),
                self.preview,
                self.error_count,
                config.site_url,
                self.settings,
            )
        )

    def _write_sitemap(self, out: Path, config) -> None:
        hidden = {spec.url for spec in self.site.pages if spec.noindex} if self.site else set()
        pages = [url for url in [*self.page_urls, *(spec.url for spec in self.bulk)] if url not in hidden]
        write_sitemap(out, config.site_url, sitemap_entries(pages, self.library, self.root))

    @property
    def cms_settings(self) -> CmsSettings:
        c = self.options
        local = c.cms_local if c.cms_local is not None else self.preview
        return CmsSettings(
            backend=c.cms_backend,
            repo=c.cms_repo,
            base_url=c.cms_base_url,
            app_id=c.cms_app_id,
            branch=c.cms_branch,
            local=local,
            local_port=c.cms_local_port,
        )


def check_site_url(config) -> None:
    """Feeds, stories.json and QR codes need the site's absolute address: a missing or relative `site_url` stops
    the build at on_config, with the line of mkdocs.yml to fix."""
    try:
        site_base(config.site_url)
    except SiteUrlError:
        path = Path(config.config_file_path)
        line = line_of_key(config.config_file_path, "site_url")
        shown = f"“{config.site_url}”" if config.site_url else "空"
        raise PluginError(Diagnostic.make("E-SITE-URL", path.name, line, value=shown).as_text()) from None
