"""The MkDocs adapter: library → checked → page specs → MkDocs Files and template contexts. Nothing else.

Everything the site shows is decided in `exemplars.site`; this module only knows MkDocs' events.
"""
from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from .check import check_library
from .diagnostics import Diagnostic, format_diagnostics
from .library import load_library
from .site import urls
from .site.catalogue import SiteUrlError, site_base, write_catalogue, write_schema
from .site.csp import add_csp
from .site.feeds import write_feeds
from .site.markers import expand
from .site.pages import PageSpec, Site, build_site
from .site.redirects import redirect_html
from .site.sitemap import sitemap_entries, write_sitemap
from .site.render import BodyRenderer, LinkMap
from .site.sanitize import sanitize
from .search.indexer import SearchIndexer, SearchIndexError
from .search.records import record_for

log = logging.getLogger("mkdocs.plugins.exemplars")
MAX_ERRORS_SHOWN = 50


class ExemplarsConfig(Config):
    root = config_options.Optional(config_options.Type(str))  # library root; default: mkdocs.yml's folder
    preview = config_options.Optional(config_options.Type(bool))  # show drafts; default: on for `mkdocs serve`
    search = config_options.Type(bool, default=True)  # build the Pagefind index


class ExemplarsPlugin(BasePlugin[ExemplarsConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        self.site: Site | None = None
        self.specs: dict[str, PageSpec] = {}
        self.error_count = 0
        self.indexer: SearchIndexer | None = None

    def on_startup(self, *, command, dirty) -> None:
        self.command = command

    @property
    def root(self) -> Path:
        return Path(self.config.root or Path(self.mkdocs_config.config_file_path).parent).resolve()

    @property
    def preview(self) -> bool:
        return self.config.preview if self.config.preview is not None else self.command == "serve"

    def on_config(self, config):
        self.mkdocs_config = config
        try:  # fail before rendering anything: feeds, stories.json and QR codes need the absolute address
            site_base(config.site_url)
        except SiteUrlError:
            path = Path(config.config_file_path)
            line = next((n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                         if text.startswith("site_url:")), 1) if path.is_file() else 1
            shown = f"“{config.site_url}”" if config.site_url else "空"
            raise PluginError(Diagnostic.make("E-SITE-URL", path.name, line, value=shown).as_text()) from None
        return config

    @event_priority(50)
    def on_files(self, files: Files, *, config) -> Files:
        library = self.library = load_library(self.root)
        diagnostics = check_library(library)
        errors = [d for d in diagnostics if d.is_error]
        self.error_count = len(errors)
        if errors and not self.preview:
            shown = format_diagnostics(errors[:MAX_ERRORS_SHOWN], "text")
            more = f"\n……另有 {len(errors) - MAX_ERRORS_SHOWN} 个错误未列出。" if len(errors) > MAX_ERRORS_SHOWN else ""
            raise PluginError(f"故事库检查未通过（{len(errors)} 个错误），已停止构建：\n{shown}{more}"
                              "\n\n修正以上问题后重新构建（运行 `exemplars check` 可查看全部问题）。")
        for diag in errors:
            log.warning(diag.as_text())
        links = LinkMap({s.path: urls.story(s.id) for s in library.stories})
        links.by_path.update({m.path: urls.method(m.id) for m in library.methods})
        renderer = BodyRenderer(links, extensions=config["markdown_extensions"],
                                extension_configs=config["mdx_configs"], postprocess=sanitize)
        self.site = build_site(library, renderer.render, preview=self.preview,
                               diagnostics=diagnostics if self.preview else None)
        self.specs = {}
        for spec in self.site.pages:
            src_uri = spec.url + "index.md"
            if files.get_file_from_path(src_uri) is not None:
                raise PluginError(f"docs/ 中的 {src_uri} 与自动生成的页面重名，请改名或删除它")
            files.append(File.generated(config, src_uri, content="", inclusion=InclusionLevel.NOT_IN_NAV))
            self.specs[src_uri] = spec
        for old, new in self.site.redirects.items():
            html = redirect_html(urls.relative(old, new), site_base(config.site_url) + new)
            files.append(File.generated(config, old + "index.html", content=html,
                                        inclusion=InclusionLevel.NOT_IN_NAV))
        return files

    def on_page_markdown(self, markdown, *, page, config, files):
        spec = self.specs.get(page.file.src_uri)
        if spec is None:
            return expand(markdown)  # a hand-written page: fill in generated tables
        page.meta.update(title=spec.title, description=spec.description, template=spec.template,
                         hide=["navigation", "toc"])
        if spec.source_path and config.repo_url and config.edit_uri:
            page.edit_url = config.repo_url.rstrip("/") + "/" + config.edit_uri.strip("/") + "/" + spec.source_path
        return markdown

    def on_pre_build(self, *, config) -> None:
        self.page_urls: list[str] = []
        if self.config.search:
            self.indexer = SearchIndexer()

    def on_page_content(self, html, *, page, config, files):
        spec = self.specs.get(page.file.src_uri)
        if spec is not None and spec.render_body is not None:
            html = spec.render_body()
        if spec is not None and spec.search is not None and self.indexer is not None:
            self.indexer.add(record_for(spec.url, spec.title, spec.description, html, spec.search))
        return html

    def on_post_build(self, *, config) -> None:
        out = Path(config.site_dir)
        try:  # trainers' machine-readable outputs; published stories only, even in preview
            write_feeds(self.library, out, config.site_url)
            write_catalogue(self.library, out, config.site_url)
            write_schema(out / "stories.schema.json")
            write_sitemap(out, config.site_url, sitemap_entries(self.page_urls, self.library, self.root))
        except SiteUrlError as exc:
            raise PluginError(str(exc)) from exc
        if self.indexer is not None:
            indexer, self.indexer = self.indexer, None
            try:
                indexer.finish(Path(config.site_dir) / "pagefind")
            except SearchIndexError as exc:
                raise PluginError(str(exc)) from exc
            log.info(f"搜索索引：{indexer.count} 个页面")

    def on_post_page(self, output, *, page, config):
        self.page_urls.append(page.url)
        return add_csp(output)

    def on_post_template(self, output_content, *, template_name, config):
        return add_csp(output_content) if template_name.endswith(".html") else output_content  # 404.html

    def on_build_error(self, *, error) -> None:
        if self.indexer is not None:
            self.indexer.close()
            self.indexer = None

    def on_page_context(self, context, *, page, config, nav):
        spec = self.specs.get(page.file.src_uri)
        context["x"] = spec.context if spec is not None else {}
        context["x_preview"] = self.preview
        context["x_error_count"] = self.error_count
        if page.is_homepage and self.site is not None:
            context["x"] = self.site.home
        return context

    def on_serve(self, server, *, config, builder):
        for folder in ("stories", "methods", "lessons"):
            path = self.root / folder
            if path.is_dir():
                server.watch(str(path))
        return server
