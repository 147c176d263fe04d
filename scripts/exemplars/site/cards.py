"""Story cards rendered once per story, not once per listing they appear on.

A story shows up on a dozen listings (kind, each region level, year, domain, method pages, related stories);
rendering its card template each time was the largest cost of a build after Markdown. A card is rendered once
with a placeholder for the path to the site root and that placeholder is replaced per page — a string replace.

Plain Python over Jinja (the environment is passed in).
"""

from __future__ import annotations

from jinja2 import Environment, pass_context
from markupsafe import Markup

ROOT = "\x00root\x00"  # cannot occur in a rendered card: text is escaped and NUL never survives Markdown/YAML


class CardRenderer:
    def __init__(
        self, env: Environment, template: str = "exemplars/partials/card.html", previous: "CardRenderer | None" = None
    ) -> None:
        self.env = env
        self.template_name = template
        self.source = env.loader.get_source(env, template)[0]
        # `mkdocs serve` makes a new environment per rebuild: keep the cards as long as the template is the same
        self._html: dict[tuple, str] = previous._html if previous is not None and previous.source == self.source else {}

    def render(self, card, level: int, root: str) -> Markup:
        """`root` is the page's relative path to the site root, "" or ending in "/" (e.g. "../../")."""
        key = (card, level)
        html = self._html.get(key)
        if html is None:
            html = self._html[key] = self.env.get_template(self.template_name).render(c=card, level=level, base=ROOT)
        return Markup(html.replace(ROOT, root))

    @property
    def jinja_global(self):
        """`ex_card(c, level)` for templates: the page's root path is taken from its `base_url`."""

        @pass_context
        def ex_card(context, card, level=2):
            base = str(context.get("base_url") or ".").rstrip("/")
            return self.render(card, level, "" if base in ("", ".") else base + "/")

        return ex_card
