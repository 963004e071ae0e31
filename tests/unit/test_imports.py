"""Importing KoboToolbox and ODK Central exports of the XLSForm: each format, row errors, all or nothing."""

import json
import resource
import time
from pathlib import Path

import pytest
from exportfiles import field_paths, kobo_json, kobo_rows, odk_json, odk_rows, write_csv, write_json, write_xlsx, xform
from openpyxl import load_workbook

from tipkb.assess.imports import read_import
from tipkb.assess.imports_store import ImportRejected, store_import
from tipkb.assess.storage import AssessmentStore
from tipkb.assess.xlsform import write_xlsform

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"
FILES = {"kobo.csv": "kobo-csv", "kobo-semicolon.csv": "kobo-csv", "kobo.xlsx": "kobo-xlsx",
         "kobo-api.json": "kobo-json", "odk-central.csv": "odk-csv", "odk-central-odata.json": "odk-json"}
GOOD = [{"country": "KG", "year": 2025, "questionnaire_version": "1.0", "PV01": "dont-know", "PV02": 12,
         "PT01": "yes", "PT02": "partly", "PT03": ["state-budget", "donors"], "PR01": "yes", "PR02": 10},
        {"country": "KZ", "year": 2025, "questionnaire_version": "1.0", "PT01": "no", "PA02": "Working group, "
         "NGOs \"observers\"; meets twice a year", "PA01": "yes", "PA03": "no"}]


@pytest.fixture(scope="module")
def paths(questionnaire, tmp_path_factory):
    """The field paths of the XForm pyxform makes of the test questionnaire's XLSForm."""
    return field_paths(xform(write_xlsform(questionnaire, tmp_path_factory.mktemp("form") / "form.xlsx")))


def build(paths, folder: Path, submissions) -> dict[str, Path]:
    """Write the six export files of some submissions into a folder."""
    folder.mkdir(parents=True, exist_ok=True)
    kobo, odk = kobo_rows(paths, submissions), odk_rows(paths, submissions)
    return {"kobo.csv": write_csv(folder / "kobo.csv", *kobo),
            "kobo-semicolon.csv": write_csv(folder / "kobo-semicolon.csv", *kobo, delimiter=";"),
            "kobo.xlsx": write_xlsx(folder / "kobo.xlsx", *kobo),
            "kobo-api.json": write_json(folder / "kobo-api.json", kobo_json(paths, submissions)),
            "odk-central.csv": write_csv(folder / "odk-central.csv", *odk),
            "odk-central-odata.json": write_json(folder / "odk-central-odata.json", odk_json(paths, submissions))}


def test_the_xlsform_converts_with_pyxform_without_warnings(paths):
    assert paths[:3] == [("assessment", "country"), ("assessment", "year"), ("assessment", "questionnaire_version")]
    assert ("prot_identification", "PT03") in paths and paths[-1] == ("meta", "instanceID")


@pytest.mark.slow
def test_the_shipped_xlsform_converts_with_pyxform_without_warnings(shipped_kb, tmp_path):
    from tipkb.assess.questionnaire import load_questionnaire

    shipped = load_questionnaire(shipped_kb)
    form = write_xlsform(shipped, tmp_path / "form.xlsx")
    leaves = [p[-1] for p in field_paths(xform(form))]
    assert leaves == ["country", "year", "questionnaire_version", *[q.code for q in shipped.questions], "instanceID"]
    # the hints are questionnaire 1.1's help texts, those of year thresholds counted back from the assessment's year
    workbook = load_workbook(form, read_only=True)  # read-only keeps the file open until closed
    try:
        header, *body = workbook["survey"].iter_rows(values_only=True)
    finally:
        workbook.close()
    hints = {r[header.index("name")]: (r[header.index("hint::English (en)")], r[header.index("hint::Russian (ru)")])
             for r in body}
    assert shipped.version == "1.1" and [q.code for q in shipped.questions if q.help and hints[q.code] != (
        q.help.get("en"), q.help.get("ru"))] == []
    assert "before the year of the assessment" in hints["PT20"][0] and "до года оценки" in hints["PT20"][1]


def test_the_stored_test_files_match_the_current_xform(paths, tmp_path):
    fresh = build(paths, tmp_path, GOOD)
    for name in ("kobo.csv", "odk-central.csv", "kobo-api.json", "odk-central-odata.json"):
        assert (DATA / name).read_text(encoding="utf-8") == fresh[name].read_text(encoding="utf-8"), name


@pytest.mark.parametrize("name", FILES)
def test_each_source_format_imports(questionnaire, name):
    report = read_import(questionnaire, (DATA / name).read_bytes(), name)
    assert report.problems == () and report.source == FILES[name]
    first, second = (s.answers for s in report.submissions)
    assert (first.country, first.year, first.questionnaire) == ("KG", 2025, "1.0")
    assert dict(first.values) == {"PV01": "dont-know", "PV02": 12, "PT01": "yes", "PT02": "partly",
                                  "PT03": ["state-budget", "donors"], "PR01": "yes", "PR02": 10}
    assert second.values["PA02"] == GOOD[1]["PA02"] and second.country == "KZ"
    assert report.submissions[0].key is not None


