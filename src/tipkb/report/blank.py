"""Typeset the blank questionnaire for printing with Typst: every question in full, with boxes to tick or fill in.

The questionnaire goes to the template (typst/blank.typ) as a JSON file, never as markup; the fonts and the
Typst compiler are the report's (tipkb.report.typeset).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from tipkb.assess.questionnaire import DONT_KNOW, NUMERIC_TYPES, Question, Questionnaire
from tipkb.i18n import LANGUAGES, localised_words
from tipkb.report.context import ReportError
from tipkb.report.marks import fallback_notes, marked, recording
from tipkb.report.typeset import HERE, SCRATCH, STANDARDS, compiler, tie_short_words

TEMPLATE = "blank.typ"
DATA = "blank.json"

# Written in English and Russian; the other languages translate the English text in the package's catalogue.
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "kind": "Blank questionnaire for printing", "version": "Questionnaire version {version}",
        "size": "{questions} questions in {sections} sections",
        "country": "Country", "year": "Year assessed", "organisation": "Organisation",
        "filled_by": "Filled in by", "date": "Date",
        "how": "How to fill in this questionnaire",
        "how_tick": "Where a question says “Tick one”, tick one box; where it says “Tick all that apply”, tick "
                    "every box that applies.",
        "how_numbers": "Write numbers and years in the ruled box. If you do not know the answer, tick “Don't know”: "
                       "such answers are left out of the scores, never counted as zero.",
        "how_skip": "Follow the skip instructions (→). A question that depends on a question you skipped or left "
                    "blank is skipped too.",
        "how_note": "Under each question, note where the answer comes from: a law, a report, a web address.",
        "how_enter": "To bring the answers into tipkb, type them into the questionnaire on the web site, or collect "
                     "them with the XLSForm in KoboToolbox or ODK Collect and import the export.",
        "tick_one": "Tick one", "tick_all": "Tick all that apply", "write": "Write your answer",
        "number": "A number from {min} to {max}", "whole": "A whole number from {min} to {max}",
        "year_range": "A year from {min} to {max}", "any_number": "A number", "any_year": "A year",
        "dont_know": "Don't know", "note": "Note or source",
        "only_if": "Answer only if {conditions}.",
        "answered": "you answered {options} to {code}", "ticked": "you ticked {options} for {code}",
        "skip": "If you answered {options} to {code}, skip {targets}.",
        "skip_none": "If you ticked none of {options} for {code}, skip {targets}.",
        "or": "or", "and": "and", "page": "Page", "of": "of", "open": "“", "close": "”",
        "draft_translation": ("The text of this document in this language is a draft translation that experts have not "
                              "reviewed yet."),
        "fallback_ru": "Texts marked RU are shown in Russian: they have no translation into this language yet.",
        "fallback_en": "Texts marked EN are shown in English: they have no translation into this language yet.",
    },
    "ru": {
        "kind": "Бланк вопросника для печати", "version": "Версия вопросника {version}",
        "size": "Вопросов: {questions}, разделов: {sections}",
        "country": "Страна", "year": "Оцениваемый год", "organisation": "Организация",
        "filled_by": "Заполнил(а)", "date": "Дата",
        "how": "Как заполнять вопросник",
        "how_tick": "Если у вопроса написано «Отметьте один вариант», отметьте одну клетку; если «Отметьте все "
                    "подходящие», отметьте все подходящие клетки.",
        "how_numbers": "Числа и годы впишите в клетку. Если ответ неизвестен, отметьте «Не знаю»: такие ответы не "
                       "входят в оценки и никогда не считаются нулём.",
        "how_skip": "Соблюдайте указания о пропуске (→). Вопрос, зависящий от пропущенного или оставленного без "
                    "ответа вопроса, тоже пропускается.",
        "how_note": "Под каждым вопросом укажите, откуда взят ответ: закон, доклад, веб-адрес.",
        "how_enter": "Чтобы перенести ответы в tipkb, введите их в вопросник на сайте или соберите их по форме "
                     "XLSForm в KoboToolbox или ODK Collect и импортируйте выгрузку.",
        "tick_one": "Отметьте один вариант", "tick_all": "Отметьте все подходящие", "write": "Впишите ответ",
        "number": "Число от {min} до {max}", "whole": "Целое число от {min} до {max}",
        "year_range": "Год от {min} до {max}", "any_number": "Число", "any_year": "Год",
        "dont_know": "Не знаю", "note": "Примечание или источник",
        "only_if": "Отвечайте, только если {conditions}.",
        "answered": "на вопрос {code} вы ответили {options}", "ticked": "в вопросе {code} вы отметили {options}",
        "skip": "Если на вопрос {code} вы ответили {options}, пропустите {targets}.",
        "skip_none": "Если в вопросе {code} вы не отметили ни один из вариантов {options}, пропустите {targets}.",
        "or": "или", "and": "и", "page": "Страница", "of": "из", "open": "«", "close": "»",
        "draft_translation": "Текст этого документа на этом языке — черновой перевод, эксперты его ещё не проверили.",
        "fallback_ru": "Тексты с пометкой RU даны на русском языке: их перевода на этот язык пока нет.",
        "fallback_en": "Тексты с пометкой EN даны на английском языке: их перевода на этот язык пока нет.",
    },
}


@lru_cache(maxsize=len(LANGUAGES))
def blank_words(lang: str) -> dict[str, str]:
    """Return the blank questionnaire's fixed wording in one language (a missing translation in its fallback)."""
    return localised_words(WORDS, lang)


