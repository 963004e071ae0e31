"""The package layout: wings import only downwards and without cycles, modules stay small, the domain has no web.

Layers, top to bottom: cli → report → recommend → assess, facts, edit (one level; none imports another)
→ checks → store → base modules. `tipkb/__init__.py` is the public API and may import from any wing; a
name it defines itself (such as `__version__`) counts as a base module, a name it re-exports as the module
that defines it. Modules inside one wing may import each other, without cycles. `tipkb.migrations` is
loaded by Alembic by path: it may import the base modules (tipkb.db, tipkb.accounts, ...) and the wings'
`tables` modules, and nothing imports it. Imports inside functions count: a dependency is one wherever it is
written.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "tipkb"
WEBAPP = ROOT / "webapp"
MAX_LINES = 400
RANKS = {"cli": 6, "report": 5, "recommend": 4, "assess": 3, "facts": 3, "edit": 3, "checks": 2, "store": 1,
         "base": 0}
BASE_MODULES = {"errors", "namespaces", "paths", "i18n", "db", "accounts", "ratelimits", "jsonio", "resets", "teams"}
WEB_PACKAGES = {"flask", "flask_babel", "flask_login", "flask_wtf", "werkzeug", "webapp"}
API = "tipkb"


@dataclass(frozen=True)
class Edge:
    """One import of a tipkb module by another, where it is written."""

    source: str
    target: str
    file: str
    line: int

    def __str__(self) -> str:
        return (f"{self.file}:{self.line}: {self.source} ({wing(self.source)}) "
                f"imports {self.target} ({wing(self.target)})")


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def wing(module: str) -> str:
    """Return the layer a tipkb module belongs to: a wing's name, "base", "migrations", the API, or "unknown"."""
    parts = module.split(".")
    if len(parts) == 1:
        return API
    if parts[1] in BASE_MODULES and len(parts) == 2:
        return "base"
    if parts[1] in RANKS or parts[1] == "migrations":
        return parts[1]
    return "unknown"


def allowed(source: str, target: str) -> bool:
    """Say whether the layer rule lets module `source` import module `target`."""
    src, dst = wing(source), wing(target)
    if src == API:
        return dst != "migrations"
    if src == "migrations":
        return dst in ("base", "migrations") or (dst in RANKS and target.endswith(".tables"))
    if dst == API:  # a name the package itself defines
        return True
    if "unknown" in (src, dst) or dst == "migrations":
        return False
    return src == dst or RANKS[dst] < RANKS[src]


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _own_package(module: str) -> str:
    return module if MODULES[module].name == "__init__.py" else module.rsplit(".", 1)[0]


def _reexports() -> dict[str, str]:
    """Return {name: defining module} for the names tipkb/__init__.py re-exports: those it imports from its wings,
    and those its `_EXPORTS` table names for importing when first used."""
    body = _tree(MODULES[API]).body
    found = {alias.asname or alias.name: node.module for node in body
             if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tipkb.")
             for alias in node.names}
    for node in body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "_EXPORTS" for t in node.targets):
            found |= ast.literal_eval(node.value)
    return found


