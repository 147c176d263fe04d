"""axe-core in a Playwright page: the accessibility check the browser tests share.

    from axe import run_axe, describe
    violations = run_axe(page)                   # after page.goto(...)
    assert not violations, describe(violations)

axe.min.js comes from node_modules (package.json pins axe-core; `npm ci` installs it). It is injected with
`page.evaluate`, which runs through the DevTools protocol and is not subject to the page's strict meta CSP, so
the page under test keeps its real policy (a `<script>` tag would be blocked by it, and bypass_csp would test a
different page). Without node_modules the test is skipped locally and fails under CI=true (npm_tools).
"""

from __future__ import annotations

import functools

from npm_tools import require_npm_file

# The WCAG levels the site promises (A and AA, 2.0–2.2) plus axe's best practices (landmarks, one h1, …).
DEFAULT_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")


@functools.lru_cache(maxsize=1)
def _axe_source() -> str:
    return require_npm_file("axe-core/axe.min.js").read_text(encoding="utf-8")


def axe_source() -> str:
    """axe.min.js's text (skips/fails the test when node_modules lacks it)."""
    return _axe_source()


def run_axe(
    page, *, tags: tuple[str, ...] = DEFAULT_TAGS, disable: tuple[str, ...] = (), context: str | None = None
) -> list[dict]:
    """Run axe-core on the page as it is now; returns its violations (empty when clean).

    `context` is a CSS selector to limit the run to; `disable` names rules to leave out (say why at the call).
    Each violation is axe's own dict: id, impact, help, helpUrl, nodes[{target, html, failureSummary}].
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    options = {
        "runOnly": {"type": "tag", "values": list(tags)},
        "resultTypes": ["violations"],
        "rules": {rule: {"enabled": False} for rule in disable},
    }
    return page.evaluate(
        "async ([context, options]) => (await axe.run(context ? document.querySelector(context) : document,"
        " options)).violations",
        [context, options],
    )


def describe(violations: list[dict], *, where: str = "", limit: int = 5) -> str:
    """A readable summary for an assertion message: rule, impact, help, and the first few offending nodes."""
    lines = [f"axe-core: {len(violations)} 项违规{('（' + where + '）') if where else ''}"]
    for violation in violations:
        lines.append(f"- {violation['id']} [{violation.get('impact')}]: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:limit]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
        if len(violation["nodes"]) > limit:
            lines.append(f"    … 另有 {len(violation['nodes']) - limit} 处")
    return "\n".join(lines)
