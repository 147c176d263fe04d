"""The plugin's options in mkdocs.yml (`plugins: - exemplars: …`), typed: MkDocs checks every value before the
build starts, and a wrong site setting stops it with mkdocs.yml's line, what the option takes and an example, in
Chinese (not a catalogue code: the codes table is part of the published contribution guide). README "网站设置"
lists them all.

Only the plugin and the build session read this class; the site layer gets plain values (`settings`, a
site/settings.py Settings, whose defaults are the options' defaults).
"""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config, ValidationError

from .cms import BACKENDS
from .personal import find_numbers, mask_numbers
from .site.settings import DEFAULT, Settings

_URL_PREFIX = re.compile(r"(?:[a-z0-9][a-z0-9_-]*/)+")


class _SiteOption(config_options.Type):
    """A site setting: a value of one type meeting `check`, or an error naming mkdocs.yml's line, what the option
    takes (`need`), an example and the default."""

    def __init__(self, type_: type, default, need: str, example: str, check=None) -> None:
        super().__init__(type_, default=default)
        self.need, self.example, self.check = need, example, check
        self.where = ("mkdocs.yml", "")  # (config file, option name): known from pre_validation on

    def pre_validation(self, config: Config, key_name: str) -> None:
        self.where = (config.config_file_path or "mkdocs.yml", key_name)

    def run_validation(self, value: object):
        right_type = isinstance(value, self._type) and not (self._type is int and isinstance(value, bool))
        if right_type and (self.check is None or self.check(value)):
            return value
        raise ValidationError(self.error(f"“{value}”" if isinstance(value, str) else str(value)))

    def error(self, value: str, need: str | None = None) -> str:
        path, key = self.where
        return (
            f"{Path(path).name}:{line_of_key(path, key)}: 错误：exemplars 插件的设置 `{key}` 是 {value}，"
            f"应为{need or self.need}（改成例如 `{key}: {self.example}`，或删去这一行用默认值"
            f"{f' `{self.default}`' if self.default != '' else '（空）'}；"
            "各项设置见 README 的“网站设置”一节）"
        )


class _UrlPrefix(_SiteOption):
    """A URL prefix ("stories/"): path segments, each ending in "/", none another prefix's or under it."""

    def __init__(self, default: str) -> None:
        super().__init__(
            str,
            default,
            "以斜杠结尾的网址前缀，只用小写英文字母、数字、连字符和下划线，例如 anli/",
            default,
            check=_URL_PREFIX.fullmatch,
        )

    def post_validation(self, config: Config, key_name: str) -> None:
        mine = config[key_name]
        for other in URL_OPTIONS:
            theirs = config.get(other)
            if other != key_name and isinstance(theirs, str) and (mine.startswith(theirs) or theirs.startswith(mine)):
                need = f"与 `{other}`（{theirs}）不同、也不在它下面的前缀，否则两类页面的网址会相撞"
                raise ValidationError(self.error(f"“{mine}”", need))


URL_OPTIONS = ("story_url", "method_url", "lesson_url", "browse_url")


class _ReaderText(_SiteOption):
    """Text readers see (the site's name in feeds and citation lines): non-empty, and no ID-card or mobile number,
    in any width — the same detector (personal.py) as every library text; the error shows the number masked."""

    def __init__(self, default: str, need: str, example: str) -> None:
        super().__init__(str, default, need, example, check=_text)

    def run_validation(self, value: object):
        value = super().run_validation(value)
        if find_numbers(value):
            need = "不含身份证号或手机号的文字（它显示在订阅源和引用行里，读者看得到）"
            raise ValidationError(self.error(f"“{mask_numbers(value)}”", need))
        return value


def _positive(value: int) -> bool:
    return value >= 1


def _search_part(value: str) -> bool:
    return parse_search_part(value) is not None or not value.strip()