@dataclass(frozen=True)
class BlankPdf:
    """A typeset blank questionnaire: the PDF's bytes and what Typst warned about (a glyph no font has, say)."""

    pdf: bytes
    warnings: tuple[str, ...]


def _quoted(labels: Iterable[str], w: dict[str, str], joiner: str) -> str:
    items = [f"{w['open']}{label}{w['close']}" for label in labels]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {w[joiner]} {items[-1]}"


def _listed(codes: list[str], w: dict[str, str]) -> str:
    return codes[0] if len(codes) == 1 else ", ".join(codes[:-1]) + f" {w['and']} {codes[-1]}"


def _labels(questionnaire: Questionnaire, code: str, values: Iterable[str], lang: str) -> list[str]:
    """Return the labels of a question's options among `values`, in the question's order."""
    question = questionnaire.question(code)
    if question is None:
        return sorted(values)
    return [marked(o.label, lang) or o.value for o in question.options if o.value in values]


def _only_if(questionnaire: Questionnaire, question: Question, lang: str) -> str | None:
    """Return when a question is asked, in words ("Answer only if you answered “Yes” or “Partly” to PT19.")."""
    w = blank_words(lang)
    parts = []
    for c in question.conditions:
        controller = questionnaire.question(c.question)
        kind = "ticked" if controller and controller.answer_type == "multiple-choice" else "answered"
        options = _quoted(_labels(questionnaire, c.question, c.options, lang), w, "or")
        parts.append(w[kind].format(options=options, code=c.question))
    return w["only_if"].format(conditions=f" {w['and']} ".join(parts)) if parts else None


def skip_instructions(questionnaire: Questionnaire, lang: str) -> dict[str, list[str]]:
    """Return, per controlling question, the skip instructions in words ("If you answered “No” to PT19, skip PT21.").

    A dependant is skipped when its controller's answer is none of the options that ask it; dependants skipped by
    the same answers are named in one instruction.
    """
    w = blank_words(lang)
    skipped: dict[str, dict[frozenset[str], list[str]]] = {}
    for question in questionnaire.questions:
        for c in question.conditions:
            skipped.setdefault(c.question, {}).setdefault(c.options, []).append(question.code)
    found: dict[str, list[str]] = {}
    for code, groups in skipped.items():
        controller = questionnaire.question(code)
        if controller is None:
            continue
        for asking, targets in groups.items():
            if controller.answer_type == "multiple-choice":
                labels, key, joiner = _labels(questionnaire, code, asking, lang), "skip_none", "and"
            else:
                labels, key, joiner = (_labels(questionnaire, code, set(controller.option_values) - asking, lang),
                                       "skip", "or")
            if labels:
                found.setdefault(code, []).append(w[key].format(
                    options=_quoted(labels, w, joiner), code=code, targets=_listed(targets, w)))
    return found


