"""Validating answers: every kind of invalid answer is refused with a message naming its question."""

import json
from pathlib import Path

import pytest

from tipkb import AnswerError, check_document, validate_answers
from tipkb.assess.answers import DOCUMENT_KEYS, SCHEMA_ID, answers_document, check_answers, read_answers_file
from tipkb.cli.main import main

ROOT = Path(__file__).resolve().parents[2]

# (answers to add to a valid set, question at fault, words the message must contain)
INVALID = [
    ({"PR01": "maybe"}, "PR01", "'maybe' is not an option; expected one of 'yes', 'partly', 'no', 'dont-know'"),
    ({"PR01": True}, "PR01", "expected one of 'yes', 'partly', 'no', 'dont-know'; got true"),
    ({"PR02": "12"}, "PR02", "expected a whole number or 'dont-know'; got \"12\""),
    ({"PR02": 2.5}, "PR02", "expected a whole number; got 2.5"),
    ({"PR02": -1}, "PR02", "-1 is below the minimum 0"),
    ({"PR02": 10001}, "PR02", "10001 is above the maximum 10000"),
    ({"PT04": 1980}, "PT04", "1980 is below the minimum 1990"),
    ({"PT04": 2020.5}, "PT04", "expected a year (a whole number); got 2020.5"),
    ({"PR03": "sometimes"}, "PR03", "'sometimes' is not an option; expected one of 'regularly', 'rarely'"),
    ({"PT02": "yes", "PT03": "donors"}, "PT03", "expected a list of options"),
    ({"PT02": "yes", "PT03": []}, "PT03", "choose at least one option"),
    ({"PT02": "yes", "PT03": ["donors", "lottery"]}, "PT03", '"lottery" is not an option'),
    ({"PT02": "yes", "PT03": ["donors", "donors"]}, "PT03", "chosen more than once"),
    ({"PA02": "   "}, "PA02", "expected some text"),
    ({"XX01": "yes"}, "XX01", "no such question in questionnaire 1.0"),
    ({"PT02": "no", "PT03": ["donors"]}, "PT03",
     "answered, but the question is not asked: it is asked only when PT02 is answered 'yes' or 'partly'"),
    ({"PA01": "no", "PA03": "yes", "PA04": "yes"}, "PA03", "it is asked only when PA01 is answered 'yes'"),
]


@pytest.mark.parametrize(("extra", "code", "words"), INVALID, ids=[f"{c}-{i}" for i, (_, c, _) in enumerate(INVALID)])
def test_an_invalid_answer_is_refused_naming_its_question(questionnaire, document, extra, code, words):
    document["answers"].update(extra)
    with pytest.raises(AnswerError) as caught:
        validate_answers(questionnaire, document)
    assert [p.question for p in caught.value.problems][0] == code
    assert words in caught.value.problems[0].message
    assert f"{code}: " in str(caught.value)


def test_an_answer_under_a_skipped_chain_is_reported_once_per_question(questionnaire, document):
    document["answers"].update({"PA01": "no", "PA03": "yes", "PA04": "yes"})
    problems = check_document(questionnaire, document).problems
    assert [p.text() for p in problems] == [
        "PA03: answered, but the question is not asked: it is asked only when PA01 is answered 'yes'",
        "PA04: answered, but the question is not asked: PA03 is itself not asked"]


def test_a_wrong_controlling_answer_does_not_also_blame_its_dependants(questionnaire, document):
    document["answers"].update({"PT02": "maybe", "PT03": ["donors"]})
    assert [p.question for p in check_document(questionnaire, document).problems] == ["PT02"]


def test_every_problem_is_listed_in_questionnaire_order(questionnaire, document):
    document["answers"].update({"PA01": 3, "PR02": -5, "PV02": "x"})
    with pytest.raises(AnswerError) as caught:
        validate_answers(questionnaire, document)
    assert [p.question for p in caught.value.problems] == ["PV02", "PR02", "PA01"]
    assert str(caught.value).startswith("3 invalid answers: PV02: ")


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"schema": "tipkb-answers/0"}, "schema", "expected 'tipkb-answers/1'; got \"tipkb-answers/0\""),
    ({"questionnaire": "2.0"}, "questionnaire",
     "the answers are for questionnaire version 2.0, but the questionnaire in use is version 1.0"),
    ({"questionnaire": 1.0}, "questionnaire", "expected the questionnaire version as text"),
    ({"country": "Kyrgyzstan"}, "country", "expected an ISO 3166-1 alpha-2 code"),
    ({"year": "2025"}, "year", "expected a year between 1900 and 2100"),
    ({"answers": ["PR01", "yes"]}, "answers", "expected an object of question code → answer"),
    ({"notes": "none"}, "notes", "expected an object of question code → note"),
    ({"comment": "hi"}, "comment", "unknown key"),
])
def test_a_malformed_file_is_refused_naming_the_field(questionnaire, document, change, field, words):
    document.update(change)
    problems = check_document(questionnaire, document).problems
    assert problems[0].field == field and problems[0].question is None
    assert words in problems[0].message


