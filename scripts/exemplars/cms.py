"""The web form editor's configuration (Decap CMS `admin/config.yml`), generated from the schema in code.

Every field of the story and lesson contracts is either shown in the form, with the schema's Chinese label and help,
or listed in HIDDEN with the reason; `tests/test_cms_config.py` fails when the schema gains a field that is neither.
Decap keeps its editorial state (draft / in review / ready) in branches and merge-request labels, never in the
front matter, so our `status` is an ordinary select; `published` is not offered: publication is the reviewer's
step (`exemplars publish ID`), and `check` refuses it without a reviewer or by the author.

The id is a field the editor types (validated with the checker's own pattern), and `identifier_field: id` makes
Decap name the file `<id>.md`: the pinyin rule of `exemplars new` cannot run in the browser, so the hint says how
to write it. New stories are saved at the top of stories/ (Decap's folder collections cannot pick the province
folder); the checker reads stories in any folder under stories/.

The region is a custom widget (site/region-widget.js, registered in /admin/ after the Decap bundle): a province
select whose options come from regions.py through the field's `provinces` key, plus a text box for the lower
levels; it stores the one string the checker reads, and the checker's pattern still validates it.

Plain Python: nothing here imports MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import yaml

from .model import Method
from .regions import PROVINCES
from .schema import (
    LESSON,
    SLUG_PATTERN,
    STORY,
    Boolean,
    Choice,
    Contract,
    Date,
    Field,
    Integer,
    ListOf,
    MethodRef,
    Record,
    Region,
    Slug,
    Text,
    Url,
)

MEDIA_FOLDER = "media"  # the readers' image folder (media.py); covers are written as `media/x.jpg`
EDITOR_STATUSES = ("draft", "review")  # what an editor may choose; published/withdrawn are the reviewer's
BACKENDS = ("test-repo", "gitlab", "forgejo", "gitea", "github")  # plugin setting `cms_backend`
INBOX = "tougao"  # stories/tougao/: where the form saves new stories (a reviewer may move them: exemplars mv)
LOCAL_PORT = 8081  # decap-server's default port (`make cms`)

# Fields the form does not show, and why. Decap keeps front-matter keys it has no widget for when it saves.
HIDDEN: dict[str, dict[str, str]] = {
    "story": {
        "aliases": "旧标识由 exemplars mv 在改 id 时自动添加，手填容易和别的故事冲突",
        "published": "发布日期由审核人发布时填写（exemplars publish 自动写当天）",
        "reviewed_by": "审核人由审核人本人发布时填写（exemplars publish），投稿人不填",
        "featured": "首页推荐由站点维护人决定",
        "sample": "只用于演示用的虚构示例，真实故事不用",
        "related": "相关故事写故事 id，表单无法列出全库故事；需要时在仓库中编辑",
    },
    "lesson": {
        "aliases": "旧标识由 exemplars mv 在改 id 时自动添加",
        "sample": "只用于演示用的虚构课程",
    },
}

ID_HINT = (
    "只用小写字母、数字和连字符（-），如 yucun-yishihui-2019：用地名和事情的拼音，不带声调，"
    "词之间用连字符，末尾加年份。保存后不能再改（它是网址和文件名）。"
)
BODY_HINTS = {"story": "故事的经过、做法和结果。", "lesson": "课程的讲授安排、要点和讨论。"}
REGION_HINT = "先选省级地区，再在右边填下级地区，用 / 分隔，如 湖州市/安吉县；反面典型只写到地市级。"


@dataclass(frozen=True)
class Settings:
    """Where the form saves: the plugin's `cms_*` settings (mkdocs.yml)."""

    backend: str = "test-repo"
    repo: str = ""  # owner/name on the forge
    base_url: str = ""  # the forge's address, e.g. https://git.example.gov.cn (GitLab, Forgejo, Gitea)
    app_id: str = ""  # the OAuth application id (GitLab / Forgejo PKCE, Gitea)
    branch: str = "main"
    local: bool = True  # allow `local_backend` (decap-server from `make cms`; Decap uses it on localhost only)
    local_port: int = LOCAL_PORT


