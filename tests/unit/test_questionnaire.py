"""Reading the questionnaire from RDF: order, options, signals, skip logic; and `tipkb questionnaire`."""

import shutil
from pathlib import Path

import pytest

from tipkb import QuestionnaireError, load_kb, load_questionnaire
from tipkb.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "questionnaire"
KB = "https://w3id.org/tipkb/kb/"


def test_pillars_sections_and_questions_come_in_display_order(questionnaire):
    assert questionnaire.version == "1.0"
    assert questionnaire.label == {"en": "Test questionnaire", "ru": "Тестовая анкета"}
    assert [p.code for p in questionnaire.pillars] == ["prevention", "protection", "prosecution", "partnership"]
    assert [s.id for s in questionnaire.sections] == ["prev-awareness", "prot-identification", "pros-legal",
                                                      "part-coordination"]
    assert [q.code for q in questionnaire.questions] == [
        "PV01", "PV02", "PT01", "PT02", "PT03", "PT04", "PR01", "PR02", "PR03", "PA01", "PA02", "PA03", "PA04"]
    assert [q.code for q in questionnaire.questions_in("pros-legal")] == ["PR01", "PR02", "PR03"]


def test_a_question_carries_texts_help_type_framework_and_options(questionnaire):
    q = questionnaire.question("PR01")
    assert (q.pillar, q.section, q.answer_type, q.order) == ("prosecution", "pros-legal", "yes-partly-no", 1)
    assert q.text["ru"].startswith("Соответствует") and q.help["en"] == "Compare act, means and purpose."
    assert q.frameworks == (KB + "fw-palermo-art3",)
    assert q.option_values == ("yes", "partly", "no", "dont-know")
    assert [o.score for o in q.options] == [1.0, 0.5, 0.0, None]
    assert q.option("no").signals[0].gap == KB + "gap-definition-not-aligned"
    assert q.option("no").label == {"en": "No", "ru": "Нет"}
    assert questionnaire.question("ZZ99") is None


def test_caps_thresholds_and_question_signals_are_read(questionnaire):
    assert questionnaire.question("PR03").option("never").cap == 0.3
    pr02 = questionnaire.question("PR02")
    assert (pr02.min_value, pr02.max_value, pr02.weak_below, pr02.weak_above) == (0, 10000, 5, None)
    assert [(s.gap.removeprefix(KB), s.weight) for s in pr02.signals] == [("gap-few-convictions", 0.8)]
    assert pr02.integer and questionnaire.question("PT04").integer
    assert pr02.is_weak_number(4) and not pr02.is_weak_number(5)
    assert questionnaire.question("PV02").is_weak_number(25)


def test_skip_conditions_name_the_controlling_question_and_options(questionnaire):
    (condition,) = questionnaire.question("PT03").conditions
    assert condition.question == "PT02" and condition.options == {"yes", "partly"}
    assert questionnaire.question("PR01").conditions == ()


@pytest.mark.parametrize(("answers", "asked", "skipped"), [
    ({}, {"PT01", "PT02", "PA01"}, {"PT03", "PT04", "PA03", "PA04"}),  # unanswered controller: skipped
    ({"PT02": "partly"}, {"PT03"}, set()),
    ({"PT02": "no"}, set(), {"PT03"}),
    ({"PT02": "dont-know"}, set(), {"PT03"}),
    ({"PA01": "yes", "PA03": "yes"}, {"PA03", "PA04"}, set()),
    ({"PA01": "partly", "PA03": "yes"}, set(), {"PA03", "PA04"}),  # PA04's controller is itself skipped
])
def test_skip_logic(questionnaire, answers, asked, skipped):
    result = questionnaire.asked(answers)
    assert {c for c in asked if result[c]} == asked
    assert {c for c in skipped if not result[c]} == skipped


def test_unknown_version_raises_naming_it(questionnaire_kb_dir):
    kb = load_kb(ROOT, kb=questionnaire_kb_dir)
    with pytest.raises(QuestionnaireError, match=r"'9\.9' is not in the KB \(it has: 1\.0\)"):
        load_questionnaire(kb, "9.9")


def test_the_highest_version_is_the_default(tmp_path):
    for name in ("answer-types.ttl", "pillars.ttl"):
        shutil.copy(ROOT / "kb" / "vocab" / name, tmp_path / name)
    text = (DATA / "questionnaire.ttl").read_text(encoding="utf-8")
    (tmp_path / "v1.ttl").write_text(text, encoding="utf-8")
    (tmp_path / "v10.ttl").write_text(text.replace("questionnaire-test", "questionnaire-test10")
                                      .replace('tip:version "1.0"', 'tip:version "1.10"')
                                      .replace("kb:q-", "kb:q10-").replace("kb:section-", "kb:section10-"),
                                      encoding="utf-8")
    kb = load_kb(ROOT, kb=tmp_path)
    assert load_questionnaire(kb).version == "1.10"
    assert load_questionnaire(kb, "1.0").version == "1.0"
    assert len(load_questionnaire(kb, "1.0").questions) == 13


def test_a_kb_without_questionnaire_raises(tmp_path):
    shutil.copy(ROOT / "kb" / "vocab" / "pillars.ttl", tmp_path / "pillars.ttl")
    with pytest.raises(QuestionnaireError, match="no tip:Questionnaire"):
        load_questionnaire(load_kb(ROOT, kb=tmp_path))


def test_cli_prints_the_questionnaire_in_russian(questionnaire_kb_dir, capsys):
    assert main(["questionnaire", "--kb", str(questionnaire_kb_dir), "--lang", "ru"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "Тестовая анкета (версия 1.0, 13 вопросов)"
    assert "УГОЛОВНОЕ ПРЕСЛЕДОВАНИЕ" in out and "Законодательство" in out
    assert "PR03  Преследуются ли причастные должностные лица?" in out
    assert "regularly (Регулярно) | rarely (Редко) | never (Никогда) | dont-know (Не знаю)" in out
    assert "(задаётся, если PT02 = yes или partly)" in out


def test_cli_prints_the_questionnaire_in_english(questionnaire_kb_dir, capsys):
    assert main(["questionnaire", "--kb", str(questionnaire_kb_dir)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "Test questionnaire (version 1.0, 13 questions)"
    assert "PR01  Does the law define trafficking as the Palermo Protocol does?" in out
    assert "yes | partly | no | dont-know" in out
    assert "(asked when PA03 = yes or partly)" in out


def test_cli_reports_an_unknown_version(questionnaire_kb_dir, capsys):
    assert main(["questionnaire", "--kb", str(questionnaire_kb_dir), "--version", "7"]) == 2
    assert "questionnaire version '7' is not in the KB" in capsys.readouterr().err
