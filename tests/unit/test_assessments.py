"""Storing assessments: draft → resume → submit → read-only → copy, invalid saves, versions, JSON and CSV."""

import csv
import dataclasses
import io
import json
import threading
import time

import pytest
from sqlalchemy import insert, text
from test_answers import INVALID

from tipkb import AnswerError, AssessmentStore
from tipkb.accounts import OrganisationRow
from tipkb.assess.answers import AnswerProblem
from tipkb.assess.exchange import CSV_COLUMNS, answers_csv, assessment_document, import_document
from tipkb.assess.storage import AssessmentError, AssessmentNotFound, ConflictError, ReadOnlyError
from tipkb.db import make_engine, now


@pytest.fixture
def db_url(any_database_url) -> str:
    """A fresh database, SQLite and PostgreSQL in turn."""
    return any_database_url


def test_draft_resume_submit_read_only_copy(questionnaire, db_url, full_answers):
    with AssessmentStore(db_url, questionnaire=questionnaire) as store:
        draft = store.create("Example NGO", "KG", 2025)
        assert (draft.status, draft.version, draft.answers, draft.questionnaire_version) == ("draft", 1, {}, "1.0")
        store.save_answers(draft.id, {"PR01": "partly"}, {"PR01": "see Article 124"})
    with AssessmentStore(db_url, questionnaire=questionnaire) as store:  # another worker, later
        resumed = store.get(draft.id)
        assert resumed.answers == {"PR01": "partly"} and resumed.notes == {"PR01": "see Article 124"}
        assert resumed.created_at.isoformat().endswith("+00:00")  # UTC, whatever the server's time zone
        assert resumed.version == 2 and not resumed.read_only
        done = store.save_answers(draft.id, full_answers)
        assert done.answers == {**full_answers} and done.notes == {"PR01": "see Article 124"}
        submitted = store.submit(draft.id)
        assert submitted.status == "submitted" and submitted.read_only and submitted.submitted_at is not None
        with pytest.raises(ReadOnlyError, match=f"assessment {draft.id} is submitted and read-only"):
            store.save_answers(draft.id, {"PR01": "yes"})
        with pytest.raises(ReadOnlyError):
            store.submit(draft.id)
        assert store.get(draft.id).answers["PR01"] == "yes"  # from full_answers, unchanged since
        revision = store.copy(draft.id)
        assert (revision.status, revision.copied_from, revision.year) == ("draft", draft.id, 2025)
        assert revision.answers == submitted.answers and revision.notes == submitted.notes
        store.save_answers(revision.id, {"PR01": "partly"})
        assert store.get(draft.id).answers["PR01"] == "yes"


@pytest.mark.parametrize(("extra", "code", "words"), INVALID, ids=[f"{c}-{i}" for i, (_, c, _) in enumerate(INVALID)])
def test_an_invalid_save_names_the_question_and_changes_nothing(store, full_answers, extra, code, words):
    draft = store.create("Example NGO", "KG", 2025)
    before = store.save_answers(draft.id, full_answers, {"PR01": "a note"})
    with pytest.raises(AnswerError) as caught:
        store.save_answers(draft.id, {"PV02": 3, **extra}, {"PR02": "another note"})
    assert code in [p.question for p in caught.value.problems]
    assert any(words in p.message for p in caught.value.problems)
    assert store.get(draft.id) == before  # answers, notes and version counter as they were


def test_partial_answers_can_be_saved_and_cleared(store):
    draft = store.create("Example NGO", "KG", 2025)
    saved = store.save_answers(draft.id, {"PT02": "yes", "PT03": ["donors"]})
    assert saved.answers == {"PT02": "yes", "PT03": ["donors"]}
    cleared = store.save_answers(draft.id, {"PT03": None})
    assert cleared.answers == {"PT02": "yes"} and cleared.version == 3


def test_answers_that_become_skipped_are_removed(store):
    draft = store.create("Example NGO", "KG", 2025)
    store.save_answers(draft.id, {"PA01": "yes", "PA03": "yes", "PA04": "no"}, {"PA04": "kept"})
    after = store.save_answers(draft.id, {"PA01": "no"})
    assert after.answers == {"PA01": "no"}
    assert after.notes == {"PA04": "kept"}


