"""Questionnaire 1.0 → 1.1: answers files and stored assessments at 1.0 are read migrated; new questions validate."""

import json
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from tipkb import AssessmentStore, check_document, load_questionnaire, revealed_gaps, score_answers
from tipkb.assess.answers import check_answers
from tipkb.assess.migration import PA14_INSTRUMENTS, MigrationError, migrate_answers, migrate_document
from tipkb.assess.rows import SUBMITTED, AnswerRow, AssessmentRow
from tipkb.db import now

ROOT = Path(__file__).resolve().parents[2]
OLD = sorted((ROOT / "tests" / "data" / "answers-1.0").glob("*.json"))
KB = "https://w3id.org/tipkb/kb/"


@pytest.fixture(scope="module")
def shipped(shipped_kb):
    return load_questionnaire(shipped_kb)


def gaps(questionnaire, values, year: int = 2025) -> dict[str, list[float]]:
    found: dict[str, list[float]] = {}
    for g in revealed_gaps(questionnaire, values, year):  # year questions are judged against the assessment's year
        found.setdefault(g.gap.removeprefix(KB + "gap-"), []).append(g.weight)
    return found


def test_the_shipped_questionnaire_is_1_1(shipped):
    assert shipped.version == "1.1"
    assert {"PT26", "PR20", "PR21", "PR22", "PR23", "PA18"} <= {q.code for q in shipped.questions}


@pytest.mark.parametrize("path", OLD, ids=[p.name for p in OLD])
def test_an_example_at_1_0_reads_migrated_and_agrees_with_its_1_1_rewrite(shipped, path):
    old = json.loads(path.read_text(encoding="utf-8"))
    assert old["questionnaire"] == "1.0"
    check = check_document(shipped, old)
    assert [p.text() for p in check.problems] == []
    assert (check.answers.questionnaire, check.answers.migrated_from) == ("1.1", "1.0")
    moved = check.answers.values
    assert check.answers.notes == old["notes"]  # every note kept, on the same question
    for code, value in old["answers"].items():  # every answer kept, except those the table maps
        if code != "PA14":
            assert moved[code] == value, code
    assert moved["PA14"] == {"yes": ["party-to-all"], "partly": ["some-unknown"], "no": list(PA14_INSTRUMENTS),
                             "dont-know": ["dont-know"]}[old["answers"]["PA14"]]
    assert moved["PR20"] == "separate"  # a 1.0 figure counts the trafficking articles only
    assert "core-treaties-not-ratified" in gaps(shipped, moved)  # "partly" still reveals the treaty gap
    new = check_document(shipped, json.loads((ROOT / "kb" / "examples" / path.name).read_text(encoding="utf-8")))
    assert new.problems == () and new.answers.migrated_from is None
    assert set(old["answers"]) < set(new.answers.values)
    assert {c: v for c, v in new.answers.notes.items() if c in old["notes"]} == old["notes"]
    assert score_answers(shipped, check.answers).overall is not None


@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_a_stored_1_0_assessment_is_migrated_draft_on_opening_submitted_for_display(shipped, database_url):
    old = json.loads(OLD[0].read_text(encoding="utf-8"))
    with AssessmentStore(database_url, questionnaire=shipped) as store:
        draft, done = store.create("NGO", "KG", 2025).id, store.create("NGO", "KG", 2024).id
        with Session(store.engine) as session, session.begin():  # rows as questionnaire 1.0 left them
            for aid in (draft, done):
                row = session.get(AssessmentRow, aid)
                row.questionnaire_version = "1.0"
                row.answers += [AnswerRow(question=c, value=v, note=old["notes"].get(c))
                                for c, v in old["answers"].items()]
            row.status, row.submitted_at = SUBMITTED, now()

        shown = store.get(done)
        assert (shown.questionnaire_version, shown.migrated_from, shown.problems) == ("1.1", "1.0", ())
        assert shown.answers["PA14"] == ["some-unknown"] and shown.answers["PR20"] == "separate"
        assert shown.notes["PA14"] == old["notes"]["PA14"]
        with Session(store.engine) as session:  # the submitted one keeps its stored version and answers
            row = session.get(AssessmentRow, done)
            assert row.questionnaire_version == "1.0"
            assert {a.question: a.value for a in row.answers}["PA14"] == "partly"

        listed = {a.id: a for a in store.list_for_organisation("NGO")}[draft]  # shown migrated before it is opened
        assert (listed.questionnaire_version, listed.migrated_from, listed.problems) == ("1.1", "1.0", ())
        before = store.get(draft)
        assert (before.questionnaire_version, before.migrated_from, before.problems) == ("1.1", None, ())
        with Session(store.engine) as session:  # the draft was rewritten for 1.1 when opened
            row = session.get(AssessmentRow, draft)
            stored = {a.question: a.value for a in row.answers}
            assert row.questionnaire_version == "1.1" and row.version == before.version
            assert stored["PA14"] == ["some-unknown"] and stored["PR20"] == "separate"
        saved = store.save_answers(draft, {"PR23": "no-convictions", "PA14": ["ilo-c189"]},
                                   expected_version=before.version)
        assert store.submit(draft, expected_version=saved.version).status == SUBMITTED

        copy = store.copy(done, year=2026)
        assert copy.questionnaire_version == "1.1" and copy.answers["PA14"] == ["some-unknown"]
        assert copy.answers["PR06"] == old["answers"]["PR06"] and copy.problems == ()


