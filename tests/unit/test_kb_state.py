"""A KnowledgeBase owns its state: no module reaches into private attributes, derived values stay coherent."""

import ast
import threading
from pathlib import Path

from rdflib import Literal, URIRef

from tipkb.store.backends import open_backend
from tipkb.store.kb import KnowledgeBase

ROOT = Path(__file__).resolve().parents[2]
SCANNED = (ROOT / "src" / "tipkb", ROOT / "webapp", ROOT / "bench")
KB_MODULE = ROOT / "src" / "tipkb" / "store" / "kb.py"
REFLECTION = {"getattr", "setattr", "hasattr", "delattr"}


def _private(name: str) -> bool:
    return name.startswith("_") and not name.endswith("__")


def _modules() -> list[tuple[Path, ast.Module]]:
    paths = sorted(p for base in SCANNED for p in base.rglob("*.py"))
    assert len(paths) > 50
    return [(p, ast.parse(p.read_text(encoding="utf-8"), filename=str(p))) for p in paths]


def _defined(tree: ast.AST) -> set[str]:
    """Private names the classes in a tree define: methods, class attributes and `self._x = …` attributes."""
    names = set()
    for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
        for node in ast.walk(cls):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                names.add(node.name)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
            elif isinstance(node, ast.Assign):
                names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
            elif (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store)
                  and isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                names.add(node.attr)
    return {n for n in names if _private(n)}


def _accesses(tree: ast.AST) -> list[tuple[int, ast.expr, str]]:
    """(line, object, name) of every `obj.name` and `getattr(obj, "name")` where obj is not self or cls."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            obj, name = node.value, node.attr
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in REFLECTION
              and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant)
              and isinstance(node.args[1].value, str)):
            obj, name = node.args[0], node.args[1].value
        else:
            continue
        if not (isinstance(obj, ast.Name) and obj.id in ("self", "cls")):
            found.append((node.lineno, obj, name))
    return found


def test_no_module_reaches_into_private_attributes_another_module_defines():
    modules = _modules()
    defined = {path: _defined(tree) for path, tree in modules}
    ours = set().union(*defined.values())
    offenders = [f"{path.relative_to(ROOT)}:{line}: {ast.unparse(obj)}.{name}"
                 for path, tree in modules for line, obj, name in _accesses(tree)
                 if _private(name) and name in ours and name not in defined[path]]
    assert offenders == []


def test_only_the_store_module_touches_knowledge_base_internals():
    tree = ast.parse(KB_MODULE.read_text(encoding="utf-8"))
    kb_class = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "KnowledgeBase")
    internals = _defined(kb_class) | {"_raw", "_union", "cache"}  # and the names they had before
    assert {"_store", "_cache", "_lock", "_generation"} <= internals
    offenders = [f"{path.relative_to(ROOT)}:{line}: {ast.unparse(obj)}.{name}"
                 for path, module in _modules() if path != KB_MODULE
                 for line, obj, name in _accesses(module)
                 if name in internals and "kb" in ast.unparse(obj).lower()]
    assert offenders == []


def _empty_kb(tmp_path) -> KnowledgeBase:
    return KnowledgeBase(open_backend("rdflib"), [], tmp_path)


def test_a_value_built_while_the_kb_changes_is_not_kept(tmp_path):
    kb = _empty_kb(tmp_path)
    started, go_on, got = threading.Event(), threading.Event(), []

    def slow_build():
        started.set()
        go_on.wait()
        return "built before the change"

    reader = threading.Thread(target=lambda: got.append(kb.cached("table", slow_build)))
    reader.start()
    started.wait()
    kb.changed()  # what ChangeLog.sync does from another thread when a changeset lands
    go_on.set()
    reader.join()
    assert got == ["built before the change"]  # the reader still gets an answer
    assert kb.cached("table", lambda: "built after the change") == "built after the change"
    assert kb.cached("table", lambda: "built again") == "built after the change"


def test_many_readers_of_one_key_all_get_the_one_kept_value(tmp_path):
    kb = _empty_kb(tmp_path)
    readers = 16
    barrier, got, builds = threading.Barrier(readers), [], []

    def build():
        builds.append(1)
        return {"rows": list(range(10_000))}

    def read():
        barrier.wait()
        got.append(kb.cached("table", build))

    threads = [threading.Thread(target=read) for _ in range(readers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == readers and 1 <= len(builds) <= readers
    kept = kb.cached("table", lambda: {"rows": "built again"})
    assert all(value is kept for value in got)


def test_the_union_graph_follows_the_kb_after_changed(tmp_path):
    kb = _empty_kb(tmp_path)
    triple = (URIRef("urn:x:s"), URIRef("urn:x:p"), Literal("new"))
    before = kb.union_graph()
    assert kb.union_graph() is before and triple not in before
    kb.dataset.graph(URIRef("urn:x:g")).add(triple)
    kb.changed()
    assert triple in kb.union_graph()