def test_another_version_is_not_checked_answer_by_answer(questionnaire, document):
    document.update({"questionnaire": "2.0", "answers": {"NEW1": "yes"}})
    assert [p.field for p in check_document(questionnaire, document).problems] == ["questionnaire"]


def test_a_file_that_is_not_an_object_is_refused(questionnaire):
    assert check_document(questionnaire, [1, 2]).problems[0].text() == "file: expected a JSON object; got [1, 2]"


def test_notes_must_belong_to_known_questions_and_be_text(questionnaire, document):
    document["notes"] = {"ZZ01": "x", "PR02": 3, "PR01": ""}
    assert [p.text() for p in check_document(questionnaire, document).problems] == [
        "PR02: a note must be text; got 3", "ZZ01: a note for a question that is not in questionnaire 1.0"]


def test_a_valid_file_is_normalised(questionnaire, document):
    document["answers"].update({"PT02": "yes", "PT03": ["donors", "state-budget"], "PR02": 10.0, "PV01": None})
    answers = validate_answers(questionnaire, document)
    assert answers.values["PT03"] == ["state-budget", "donors"]  # in option order
    assert answers.values["PR02"] == 10 and isinstance(answers.values["PR02"], int)
    assert "PV01" not in answers.values  # null means unanswered
    assert list(answers.values)[:3] == ["PV02", "PT01", "PT02"]
    assert (answers.country, answers.year, answers.organisation) == ("KG", 2025, "Example NGO")


def test_country_year_and_organisation_may_be_null_or_unknown(questionnaire, document):
    document.update({"country": None, "year": None, "organisation": None})
    assert validate_answers(questionnaire, document).country is None
    document["country"] = "ZZ"  # not in the KB, but well formed
    assert validate_answers(questionnaire, document).country == "ZZ"


def test_dont_know_is_accepted_for_numbers_and_listed_options(questionnaire):
    check = check_answers(questionnaire, {"PR02": "dont-know", "PT04": "dont-know", "PT01": "yes",
                                          "PR03": "dont-know"})
    assert check.ok and check.answers.values["PR02"] == "dont-know"


def test_the_non_raising_check_keeps_the_valid_part(questionnaire, document):
    document["answers"].update({"PR01": "maybe", "PR02": -1})
    check = check_document(questionnaire, document)
    assert not check.ok and len(check.problems) == 2
    assert "PR01" not in check.answers.values and check.answers.values["PT01"] == "yes"


def test_json_round_trip(questionnaire, document):
    answers = validate_answers(questionnaire, document)
    again = answers_document(answers)
    assert again == document
    assert validate_answers(questionnaire, json.loads(json.dumps(again))) == answers


def test_read_answers_file_names_the_file_and_position_of_bad_json(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": "tipkb-answers/1",\n "answers": {"PR01": yes}}', encoding="utf-8")
    with pytest.raises(AnswerError, match=r"bad\.json: not valid JSON: Expecting value at line 2, column 22"):
        read_answers_file(bad)


def test_the_json_schema_describes_the_same_document(questionnaire, document):
    schema = json.loads((ROOT / "docs" / "answers.schema.json").read_text(encoding="utf-8"))
    assert tuple(schema["properties"]) == DOCUMENT_KEYS
    assert schema["properties"]["schema"]["const"] == SCHEMA_ID
    assert schema["additionalProperties"] is False
    for key in schema["required"]:  # each required key, when missing, is refused
        broken = {k: v for k, v in document.items() if k != key}
        assert check_document(questionnaire, broken).problems, key


def test_cli_assess_refuses_invalid_answers_with_per_question_messages(questionnaire_kb_dir, document, tmp_path,
                                                                        capsys):
    document["answers"].update({"PR01": "maybe", "PR02": -1})
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert main(["assess", str(path), "--kb", str(questionnaire_kb_dir)]) == 1
    err = capsys.readouterr().err
    assert "2 problem(s)" in err
    assert "PR01: 'maybe' is not an option" in err and "PR02: -1 is below the minimum 0" in err


def test_cli_assess_refuses_a_file_that_is_not_json(questionnaire_kb_dir, tmp_path, capsys):
    path = tmp_path / "answers.json"
    path.write_text("PR01: yes", encoding="utf-8")
    assert main(["assess", str(path), "--kb", str(questionnaire_kb_dir)]) == 1
    assert "answers.json: not valid JSON" in capsys.readouterr().err
