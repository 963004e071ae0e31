"""Views stay apart: no module of webapp/views imports another view module (shared helpers live outside views/)."""

import ast
from pathlib import Path

import pytest

VIEWS = Path(__file__).resolve().parents[2] / "webapp" / "views"
VIEW_MODULES = {p.stem for p in VIEWS.glob("*.py")} - {"__init__"}


def imported_views(source: str) -> set[str]:
    """Return the view modules a module of webapp/views imports, however the import is spelled."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[2] for a in node.names if a.name.startswith("webapp.views.")}
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 1:  # from .x import …, from . import x
                rest = module
            elif node.level == 2 and (module == "views" or module.startswith("views.")):
                rest = module.removeprefix("views").lstrip(".")
            elif node.level == 0 and (module == "webapp.views" or module.startswith("webapp.views.")):
                rest = module.removeprefix("webapp.views").lstrip(".")
            else:
                continue
            found |= {rest.split(".")[0]} if rest else {a.name for a in node.names}
    return found & VIEW_MODULES


@pytest.mark.parametrize("source", [
    "from .assessments import owned",
    "from . import results",
    "from ..views.results import show",
    "from ..views import api",
    "from webapp.views.results import show",
    "from webapp.views import assessments",
    "import webapp.views.results",
    "def f():\n    from .results import show\n",
])
def test_an_import_of_a_view_is_found(source):
    assert imported_views(source)


@pytest.mark.parametrize("source", [
    "from ..access import owned",
    "from .. import answer_form",
    "from ..recommendations import read_filters",
    "from tipkb.recommend.results import assessment_results",
])
def test_imports_of_non_views_are_allowed(source):
    assert imported_views(source) == set()


def test_no_view_imports_another_view():
    assert {"assessments", "results", "api", "reports"} <= VIEW_MODULES
    offenders = {p.name: sorted(imported_views(p.read_text(encoding="utf-8")) - {p.stem})
                 for p in sorted(VIEWS.glob("*.py"))}
    assert {name: views for name, views in offenders.items() if views} == {}
