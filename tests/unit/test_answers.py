"""Validating answers: every kind of invalid answer is refused with a problem (code, params) naming its question."""

import ast
import dataclasses
import json
import string
from pathlib import Path

import pytest

from tipkb import AnswerError, check_document, validate_answers
from tipkb.assess.answers import (
    DOCUMENT_KEYS,
    SCHEMA_ID,
    AnswerProblem,
    answers_document,
    check_answers,
    check_note,
    check_value,
    read_answers_file,
)
from tipkb.assess.exchange import import_document
from tipkb.assess.problems import TEMPLATES, message
from tipkb.assess.questionnaire import Option
from tipkb.cli.main import main
from tipkb.i18n import REGIONAL_LANGUAGES, package_catalogue
from tipkb.i18n import REQUIRED_LANGUAGES as LANGUAGES

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


YPN = ("yes", "partly", "no", "dont-know")
FUNDING = ("state-budget", "donors", "no-stable-funding")
# (answers to add to a valid set, question at fault, the problem's code and params)
CODED = [
    ({"PR01": True}, "PR01", "expected-one-option", {"value": True, "options": YPN}),
    ({"PR01": "maybe"}, "PR01", "unknown-option", {"option": "maybe", "options": YPN}),
    ({"PR02": "12"}, "PR02", "not-a-whole-number", {"value": "12"}),
    ({"PR02": 2.5}, "PR02", "not-whole", {"value": 2.5}),
    ({"PR02": -1}, "PR02", "below-range", {"value": -1, "min": 0, "max": 10000}),
    ({"PR02": 10001}, "PR02", "above-range", {"value": 10001, "min": 0, "max": 10000}),
    ({"PT04": "2020"}, "PT04", "not-a-year", {"value": "2020"}),
    ({"PT04": 2020.5}, "PT04", "year-not-whole", {"value": 2020.5}),
    ({"PT04": 1980}, "PT04", "below-range", {"value": 1980, "min": 1990, "max": 2100}),
    ({"PT02": "yes", "PT03": "donors"}, "PT03", "expected-option-list", {"value": "donors", "options": FUNDING}),
    ({"PT02": "yes", "PT03": []}, "PT03", "no-option-chosen", {}),
    ({"PT02": "yes", "PT03": ["donors", 3]}, "PT03", "unknown-option-in-list", {"value": 3, "options": FUNDING}),
    ({"PT02": "yes", "PT03": ["donors", "donors"]}, "PT03", "option-repeated", {}),
    ({"PA02": "   "}, "PA02", "not-text", {"value": "   "}),
    ({"PA02": "x" * 10_001}, "PA02", "text-too-long", {"length": 10_001, "max": 10_000}),
    ({"XX01": "yes"}, "XX01", "unknown-question", {"version": "1.0"}),
    ({"PT02": "no", "PT03": ["donors"]}, "PT03", "not-asked", {"controller": "PT02", "answers": ["yes", "partly"]}),
    ({"PA01": "no", "PA03": "yes", "PA04": "yes"}, "PA04", "controller-not-asked", {"controller": "PA03"}),
]


def _worded(problem: AnswerProblem) -> None:
    english, russian = message(problem, "en"), message(problem, "ru")
    assert english and russian and english != russian


@pytest.mark.parametrize(("extra", "question", "code", "params"), CODED,
                         ids=[f"{c}-{q}" for _, q, c, _ in CODED])
def test_each_answer_check_returns_its_code_and_params(questionnaire, document, extra, question, code, params):
    document["answers"].update(extra)
    with pytest.raises(AnswerError) as caught:
        validate_answers(questionnaire, document)
    [problem] = [p for p in caught.value.problems if p.question == question]
    assert (problem.code, problem.field, dict(problem.params)) == (code, "answers", params)
    _worded(problem)


def _pr02(questionnaire, **changes):
    return dataclasses.replace(questionnaire.question("PR02"), **changes)


@pytest.mark.parametrize(("changes", "value", "code", "params"), [
    ({"integer": False}, "many", "not-a-number", {"value": "many"}),
    ({"max_value": None}, -1, "below-minimum", {"value": -1, "min": 0}),
    ({"min_value": None}, 10_001, "above-maximum", {"value": 10_001, "max": 10_000}),
    ({"answer_type": "colour"}, "red", "unknown-answer-type", {"type": "colour"}),
    ({"answer_type": "year", "min_value": None, "max_value": None}, 999, "below-range",
     {"value": 999, "min": 1000, "max": 9999}),
    ({"answer_type": "year", "min_value": None, "max_value": None}, 10_000, "above-range",
     {"value": 10_000, "min": 1000, "max": 9999}),
])
def test_checks_of_other_question_shapes_return_their_code_and_params(questionnaire, changes, value, code, params):
    normal, problem = check_value(_pr02(questionnaire, **changes), value)
    assert normal is None and problem == AnswerProblem(code, "PR02", params=params)
    _worded(problem)


def test_dont_know_with_other_options_is_its_own_problem(questionnaire):
    pt03 = questionnaire.question("PT03")
    pt03 = dataclasses.replace(pt03, options=(*pt03.options, Option("dont-know", "urn:test:dont-know")))
    assert check_value(pt03, ["donors", "dont-know"]) == (None, AnswerProblem("dont-know-combined", "PT03"))
    assert check_value(pt03, ["dont-know"]) == (["dont-know"], None)


