"""`tipkb validate` passes on good KBs and names the file, IRI and rule for each broken one."""

from pathlib import Path

import pytest

from tipkb.checks.validation import validate
from tipkb.cli.main import main

PREFIXES = """@prefix tip:  <https://w3id.org/tipkb/ontology#> .
@prefix kb:   <https://w3id.org/tipkb/kb/> .
@prefix dct:  <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
"""


def write(root: Path, name: str, body: str) -> Path:
    path = root / "kb" / name
    path.write_text(PREFIXES + body, encoding="utf-8")
    return path


@pytest.mark.java
def test_small_kb_conforms(small_root, capsys):
    assert main(["validate", "--root", str(small_root)]) == 0
    assert "OK" in capsys.readouterr().out


@pytest.mark.java
@pytest.mark.slow
def test_shipped_kb_conforms():
    report = validate()
    assert report.conforms, report.text()


def test_syntax_error_names_file_and_line(small_root, capsys):
    body = "kb:country-xx a tip:Country ;\n    rdfs:label \"X\"@en\n    tip:isoCode \"XX\" .\n"
    write(small_root, "broken.ttl", body)
    assert main(["validate", "--root", str(small_root), "--no-owl"]) == 1
    err = capsys.readouterr().err
    assert "kb/broken.ttl:8" in err  # 5 prefix lines + the 3rd line of the body
    assert "syntax" in err.lower()


def test_fact_without_source_names_iri_and_file(small_root, capsys):
    write(small_root, "tiers.ttl", "kb:tier-rating-kz-2099 a tip:TierRating ; tip:country kb:country-kz ;\n"
                                   "  tip:reportYear 2024 ; tip:tier kb:tier-2 ; tip:asOf \"2024\"^^xsd:gYear .\n")
    assert main(["validate", "--root", str(small_root), "--no-owl"]) == 1
    err = capsys.readouterr().err
    assert "kb/tiers.ttl" in err
    assert "https://w3id.org/tipkb/kb/tier-rating-kz-2099" in err
    assert "needs at least one source" in err


def test_missing_russian_label_is_reported(small_root):
    write(small_root, "laws.ttl", "kb:law-kz-x a tip:NationalLaw ; tip:country kb:country-kz ;\n"
                                  "  rdfs:label \"A law\"@en ; dct:source <https://example.org/l> ;\n"
                                  "  tip:asOf \"2024\"^^xsd:gYear .\n")
    report = validate(small_root, owl=False)
    assert not report.conforms
    [problem] = report.problems
    assert problem.files == ("kb/laws.ttl",)
    assert problem.focus == "https://w3id.org/tipkb/kb/law-kz-x"
    assert "Russian label" in problem.message


def test_undeclared_term_is_reported_by_qc(small_root):
    write(small_root, "typo.ttl", "kb:country-kz tip:isoCod \"KZ\" .\n")
    report = validate(small_root, owl=False)
    assert any(p.check == "qc" and "isoCod" in p.message and "kb/typo.ttl" in p.files for p in report.problems)


@pytest.mark.java
def test_inconsistent_owl_axiom_is_reported(small_root, capsys):
    # kb:gap-test is a Gap; using it as a ratification's instrument makes it an InternationalInstrument
    # by the property's range, and the ontology declares gaps and legal instruments disjoint.
    write(small_root, "contradiction.ttl",
          "kb:ratification-kz-x a tip:Ratification ; tip:country kb:country-kz ; tip:instrument kb:gap-test ;\n"
          "  tip:ratificationStatus kb:status-ratified ; dct:source <https://example.org/r> ;\n"
          "  tip:asOf \"2024\"^^xsd:gYear .\n")
    report = validate(small_root)
    owl = [p for p in report.problems if p.check == "owl"]
    assert owl, report.text()
    assert any(p.focus == "https://w3id.org/tipkb/kb/gap-test" for p in owl)
    assert main(["validate", "--root", str(small_root)]) == 1
    assert "gap-test" in capsys.readouterr().err


def test_missing_kb_folder_is_a_clear_error(tmp_path, capsys):
    assert main(["validate", "--root", str(tmp_path)]) == 2
    assert "folder not found" in capsys.readouterr().err
