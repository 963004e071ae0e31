"""The questionnaire as an XLSForm workbook, read back with openpyxl."""

import pytest
from openpyxl import load_workbook

from tipkb.assess.xlsform import CHOICES_COLUMNS, SURVEY_COLUMNS, write_xlsform
from tipkb.cli.main import main


def rows(sheet) -> list[dict]:
    header, *body = [list(r) for r in sheet.iter_rows(values_only=True)]
    return [dict(zip(header, ["" if v is None else v for v in r], strict=True)) for r in body]


@pytest.fixture(scope="module")
def workbook(questionnaire, tmp_path_factory):
    path = write_xlsform(questionnaire, tmp_path_factory.mktemp("xlsform") / "out" / "questionnaire.xlsx")
    return load_workbook(path, read_only=False)


def test_sheets_and_columns(workbook):
    assert workbook.sheetnames == ["survey", "choices", "settings"]
    assert next(workbook["survey"].iter_rows(values_only=True)) == SURVEY_COLUMNS
    languages = ("English (en)", "Russian (ru)", "Kazakh (kk)", "Kyrgyz (ky)", "Tajik (tg)", "Turkmen (tk)",
                 "Uzbek (uz)")  # KoboToolbox's "label::Language (code)", one column per language
    labels = tuple(f"label::{n}" for n in languages)
    assert SURVEY_COLUMNS[2:-4] == labels + tuple(f"hint::{n}" for n in languages)
    assert SURVEY_COLUMNS[:2] + SURVEY_COLUMNS[-4:] == ("type", "name", "relevant", "constraint", "required",
                                                       "calculation")
    assert next(workbook["choices"].iter_rows(values_only=True)) == CHOICES_COLUMNS
    assert CHOICES_COLUMNS[2:] == labels and CHOICES_COLUMNS[:2] == ("list_name", "name")


def test_a_language_without_a_translation_shows_its_fallback_never_a_blank(workbook, questionnaire):
    survey = {r["name"]: r for r in rows(workbook["survey"])}
    # the test questionnaire has English and Russian only: Kazakh, Uzbek… read Russian (uz → ru → en)
    assert [survey["PR03"][f"label::{n}"] for n in ("Kazakh (kk)", "Uzbek (uz)")] == [
        questionnaire.question("PR03").text["ru"]] * 2
    assert survey["PR01"]["hint::Turkmen (tk)"] == "Сравните действие, способ и цель."
    choices = [c for c in rows(workbook["choices"]) if c["list_name"] == "pr03"]
    assert [c["label::Tajik (tg)"] for c in choices] == ["Регулярно", "Редко", "Никогда", "Не знаю"]
    # the form's own words come from the package's catalogue
    assert (survey["year"]["label::Kazakh (kk)"], survey["year"]["label::Uzbek (uz)"]) == (
        "Бағаланатын жыл", "Baholanadigan yil")
    assert all(r[f"label::{n}"] for r in survey.values() if r["type"] not in ("end_group", "calculate")
               for n in ("Kazakh (kk)", "Kyrgyz (ky)", "Tajik (tg)", "Turkmen (tk)", "Uzbek (uz)"))


def test_one_group_per_section_around_its_questions(workbook, questionnaire):
    survey = rows(workbook["survey"])
    assert [(r["type"], r["name"]) for r in survey if r["type"] in ("begin_group", "end_group")] == [
        ("begin_group", "assessment"), ("end_group", "assessment"), *[
            (kind, s.id.replace("-", "_")) for s in questionnaire.sections for kind in ("begin_group", "end_group")]]
    assert [r["name"] for r in survey if "group" not in r["type"]] == [
        "country", "year", "questionnaire_version", *[q.code for q in questionnaire.questions]]
    group = next(r for r in survey if r["name"] == "pros_legal")
    assert (group["label::English (en)"], group["label::Russian (ru)"]) == ("Legal framework", "Законодательство")