def _figure(value: float, lang: str) -> str:
    # English writes 1.5 and 100,000; the other languages 1,5 and 100 000 (a narrow no-break space)
    if not float(value).is_integer():
        return f"{value:g}".replace(".", ",") if lang != "en" else f"{value:g}"
    whole = int(value)
    if abs(whole) < 10_000:
        return str(whole)
    return f"{whole:,}".replace(",", "\u202f" if lang != "en" else ",")


def _answer_hint(question: Question, lang: str) -> str:
    w = blank_words(lang)
    kind = question.answer_type
    if kind == "multiple-choice":
        return w["tick_all"]
    if question.options:
        return w["tick_one"]
    if kind in NUMERIC_TYPES:
        low, high = question.min_value, question.max_value
        if low is None or high is None:
            return w["any_year" if kind == "year" else "any_number"]
        key = "year_range" if kind == "year" else "whole" if question.integer else "number"
        return w[key].format(min=_figure(low, lang), max=_figure(high, lang))
    return w["write"]


def _question(questionnaire: Questionnaire, question: Question, skips: dict[str, list[str]],
              lang: str) -> dict[str, Any]:
    kind = "choice" if question.options else "number" if question.answer_type in NUMERIC_TYPES else "text"
    return {"code": question.code, "text": marked(question.text, lang), "help": marked(question.help, lang) or None,
            "kind": kind, "hint": _answer_hint(question, lang),
            "options": [marked(o.label, lang) or o.value for o in question.options],
            # a number or year may be answered "don't know" (a choice question has it among its options)
            "dont_know": kind == "number" and DONT_KNOW not in question.option_values,
            "year": question.answer_type == "year",
            "only_if": _only_if(questionnaire, question, lang), "skips": skips.get(question.code, [])}


def blank_data(questionnaire: Questionnaire, lang: str) -> dict[str, Any]:
    """Return what the blank questionnaire's template prints, in one language, as JSON-safe data."""
    if lang not in LANGUAGES:
        raise ReportError(f"lang: {lang!r} is not one of {', '.join(LANGUAGES)}")
    w = blank_words(lang)
    with recording() as fallbacks:
        skips = skip_instructions(questionnaire, lang)
        pillars = []
        for pillar in questionnaire.pillars:
            sections = [{"label": marked(s.label, lang) or s.id,
                         "questions": [_question(questionnaire, q, skips, lang)
                                       for q in questionnaire.questions_in(s.id)]}
                        for s in questionnaire.sections if s.pillar == pillar.code]
            pillars.append({"label": marked(pillar.label, lang) or pillar.code, "sections": sections})
        title = marked(questionnaire.label, lang) or "tipkb"
    return {"lang": lang, "w": w, "title": title, "fallbacks": fallback_notes(fallbacks, w, lang),
            "version": w["version"].format(version=questionnaire.version),
            "size": w["size"].format(questions=len(questionnaire.questions), sections=len(questionnaire.sections)),
            "pillars": pillars}


def typeset_blank(questionnaire: Questionnaire, lang: str) -> BlankPdf:
    """Return the blank questionnaire in one language as a tagged A4 PDF (PDF/A-2a, PDF/UA-1), with Typst's warnings."""
    typst, fonts = compiler()
    text = json.dumps(blank_data(questionnaire, lang), ensure_ascii=False)
    with tempfile.TemporaryDirectory(prefix="tipkb-blank-", dir=SCRATCH if SCRATCH.is_dir() else None) as folder:
        place = Path(folder)
        shutil.copyfile(HERE / TEMPLATE, place / TEMPLATE)
        (place / DATA).write_text(tie_short_words(text) if lang == "ru" else text, encoding="utf-8")
        try:
            pdf, warnings = typst.compile_with_warnings(str(place / TEMPLATE), root=str(place), font_paths=fonts,
                                                        pdf_standards=STANDARDS, pdf_tags=True)
        except typst.TypstError as e:  # a template fault: the data is only ever printed
            raise ReportError(f"{HERE / TEMPLATE}: {e}") from e
    return BlankPdf(pdf, tuple(str(getattr(x, "message", x)) for x in warnings))