def parse_search_part(value: str) -> tuple[int, int] | None:
    """ "2/3" → (2, 3); None for an empty or malformed value."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", value or "")
    if not match:
        return None
    part, parts = int(match.group(1)), int(match.group(2))
    return (part, parts) if 1 <= part <= parts else None


def _text(value: str) -> bool:
    return bool(value.strip())


class ExemplarsConfig(Config):
    root = config_options.Optional(config_options.Type(str))  # library root; default: mkdocs.yml's folder
    preview = config_options.Optional(config_options.Type(bool))  # show drafts; default: on for `mkdocs serve`
    search = config_options.Type(bool, default=True)  # build the Pagefind index
    handout_docx = config_options.Type(bool, default=True)  # a Word handout per lesson (lessons/<id>/handout.docx)
    story_docx = config_options.Type(bool, default=False)  # a .docx per story: opt-in, ~15 ms a story cold
    # /admin/ (the web form, cms.py): where it saves. Backends: test-repo (a demo in the browser), gitlab, forgejo,
    # gitea, github; repo "owner/name"; base_url the self-hosted forge; app_id its OAuth application.
    cms_backend = config_options.Choice(BACKENDS, default="test-repo")
    cms_repo = config_options.Type(str, default="")
    cms_base_url = config_options.Type(str, default="")
    cms_app_id = config_options.Type(str, default="")
    cms_branch = config_options.Type(str, default="main")
    cms_local = config_options.Optional(config_options.Type(bool))  # decap-server (`make cms`); default: preview
    cms_local_port = config_options.Type(int, default=8081)  # decap-server's PORT
    # The site settings (site/settings.py): URL prefixes, listing and feed sizes, the site's name in feeds and
    # citation lines. Changing method_url, lesson_url or browse_url moves those index pages too: nav must follow.
    story_url = _UrlPrefix(DEFAULT.story_url)
    method_url = _UrlPrefix(DEFAULT.method_url)
    lesson_url = _UrlPrefix(DEFAULT.lesson_url)
    browse_url = _UrlPrefix(DEFAULT.browse_url)
    page_size = _SiteOption(int, DEFAULT.page_size, "正整数（每个列表页的故事数）", "30", check=_positive)
    feed_size = _SiteOption(int, DEFAULT.feed_size, "正整数（每个订阅源的故事数）", "20", check=_positive)
    # Search (search/shards.py, search/sharded.py): pages per shard, and which part of the shards this machine
    # builds when several machines share the work (README 大型故事库; empty: all of them).
    search_shard_size = _SiteOption(
        int,
        DEFAULT.search_shard_size,
        "正整数（每个搜索分片最多收录的页面数）",
        str(DEFAULT.search_shard_size),
        check=_positive,
    )
    search_part = _SiteOption(
        str,
        "",
        "“第几份/共几份”：两个正整数，第几份不大于共几份，如 1/2、2/2；留空表示全部分片"
        "（用 `!ENV` 从环境变量读取时，要改的是那个环境变量）",
        "1/2",
        check=_search_part,
    )
    site_title = _ReaderText(DEFAULT.site_title, "非空的文字（网站名称）", DEFAULT.site_title)
    feed_subtitle = _ReaderText(DEFAULT.feed_subtitle, "非空的文字（一句话介绍）", "本库最新发布的故事。")

    @property
    def settings(self) -> Settings:
        """The site settings as the site layer takes them: each Settings field from the option of its name."""
        return Settings(**{item.name: self[item.name] for item in fields(Settings)})


def line_of_key(path: str, key: str) -> int:
    """The line of mkdocs.yml setting `key` (1 when it is not there or the file cannot be read)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return 1
    pattern = re.compile(rf"\s*{re.escape(key)}\s*:")
    return next((n for n, text in enumerate(lines, 1) if pattern.match(text)), 1)


def library_root(options: ExemplarsConfig, config_file_path: str) -> Path:
    """The library's folder: the `root` option, else the folder of mkdocs.yml."""
    return Path(options.root or Path(config_file_path).parent).resolve()
