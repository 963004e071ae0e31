"""Every QC query (ontology/qc/*-violation.rq) has a case that passes and a case that must fail."""

import shutil
from pathlib import Path

import pytest

from tipkb import load_kb
from tipkb.store.queries import discover_queries

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
QUERIES = {q.path.name.removesuffix("-violation.rq"): q for q in discover_queries(ROOT / "ontology" / "qc",
                                                                                   "*-violation.rq")}
CASES = sorted(p.name for p in HERE.iterdir() if p.is_dir() and p.name != "__pycache__")


def rows(tmp_path: Path, name: str, case: str | None) -> list[dict]:
    """Run one QC query over the base world of tests/shapes/base.ttl, with a case file on top."""
    kb_dir = tmp_path / "kb"
    shutil.copytree(ROOT / "kb" / "vocab", kb_dir / "vocab")
    shutil.copy(ROOT / "kb" / "countries.ttl", kb_dir / "countries.ttl")
    shutil.copy(HERE.parent / "shapes" / "base.ttl", kb_dir / "base.ttl")
    if case:
        shutil.copy(HERE / name / f"{case}.ttl", kb_dir / "case.ttl")
    return load_kb(ROOT, kb=kb_dir).select(QUERIES[name].text)


def test_every_qc_query_has_a_pass_and_a_fail_case():
    assert QUERIES, "no QC queries found"
    missing = [f"{name}/{case}.ttl" for name in sorted(QUERIES) for case in ("pass", "fail")
               if not (HERE / name / f"{case}.ttl").exists()]
    assert missing == [], f"QC queries without a case in tests/qc/: {missing}"


def test_every_case_folder_names_a_qc_query():
    unknown = sorted(set(CASES) - set(QUERIES))
    assert unknown == [], f"case folders without ontology/qc/<name>-violation.rq: {unknown}"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_base_world_has_no_violation(name, tmp_path):
    assert rows(tmp_path, name, None) == []


@pytest.mark.parametrize("name", CASES)
def test_pass_case_has_no_violation(name, tmp_path):
    assert rows(tmp_path, name, "pass") == []


@pytest.mark.parametrize("name", CASES)
def test_fail_case_is_caught_with_focus_and_message(name, tmp_path):
    found = rows(tmp_path, name, "fail")
    assert found, f"{name}-violation.rq finds nothing in tests/qc/{name}/fail.ttl"
    assert all(row.get("focus") is not None and str(row.get("message", "")) for row in found)
