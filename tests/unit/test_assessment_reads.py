"""Reading stored assessments: the one before an assessment, in one statement; problems worked out once per content."""

import dataclasses

import pytest
from sqlalchemy import event

from tipkb import AssessmentStore


@pytest.fixture
def db_url(any_database_url) -> str:
    """A fresh database, SQLite and PostgreSQL in turn."""
    return any_database_url


def submitted(store, organisation: str, country: str, year: int, answers: dict | None = None) -> int:
    draft = store.create(organisation, country, year)
    if answers:
        store.save_answers(draft.id, answers)
    return store.submit(draft.id).id


def statements(store, read) -> tuple[object, int]:
    """Return what `read()` returns and how many SQL statements it sent."""
    sent = []

    def count(connection, cursor, statement, *args):
        sent.append(statement)

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        return read(), len(sent)
    finally:
        event.remove(store.engine, "before_cursor_execute", count)


def test_previous_is_the_latest_earlier_submitted_one_of_the_organisation_and_country(questionnaire, db_url,
                                                                                        full_answers):
    with AssessmentStore(db_url, questionnaire=questionnaire) as store:
        old = submitted(store, "Example NGO", "KG", 2022, {"PR01": "no"})
        latest = submitted(store, "Example NGO", "KG", 2024, full_answers)
        store.create("Example NGO", "KG", 2023)  # a draft: never compared with
        submitted(store, "Example NGO", "KZ", 2024)  # another country
        submitted(store, "Other NGO", "KG", 2024)  # another organisation
        current = store.create("Example NGO", "KG", 2025)
        later = submitted(store, "Example NGO", "KG", 2026)  # after the current one
        same_year = store.copy(latest)  # a revision of 2024: made after the submitted 2024 one
        earlier, sent = statements(store, lambda: store.previous(current))
        assert sent == 1
        assert earlier == store.get(latest)
        assert earlier.answers == full_answers and earlier.organisation == "Example NGO"
        assert store.previous(same_year).id == latest
        assert store.previous(store.get(latest)).id == old
        first = store.get(old)
        assert statements(store, lambda: store.previous(first)) == (None, 1)  # none found: one statement too
        assert store.previous(store.get(later)).id == latest


def test_reading_an_assessment_sends_one_statement(questionnaire, db_url, full_answers):
    with AssessmentStore(db_url, questionnaire=questionnaire) as store:
        aid = submitted(store, "Example NGO", "KG", 2024, full_answers)
        read, sent = statements(store, lambda: store.get(aid))
        assert sent == 1 and read.answers == full_answers and read.organisation == "Example NGO"


def test_a_questionnaire_edited_in_place_reports_the_answers_it_no_longer_fits(questionnaire, db_url, full_answers):
    with AssessmentStore(db_url, questionnaire=questionnaire) as store:
        aid = store.create("Example NGO", "KG", 2025).id
        assert store.save_answers(aid, full_answers).problems == ()
        assert store.get(aid).problems == ()
        store.questionnaire = dataclasses.replace(  # same version, one question fewer (an expert's changeset)
            questionnaire, questions=tuple(q for q in questionnaire.questions if q.code != "PR01"))
        assert [p.text() for p in store.get(aid).problems] == ["PR01: no such question in questionnaire 1.0"]
        store.questionnaire = questionnaire
        assert store.get(aid).problems == ()
