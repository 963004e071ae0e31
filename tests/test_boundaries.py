"""Architecture boundaries: the domain package never imports the web layer."""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "tipkb"
WEB_PACKAGES = {"flask", "flask_babel", "flask_login", "flask_wtf", "werkzeug", "webapp"}
NOT_WEB = {"werkzeug.security"}  # password hashing for tipkb.accounts; no web machinery


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names if alias.name not in NOT_WEB}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and node.module not in NOT_WEB:
            roots.add(node.module.split(".")[0])
    return roots


def test_no_tipkb_module_imports_flask():
    modules = sorted(SRC.rglob("*.py"))
    assert modules
    offenders = {str(p.relative_to(SRC)): sorted(imported_roots(p) & WEB_PACKAGES) for p in modules}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_owlready2_stays_behind_the_reasoning_module():
    users = [p.name for p in SRC.rglob("*.py") if "owlready2" in imported_roots(p)]
    assert users == ["reasoning.py"]