@pytest.mark.parametrize("database_url", ["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)], indirect=True)
def test_imported_drafts_are_stored_for_the_organisation(questionnaire, database_url):
    report = read_import(questionnaire, (DATA / "odk-central.csv").read_bytes())
    with AssessmentStore(database_url, questionnaire=questionnaire) as store:
        ids = store_import(store, report, "Tenir")
        drafts = store.list_for_organisation("Tenir")
        assert sorted(a.id for a in drafts) == sorted(ids)
        assert {(a.country, a.year, a.status) for a in drafts} == {("KG", 2025, "draft"), ("KZ", 2025, "draft")}
        assert store.get(ids[0]).answers["PT03"] == ["state-budget", "donors"]
        with pytest.raises(ImportRejected) as caught:  # the same file again: drafts exist, nothing more stored
            store_import(store, report, "Tenir")
        assert [(r.row, r.problem.code) for r in caught.value.rows] == [(2, "import-draft-exists"),
                                                                          (3, "import-draft-exists")]
        assert len(store.list_for_organisation("Tenir")) == 2


def test_bad_rows_are_reported_per_row_and_question_and_nothing_is_stored(questionnaire, paths, tmp_path,
                                                                          database_url):
    bad = [dict(GOOD[0]),
           {**GOOD[1], "PT01": "maybe"},                       # row 3: a wrong option
           {"country": "TJ", "questionnaire_version": "1.0", "PT01": "yes"},  # row 4: the year is missing
           {"country": "UZ", "year": 2024, "questionnaire_version": "0.9", "PT01": "yes"}]  # row 5: another version
    header, rows = kobo_rows(paths, bad)
    header.append("prot_identification/PT99")  # an unknown question code, answered in row 2
    rows = [[*r, "yes" if i == 0 else ""] for i, r in enumerate(rows)]
    report = read_import(questionnaire, write_csv(tmp_path / "bad.csv", header, rows).read_bytes())
    found = [(p.row, p.problem.question or p.problem.field, p.problem.code) for p in report.problems]
    assert found == [(2, "PT99", "unknown-question"), (3, "PT01", "unknown-option"),
                     (4, "year", "required"), (5, "questionnaire", "other-version")]
    assert report.problems[3].problem.text("ru") == (
        "questionnaire: ответы относятся к анкете версии 0.9, а используется анкета версии 1.0")
    assert report.problems[0].key == "5b1c0001-7a1e-4c1e-9f00-000000000001"
    with AssessmentStore(database_url, questionnaire=questionnaire) as store:
        with pytest.raises(ImportRejected):
            store_import(store, report, "Tenir")
        assert store.list_for_organisation("Tenir") == []


def test_two_submissions_for_one_country_and_year_are_refused(questionnaire, paths, tmp_path):
    header, rows = odk_rows(paths, [GOOD[0], GOOD[0]])
    report = read_import(questionnaire, write_csv(tmp_path / "twice.csv", header, rows).read_bytes())
    assert [(p.row, p.problem.code) for p in report.problems] == [(3, "import-duplicate")]
    assert "row 2" in report.problems[0].problem.text("en")


@pytest.mark.slow
def test_five_thousand_submissions_import_in_bounded_time_and_memory(questionnaire, paths, tmp_path, database_url):
    many = [{**GOOD[0], "country": f"{chr(65 + i // 26 % 26)}{chr(65 + i % 26)}", "year": 1900 + i // 676}
            for i in range(5000)]
    data = write_csv(tmp_path / "many.csv", *odk_rows(paths, many)).read_bytes()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    report = read_import(questionnaire, data)
    checked = time.perf_counter() - start
    with AssessmentStore(database_url, questionnaire=questionnaire) as store:
        ids = store_import(store, report, "Tenir")
    total = time.perf_counter() - start
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    print(f"5000 submissions ({len(data) // 1024} KiB): checked {checked:.2f} s, stored {total:.2f} s in all, "
          f"peak memory +{grown // 1024} MiB")
    assert len(ids) == 5000 and report.problems == ()
    assert total < 60 and grown < 300 * 1024  # generous bounds: a 2-core CI machine under load


def test_files_that_are_not_exports_are_refused(questionnaire):
    from tipkb.assess.imports import ImportFormatError

    odk = (DATA / "odk-central.csv").read_bytes()
    huge_field = odk + b"x,\"" + b"y" * 200_000 + b"\"\n"
    for data in (b"a,b\n1,2\n", b"{\"x\": 1}", b"PK\x03\x04broken", b"\xff\xfe", huge_field):
        with pytest.raises(ImportFormatError):
            read_import(questionnaire, data)



def test_a_workbook_that_unpacks_too_far_is_refused_before_it_is_read(questionnaire, monkeypatch):
    import io
    import zipfile

    from tipkb.assess import imports

    monkeypatch.setattr(imports, "MAX_UNPACKED_BYTES", 1024 * 1024)  # the same check at a size quick to build
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (2 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < 64 * 1024
    with pytest.raises(imports.ImportFormatError, match="unpacks to more than"):
        read_import(questionnaire, data)

if __name__ == "__main__":  # rebuild tests/data/imports from the current XForm: python tests/unit/test_imports.py
    import shutil
    import sys
    import tempfile

    from tipkb import load_kb, load_questionnaire

    root, kb = DATA.parents[2], Path(tempfile.mkdtemp())
    for name in ("answer-types.ttl", "pillars.ttl"):
        shutil.copy(root / "kb" / "vocab" / name, kb / name)
    for path in (root / "tests" / "data" / "questionnaire").glob("*.ttl"):
        shutil.copy(path, kb / path.name)
    q = load_questionnaire(load_kb(root, kb=kb))
    out = build(field_paths(xform(write_xlsform(q, kb / "form.xlsx"))), DATA, GOOD)
    shutil.rmtree(kb)
    json.dump({k: str(v) for k, v in out.items()}, sys.stdout, indent=1)


@pytest.mark.slow
def test_the_cli_imports_drafts_or_reports_every_row_and_stores_nothing(questionnaire_kb_dir, tmp_path, capsys):
    from tipkb.cli.main import main

    db = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    base = ["assess", "--kb", str(questionnaire_kb_dir), "--db", db, "--organisation", "Tenir"]
    assert main([*base, "--import", str(DATA / "kobo.xlsx")]) == 0
    assert "2 submission(s) (kobo-xlsx) stored as drafts of Tenir" in capsys.readouterr().out
    assert main([*base, "--import", str(DATA / "kobo-api.json"), "--lang", "ru"]) == 1
    err = capsys.readouterr().err
    assert "2 problem(s); nothing was imported" in err and "row 1 (5b1c0001-7a1e-4c1e-9f00-000000000001)" in err
    assert "у организации уже есть черновик по KG за 2025 год" in err
    out = tmp_path / "answers"
    assert main(["assess", "--kb", str(questionnaire_kb_dir), "--import", str(DATA / "odk-central.csv"),
                 "--out", str(out)]) == 0
    written = json.loads((out / "kg-2025-row2.json").read_text(encoding="utf-8"))
    assert written["answers"]["PT03"] == ["state-budget", "donors"] and written["questionnaire"] == "1.0"
    assert main(["assess", str(out / "kg-2025-row2.json"), "--kb", str(questionnaire_kb_dir)]) == 0


def test_kobo_per_option_columns_of_a_select_multiple_are_not_questions(questionnaire, paths, tmp_path):
    header, rows = kobo_rows(paths, GOOD[:1])
    header += ["prot_identification/PT03/state-budget", "prot_identification/PT03/donors"]
    rows = [[*rows[0], "1", "1"]]
    report = read_import(questionnaire, write_csv(tmp_path / "both.csv", header, rows, delimiter=";").read_bytes())
    assert report.problems == () and report.submissions[0].answers.values["PT03"] == ["state-budget", "donors"]


def test_a_kobo_export_with_label_headers_gets_one_file_level_message(questionnaire, paths, tmp_path):
    from tipkb.assess.problems import message

    header, rows = kobo_rows(paths, GOOD)
    sections = {s.id: s.label["en"] for s in questionnaire.sections}
    identity = {"assessment/country": "Assessment/Country (ISO 3166-1 alpha-2 code, e.g. KG)",
                "assessment/year": "Assessment/Year assessed",  # a calculate has no label: KoBo heads it by name
                "assessment/questionnaire_version": "Assessment/questionnaire_version"}
    labelled = [f"{sections[q.section]}/{q.text['en']}" if (q := questionnaire.question(h.rsplit("/", 1)[-1]))
                else identity.get(h, h) for h in header]
    report = read_import(questionnaire, write_csv(tmp_path / "labels.csv", labelled, rows).read_bytes())
    (problem,) = report.problems
    assert (problem.row, problem.problem.code, report.submissions) == (0, "import-label-headers", ())
    assert problem.problem.params["count"] == sum(h.split("/")[0] not in ("assessment", "meta") and "/" in h
                                                  for h in header)
    assert "“XML values and headers”" in message(problem.problem, "en")
    assert "выгрузите данные из KoboToolbox заново" in message(problem.problem, "ru")
    # the same file with its names as headers is read as it should be
    assert read_import(questionnaire, write_csv(tmp_path / "names.csv", header, rows).read_bytes()).ok
