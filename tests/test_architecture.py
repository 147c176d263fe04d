"""The package's layering, read from its import statements (every one, function-level imports included):

- no import cycle among exemplars' modules;
- no private name (`_x`) taken from another module, imported or read as `module._x`: what a module shares, it
  names publicly;
- the site layer (exemplars.site) reaches nothing that imports MkDocs or its Material theme, directly or through
  other exemplars modules: plugin.py adapts it to MkDocs, and a move to another generator needs only another adapter;
- nothing imports the CLI (exemplars.cli), the top layer, except `python -m exemplars` (exemplars/__main__.py).

The graph is built with `ast` from the source files, so it sees imports inside functions, which a run-time look
(sys.modules) would see only when that function ran. An import of a submodule is an edge to that submodule;
the parent packages it also runs are not counted (as grimp does not), so a package's __init__ may import its own
modules. The checks run on a small planted package first, so each is known to fail when it should.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REPO

SOURCE = REPO / "scripts"
PACKAGE = "exemplars"
SKIP = ("exemplars.vendor",)  # third-party code copied in, not ours to layer
CLI = "exemplars.cli"
CLI_ENTRY = {"exemplars.__main__"}  # `python -m exemplars` runs the CLI
SITE = "exemplars.site"
GENERATOR = ("mkdocs", "material")

# Cycles another change is removing; each entry must still be a cycle (a stale entry fails), so the list only
# shrinks. Empty: the last one (site/pages.py <-> site/lessons.py) went with the site/pages/ package.
KNOWN_CYCLES: set[frozenset[str]] = set()


@dataclass(frozen=True)
class Import:
    importer: str
    target: str  # a module of the package, or the dotted name of an outside one
    name: str | None  # for `from target import name`: the name taken, when it is not a module itself
    file: str  # relative to the source folder, e.g. exemplars/site/pages.py
    line: int

    def where(self) -> str:
        return f"{self.file}:{self.line}"


def modules_of(source: Path, package: str) -> dict[str, tuple[Path, bool]]:
    """Dotted module name → (file, is a package's __init__)."""
    found = {}
    for path in sorted((source / package).rglob("*.py")):
        parts = list(path.relative_to(source).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        name = ".".join(parts[:-1] if is_package else parts)
        if not name.startswith(SKIP):
            found[name] = (path, is_package)
    return found


def imports_of(source: Path, package: str) -> tuple[dict[str, tuple[Path, bool]], list[Import]]:
    """Every import statement of the package's modules, and every `module._name` read through a name bound to one
    of the package's modules (`from . import urls` ... `urls._x`), recorded as taking `_name` from that module."""
    modules = modules_of(source, package)
    found: list[Import] = []
    for importer, (path, is_package) in modules.items():
        here = importer.split(".") if is_package else importer.split(".")[:-1]
        file = path.relative_to(source).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        bound: dict[str, str] = {}  # local name → the package module it names
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    found.append(Import(importer, alias.name, None, file, node.lineno))
                    if alias.asname and alias.name in modules:
                        bound[alias.asname] = alias.name
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here[: len(here) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                for alias in node.names:
                    submodule = f"{target}.{alias.name}"
                    if submodule in modules:  # `from . import stats`: the module itself
                        found.append(Import(importer, submodule, None, file, node.lineno))
                        bound[alias.asname or alias.name] = submodule
                    else:
                        found.append(Import(importer, target, alias.name, file, node.lineno))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in bound:
                if node.attr.startswith("_"):
                    found.append(Import(importer, bound[node.value.id], node.attr, file, node.lineno))
    return modules, found


def cycles(modules: dict, found: list[Import]) -> list[list[str]]:
    """Strongly connected components of more than one module (or a module importing itself), each sorted."""
    edges: dict[str, set[str]] = {name: set() for name in modules}
    for imp in found:
        if imp.target in modules:
            edges[imp.importer].add(imp.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(start: str) -> None:  # Tarjan's algorithm, iterative: no recursion limit to hit
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in edges[node]:
                    components.append(sorted(component))

    for name in sorted(modules):
        if name not in index:
            visit(name)
    return sorted(components)


def private_imports(modules: dict, found: list[Import], package: str) -> list[Import]:
    return [
        imp
        for imp in found
        if imp.name is not None
        and imp.name.startswith("_")
        and not (imp.name.startswith("__") and imp.name.endswith("__"))  # __version__ is public
        and imp.target.split(".")[0] == package
        and imp.target != imp.importer
    ]


def generator_reach(modules: dict, found: list[Import], layer: str) -> list[str]:
    """For each module of `layer` that reaches an import of MkDocs or Material: the chain of modules, ending with
    where that import is."""
    edges: dict[str, list[Import]] = {name: [] for name in modules}
    for imp in found:
        edges[imp.importer].append(imp)
    problems = []
    for start in sorted(name for name in modules if name == layer or name.startswith(layer + ".")):
        seen, queue = {start: [start]}, [start]
        while queue:
            module = queue.pop(0)
            for imp in edges[module]:
                if imp.target.split(".")[0] in GENERATOR:
                    problems.append(" -> ".join(seen[module]) + f" -> {imp.target} ({imp.where()})")
                    queue = []
                    break
                if imp.target in modules and imp.target not in seen:
                    seen[imp.target] = [*seen[module], imp.target]
                    queue.append(imp.target)
    return problems


def cli_importers(modules: dict, found: list[Import], cli: str, allowed: set[str]) -> list[Import]:
    return [
        imp
        for imp in found
        if (imp.target == cli or imp.target.startswith(cli + "."))
        and not (imp.importer == cli or imp.importer.startswith(cli + "."))
        and imp.importer not in allowed
    ]


# --- the checks can fail: a planted package with one of each problem ----------------------------------------------
PLANTED = {
    "__init__.py": "",
    "__main__.py": "from .cli import main\n",
    "a.py": "from .b import helper\n",
    "b.py": "def helper():\n    from .a import _secret  # a cycle hidden in a function, and a private import\n",
    "c.py": "import json\n",
    "cli/__init__.py": "from ..a import helper\n",
    "cli/common.py": "EXIT_OK = 0\n",
    "site/__init__.py": "",
    "site/page.py": "from ..d import render\n",
    "d.py": "def render():\n    from mkdocs.structure.files import File\n",
    "e.py": "from .cli.common import EXIT_OK\n",
    "f.py": "from . import a as first\n\nVALUE = first._hidden\n",
}


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> tuple[dict, list[Import]]:
    source = tmp_path_factory.mktemp("planted")
    for rel, text in PLANTED.items():
        path = source / "pkg" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return imports_of(source, "pkg")


def test_checks_find_what_was_planted(planted):
    modules, found = planted
    assert cycles(modules, found) == [["pkg.a", "pkg.b"]]
    assert [(imp.importer, imp.name, imp.where()) for imp in private_imports(modules, found, "pkg")] == [
        ("pkg.b", "_secret", "pkg/b.py:2"),
        ("pkg.f", "_hidden", "pkg/f.py:3"),
    ]
    reach = generator_reach(modules, found, "pkg.site")
    assert len(reach) == 1 and reach[0].startswith("pkg.site.page -> pkg.d -> mkdocs.structure.files (pkg/d.py:2)")
    assert [imp.importer for imp in cli_importers(modules, found, "pkg.cli", {"pkg.__main__"})] == ["pkg.e"]


# --- the package ---------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def package() -> tuple[dict, list[Import]]:
    return imports_of(SOURCE, PACKAGE)


def test_the_graph_sees_the_whole_package(package):
    modules, found = package
    assert {"exemplars.cli", "exemplars.plugin", "exemplars.site.pages", "exemplars.stats"} <= set(modules)
    assert not any(name.startswith("exemplars.vendor") for name in modules)
    inside = [imp for imp in found if imp.target in modules]
    assert len(inside) > 200  # the package's modules import each other a few hundred times


def test_no_import_cycles(package):
    modules, found = package
    found_cycles = {frozenset(c) for c in cycles(modules, found)}
    new = found_cycles - KNOWN_CYCLES
    lines = [
        " <-> ".join(sorted(c))
        + "\n"
        + "\n".join(
            f"    {imp.where()}: {imp.importer} imports {imp.target}"
            for imp in found
            if {imp.importer, imp.target} <= c
        )
        for c in sorted(new, key=sorted)
    ]
    assert not new, "import cycles (break them: move what both sides need into a lower module):\n" + "\n".join(lines)
    stale = [sorted(c) for c in KNOWN_CYCLES if not any(c <= f for f in found_cycles)]
    assert not stale, f"no longer cycles, remove them from KNOWN_CYCLES: {stale}"


def test_no_private_names_imported_across_modules(package):
    bad = private_imports(*package, PACKAGE)
    assert not bad, "private names imported from another module (give them a public name where they belong):\n" + (
        "\n".join(f"{imp.where()}: {imp.importer} imports {imp.name} from {imp.target}" for imp in bad)
    )


def test_the_site_layer_never_reaches_mkdocs(package):
    reach = generator_reach(*package, SITE)
    assert not reach, "the site layer reaches MkDocs (keep MkDocs in plugin.py):\n" + "\n".join(reach)


def test_nothing_imports_the_cli(package):
    bad = cli_importers(*package, CLI, CLI_ENTRY)
    assert not bad, "the CLI is the top layer; move what these need out of it:\n" + "\n".join(
        f"{imp.where()}: {imp.importer} imports {imp.target}" for imp in bad
    )