@cache
def edges() -> tuple[Edge, ...]:
    """Return every import among tipkb modules, top-level or inside functions."""
    reexports = _reexports()
    found = []
    for source, path in MODULES.items():
        rel = path.relative_to(ROOT).as_posix()
        for node in ast.walk(_tree(path)):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names if a.name == API or a.name.startswith(API + ".")]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    package = _own_package(source).split(".")
                    base = ".".join(package[:len(package) - node.level + 1] + ([base] if base else []))
                if base != API and not base.startswith(API + "."):
                    continue
                for alias in node.names:
                    if f"{base}.{alias.name}" in MODULES:
                        targets.append(f"{base}.{alias.name}")
                    elif base == API:
                        targets.append(reexports.get(alias.name, API))
                    else:
                        targets.append(base)
            found += [Edge(source, t, rel, node.lineno) for t in targets if t != source]
    return tuple(found)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return one cycle (as a path of modules) per strongly connected group of modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups = []

    def visit(v: str) -> None:  # Tarjan's algorithm
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(set(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [_path_through(group, graph) for group in groups]


def _path_through(group: set[str], graph: dict[str, set[str]]) -> list[str]:
    start = min(group)
    paths = {start: [start]}
    todo = [start]
    while todo:  # breadth first, back to the start
        v = todo.pop(0)
        for w in sorted(graph.get(v, set()) & group):
            if w == start:
                return paths[v] + [start]
            if w not in paths:
                paths[w] = paths[v] + [w]
                todo.append(w)
    return sorted(group)


def wing_edges() -> dict[tuple[str, str], int]:
    """Return {(wing, wing it imports): number of imports} between different layers."""
    counts: dict[tuple[str, str], int] = {}
    for e in edges():
        pair = (wing(e.source), wing(e.target))
        if pair[0] != pair[1]:
            counts[pair] = counts.get(pair, 0) + 1
    return dict(sorted(counts.items()))


def test_every_module_is_in_a_layer():
    assert len(MODULES) > 20
    lost = [m for m in MODULES if wing(m) == "unknown"]
    assert lost == [], f"modules in no layer (add them to a wing, or to BASE_MODULES here): {lost}"


@pytest.fixture(scope="module")
def import_edges() -> tuple[Edge, ...]:
    return edges()


def test_imports_go_down_the_layers(import_edges):
    upward = [str(e) for e in import_edges if not allowed(e.source, e.target)]
    assert upward == [], "imports against the layer order:\n" + "\n".join(upward)


def test_edges_are_found_at_the_top_and_inside_functions(import_edges):
    found = {(e.source, e.target) for e in import_edges}
    assert ("tipkb.edit.precheck", "tipkb.checks.shacl") in found
    assert ("tipkb.edit.changesets", "tipkb.checks.validation") in found  # imported inside a method


def test_no_import_cycles(import_edges):
    graph: dict[str, set[str]] = {}
    for e in import_edges:
        graph.setdefault(e.source, set()).add(e.target)
    found = [" → ".join(c) for c in cycles(graph)]
    assert found == [], "import cycles:\n" + "\n".join(found)


@pytest.mark.parametrize(("source", "target", "ok"), [
    ("tipkb.cli.main", "tipkb.report.render", True),
    ("tipkb.edit.precheck", "tipkb.checks.shacl", True),
    ("tipkb.store.kb", "tipkb.checks.validation", False),
    ("tipkb.assess.scoring", "tipkb.facts.profile", False),  # one level: no imports among them
    ("tipkb.facts.profile", "tipkb.facts.countries", True),
    ("tipkb.errors", "tipkb.paths", True),
    ("tipkb.paths", "tipkb.store.kb", False),
    ("tipkb.report.context", "tipkb", True),  # __version__, defined by the package
    ("tipkb", "tipkb.cli.main", True),
    ("tipkb.migrations.env", "tipkb.db", True),
    ("tipkb.migrations.env", "tipkb.edit.tables", True),
    ("tipkb.migrations.env", "tipkb.edit.changesets", False),
    ("tipkb.migrations.env", "tipkb.store.tables", True),
    ("tipkb.db", "tipkb.migrations.env", False),
    ("tipkb.store.kb", "tipkb.gadgets", False),  # in no layer
])
def test_the_layer_rule(source, target, ok):
    assert allowed(source, target) is ok


def test_a_cycle_is_found_and_shown_as_a_path():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set()}
    assert cycles(graph) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_over_400_lines():
    sizes = {p.relative_to(ROOT).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
             for p in [*SRC.rglob("*.py"), *WEBAPP.rglob("*.py")]}
    assert len(sizes) > 20
    too_long = {f: n for f, n in sizes.items() if n > MAX_LINES}
    assert too_long == {}, f"modules over {MAX_LINES} lines (split them): {too_long}"


def _imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


# Password hashing is not web code: the domain may hash with werkzeug.security, and reach nothing else of werkzeug.
NOT_WEB = {"werkzeug.security"}


def _imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_no_tipkb_module_imports_the_web():
    def web(path: Path) -> list[str]:
        return sorted({m.split(".")[0] for m in _imported_modules(path) - NOT_WEB} & WEB_PACKAGES)

    offenders = {p.relative_to(ROOT).as_posix(): web(p) for p in MODULES.values()}
    offenders = {k: v for k, v in offenders.items() if v}
    assert offenders == {}, f"domain modules importing web packages: {offenders}"


def test_owlready2_stays_behind_the_reasoning_module():
    users = [p.relative_to(SRC).as_posix() for p in MODULES.values() if "owlready2" in _imported_roots(p)]
    assert users == ["checks/reasoning.py"]


def test_the_public_api_resolves_every_name_and_the_command_line_starts_without_the_database_layer():
    import subprocess
    import sys

    import tipkb

    assert all(getattr(tipkb, name) is not None for name in tipkb.__all__)
    assert set(tipkb.__all__) <= set(dir(tipkb))
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        tipkb.no_such_name  # noqa: B018
    # `tipkb --help`, `tipkb stats` and friends need neither SQLAlchemy nor Alembic: only `kb`, `db` and `assess
    # --import` load them, when they run
    loaded = subprocess.run([sys.executable, "-c", "import sys, tipkb.cli; print(sorted(m for m in sys.modules "
                             "if m.split('.')[0] in ('sqlalchemy', 'alembic', 'flask')))"],
                            capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"
