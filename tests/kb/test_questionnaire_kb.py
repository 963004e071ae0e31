"""The shipped questionnaire (kb/questionnaire/) is complete, bilingual, scorable, and its examples validate."""

from pathlib import Path

import pytest

from tipkb import check_document, load_questionnaire, revealed_gaps, score_answers
from tipkb.assess.answers import read_answers_file
from tipkb.assess.questionnaire import ANSWER_TYPES, CHOICE_TYPES, DONT_KNOW, NUMERIC_TYPES
from tipkb.assess.xlsform import write_xlsform
from tipkb.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "kb" / "examples").glob("*.json"))
PILLARS = ("prevention", "protection", "prosecution", "partnership")


@pytest.fixture(scope="module")
def questionnaire(shipped_kb):
    return load_questionnaire(shipped_kb)


def test_size_and_balance(questionnaire):
    assert len(questionnaire.questions) >= 60
    assert tuple(p.code for p in questionnaire.pillars) == PILLARS
    per_pillar = {p: sum(q.pillar == p for q in questionnaire.questions) for p in PILLARS}
    assert all(n >= 12 for n in per_pillar.values()), per_pillar


def test_codes_are_unique_and_every_question_sits_in_a_section_of_its_pillar(questionnaire):
    codes = [q.code for q in questionnaire.questions]
    assert len(codes) == len(set(codes))
    sections = {s.id: s for s in questionnaire.sections}
    assert [q.code for q in questionnaire.questions if q.section not in sections
            or sections[q.section].pillar != q.pillar] == []


def test_every_question_has_text_and_help_in_english_and_russian(questionnaire):
    missing = [f"{q.code} {kind}@{lang}" for q in questionnaire.questions for kind, texts in (("text", q.text),
               ("help", q.help)) for lang in ("en", "ru") if not texts.get(lang, "").strip()]
    assert missing == []
    unlabelled = [f"{q.code}/{o.value}@{lang}" for q in questionnaire.questions for o in q.options
                  for lang in ("en", "ru") if not o.label.get(lang)]
    assert unlabelled == []


def test_answer_types_and_options_fit_the_model(questionnaire):
    wrong = []
    for q in questionnaire.questions:
        if q.answer_type not in ANSWER_TYPES:
            wrong.append(f"{q.code}: unknown answer type {q.answer_type!r}")
        if q.answer_type == "yes-partly-no" and q.option_values != ("yes", "partly", "no", DONT_KNOW):
            wrong.append(f"{q.code}: options {q.option_values}")
        if q.answer_type in CHOICE_TYPES and len(q.options) < 2:
            wrong.append(f"{q.code}: fewer than two options")
        if q.answer_type in NUMERIC_TYPES and q.weak_below is None and q.weak_above is None \
                and q.weak_years_before is None:
            wrong.append(f"{q.code}: a number without a weak threshold cannot be scored")
        if q.answer_type == "year" and q.weak_below is not None:
            wrong.append(f"{q.code}: a year threshold counts back from the assessment's year (tip:weakYearsBefore)")
        wrong += [f"{q.code}/{o.value}: 'don't know' must carry no score" for o in q.options
                  if o.value == DONT_KNOW and o.score is not None]
    assert wrong == []


def test_every_question_reveals_a_gap_on_a_weak_answer(questionnaire):
    def reachable(q) -> bool:
        if q.answer_type in CHOICE_TYPES:
            return any(o.signals for o in q.options if o.score is not None and o.score < 1)
        if q.answer_type in NUMERIC_TYPES and q.signals:
            low = q.weak_below is not None and (q.min_value is None or q.weak_below > q.min_value)
            low = low or q.weak_years_before is not None  # some year is always that far before the assessment's
            high = q.weak_above is not None and (q.max_value is None or q.weak_above < q.max_value)
            return low or high
        return False

    assert [q.code for q in questionnaire.questions if not reachable(q)] == []


def test_signals_point_at_gaps_of_the_catalogue(questionnaire, shipped_kb):
    gaps = {str(r["g"]) for r in shipped_kb.select(
        "PREFIX tip: <https://w3id.org/tipkb/ontology#> SELECT ?g WHERE { ?g a tip:Gap }")}
    used = {s.gap for q in questionnaire.questions for s in (*q.signals, *(s for o in q.options for s in o.signals))}
    assert used - gaps == set()


def test_skip_conditions_read_an_earlier_question_and_its_own_options(questionnaire):
    position = {q.code: i for i, q in enumerate(questionnaire.questions)}
    wrong = [f"{q.code} ← {c.question}" for q in questionnaire.questions for c in q.conditions
             if position.get(c.question, len(position)) >= position[q.code]
             or not c.options or not c.options <= set(questionnaire.question(c.question).option_values)]
    assert wrong == []


def test_loading_the_questionnaire_again_gives_the_same_questionnaire(shipped_kb, questionnaire):
    # How fast it loads is measured by bench/timings.py.
    assert load_questionnaire(shipped_kb) == questionnaire


def test_the_shipped_questionnaire_exports_to_xlsform(questionnaire, tmp_path):
    from openpyxl import load_workbook

    survey = load_workbook(write_xlsform(questionnaire, tmp_path / "q.xlsx"))["survey"]
    assert survey.max_row == 1 + 5 + len(questionnaire.questions) + 2 * len(questionnaire.sections)  # 5: identity group


@pytest.mark.parametrize("path", EXAMPLES or [None], ids=[p.name for p in EXAMPLES] or ["none"])
def test_every_example_validates_and_scores(questionnaire, path):
    if path is None:
        pytest.skip("kb/examples/ holds no answers file")
    check = check_document(questionnaire, read_answers_file(path))
    assert [p.text() for p in check.problems] == []
    scores = score_answers(questionnaire, check.answers)
    assert scores.overall is not None and scores.rating in "ABCDE"
    assert all(p.score is not None for p in scores.pillars)
    assert scores.completeness > 0
    assert revealed_gaps(questionnaire, check.answers)


@pytest.mark.skipif(not EXAMPLES, reason="kb/examples/ holds no answers file")
def test_cli_assesses_an_example(capsys):
    assert main(["assess", str(EXAMPLES[0]), "--root", str(ROOT)]) == 0
    assert "overall" in capsys.readouterr().out