@pytest.mark.parametrize(("values", "expected"), [
    ({"PR20": "not-separable", "PR06": 4}, [("not-asked", "PR06")]),
    ({"PR20": "not-published", "PR21": 2024}, [("not-asked", "PR21")]),
    ({"PR20": "separable", "PR06": 4, "PR21": 1999}, [("below-range", "PR21")]),
    ({"PA10": "dont-know", "PA18": "estimate"}, [("not-asked", "PA18")]),
    ({"PA14": ["dont-know", "ilo-c029"]}, [("dont-know-combined", "PA14")]),
    ({"PA14": ["ilo-c999"]}, [("unknown-option-in-list", "PA14")]),
    ({"PA14": "ilo-c029"}, [("expected-option-list", "PA14")]),
    ({"PV06": "not-applicable", "PR23": "no-convictions", "PT26": 2024, "PA10": "none", "PA18": "published"}, []),
])
def test_the_new_questions_validate(shipped, values, expected):
    assert [(p.code, p.question) for p in check_answers(shipped, values).problems] == expected


def test_the_new_and_split_questions_reveal_their_gaps(shipped):
    assert gaps(shipped, {"PR04": "no"}) == {"lenient-penalties": [1.0]}
    assert gaps(shipped, {"PR23": "partly"}) == {"suspended-sentences": [0.5]}
    assert gaps(shipped, {"PR23": "no-convictions", "PV06": "not-applicable"}) == {}
    assert gaps(shipped, {"PR20": "not-separable"}) == {"no-disaggregated-data": [1.0],
                                                        "statistics-not-published": [0.3]}
    assert gaps(shipped, {"PR20": "separate", "PR06": 0, "PR21": 2019}) == {
        "few-convictions": [1.0], "statistics-not-published": [0.5]}
    assert gaps(shipped, {"PT04": 40, "PT26": 2024}) == {}
    assert gaps(shipped, {"PA10": "under-quarter", "PA18": "estimate"}) == {
        "services-donor-dependent": [0.75], "statistics-not-published": [0.5]}
    assert gaps(shipped, {"PA14": ["ilo-c189"]}) == {"core-treaties-not-ratified": [0.6]}
    assert sorted(gaps(shipped, {"PA14": ["palermo-protocol", "ilo-p029"]})["core-treaties-not-ratified"]) == [0.8, 1.0]
    assert gaps(shipped, {"PA14": ["party-to-all"]}) == {}


def test_migration_leaves_other_files_alone_and_runs_once():
    current = {"schema": "tipkb-answers/1", "questionnaire": "1.1", "answers": {"PA14": ["ilo-c189"]}}
    assert migrate_document(current, "1.1") is current
    unknown = {"schema": "tipkb-answers/1", "questionnaire": "0.9", "answers": {"PA14": "partly"}}
    assert migrate_document(unknown, "1.1") is unknown
    old = {"schema": "tipkb-answers/1", "questionnaire": "1.0", "answers": {"PA14": "partly", "PR06": "dont-know"}}
    moved = migrate_document(old, "1.1")
    assert moved["answers"] == {"PA14": ["some-unknown"], "PR06": "dont-know", "PR20": "dont-know"}
    assert old["answers"] == {"PA14": "partly", "PR06": "dont-know"}  # the caller's data is not changed
    assert migrate_document({**old, "answers": [1]}, "1.1")["questionnaire"] == "1.1"  # validation reports it
    with pytest.raises(MigrationError, match="no mapping leads"):
        migrate_answers("1.1", {}, {}, "1.0")


@pytest.mark.slow
def test_tipkb_assess_reads_a_1_0_file_and_says_it_was_migrated(capsys):
    from tipkb.cli.main import main

    assert main(["assess", str(OLD[0]), "--root", str(ROOT)]) == 0
    assert "KG 2025, questionnaire 1.1 (migrated from 1.0)" in capsys.readouterr().out


@pytest.mark.slow
def test_the_xlsform_asks_pr06_only_when_it_can_be_counted_and_pa14_per_instrument(shipped, tmp_path):
    from openpyxl import load_workbook

    from tipkb.assess.xlsform import write_xlsform

    sheet = load_workbook(write_xlsform(shipped, tmp_path / "q.xlsx"))["survey"]
    header = [c.value for c in sheet[1]]
    rows = (dict(zip(header, row, strict=False)) for row in sheet.iter_rows(2, values_only=True))
    survey = {r["name"]: r for r in rows}
    assert survey["PR06"]["relevant"] == survey["PR21"]["relevant"] == (
        "selected(${PR20}, 'separate') or selected(${PR20}, 'separable') or selected(${PR20}, 'dont-know')")
    assert survey["PA14"]["type"] == "select_multiple pa14" and survey["PT26"]["type"] == "integer"