def test_a_stale_save_is_refused(store):
    draft = store.create("Example NGO", "KG", 2025)
    store.save_answers(draft.id, {"PR01": "yes"}, expected_version=1)
    with pytest.raises(ConflictError, match="changed since it was read \\(version 2, not 1\\)"):
        store.save_answers(draft.id, {"PR01": "no"}, expected_version=1)
    assert store.get(draft.id).answers == {"PR01": "yes"}


def test_one_draft_per_organisation_country_and_year(store):
    first = store.create("Example NGO", "KG", 2025)
    with pytest.raises(ConflictError, match=f"already has a draft for KG 2025 \\(assessment {first.id}\\)"):
        store.create("Example NGO", "KG", 2025)
    store.create("Example NGO", "KG", 2024)
    store.create("Example NGO", "KZ", 2025)
    store.create("Other NGO", "KG", 2025)
    store.submit(first.id)
    second = store.create("Example NGO", "KG", 2025)  # once submitted, a new draft may start
    with pytest.raises(ConflictError):
        store.copy(first.id)  # ... and then a copy would be a second draft
    assert store.copy(first.id, year=2026).year == 2026
    assert [(a.country, a.year, a.status) for a in store.list_for_organisation("Example NGO")] == [
        ("KG", 2026, "draft"), ("KG", 2025, "draft"), ("KZ", 2025, "draft"), ("KG", 2025, "submitted"),
        ("KG", 2024, "draft")]
    assert second.id != first.id
    assert store.list_for_organisation("Nobody") == []


def test_only_a_submitted_assessment_can_be_copied(store):
    draft = store.create("Example NGO", "KG", 2025)
    with pytest.raises(AssessmentError, match="is a draft: edit it instead of copying it"):
        store.copy(draft.id)


@pytest.mark.parametrize(("args", "words"), [
    (("", "KG", 2025), "organisation: a name is required"),
    (("NGO", "Kyrgyzstan", 2025), "country: expected an ISO 3166-1 alpha-2 code"),
    (("NGO", "KG", 25), "year: expected a year between 1900 and 2100; got 25"),
])
def test_create_names_the_bad_field(store, args, words):
    with pytest.raises(AssessmentError, match=words):
        store.create(*args)


def test_a_missing_assessment_is_named(store):
    with pytest.raises(AssessmentNotFound, match="assessment 42: no such assessment"):
        store.get(42)


def test_an_assessment_of_another_questionnaire_version_loads_and_reports_it(questionnaire, db_url, full_answers):
    with AssessmentStore(db_url, questionnaire=questionnaire) as store:
        old = store.create("Example NGO", "KG", 2025)
        store.save_answers(old.id, full_answers)
    newer = dataclasses.replace(questionnaire, version="2.0",
                                questions=tuple(q for q in questionnaire.questions if q.code != "PR01"))
    with AssessmentStore(db_url, questionnaire=newer) as store:
        loaded = store.get(old.id)
        assert loaded.questionnaire_version == "1.0" and loaded.answers["PR01"] == "yes"
        assert [p.text() for p in loaded.problems] == [
            "questionnaire: made with questionnaire 1.0; the questionnaire in use is 2.0",
            "PR01: no such question in questionnaire 2.0"]
        assert loaded.problems[0] == AnswerProblem("stored-other-version", None, "questionnaire",
                                                   {"version": "1.0", "current": "2.0"})
        with pytest.raises(AssessmentError, match="answers questionnaire 1.0, not 2.0"):
            store.save_answers(old.id, {"PR02": 3})
        with pytest.raises(AssessmentError):
            store.submit(old.id)
    with AssessmentStore(db_url, questionnaire=questionnaire) as store:
        store.submit(old.id)
    with AssessmentStore(db_url, questionnaire=newer) as store:
        moved = store.copy(old.id, year=2026)  # carries over what still fits the new version
        assert moved.questionnaire_version == "2.0" and "PR01" not in moved.answers and moved.problems == ()


