"""Scoring on hand-computed examples, "don't know" handling, caps, bands, and the gaps weak answers reveal."""

import json

import pytest

from tipkb import revealed_gaps, score_answers, validate_answers
from tipkb.assess.scoring import RevealedGap, rating
from tipkb.cli.main import main

KB = "https://w3id.org/tipkb/kb/"


def test_the_worked_example(questionnaire, full_answers):
    # prevention:  PV01 don't know (left out), PV02 12 months (not above 24: 1)            -> 1/1     = 100.0
    # protection:  PT01 yes 1, PT02 no 0, PT03 skipped, PT04 2012 (below 2015: 0)         -> 1/3     =  33.3
    # prosecution: PR01 yes 1, PR02 10 (not below 5: 1), PR03 never 0 with cap 0.3        -> 2/3 = 66.7, capped at 30.0
    # partnership: PA01 yes 1, PA02 free text (unscored), PA03 no 0, PA04 skipped         -> 1/2     =  50.0
    # overall: (100 + 33.3 + 30 + 50) / 4 = 53.3 -> C; 11 asked, 11 answered, 1 don't know
    s = score_answers(questionnaire, full_answers)
    assert [(p.pillar, round(p.score, 1), p.rating) for p in s.pillars] == [
        ("prevention", 100.0, "A"), ("protection", 33.3, "D"), ("prosecution", 30.0, "D"), ("partnership", 50.0, "C")]
    assert s.overall == pytest.approx((100 + 100 / 3 + 30 + 50) / 4) and s.rating == "C"
    assert (s.asked, s.answered, s.dont_know, s.completeness) == (11, 11, 1, 100.0)
    pros = s.pillar("prosecution")
    assert pros.uncapped == pytest.approx(200 / 3) and pros.cap == pytest.approx(30.0) and pros.capped
    prev = s.pillar("prevention")
    assert (prev.asked, prev.answered, prev.scored, prev.dont_know) == (2, 2, 1, 1)
    assert s.questions["PT03"].asked is False and s.questions["PA02"].score is None


def test_dont_know_is_not_counted_as_zero(questionnaire, full_answers):
    with_no = score_answers(questionnaire, {**full_answers, "PV01": "no"}).pillar("prevention")
    with_dont_know = score_answers(questionnaire, full_answers).pillar("prevention")
    assert with_no.score == 50.0
    assert with_dont_know.score == 100.0 and with_dont_know.dont_know == 1


def test_a_pillar_of_dont_knows_has_no_score_and_no_overall(questionnaire, full_answers):
    s = score_answers(questionnaire, {**full_answers, "PV02": "dont-know"})
    assert s.pillar("prevention").score is None and s.pillar("prevention").rating is None
    assert s.overall is None and s.rating is None
    assert s.dont_know == 2 and s.completeness == 100.0


def test_a_cap_above_the_score_changes_nothing(questionnaire, full_answers):
    s = score_answers(questionnaire, {**full_answers, "PR01": "partly", "PR02": 3}).pillar("prosecution")
    assert s.score == pytest.approx(50 / 3) and not s.capped  # (0.5 + 0 + 0) / 3 = 16.7 < 30


def test_multiple_choice_scores_the_mean_of_the_chosen_options(questionnaire, full_answers):
    answers = {**full_answers, "PT02": "yes", "PT03": ["state-budget", "donors"]}
    s = score_answers(questionnaire, answers)
    assert s.questions["PT03"].score == 0.75
    assert s.pillar("protection").score == pytest.approx(100 * (1 + 1 + 0.75 + 0) / 4)


def test_numbers_score_by_their_weak_thresholds(questionnaire, full_answers):
    s = score_answers(questionnaire, {**full_answers, "PV02": 25, "PR02": 5})
    assert s.questions["PV02"].score == 0.0  # above weakAbove 24
    assert s.questions["PR02"].score == 1.0  # not below weakBelow 5


def test_completeness_counts_asked_questions_only(questionnaire):
    s = score_answers(questionnaire, {"PR01": "partly", "PT02": "yes"})
    # asked: PV01 PV02 PT01 PT02 PT03 PR01 PR02 PR03 PA01 PA02 (PT04, PA03, PA04 wait for their controllers)
    assert (s.asked, s.answered) == (10, 2)
    assert s.completeness == pytest.approx(20.0)
    assert s.pillar("prosecution").score == 50.0 and s.overall is None


def test_answers_to_skipped_questions_are_ignored(questionnaire, full_answers):
    s = score_answers(questionnaire, {**full_answers, "PT03": ["no-stable-funding"]})  # PT02 is "no"
    assert s.questions["PT03"].asked is False and s.pillar("protection").score == pytest.approx(100 / 3)


@pytest.mark.parametrize(("percent", "band"), [
    (100, "A"), (80, "A"), (79.99, "B"), (60, "B"), (40, "C"), (39.9, "D"), (20, "D"), (19.9, "E"), (0, "E"),
    (None, None)])
def test_rating_bands(percent, band):
    assert rating(percent) == band


def test_scores_as_dict_is_rounded_json(questionnaire, full_answers):
    d = score_answers(questionnaire, full_answers).as_dict()
    assert d["overall"] == 53.3 and d["pillars"]["prosecution"] == {
        "score": 30.0, "rating": "D", "uncapped": 66.7, "cap": 30.0, "capped": True, "asked": 3, "answered": 3,
        "scored": 3, "dont_know": 0}
    json.dumps(d)


