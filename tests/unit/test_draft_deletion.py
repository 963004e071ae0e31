"""Deleting a draft (gone with its answers, never another organisation's, never a submitted one) and titles."""

import pytest
from sqlalchemy import func, select

from tipkb.assess.rows import AnswerRow
from tipkb.assess.storage import AssessmentError, AssessmentNotFound, ReadOnlyError


@pytest.fixture
def db_url(any_database_url) -> str:
    """A fresh database, SQLite and PostgreSQL in turn (the writes lock rows there)."""
    return any_database_url


def test_a_draft_is_deleted_with_its_answers_and_its_place_is_free_again(store):
    draft = store.create("Example NGO", "KG", 2025)
    store.save_answers(draft.id, {"PR01": "partly"}, {"PR01": "see Article 124"})
    store.delete_draft(draft.id, "Example NGO")
    with pytest.raises(AssessmentNotFound):
        store.get(draft.id)
    with store.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(AnswerRow)) == 0
    assert store.create("Example NGO", "KG", 2025).answers == {}  # a new draft for the same country and year


def test_another_organisations_draft_is_not_deleted(store):
    draft = store.create("Example NGO", "KG", 2025)
    store.save_answers(draft.id, {"PR01": "partly"})
    store.create("Other NGO", "KZ", 2025)
    with pytest.raises(AssessmentNotFound, match=f"assessment {draft.id}: no such assessment"):
        store.delete_draft(draft.id, "Other NGO")
    assert store.get(draft.id).answers == {"PR01": "partly"}


def test_a_submitted_assessment_is_not_deleted_as_a_draft(store, full_answers):
    draft = store.create("Example NGO", "KG", 2025)
    store.save_answers(draft.id, full_answers)
    store.submit(draft.id)
    with pytest.raises(ReadOnlyError, match="deleted only with all the organisation's data"):
        store.delete_draft(draft.id, "Example NGO")
    assert store.get(draft.id).status == "submitted"


def test_an_assessment_takes_a_title_kept_apart_from_its_answers(store, full_answers):
    draft = store.create("Example NGO", "KG", 2025, title="  Shelter\tsurvey \n")
    assert draft.title == "Shelter survey"
    store.save_answers(draft.id, full_answers)
    store.submit(draft.id)
    renamed = store.rename(draft.id, "Example NGO", "Shelter survey, second round")
    assert (renamed.title, renamed.status, renamed.answers) == ("Shelter survey, second round", "submitted",
                                                                store.get(draft.id).answers)
    assert store.rename(draft.id, "Example NGO", "   ").title is None
    with pytest.raises(AssessmentError, match="title: at most 120 characters, not 121"):
        store.rename(draft.id, "Example NGO", "x" * 121)
    with pytest.raises(AssessmentNotFound):
        store.rename(draft.id, "Other NGO", "Mine now")
    assert store.get(draft.id).title is None
