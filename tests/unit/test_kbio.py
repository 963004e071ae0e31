"""Export the live KB to Turtle in the kb/ layout and import a release back: round trip, untouched files, refusal."""

import re
from pathlib import Path

import pytest

from tipkb.cli.main import main
from tipkb.edit.changesets import ChangeLog, InvalidChangeError
from tipkb.edit.descriptions import ABSENT
from tipkb.edit.entity_types import entity_type
from tipkb.edit.forms import build_edit, form_values, retire_edit
from tipkb.edit.kbio import ExportError, canonical_nquads, export_kb, import_kb
from tipkb.store.kb import load_kb

ROOT = Path(__file__).resolve().parents[2]
KB = "https://w3id.org/tipkb/kb/"


def written_by_edits() -> list[str]:
    """The files the three changesets of `edited` change: the retired question's translations too."""
    retired_texts = [f"translations/{p.name}" for p in sorted((ROOT / "kb" / "translations").glob("*.ttl"))
                     if re.search(r"kb:q-pv01\s", p.read_text(encoding="utf-8"))]
    return ["questionnaire/prevention.ttl", "ratifications/kz.ttl", "situation/uz.ttl", *retired_texts]


@pytest.fixture(scope="module")
def edited(tmp_path_factory):
    """A live KB with three changesets: a changed date, a new rating, a retired question (the tests only read it)."""
    log = ChangeLog(load_kb(ROOT), f"sqlite:///{tmp_path_factory.mktemp('edited') / 'edited.sqlite'}")
    ratification = entity_type("ratification")
    desc = log.describe(KB + "ratification-kz-untoc")
    values = {**form_values(desc, ratification), "date": "2008-06-05"}
    log.submit([build_edit(log.kb, ratification, values, iri=str(desc.iri), base_version=desc.version)],
               author="a", reason="date")
    values = {"country": KB + "country-uz", "report_year": "2030", "tier": KB + "tier-2",
              "sources": ["https://www.state.gov/"], "as_of": "2030"}
    log.submit([build_edit(log.kb, entity_type("tier-rating"), values, iri=None, base_version=ABSENT)],
               author="a", reason="new rating")
    log.submit([retire_edit(KB + "q-pv01", log.describe(KB + "q-pv01").version)], author="a", reason="drop")
    yield log
    log.close()


def test_export_then_import_into_a_fresh_instance_round_trips(edited, tmp_path):
    report = export_kb(edited.kb, tmp_path / "release", touched=edited.touched_graphs())
    assert sorted(report.written) == written_by_edits()
    fresh = ChangeLog(load_kb(ROOT), f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    cs = import_kb(fresh, tmp_path / "release", author="release-bot", reason="release 2026.11")
    assert cs.status == "applied" and KB + "tier-rating-uz-2030" in cs.entities
    # canonical N-Quads (RDFC-1.0) are equal only for isomorphic datasets: the same triples in the same files
    assert canonical_nquads(fresh.kb) == canonical_nquads(edited.kb)


def test_unchanged_files_are_copied_byte_for_byte(edited, tmp_path):
    report = export_kb(edited.kb, tmp_path / "out")
    assert "countries.ttl" in report.copied
    assert (tmp_path / "out" / "countries.ttl").read_bytes() == (ROOT / "kb" / "countries.ttl").read_bytes()
    assert "kb:tier-rating-uz-2030" in (tmp_path / "out" / "situation" / "uz.ttl").read_text()


def test_export_refuses_a_folder_with_turtle_files_unless_told_to_overwrite(edited, tmp_path):
    touched = set()  # every file copied: which files are written from edits is the round trip's test
    export_kb(edited.kb, tmp_path / "out", touched=touched)
    (tmp_path / "out" / "stale.ttl").write_text("")
    with pytest.raises(ExportError, match="not empty"):
        export_kb(edited.kb, tmp_path / "out", touched=touched)
    report = export_kb(edited.kb, tmp_path / "out", overwrite=True, touched=touched)
    assert report.removed == ["stale.ttl"] and not (tmp_path / "out" / "stale.ttl").exists()


def test_an_invalid_release_is_refused_and_the_kb_is_unchanged(tmp_path):
    log = ChangeLog(load_kb(ROOT), f"sqlite:///{tmp_path / 'x.sqlite'}")
    export_kb(log.kb, tmp_path / "release", touched=set())
    path = tmp_path / "release" / "ratifications" / "kz.ttl"
    path.write_text(path.read_text().replace('tip:year 2008 ;', 'tip:year 1808 ;', 1))
    before = canonical_nquads(log.kb)
    with pytest.raises(InvalidChangeError) as err:
        import_kb(log, tmp_path / "release", author="a", reason="bad release")
    assert any(p.path == "https://w3id.org/tipkb/ontology#year" for p in err.value.problems)
    assert canonical_nquads(log.kb) == before


def test_cli_exports_and_imports_the_live_kb(edited, tmp_path, capsys):
    db = str(edited.engine.url)
    assert main(["kb", "export", str(tmp_path / "out"), "--root", str(ROOT), "--db", db]) == 0
    assert f"{len(written_by_edits())} file(s) written from edits" in capsys.readouterr().out
    fresh_db = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    assert main(["kb", "import", str(tmp_path / "out"), "--root", str(ROOT), "--db", fresh_db,
                 "--author", "ci"]) == 0
    assert "changeset #1" in capsys.readouterr().out
    assert main(["kb", "import", str(tmp_path / "out"), "--root", str(ROOT), "--db", fresh_db]) == 2
    assert "already says exactly this" in capsys.readouterr().err
