"""The themes experts put first (prosecution with deterrent sentences, complicity, identification and referral,
protection, funding) each reach the top of the ranking when the answers show their gap: first against a
background of half-met standards, in the top five against each example assessment's other answers."""

from dataclasses import replace
from pathlib import Path

import pytest

from tipkb.assess.answers import ValidatedAnswers, check_document, read_answers_file
from tipkb.assess.questionnaire import load_questionnaire
from tipkb.recommend.engine import recommend

# The answers that show each theme's gap, and the gaps a top recommendation must close for it.
THEMES = {
    "prosecution with deterrent sentences": (
        {"PR04": "no", "PR08": 0, "PR09": "over-25-percent", "PR23": "no"},
        {"few-convictions", "suspended-sentences", "lenient-penalties"}),
    "complicit officials": (
        {"PR15": "none-despite-allegations", "PR16": "no"},
        {"complicit-officials-not-prosecuted", "no-complicity-reporting-channel"}),
    "identification and referral": (
        {"PT01": "no", "PT02": "no", "PT03": "no"},
        {"no-formal-nrm", "no-identification-sops", "identification-police-only", "nrm-unevenly-applied"}),
    "protection": (
        {"PT09": "no", "PT23": ["men", "children", "foreign-nationals"]},
        {"no-shelter-for-men", "no-specialised-care-for-child-victims", "no-services-for-foreign-victims"}),
    "funding": (
        {"PT10": "no", "PA10": "none", "PA11": "no"},
        {"no-state-budget-for-victims", "services-donor-dependent", "no-ngo-service-contracts"}),
}


@pytest.fixture(scope="module")
def questionnaire(shipped_kb):
    return load_questionnaire(shipped_kb)


def half_met(questionnaire) -> dict:
    """Return "partly" for every yes/partly/no question: every standard half met, many gaps half revealed."""
    return {q.code: "partly" for q in questionnaire.questions
            if q.answer_type == "yes-partly-no" and not q.conditions}


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_a_theme_the_answers_show_reaches_the_top(shipped_kb, questionnaire, theme):
    shown, gaps = THEMES[theme]
    values = {**half_met(questionnaire), **{k: v for k, v in shown.items() if questionnaire.question(k)}}
    answers = ValidatedAnswers(questionnaire.version, values, {}, None, 2025, "test")
    top = recommend(shipped_kb, answers=answers, top=1).items[0]
    assert {g.code for g in top.gaps} & gaps, f"{theme}: the top recommendation is {top.practice_code} " \
                                              f"for {[g.code for g in top.gaps]}"


EXAMPLES = sorted((Path(__file__).parent.parent / "kb" / "examples").glob("*.json"))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("theme", sorted(THEMES))
def test_a_theme_the_answers_show_reaches_the_top_five_of_an_example(shipped_kb, questionnaire, theme, example):
    shown, gaps = THEMES[theme]
    answers = check_document(questionnaire, read_answers_file(example)).answers
    answers = replace(answers, values={**answers.values, **shown}, country=None)
    items = recommend(shipped_kb, answers=answers).items
    at = next((r.rank for r in items if {g.code for g in r.gaps} & gaps), None)
    assert at is not None and at <= 5, f"{theme} in {example.stem}: first at {at}; the top five are " \
                                       f"{[r.practice_code for r in items[:5]]}"
