"""Render only the `content` block of a page template (site/pages/html.py puts it in the theme's chrome).

A page template extends the theme's main.html and fills `{% block content %}`; rendering the whole template
would render the theme's chrome again for every page. Jinja can run one block on its own given a context; the
only thing that does not come along is what the template does at its top level, which in our templates is
`{% import "..." as name with context %}` — those imports are found once per template (Jinja AST) and made
per page, with the page's context so that context filters such as `url` see the right page.

Plain Python over Jinja: the environment is passed in (MkDocs' theme environment in a build).
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, Template, nodes


class BlockRenderer:
    def __init__(self, env: Environment, shared: dict[str, Any] | None = None, block: str = "content") -> None:
        self.env = env
        self.shared = dict(shared or {})  # the same for every page: config, build state, ...
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

    def render(self, name: str, **values: Any) -> str:
        """The block of template `name` with the shared values and `values` (which must hold `page`, whose `url`
        the `url` filter reads, and `base_url`)."""
        template, imports = self._load(name)
        variables = {**self.shared, **values}
        for imported, target in imports:
            variables[target] = self.env.get_template(imported).make_module(variables)
        context = template.new_context(variables)
        return "".join(template.blocks[self.block](context))