@pytest.mark.parametrize(("code", "note", "problem_code", "params"), [
    ("ZZ01", "x", "note-unknown-question", {"version": "1.0"}),
    ("PR02", 3, "note-not-text", {"value": 3}),
    ("PR02", "x" * 10_001, "note-too-long", {"length": 10_001, "max": 10_000}),
])
def test_each_note_check_returns_its_code_and_params(questionnaire, code, note, problem_code, params):
    problem = check_note(questionnaire, code, note)
    assert problem == AnswerProblem(problem_code, code, "notes", params)
    assert check_answers(questionnaire, {}, {code: note}).problems == (problem,)
    _worded(problem)


@pytest.mark.parametrize(("change", "field", "code", "params"), [
    ({"schema": "tipkb-answers/0"}, "schema", "wrong-schema", {"expected": SCHEMA_ID, "value": "tipkb-answers/0"}),
    ({"questionnaire": 1.0}, "questionnaire", "version-not-text", {"expected": "1.0", "value": 1.0}),
    ({"questionnaire": "2.0"}, "questionnaire", "other-version", {"version": "2.0", "current": "1.0"}),
    ({"country": "Kyrgyzstan"}, "country", "invalid-country", {"value": "Kyrgyzstan"}),
    ({"year": 1800}, "year", "invalid-year", {"value": 1800, "min": 1900, "max": 2100}),
    ({"organisation": " "}, "organisation", "invalid-organisation", {"value": " "}),
    ({"comment": "hi"}, "comment", "unknown-key", {"keys": DOCUMENT_KEYS}),
    ({"answers": ["PR01"]}, "answers", "answers-not-an-object", {"value": ["PR01"]}),
    ({"notes": "none"}, "notes", "notes-not-an-object", {"value": "none"}),
])
def test_each_file_check_returns_its_code_and_params(questionnaire, document, change, field, code, params):
    document.update(change)
    [problem] = check_document(questionnaire, document).problems
    assert problem == AnswerProblem(code, None, field, params)
    _worded(problem)


def test_a_file_that_is_not_an_object_or_not_json_has_a_code(questionnaire, tmp_path):
    assert check_document(questionnaire, "x").problems == (AnswerProblem("not-an-object", None, "file",
                                                                         {"value": "x"}),)
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(AnswerError) as caught:
        read_answers_file(bad)
    [problem] = caught.value.problems
    assert (problem.code, problem.field, problem.params["path"], problem.params["line"]) == (
        "not-json", "file", str(bad), 1)
    bad.write_bytes(b"\xff")
    with pytest.raises(AnswerError) as caught:
        read_answers_file(bad)
    assert caught.value.problems == (AnswerProblem("not-utf8", None, "file", {"path": str(bad)}),)


def test_an_import_without_country_reports_a_required_problem(store, document):
    document["country"] = None
    with pytest.raises(AnswerError) as caught:
        import_document(store, document)
    assert caught.value.problems == (AnswerProblem("required", None, "country"),)
    assert message(caught.value.problems[0], "ru") == "обязательно для сохранения оценки"


def test_a_problem_is_worded_in_russian_with_its_params(questionnaire):
    _, problem = check_value(questionnaire.question("PT04"), 1980)
    assert problem.text("ru") == "PT04: 1980 меньше минимума 1990. Введите значение от 1990 до 2100"
    assert problem.text() == "PT04: 1980 is below the minimum 1990. Enter a value between 1990 and 2100"
    # a regional language words it from the package's catalogue (a draft), its params filled in
    assert message(problem, "kk") == "1980 ең аз мәннен (1990) кіші. 1990 мен 2100 аралығындағы мәнді енгізіңіз"


def _codes_made_in(path: Path) -> set[str]:
    """Return the codes of every AnswerProblem a module makes; each must be spelled as a literal."""
    def literals(node: ast.expr) -> set[str]:
        if isinstance(node, ast.IfExp):
            return literals(node.body) | literals(node.orelse)
        assert isinstance(node, ast.Constant) and isinstance(node.value, str), (
            f"{path.name}:{node.lineno}: a problem code must be a literal")
        return {node.value}

    codes: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "AnswerProblem":
            code = node.args[0] if node.args else next(k.value for k in node.keywords if k.arg == "code")
            codes |= literals(code)
    return codes


def test_every_problem_code_the_checks_make_is_worded_in_english_and_russian():
    made = set().union(*(_codes_made_in(path) for path in (ROOT / "src" / "tipkb").rglob("*.py")))
    assert {"below-range", "not-a-year", "required", "stored-other-version"} <= made  # the scan sees the checks
    assert made == set(TEMPLATES), "a code without wording, or wording of no code"
    for code in sorted(made):
        worded = TEMPLATES[code]
        assert all(worded.get(lang, "").strip() for lang in LANGUAGES), code
        fields = [{f for _, f, _, _ in string.Formatter().parse(worded[lang]) if f} for lang in LANGUAGES]
        assert all(f == fields[0] for f in fields), f"{code}: the languages use different params"
        for lang in REGIONAL_LANGUAGES:  # a translation in the package's catalogue keeps the params too
            translated = package_catalogue(lang).get(worded["en"])
            if translated:
                assert {f for _, f, _, _ in string.Formatter().parse(translated) if f} == fields[0], (code, lang)
