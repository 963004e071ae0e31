"""Recommendations in plain words: urgency and severity levels, reasons once each, the main reason, and groups."""

from pathlib import Path

import pytest

from tipkb.assess.answers import read_answers_file, validate_answers
from tipkb.assess.questionnaire import load_questionnaire
from tipkb.recommend.plain import (
    URGENCY_LEVELS,
    group_by,
    main_reason,
    severity_level,
    urgency_level,
)
from tipkb.recommend.results import assessment_results

EXAMPLE = Path(__file__).resolve().parents[1] / "kb" / "examples" / "kg-2025.json"


@pytest.fixture(scope="module")
def kg(shipped_kb):
    """The Kyrgyzstan example assessment's recommendations."""
    questionnaire = load_questionnaire(shipped_kb)
    answers = validate_answers(questionnaire, read_answers_file(EXAMPLE))
    return assessment_results(shipped_kb, questionnaire, None, answers, strict=False).recommendations


@pytest.mark.parametrize(("priority", "level"), [
    (253.4, "urgent"), (150.0, "urgent"), (149.9, "high"), (80.0, "high"), (79.9, "medium"), (40.0, "medium"),
    (39.9, "low"), (0.0, "low")])
def test_urgency_levels_from_priority(priority, level):
    assert urgency_level(priority) == level


def test_urgency_thresholds_run_downwards():
    lows = [low for _, low in URGENCY_LEVELS]
    assert lows == sorted(lows, reverse=True)


@pytest.mark.parametrize(("severity", "level"), [(5, "grave"), (4, "serious"), (3, "moderate"), (2, "minor"),
                                                  (1, "minor")])
def test_severity_levels(severity, level):
    assert severity_level(severity) == level


@pytest.mark.slow
def test_regression_no_recommendation_of_the_kyrgyz_example_repeats_a_step(kg):
    for r in kg.items:  # the shelter fact of bp08 was there four times
        steps = [(s.kind, tuple(sorted(s.text.items()))) for s in r.trace]
        assert len(steps) == len(set(steps)), r.practice_code


@pytest.mark.slow
def test_main_reason_is_the_weightiest_gap_with_what_revealed_it(kg):
    first = kg.items[0]
    reason = main_reason(first)
    assert reason.gap == max(first.gaps, key=lambda g: g.severity * g.strength)
    assert reason.level == severity_level(reason.gap.severity)
    assert reason.answers == any(s.kind == "answer" and s.gap == reason.gap.iri for s in first.trace)
    assert reason.facts == any(s.kind == "fact" and s.gap == reason.gap.iri for s in first.trace)
    assert reason.others == len(first.gaps) - 1


@pytest.mark.slow
def test_groups_show_each_recommendation_in_full_once(kg):
    groups = group_by(kg.items, "stakeholder", ["ngos", "law-enforcement"])
    assert [g.code for g in groups[:2]] == ["ngos", "law-enforcement"]
    firsts = [r.practice_code for g in groups for r, first in g.items if first]
    assert sorted(firsts) == sorted(r.practice_code for r in kg.items)
    for g in groups:
        assert all(g.code in r.stakeholders for r, _ in g.items)
        ranks = [r.rank for r, _ in g.items]
        assert ranks == sorted(ranks)
