"""Render only the `content` block of a page template, for pages that are filled into a shell (see shell.py).

A page template extends the theme's main.html and fills `{% block content %}`; rendering the whole template
would render the theme's chrome again for every page. Jinja can run one block on its own given a context; the
only thing that does not come along is what the template does at its top level, which in our templates is
`{% import "..." as name with context %}` — those imports are found once per template (Jinja AST) and made
per page, with the page's context so that context filters such as `url` see the right page.

Plain Python over Jinja: the environment is passed in (MkDocs' theme environment in a build).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment, Template, nodes


@dataclass
class BulkPage:
    """What a page template may read of `page` (the subset the content blocks use)."""

    url: str
    title: str
    content: str = ""
    edit_url: str | None = None
    meta: dict = field(default_factory=dict)
    is_homepage: bool = False


class BlockRenderer:
    def __init__(self, env: Environment, shared: dict[str, Any] | None = None, block: str = "content") -> None:
        self.env = env
        self.shared = dict(shared or {})  # the same for every page: config, x_preview, ...
        self.block = block
        self._templates: dict[str, tuple[Template, list[tuple[str, str]]]] = {}

    def _load(self, name: str) -> tuple[Template, list[tuple[str, str]]]:
        found = self._templates.get(name)
        if found is None:
            template = self.env.get_template(name)
            if self.block not in template.blocks:
                raise ValueError(f"template {name} has no {{% block {self.block} %}}")
            source = self.env.loader.get_source(self.env, name)[0]
            imports = [
                (node.template.value, node.target)
                for node in self.env.parse(source).body
                if isinstance(node, nodes.Import) and isinstance(node.template, nodes.Const)
            ]
            found = self._templates[name] = (template, imports)
        return found

    def render(self, name: str, page: BulkPage, base_url: str, **values: Any) -> str:
        template, imports = self._load(name)
        variables = {**self.shared, **values, "page": page, "base_url": base_url}
        for imported, target in imports:
            variables[target] = self.env.get_template(imported).make_module(variables)
        context = template.new_context(variables)
        return "".join(template.blocks[self.block](context))
