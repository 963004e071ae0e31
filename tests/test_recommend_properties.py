"""Properties of the engine over generated answers: monotone in answers, traces that exist, determinism."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tipkb.assess.answers import ValidatedAnswers
from tipkb.assess.questionnaire import load_questionnaire
from tipkb.recommend.engine import recommend

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def questionnaire(shipped_kb):
    return load_questionnaire(shipped_kb)


def scored_choice_questions(questionnaire):
    return [q for q in questionnaire.questions
            if q.answer_type in ("yes-partly-no", "single-choice")
            and sum(o.score is not None for o in q.options) >= 2]


@st.composite
def answer_sets(draw, questionnaire):
    values = {}
    for q in scored_choice_questions(questionnaire):
        if draw(st.booleans()):
            values[q.code] = draw(st.sampled_from([o.value for o in q.options]))
    asked = questionnaire.asked(values)
    return {k: v for k, v in values.items() if asked.get(k)}


def revealed(kb, questionnaire, values, country=None):
    answers = ValidatedAnswers(questionnaire.version, values, {}, country, 2025, "test")
    rs = recommend(kb, answers=answers)
    return {g.code for r in rs.items for g in r.gaps}, rs


def test_generated_answers_are_valid(questionnaire, shipped_kb):
    from tipkb.assess.answers import check_answers

    assert scored_choice_questions(questionnaire)
    assert not check_answers(questionnaire, {}).problems


@given(data=st.data())
@SETTINGS
def test_improving_an_answer_never_adds_a_gap(shipped_kb, questionnaire, data):
    values = data.draw(answer_sets(questionnaire))
    improvable = [code for code, v in values.items()
                  if any(o.score is not None and o.score > (questionnaire.question(code).option(v).score or 0)
                         for o in questionnaire.question(code).options)
                  and questionnaire.question(code).option(v).score is not None]
    if not improvable:
        return
    code = data.draw(st.sampled_from(sorted(improvable)))
    q = questionnaire.question(code)
    current = q.option(values[code]).score
    better = data.draw(st.sampled_from([o.value for o in q.options if o.score is not None and o.score > current]))
    improved = dict(values, **{code: better})
    asked = questionnaire.asked(improved)
    improved = {k: v for k, v in improved.items() if asked.get(k)}
    before, _ = revealed(shipped_kb, questionnaire, values)
    after, _ = revealed(shipped_kb, questionnaire, improved)
    assert after <= before, f"improving {code} to {better!r} added {after - before}"


@given(data=st.data())
@SETTINGS
def test_every_trace_points_at_existing_answers_and_facts(shipped_kb, questionnaire, data):
    values = data.draw(answer_sets(questionnaire))
    country = data.draw(st.sampled_from([None, "KZ", "KG", "TJ", "TM", "UZ"]))
    _, rs = revealed(shipped_kb, questionnaire, values, country)
    answered = {questionnaire.question(c).iri for c in values}
    for r in rs.items:
        assert r.trace
        for step in r.trace:
            if step.kind == "answer":
                assert step.iri in answered
            else:
                assert list(shipped_kb.dataset.triples((_iri(step.iri), None, None))), step.iri


@given(data=st.data())
@SETTINGS
def test_results_are_deterministic(shipped_kb, questionnaire, data):
    values = data.draw(answer_sets(questionnaire))
    _, first = revealed(shipped_kb, questionnaire, values, "UZ")
    _, second = revealed(shipped_kb, questionnaire, dict(reversed(list(values.items()))), "UZ")
    assert first.as_dict() == second.as_dict()


def _iri(value):
    from rdflib import URIRef

    return URIRef(value)
