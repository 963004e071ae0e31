"""Write the questionnaire as an XLSForm workbook (survey, choices, settings) for ODK and KoboToolbox."""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook

from tipkb.assess.questionnaire import Question, Questionnaire
from tipkb.i18n import LANGUAGES as CODES
from tipkb.i18n import localised, pick

# KoboToolbox's and pyxform's convention for a language column: its English name and its code, "label::English (en)".
ENGLISH_NAMES = {"en": "English", "ru": "Russian", "kk": "Kazakh", "ky": "Kyrgyz", "tg": "Tajik", "tk": "Turkmen",
                 "uz": "Uzbek"}
LANGUAGES = tuple((lang, f"{ENGLISH_NAMES[lang]} ({lang})") for lang in CODES)
SURVEY_COLUMNS = ("type", "name", *[f"label::{name}" for _, name in LANGUAGES],
                  *[f"hint::{name}" for _, name in LANGUAGES], "relevant", "constraint", "required", "calculation")
CHOICES_COLUMNS = ("list_name", "name", *[f"label::{name}" for _, name in LANGUAGES])
SETTINGS_COLUMNS = ("form_title", "form_id", "version", "default_language")
IDENTITY_GROUP = "assessment"  # first group: which country and year a submission assesses, and the form's version
IDENTITY_FIELDS = ("country", "year")
VERSION_FIELD = "questionnaire_version"
# The form's own words; the other languages translate the English text in the package's catalogue.
WORDS = {
    "assessment": {"en": "Assessment", "ru": "Оценка"},
    "country": {"en": "Country (ISO 3166-1 alpha-2 code, e.g. KG)",
                "ru": "Страна (код ISO 3166-1 alpha-2, например KG)"},
    "year": {"en": "Year assessed", "ru": "Оцениваемый год"},
}
_IDENTITY_ROWS = (("text", "country", "regex(., '^[A-Z]{2}$')"), ("integer", "year", ". >= 1900 and . <= 2100"))


def survey_type(question: Question) -> str:
    """Return the XLSForm type of a question (select lists are named after its code)."""
    kind = question.answer_type
    if kind == "multiple-choice":
        return f"select_multiple {list_name(question)}"
    if kind in ("yes-partly-no", "single-choice"):
        return f"select_one {list_name(question)}"
    if kind in ("number", "year"):
        return "integer" if question.integer else "decimal"
    return "text"


def list_name(question: Question) -> str:
    """Return the name of a question's choice list."""
    return question.code.lower()


def relevance(questionnaire: Questionnaire, question: Question) -> str:
    """Return the XLSForm relevance expression of a question's skip conditions ('' when always asked)."""
    parts = []
    for c in question.conditions:
        controller = questionnaire.question(c.question)
        order = {v: i for i, v in enumerate(controller.option_values)} if controller else {}
        values = sorted(c.options, key=lambda v: (order.get(v, len(order)), v))
        alternatives = " or ".join(f"selected(${{{c.question}}}, '{v}')" for v in values)
        parts.append(alternatives if len(question.conditions) == 1 or len(c.options) == 1 else f"({alternatives})")
    return " and ".join(parts)


def constraint(question: Question) -> str:
    """Return the XLSForm constraint of a numeric question's bounds ('' when unbounded)."""
    parts = []
    if question.min_value is not None:
        parts.append(f". >= {_number(question.min_value)}")
    if question.max_value is not None:
        parts.append(f". <= {_number(question.max_value)}")
    return " and ".join(parts)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def _group_name(section_id: str) -> str:
    name = re.sub(r"[^A-Za-z0-9_]", "_", section_id)
    return name if re.match(r"[A-Za-z_]", name) else f"s_{name}"


def _each(texts, blank: str = "") -> list[str]:
    """Return a text in each language of the form, along its fallback chain, so that no language's column is empty."""
    return [pick(texts, lang) or blank for lang, _ in LANGUAGES] if texts else [blank] * len(LANGUAGES)


def _words(key: str) -> list[str]:
    return [localised(WORDS[key], lang) for lang, _ in LANGUAGES]


def write_xlsform(questionnaire: Questionnaire, path: Path | str) -> Path:
    """Write the questionnaire as an XLSForm .xlsx file, labels and hints in every language, and return its path."""
    wb = Workbook()
    survey = wb.active
    survey.title = "survey"
    survey.append(SURVEY_COLUMNS)
    choices = wb.create_sheet("choices")
    choices.append(CHOICES_COLUMNS)
    none = [""] * len(LANGUAGES)
    survey.append(["begin_group", IDENTITY_GROUP, *_words("assessment"), *none, "", "", "", ""])
    for kind, name, rule in _IDENTITY_ROWS:
        survey.append([kind, name, *_words(name), *none, "", rule, "yes", ""])
    survey.append(["calculate", VERSION_FIELD, *none, *none, "", "", "", f"'{questionnaire.version}'"])
    survey.append(["end_group", IDENTITY_GROUP, *none, *none, "", "", "", ""])
    for section in questionnaire.sections:
        group = _group_name(section.id)
        survey.append(["begin_group", group, *_each(section.label), *none, "", "", "", ""])
        for q in questionnaire.questions_in(section.id):
            survey.append([survey_type(q), q.code, *_each(q.text), *_each(q.help), relevance(questionnaire, q),
                           constraint(q), "no", ""])
            for o in q.options:
                choices.append([list_name(q), o.value, *_each(o.label, o.value)])
        survey.append(["end_group", group, *none, *none, "", "", "", ""])
    settings = wb.create_sheet("settings")
    settings.append(SETTINGS_COLUMNS)
    version_id = re.sub(r"[^A-Za-z0-9]", "_", questionnaire.version)
    settings.append([questionnaire.label.get("en", "tipkb questionnaire"), f"tipkb_questionnaire_{version_id}",
                     questionnaire.version, LANGUAGES[0][1]])
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