def test_the_default_database_lives_in_the_instance_folder(questionnaire, tmp_path, monkeypatch):
    monkeypatch.setenv("TIPKB_INSTANCE", str(tmp_path / "instance"))
    with AssessmentStore(questionnaire=questionnaire) as store:
        store.create("Example NGO", "KG", 2025)
    assert (tmp_path / "instance" / "tipkb.sqlite").is_file()


def test_an_in_memory_database_keeps_its_data(questionnaire):
    with AssessmentStore("sqlite://", questionnaire=questionnaire) as store:
        created = store.create("Example NGO", "KG", 2025)
        assert store.get(created.id).organisation == "Example NGO"


def test_json_export_and_import_round_trip(questionnaire, store, document, tmp_path):
    imported = import_document(store, document)
    exported = assessment_document(store.get(imported.id))
    assert exported == document
    with AssessmentStore(f"sqlite:///{tmp_path / 'other.sqlite'}", questionnaire=questionnaire) as other:
        again = import_document(other, json.loads(json.dumps(exported)), organisation="Another NGO")
        assert (again.organisation, dict(again.answers), dict(again.notes)) == (
            "Another NGO", document["answers"], document["notes"])


def test_an_invalid_import_stores_nothing(store, document):
    document["answers"]["PR01"] = "maybe"
    with pytest.raises(AnswerError, match="PR01: 'maybe' is not an option"):
        import_document(store, document)
    document["answers"]["PR01"] = "yes"
    document["country"] = None
    with pytest.raises(AnswerError, match="country: required to store an assessment"):
        import_document(store, document)
    assert store.list_for_organisation("Example NGO") == []


def test_csv_has_one_row_per_question(questionnaire, store, document):
    a = import_document(store, document)
    rows = list(csv.DictReader(io.StringIO(answers_csv(questionnaire, a.answers, a.notes))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r["code"] for r in rows] == [q.code for q in questionnaire.questions]
    by_code = {r["code"]: r for r in rows}
    assert by_code["PR01"] == {"code": "PR01", "pillar": "Prosecution", "section": "Legal framework",
                               "question": "Does the law define trafficking as the Palermo Protocol does?",
                               "answer": "yes", "score": "1", "note": "Article 124 of the Criminal Code",
                               "status": "answered"}
    assert (by_code["PV01"]["answer"], by_code["PV01"]["score"], by_code["PV01"]["status"]) == (
        "dont-know", "", "dont-know")
    assert (by_code["PT03"]["answer"], by_code["PT03"]["status"]) == ("", "skipped")
    assert by_code["PT04"]["score"] == "0"


def test_csv_in_russian_lists_choices_joined(questionnaire, full_answers):
    answers = {**full_answers, "PT02": "yes", "PT03": ["state-budget", "donors"]}
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(answers_csv(questionnaire, answers, lang="ru")))}
    assert rows["PT03"]["answer"] == "state-budget; donors" and rows["PT03"]["score"] == "0.75"
    assert rows["PT03"]["pillar"] == "Защита" and rows["PT03"]["question"] == "Как финансируются приюты?"


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_regression_two_first_assessments_of_a_new_organisation_at_once_both_start(questionnaire, database_url):
    with AssessmentStore(database_url, questionnaire=questionnaire) as store:
        other = make_engine(database_url)
        started = {}
        with other.connect() as holder:  # another request has made the organisation and not yet committed
            holder.execute(insert(OrganisationRow).values(name="New NGO", created_at=now()))
            worker = threading.Thread(target=lambda: started.update(draft=store.create("New NGO", "KG", 2025)))
            worker.start()
            with other.connect() as watcher:  # until the insert of the same name waits for that transaction
                waiting = text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
                while worker.is_alive() and not watcher.execute(waiting).scalar():
                    time.sleep(0.01)
            holder.commit()
        worker.join()
        other.dispose()
        assert [a.id for a in store.list_for_organisation("New NGO")] == [started["draft"].id]
