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
