"""Writes of an assessment decide skip logic on the answers stored when they take the lock."""

import pytest

from tipkb import AnswerError


def test_an_answer_to_a_question_skipped_by_the_stored_answers_is_dropped_when_asked(store):
    draft = store.create("Example NGO", "KG", 2025)
    dependant = next(q for q in store.questionnaire.questions if q.conditions)
    controller = store.questionnaire.question(dependant.conditions[0].question)
    closing = next(v for v in controller.option_values if v not in dependant.conditions[0].options)
    store.save_answers(draft.id, {controller.code: closing})
    answer = dependant.option_values[0] if dependant.option_values else "text"
    with pytest.raises(AnswerError, match=dependant.code):
        store.save_answers(draft.id, {dependant.code: answer})
    kept = store.save_answers(draft.id, {dependant.code: answer}, drop_unasked=True)
    assert dependant.code not in kept.answers and kept.answers == {controller.code: closing}


def test_regression_an_account_cannot_start_a_draft_for_its_organisation_once_deleted(store):
    from tipkb.assess.organisation_data import delete_organisation
    from tipkb.assess.storage import OrganisationNotFound

    store.create("Example NGO", "KG", 2025)
    deleted = delete_organisation(store, "Example NGO")
    assert (deleted["assessment"], deleted["organisation"]) == (1, 1)
    with pytest.raises(OrganisationNotFound, match="Example NGO"):
        store.create("Example NGO", "KG", 2026, existing=True)  # a request that passed its login just before
    assert store.list_for_organisation("Example NGO") == []
