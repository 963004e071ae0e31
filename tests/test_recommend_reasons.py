"""Distinct reasons: each answer or fact once in a trace, named by its strongest rule, strongest reasons first."""

from pathlib import Path

import pytest

from tipkb.assess.answers import read_answers_file, validate_answers
from tipkb.assess.questionnaire import load_questionnaire
from tipkb.recommend.engine import recommend
from tipkb.recommend.explain import ROLE_ORDER, distinct_reasons
from tipkb.recommend.lookups import GapInfo
from tipkb.recommend.model import TraceStep

EXAMPLES = Path(__file__).resolve().parents[1] / "kb" / "examples"
GRAVE = GapInfo("grave", "kb:grave", {}, 5, "identification", 1.0)
MINOR = GapInfo("minor", "kb:minor", {}, 2, "identification", 1.0)
LIGHT = GapInfo("light", "kb:light", {}, 5, "data", 0.5)
GAPS = {g.iri: g for g in (GRAVE, MINOR, LIGHT)}
TEXT = {"en": "A reason", "ru": "Причина"}


def step(kind, rule, iri, weight, gap=None, sources=()):
    return TraceStep(kind, rule, iri, TEXT | {"en": iri}, sources, weight, gap, (gap,) if gap else ())


def test_one_fact_found_by_two_rules_is_one_reason_naming_the_strongest_rule():
    older = step("fact", "20-documented-gap", "kb:fact", 0.4, "kb:grave", ("https://a.example",))
    newer = step("fact", "21-instrument-not-ratified", "kb:fact", 1.0, "kb:grave", ("https://b.example",))
    (reason,) = distinct_reasons([older, newer], GAPS)
    assert (reason.rule, reason.weight) == ("21-instrument-not-ratified", 1.0)
    assert reason.sources == ("https://a.example", "https://b.example")


def test_an_answer_revealing_two_gaps_is_one_reason_naming_both_the_weightier_first():
    on_minor = step("answer", "10-answer-reveals-gap", "kb:q-pt02", 1.0, "kb:minor")
    on_grave = step("answer", "10-answer-reveals-gap", "kb:q-pt02", 0.5, "kb:grave")
    (reason,) = distinct_reasons([on_minor, on_grave], GAPS)
    assert reason.gaps == ("kb:grave", "kb:minor")  # 0.5 × 5/5 outweighs 1.0 × 2/5
    assert (reason.gap, reason.weight) == ("kb:grave", 0.5)


def test_identical_tailoring_steps_are_one():
    shelters = step("tailoring", "43-tailor-documented-absence", "kb:example", 0.2)
    assert distinct_reasons([shelters] * 4, GAPS) == (shelters,)


def test_reasons_come_strongest_first_by_what_they_add_to_the_priority():
    urgency = step("urgency", "23-tier-urgency", "kb:tier", 1.3)
    tailoring = step("tailoring", "41-tailor-groups-at-risk", "kb:group", 0.5)
    minor = step("answer", "10-answer-reveals-gap", "kb:q-minor", 1.0, "kb:minor")  # adds 0.4 to need
    grave = step("fact", "20-documented-gap", "kb:grave-fact", 0.6, "kb:grave")  # adds 0.6
    light = step("fact", "20-documented-gap", "kb:light-fact", 1.0, "kb:light")  # adds 0.5 (category weight 0.5)
    both = step("answer", "10-answer-reveals-gap", "kb:q-both", 0.5, "kb:grave")  # adds 0.5 × 5/5 + 0.5 × 2/5 = 0.7
    also = step("answer", "10-answer-reveals-gap", "kb:q-both", 0.5, "kb:minor")
    trace = distinct_reasons([urgency, tailoring, minor, grave, light, both, also], GAPS)
    assert [s.iri for s in trace] == ["kb:q-both", "kb:grave-fact", "kb:light-fact", "kb:q-minor", "kb:group",
                                      "kb:tier"]


@pytest.mark.slow
@pytest.mark.parametrize("example", ["kg-2025", "kz-2025", "tm-2025"])
def test_regression_example_traces_name_each_answer_and_fact_once(shipped_kb, example):
    questionnaire = load_questionnaire(shipped_kb)
    answers = validate_answers(questionnaire, read_answers_file(EXAMPLES / f"{example}.json"))
    rs = recommend(shipped_kb, answers=answers)
    for r in rs.items:
        assert len({s.iri for s in r.trace}) == len(r.trace), r.practice_code
    as_json = rs.as_dict()["recommendations"][0]["trace"]
    assert [s["iri"] for s in as_json] == [s.iri for s in rs.items[0].trace]
    assert all(s["gap"] in s["gaps"] for s in as_json if s["kind"] in ("answer", "fact"))


@pytest.mark.slow
def test_the_report_prints_reasons_in_the_engines_order(shipped_kb):
    from tipkb.report import assessment_inputs, report_context

    questionnaire = load_questionnaire(shipped_kb)
    answers = validate_answers(questionnaire, read_answers_file(EXAMPLES / "kg-2025.json"))
    rs, options = assessment_inputs(shipped_kb, questionnaire, answers)
    views = report_context(shipped_kb, rs, **options)["views"]
    for view, rec in zip(views, rs.items, strict=True):
        trace = [(s.kind, s.text["en"]) for s in rec.trace]
        at = [next(i for i, (kind, text) in enumerate(trace) if kind == r.kind and text.endswith(r.text))
              for r in view.reasons]
        roles = [ROLE_ORDER[kind] for kind, _ in trace]
        strongest = []  # of each role, as many as the report prints, in the engine's order
        for role in sorted(set(roles)):
            shown = sum(ROLE_ORDER[r.kind] == role for r in view.reasons)
            strongest += [i for i, r in enumerate(roles) if r == role][:shown]
        assert at == strongest, rec.practice_code