def test_revealed_gaps_of_the_worked_example(questionnaire, full_answers):
    assert revealed_gaps(questionnaire, full_answers) == [
        RevealedGap(KB + "gap-no-shelter-for-men", 0.7, "PT02", "no"),
        RevealedGap(KB + "gap-nrm-unevenly-applied", 0.5, "PT04", None),
        RevealedGap(KB + "gap-complicit-officials-not-prosecuted", 1.0, "PR03", "never"),
        RevealedGap(KB + "gap-coordinating-body-inactive", 0.6, "PA03", "no"),
    ]


def test_strong_unknown_and_skipped_answers_reveal_nothing(questionnaire):
    answers = {"PR01": "yes", "PR02": "dont-know", "PT02": "no", "PT03": ["no-stable-funding"], "PV02": 24}
    assert revealed_gaps(questionnaire, answers) == [RevealedGap(KB + "gap-no-shelter-for-men", 0.7, "PT02", "no")]


def test_multiple_choice_reveals_the_gaps_of_each_chosen_option(questionnaire, document):
    document["answers"].update({"PT02": "partly", "PT03": ["donors", "no-stable-funding"]})
    gaps = revealed_gaps(questionnaire, validate_answers(questionnaire, document))
    assert [(g.gap.removeprefix(KB), g.option) for g in gaps if g.question == "PT03"] == [
        ("gap-services-donor-dependent", "donors"), ("gap-no-state-budget-for-victims", "no-stable-funding")]


def test_cli_assess_prints_scores_and_gaps(questionnaire_kb_dir, document, tmp_path, capsys):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert main(["assess", str(path), "--kb", str(questionnaire_kb_dir)]) == 0
    out = capsys.readouterr().out
    assert "Example NGO, KG 2025, questionnaire 1.0" in out
    assert "Prosecution   30.0 %   D" in out and "67 %" not in out and "30 % (applied)" in out
    assert "overall        53.3 %  rating C" in out
    assert "don't know    1 of 11 asked questions" in out
    assert "completeness  100.0 %" in out
    assert "PR03 = never  →  gap-complicit-officials-not-prosecuted  (weight 1)" in out
    assert "PT04 (past a threshold)  →  gap-nrm-unevenly-applied  (weight 0.5)" in out


def test_cli_assess_json(questionnaire_kb_dir, document, tmp_path, capsys):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert main(["assess", str(path), "--json", "--kb", str(questionnaire_kb_dir)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scores"]["overall"] == 53.3 and data["scores"]["dont_know"] == 1
    assert data["gaps"][0] == {"gap": KB + "gap-no-shelter-for-men", "weight": 0.7, "question": "PT02",
                               "option": "no"}


@pytest.fixture(scope="module")
def shipped(shipped_kb):
    from tipkb import load_questionnaire

    return load_questionnaire(shipped_kb)


def _shipped_answers(shipped, year, answers):
    return validate_answers(shipped, {"schema": "tipkb-answers/1", "questionnaire": shipped.version, "year": year,
                                      "answers": answers})


def test_a_2021_plan_ending_in_2022_is_in_force_not_missing(shipped):
    # PV01 once had the absolute threshold 2025: a 2021 assessment was told a plan running to 2022 was no plan.
    in_force, lapsed = _shipped_answers(shipped, 2021, {"PV01": 2022}), _shipped_answers(shipped, 2025, {"PV01": 2022})
    assert score_answers(shipped, in_force).questions["PV01"].score == 1.0
    assert revealed_gaps(shipped, in_force) == []
    assert score_answers(shipped, lapsed).questions["PV01"].score == 0.0
    assert revealed_gaps(shipped, lapsed) == [RevealedGap(KB + "gap-no-action-plan", 1.0, "PV01", None)]


@pytest.mark.parametrize(("code", "year", "weak", "strong"), [
    ("PV01", 2021, 2020, 2021), ("PT26", 2022, 2018, 2019), ("PR19", 2021, 2010, 2011), ("PA17", 2023, 2020, 2021)])
def test_year_thresholds_count_back_from_the_assessment_year(shipped, code, year, weak, strong):
    def score(answer, in_year):
        answers = {code: answer, "PA03": "yes"}  # PA17 is asked when there is a national rapporteur
        return score_answers(shipped, answers, year=in_year).questions[code].score
    assert (score(weak, year), score(strong, year)) == (0.0, 1.0)
    assert (score(weak + 4, year + 4), score(strong + 4, year + 4)) == (0.0, 1.0)


def test_a_year_threshold_without_the_assessment_year_is_not_judged(shipped):
    s = score_answers(shipped, {"PV01": 1990}).questions["PV01"]
    assert s.answered and s.score is None
    assert revealed_gaps(shipped, {"PV01": 1990}) == []
    assert revealed_gaps(shipped, {"PV01": 1990}, year=2021)[0].gap == KB + "gap-no-action-plan"


@pytest.mark.slow
@pytest.mark.parametrize(("year", "revealed"), [(2021, False), (2025, True)])
def test_the_engine_judges_a_plan_year_against_the_assessment_year(shipped_kb, shipped, year, revealed):
    from tipkb.recommend.engine import recommend

    rs = recommend(shipped_kb, answers=_shipped_answers(shipped, year, {"PV01": 2022}))
    found = {g for r in rs.items for s in r.trace if s.kind == "answer" for g in s.gaps}
    assert (KB + "gap-no-action-plan" in found) is revealed