def test_types_labels_hints_and_constraints(workbook):
    survey = {r["name"]: r for r in rows(workbook["survey"])}
    assert {code: survey[code]["type"] for code in ("PR01", "PR02", "PR03", "PT03", "PT04", "PA02")} == {
        "PR01": "select_one pr01", "PR02": "integer", "PR03": "select_one pr03", "PT03": "select_multiple pt03",
        "PT04": "integer", "PA02": "text"}
    assert survey["PR02"]["constraint"] == ". >= 0 and . <= 10000"
    assert survey["PT04"]["constraint"] == ". >= 1990 and . <= 2100"
    assert survey["PR01"]["constraint"] == "" and survey["PR01"]["required"] == "no"
    assert survey["PR01"]["hint::Russian (ru)"] == "Сравните действие, способ и цель."
    assert survey["PR03"]["label::English (en)"] == "Are complicit officials prosecuted?"


def test_relevance_follows_skip_logic(workbook):
    survey = {r["name"]: r for r in rows(workbook["survey"])}
    assert survey["PT03"]["relevant"] == "selected(${PT02}, 'yes') or selected(${PT02}, 'partly')"
    assert survey["PA03"]["relevant"] == "selected(${PA01}, 'yes')"
    assert survey["PA04"]["relevant"] == "selected(${PA03}, 'yes') or selected(${PA03}, 'partly')"
    assert survey["PR01"]["relevant"] == ""


def test_choices_list_each_option_in_order(workbook):
    choices = rows(workbook["choices"])
    assert [(c["name"], c["label::English (en)"], c["label::Russian (ru)"]) for c in choices
            if c["list_name"] == "pr03"] == [("regularly", "Regularly", "Регулярно"), ("rarely", "Rarely", "Редко"),
                                             ("never", "Never", "Никогда"), ("dont-know", "Don't know", "Не знаю")]
    assert {c["list_name"] for c in choices} == {"pv01", "pt01", "pt02", "pt03", "pr01", "pr03", "pa01", "pa03",
                                                 "pa04"}


def test_settings(workbook):
    assert rows(workbook["settings"]) == [{"form_title": "Test questionnaire", "form_id": "tipkb_questionnaire_1_0",
                                           "version": "1.0", "default_language": "English (en)"}]


def test_cli_writes_the_xlsform(questionnaire_kb_dir, tmp_path, capsys):
    out = tmp_path / "form.xlsx"
    assert main(["questionnaire", "--kb", str(questionnaire_kb_dir), "--xlsform", str(out)]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    assert load_workbook(out).sheetnames == ["survey", "choices", "settings"]


def test_an_identity_group_asks_country_and_year_and_carries_the_version(workbook):
    survey = {r["name"]: r for r in rows(workbook["survey"])}
    assert (survey["country"]["type"], survey["country"]["required"]) == ("text", "yes")
    assert survey["country"]["constraint"] == "regex(., '^[A-Z]{2}$')"
    assert (survey["year"]["type"], survey["year"]["constraint"]) == ("integer", ". >= 1900 and . <= 2100")
    assert (survey["questionnaire_version"]["type"], survey["questionnaire_version"]["calculation"]) == (
        "calculate", "'1.0'")
    assert survey["year"]["label::Russian (ru)"] == "Оцениваемый год"


def test_a_kobo_export_headed_by_the_kazakh_labels_is_recognised_as_one(workbook, questionnaire):
    from tipkb.assess.imports import label_headers

    # KoboToolbox's "Labels" export in Kazakh heads each column "<group label>/<question label>" from the kk columns
    survey = rows(workbook["survey"])
    groups, headers = {}, []
    for r in survey:
        if r["type"] == "begin_group":
            groups[r["name"]] = r["label::Kazakh (kk)"]
            group = r["name"]
        elif questionnaire.question(r["name"]) is not None:
            headers.append(f"{groups[group]}/{r['label::Kazakh (kk)']}")
    assert label_headers(questionnaire, headers) == len(questionnaire.questions)
    assert label_headers(questionnaire, [f"{group}/{q.code}" for q in questionnaire.questions]) == 0
