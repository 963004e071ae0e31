"""An assessment's results, assembled once: scores, revealed gaps, recommendations and the changes since last time."""

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tipkb.assess.answers import read_answers_file, validate_answers
from tipkb.assess.questionnaire import load_questionnaire
from tipkb.assess.scoring import revealed_gaps, score_answers
from tipkb.assess.storage import SUBMITTED, Assessment
from tipkb.recommend.engine import recommend
from tipkb.recommend.model import RecommendError
from tipkb.recommend.results import assessment_results
from tipkb.report import assessment_inputs

EXAMPLES = Path(__file__).resolve().parent.parent / "kb" / "examples"


@pytest.fixture(scope="module")
def questionnaire(shipped_kb):
    return load_questionnaire(shipped_kb)


@pytest.fixture(scope="module")
def kg_answers(questionnaire):
    return validate_answers(questionnaire, read_answers_file(EXAMPLES / "kg-2025.json"))


def stored(answers, *, id, year, version) -> Assessment:
    moment = datetime(year, 6, 1, tzinfo=UTC)
    return Assessment(id=id, organisation=answers.organisation, country=answers.country, year=year,
                      questionnaire_version=version, status=SUBMITTED, created_at=moment, updated_at=moment,
                      submitted_at=moment, version=1, answers=dict(answers.values), notes=dict(answers.notes))


def practices(rs) -> list[str]:
    return [r.practice_code for r in rs.items]


def test_results_hold_scores_gaps_and_the_engine_s_recommendations(shipped_kb, questionnaire, kg_answers):
    results = assessment_results(shipped_kb, questionnaire, None, kg_answers)
    assert results.scores == score_answers(questionnaire, kg_answers)
    assert results.gaps == tuple(revealed_gaps(questionnaire, kg_answers)) and results.gaps
    assert results.recommendations.country == "KG" and results.recommendations.used_answers
    assert practices(results.recommendations) == practices(recommend(shipped_kb, answers=kg_answers))
    assert results.comparison is None  # no previous assessment given


def test_the_comparison_with_the_previous_assessment_is_part_of_the_results(shipped_kb, questionnaire, kg_answers):
    earlier_answers = replace(kg_answers, values={**kg_answers.values, "PT02": "no"})
    earlier = stored(earlier_answers, id=1, year=2024, version=questionnaire.version)
    results = assessment_results(shipped_kb, questionnaire, "KG", kg_answers, earlier)
    comparison = results.comparison
    assert comparison is not None and (comparison.previous_id, comparison.previous_year) == (1, 2024)
    assert [(c.question, c.before, c.after) for c in comparison.answers] == [("PT02", "no", "partly")]
    before = score_answers(questionnaire, earlier_answers)
    for change in comparison.pillars:
        assert change.before == before.pillar(change.pillar).score
        assert change.after == results.scores.pillar(change.pillar).score
    assert comparison.overall.delta is not None and comparison.overall.delta > 0  # "partly" scores above "no"


def test_filters_narrow_the_recommendations_but_not_the_scores(shipped_kb, questionnaire, kg_answers):
    every = assessment_results(shipped_kb, questionnaire, None, kg_answers)
    police = assessment_results(shipped_kb, questionnaire, None, kg_answers, stakeholder="law-enforcement", top=3)
    assert police.scores == every.scores and police.gaps == every.gaps
    assert practices(police.recommendations) == [
        r.practice_code for r in every.recommendations.items if "law-enforcement" in r.stakeholders][:3]


def test_an_unknown_filter_value_is_an_error_or_with_strict_off_an_empty_set(shipped_kb, questionnaire, kg_answers):
    with pytest.raises(RecommendError, match="stakeholder 'police' is unknown"):
        assessment_results(shipped_kb, questionnaire, None, kg_answers, stakeholder="police")
    lenient = assessment_results(shipped_kb, questionnaire, None, kg_answers, stakeholder="police", strict=False)
    assert lenient.scores == score_answers(questionnaire, kg_answers)
    assert lenient.recommendations.items == [] and lenient.recommendations.total == 0
    data = lenient.recommendations.as_dict()
    assert data["recommendations"] == [] and "stakeholder 'police' is unknown" in data["error"]


def test_the_report_prints_the_results_recommendations_in_their_order(shipped_kb, questionnaire, kg_answers):
    rs, options = assessment_inputs(shipped_kb, questionnaire, kg_answers)
    results = assessment_results(shipped_kb, questionnaire, None, kg_answers)
    assert practices(rs) == practices(results.recommendations)
    assert options["scores"] == results.scores and options["profile"]["code"] == "KG"