def widget(f: Field, methods: list[Method]) -> dict:
    """One Decap field for one schema field."""
    t = f.type
    out: dict = {"name": f.name, "label": f.label, "hint": f.help, "required": bool(f.required)}
    if f.name == "id" and isinstance(t, Slug):
        out.update(
            widget="string",
            hint=ID_HINT,
            pattern=[SLUG_PATTERN, "只能用小写字母、数字和连字符，如 yucun-yishihui-2019"],
        )
    elif isinstance(t, Choice):
        allowed = EDITOR_STATUSES if f.name == "status" else tuple(t.choices)
        labels = [t.choices[k] for k in allowed if k in t.choices]
        hint = "从下拉框中选择：" + "或".join(labels) + "。"  # the schema's help names the English values
        if f.name == "status":
            hint += "写完送审时选“待审”；发布由审核人来做（exemplars publish）。"
        out.update(
            widget="select",
            hint=hint,
            default=allowed[0],
            options=[{"label": t.choices[k], "value": k} for k in allowed if k in t.choices],
        )
    elif isinstance(t, Region):  # admin/region-widget.js: a province select plus the lower levels, one string
        out.update(
            widget="region",
            hint=REGION_HINT,
            provinces=[name for name, _, _ in PROVINCES],
            pattern=[t.json_schema()["pattern"], "第一级须为省级全称，如 浙江省/湖州市/安吉县（用半角 /，不留空格）"],
        )
    elif isinstance(t, Date):
        out.update(widget="datetime", time_format=False, date_format="YYYY-MM-DD", format="YYYY-MM-DD", picker_utc=True)
    elif isinstance(t, ListOf) and isinstance(t.item, MethodRef):
        out.update(
            widget="select",
            multiple=True,
            min=1 if t.non_empty else 0,
            options=[{"label": m.name, "value": m.id} for m in methods],
        )
    elif isinstance(t, ListOf) and isinstance(t.item, Record):
        out.update(widget="list", fields=[widget(sub, methods) for sub in t.item.fields])
        if t.non_empty:
            out["min"] = 1
    elif isinstance(t, ListOf):
        out.update(widget="list")  # one value per item; Decap writes a YAML list of strings
        if t.non_empty:
            out["min"] = 1
    elif isinstance(t, Integer):
        out.update(widget="number", value_type="int", **({"min": t.minimum} if t.minimum is not None else {}))
    elif isinstance(t, Boolean):
        out.update(widget="boolean")
    elif isinstance(t, Url):
        out.update(widget="string", pattern=[t.PATTERN, "须以 http:// 或 https:// 开头"])
    elif f.name == "cover":
        out.update(widget="image", choose_url=False, media_folder=f"/{MEDIA_FOLDER}", public_folder=MEDIA_FOLDER)
    elif isinstance(t, Text):
        long = t.max_length is not None and t.max_length > 100
        out.update(widget="text" if long or not t.single_line else "string")
        if t.single_line:  # a textarea allows line breaks the checker refuses (E-TEXT-NEWLINE); so does a limit
            limit = f"{{0,{t.max_length}}}" if t.max_length else "*"
            told = f"不超过 {t.max_length} 个字，" if t.max_length else ""
            out["pattern"] = [f"^[^\\n]{limit}$", f"{told}写成一段，不要换行"]
    else:  # a new value type must be given a widget here
        raise TypeError(f"no form widget for {type(t).__name__} ({f.name})")
    return out


def collection(contract: Contract, label: str, methods: list[Method]) -> dict:
    hidden = HIDDEN.get(contract.name, {})
    fields = [widget(f, methods) for f in contract.fields if f.name not in hidden]
    fields.append(
        {
            "name": "body",
            "label": "正文",
            "widget": "markdown",
            "required": False,
            "hint": BODY_HINTS.get(contract.name, "") + "可以用小标题、列表和引用。",
        }
    )
    return {
        "name": contract.folder,
        "label": label,
        "label_singular": label[:-1] if label.endswith("库") else label,
        "folder": contract.folder,
        "create": True,
        "extension": "md",
        "format": "frontmatter",
        "identifier_field": "id",
        "slug": "{{slug}}",
        "summary": "{{title}}（{{status}}）",
        # Two levels, as the library's folders are (stories/zhejiang/x.md): Decap lists entries as deep as `path`.
        **({"path": f"{INBOX}/{{{{slug}}}}"} if contract is STORY else {}),
        "fields": fields,
    }


def backend(settings: Settings) -> dict:
    if settings.backend not in BACKENDS:
        raise ValueError(settings.backend)
    out: dict = {"name": settings.backend, "branch": settings.branch}
    if settings.backend == "test-repo":
        return {"name": "test-repo"}
    out["repo"] = settings.repo
    if settings.backend in ("gitlab", "forgejo"):  # PKCE: no OAuth server to run
        out.update(auth_type="pkce", app_id=settings.app_id)
    if settings.backend == "gitea":
        out["app_id"] = settings.app_id
    if settings.base_url and settings.backend != "github":
        base = settings.base_url.rstrip("/")
        api = {"gitlab": "/api/v4", "forgejo": "/api/v1", "gitea": "/api/v1"}[settings.backend]
        out.update(base_url=base, api_root=base + api)
        if settings.backend == "gitlab":
            out["auth_endpoint"] = "oauth/authorize"
    return out


def config(settings: Settings, methods: list[Method]) -> dict:
    cfg: dict = {
        "backend": backend(settings),
        "locale": "zh_Hans",
        "media_folder": MEDIA_FOLDER,
        "public_folder": MEDIA_FOLDER,
        "site_url": "/",
        "display_url": "/",
    }
    if settings.backend in ("gitlab", "forgejo", "github"):  # drafts go through merge requests
        cfg["publish_mode"] = "editorial_workflow"
    if settings.local:
        cfg["local_backend"] = {"url": f"http://127.0.0.1:{settings.local_port}/api/v1"}  # decap-server binds there
    cfg["collections"] = [collection(STORY, "故事", methods), collection(LESSON, "课程", methods)]
    return cfg


def config_yaml(settings: Settings, methods: list[Method]) -> str:
    head = "# 由 exemplars 插件根据 scripts/exemplars/schema.py 生成，请勿手改（改 mkdocs.yml 中的 cms_* 设置）。\n"
    return head + yaml.safe_dump(config(settings, methods), allow_unicode=True, sort_keys=False, width=1000)


def connect_sources(settings: Settings) -> list[str]:
    """Origins the form talks to (the CSP's connect-src): the forge's API and, for `make cms`, decap-server."""
    origins = []
    if settings.backend == "github":
        origins.append("https://api.github.com")
    elif settings.backend != "test-repo" and settings.base_url:
        parts = urlsplit(settings.base_url)
        origins.append(f"{parts.scheme}://{parts.netloc}")
    if settings.local:
        origins += [f"http://localhost:{settings.local_port}", f"http://127.0.0.1:{settings.local_port}"]
    return origins
