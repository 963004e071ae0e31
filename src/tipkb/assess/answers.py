"""Read and check answers to the questionnaire: the answers file format and per-question validation."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tipkb.assess.migration import can_migrate, migrate_document
from tipkb.assess.problems import AnswerError, AnswerProblem
from tipkb.assess.questionnaire import CHOICE_TYPES, DONT_KNOW, NUMERIC_TYPES, Question, Questionnaire
from tipkb.jsonio import MAX_DEPTH, JSONInputError, strict_loads

SCHEMA_ID = "tipkb-answers/1"
DOCUMENT_KEYS = ("schema", "questionnaire", "country", "year", "organisation", "answers", "notes")
COUNTRY_PATTERN = re.compile(r"^[A-Z]{2}$")
YEAR_RANGE = (1900, 2100)
DEFAULT_YEAR_RANGE = (1000, 9999)
MAX_TEXT = 10_000


@dataclass(frozen=True)
class ValidatedAnswers:
    """Answers known to fit one questionnaire version: values (normalised) and notes by question code."""

    questionnaire: str
    values: Mapping[str, Any] = field(default_factory=dict)
    notes: Mapping[str, str] = field(default_factory=dict)
    country: str | None = None
    year: int | None = None
    organisation: str | None = None
    migrated_from: str | None = None


@dataclass(frozen=True)
class AnswerCheck:
    """The valid part of some answers and the problems found in the rest."""

    answers: ValidatedAnswers
    problems: tuple[AnswerProblem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


def check_value(question: Question, value: Any) -> tuple[Any, AnswerProblem | None]:
    """Return the normalised value and None, or None and the problem saying why the value does not fit."""
    kind = question.answer_type
    if kind in CHOICE_TYPES:
        return _check_choice(question, value)
    if kind in NUMERIC_TYPES:
        return _check_number(question, value)
    if kind == "free-text":
        if not isinstance(value, str) or not value.strip():
            return None, AnswerProblem("not-text", question.code, params={"value": value})
        if len(value) > MAX_TEXT:
            return None, AnswerProblem("text-too-long", question.code, params={"length": len(value), "max": MAX_TEXT})
        return value.strip(), None
    return None, AnswerProblem("unknown-answer-type", question.code, params={"type": kind})


def _check_choice(question: Question, value: Any) -> tuple[Any, AnswerProblem | None]:
    code, allowed = question.code, question.option_values
    if question.answer_type != "multiple-choice":
        if not isinstance(value, str):
            return None, AnswerProblem("expected-one-option", code, params={"value": value, "options": allowed})
        if value not in allowed:
            return None, AnswerProblem("unknown-option", code, params={"option": value, "options": allowed})
        return value, None
    if not isinstance(value, list):
        return None, AnswerProblem("expected-option-list", code, params={"value": value, "options": allowed})
    if not value:
        return None, AnswerProblem("no-option-chosen", code)
    for v in value:
        if not isinstance(v, str) or v not in allowed:
            return None, AnswerProblem("unknown-option-in-list", code, params={"value": v, "options": allowed})
    if len(set(value)) != len(value):
        return None, AnswerProblem("option-repeated", code)
    if DONT_KNOW in value and len(value) > 1:
        return None, AnswerProblem("dont-know-combined", code)
    return [v for v in allowed if v in value], None


def _check_number(question: Question, value: Any) -> tuple[Any, AnswerProblem | None]:
    if value == DONT_KNOW:
        return value, None
    code, year = question.code, question.answer_type == "year"
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None, AnswerProblem("not-a-year" if year else "not-a-whole-number" if question.integer
                                   else "not-a-number", code, params={"value": value})
    if question.integer:
        if value != int(value):
            return None, AnswerProblem("year-not-whole" if year else "not-whole", code, params={"value": value})
        value = int(value)
    low, high = question.min_value, question.max_value
    if year and low is None and high is None:
        low, high = DEFAULT_YEAR_RANGE
    if low is not None and value < low:
        if high is None:
            return None, AnswerProblem("below-minimum", code, params={"value": value, "min": low})
        return None, AnswerProblem("below-range", code, params={"value": value, "min": low, "max": high})
    if high is not None and value > high:
        if low is None:
            return None, AnswerProblem("above-maximum", code, params={"value": value, "max": high})
        return None, AnswerProblem("above-range", code, params={"value": value, "min": low, "max": high})
    return value, None


def check_note(questionnaire: Questionnaire, code: str, note: Any) -> AnswerProblem | None:
    """Return the problem with a note on a question, or None when it fits (an empty note always does)."""
    if note is None or note == "":
        return None
    if questionnaire.question(code) is None:
        return AnswerProblem("note-unknown-question", code, "notes", {"version": questionnaire.version})
    if not isinstance(note, str):
        return AnswerProblem("note-not-text", code, "notes", {"value": note})
    if len(note) > MAX_TEXT:
        return AnswerProblem("note-too-long", code, "notes", {"length": len(note), "max": MAX_TEXT})
    return None


def check_answers(questionnaire: Questionnaire, values: Mapping[str, Any],
                  notes: Mapping[str, Any] | None = None, *, meta: Mapping[str, Any] | None = None) -> AnswerCheck:
    """Check answers (code → value; None means unanswered) and notes against a questionnaire, without raising."""
    problems: list[AnswerProblem] = []
    clean: dict[str, Any] = {}
    bad: set[str] = set()
    for code, value in values.items():
        if value is None:
            continue
        question = questionnaire.question(code)
        if question is None:
            problems.append(AnswerProblem("unknown-question", code, params={"version": questionnaire.version}))
            continue
        normal, problem = check_value(question, value)
        if problem:
            problems.append(problem)
            bad.add(code)
        else:
            clean[code] = normal
    asked = questionnaire.asked(clean)
    for code in [c for c in clean if not asked.get(c, False)]:
        del clean[code]
        conditions = questionnaire.question(code).conditions
        if any(c.question in bad for c in conditions):
            continue  # the controlling answer is already reported; its fix decides this one
        problems.append(_skipped(questionnaire, code, asked))
    clean_notes: dict[str, str] = {}
    for code, note in (notes or {}).items():
        problem = check_note(questionnaire, code, note)
        if problem:
            problems.append(problem)
        elif note:
            clean_notes[code] = note
    order = {q.code: i for i, q in enumerate(questionnaire.questions)}
    problems.sort(key=lambda p: (p.question is not None, order.get(p.question or "", len(order)), p.question or ""))
    answers = ValidatedAnswers(questionnaire.version, dict(sorted(clean.items(), key=lambda kv: order[kv[0]])),
                               clean_notes, **(meta or {}))
    return AnswerCheck(answers, tuple(problems))


def _skipped(questionnaire: Questionnaire, code: str, asked: Mapping[str, bool]) -> AnswerProblem:
    c = questionnaire.question(code).conditions[0]  # only a condition can skip a question
    if not asked.get(c.question, False):
        return AnswerProblem("controller-not-asked", code, params={"controller": c.question})
    controller = questionnaire.question(c.question)
    listed = [v for v in controller.option_values if v in c.options] if controller else sorted(c.options)
    return AnswerProblem("not-asked", code, params={"controller": c.question, "answers": listed})


def check_document(questionnaire: Questionnaire, data: Any) -> AnswerCheck:
    """Check a parsed answers file (format tipkb-answers/1) against a questionnaire, without raising.

    A file for an older questionnaire version is first carried to this one (tipkb.assess.migration).
    """
    empty = ValidatedAnswers(questionnaire.version)
    source = data.get("questionnaire") if isinstance(data, Mapping) else None
    migrated = can_migrate(source, questionnaire.version) and data.get("schema") == SCHEMA_ID
    if migrated:
        data = migrate_document(data, questionnaire.version)
    if not isinstance(data, Mapping):
        return AnswerCheck(empty, (AnswerProblem("not-an-object", field="file", params={"value": data}),))
    problems = []
    if data.get("schema") != SCHEMA_ID:
        problems.append(AnswerProblem("wrong-schema", field="schema",
                                      params={"expected": SCHEMA_ID, "value": data.get("schema")}))
    version = data.get("questionnaire")
    if not isinstance(version, str):
        problems.append(AnswerProblem("version-not-text", field="questionnaire",
                                      params={"expected": questionnaire.version, "value": version}))
    elif version != questionnaire.version:
        problems.append(AnswerProblem("other-version", field="questionnaire",
                                      params={"version": version, "current": questionnaire.version}))
    if problems:  # another format or version: checking answers against this questionnaire would mislead
        return AnswerCheck(empty, tuple(problems))
    meta, problems = _check_meta(data)
    problems += [AnswerProblem("unknown-key", field=str(k), params={"keys": DOCUMENT_KEYS})
                 for k in data if k not in DOCUMENT_KEYS]
    answers, notes = data.get("answers"), data.get("notes", {})
    if not isinstance(answers, Mapping):
        problems.append(AnswerProblem("answers-not-an-object", field="answers", params={"value": answers}))
        answers = {}
    if not isinstance(notes, Mapping):
        problems.append(AnswerProblem("notes-not-an-object", field="notes", params={"value": notes}))
        notes = {}
    result = check_answers(questionnaire, answers, notes,
                           meta={**meta, "migrated_from": source} if migrated else meta)
    return AnswerCheck(result.answers, tuple(problems) + result.problems)


def identity_problems(organisation: Any, country: Any, year: Any) -> list[AnswerProblem]:
    """Return what is wrong with the organisation, country and year that identify an assessment (None passes)."""
    problems: list[AnswerProblem] = []
    if organisation is not None and not (isinstance(organisation, str) and organisation.strip()):
        problems.append(AnswerProblem("invalid-organisation", field="organisation", params={"value": organisation}))
    if country is not None and not (isinstance(country, str) and COUNTRY_PATTERN.match(country)):
        problems.append(AnswerProblem("invalid-country", field="country", params={"value": country}))
    if year is not None and not (type(year) is int and YEAR_RANGE[0] <= year <= YEAR_RANGE[1]):
        problems.append(AnswerProblem("invalid-year", field="year",
                                      params={"value": year, "min": YEAR_RANGE[0], "max": YEAR_RANGE[1]}))
    return problems


def _check_meta(data: Mapping[str, Any]) -> tuple[dict[str, Any], list[AnswerProblem]]:
    organisation, country, year = data.get("organisation"), data.get("country"), data.get("year")
    problems = identity_problems(organisation, country, year)
    wrong = {p.field for p in problems}
    meta = {"country": country, "year": year,
            "organisation": organisation.strip() if isinstance(organisation, str) else organisation}
    return {k: v for k, v in meta.items() if k not in wrong}, problems


def validate_answers(questionnaire: Questionnaire, data: Any) -> ValidatedAnswers:
    """Return the answers of a parsed answers file; raise AnswerError listing every problem if any."""
    result = check_document(questionnaire, data)
    if result.problems:
        raise AnswerError(result.problems)
    return result.answers


def read_answers_file(path: Path | str) -> Any:
    """Parse an answers file as JSON; raise AnswerError naming the file and position when it is not JSON."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise AnswerError([AnswerProblem("not-utf8", field="file", params={"path": str(path)})]) from None
    try:
        return strict_loads(text)
    except JSONInputError as exc:
        if exc.reason == "syntax":
            raise AnswerError([AnswerProblem("not-json", field="file", params={
                "path": str(path), "error": exc.message, "line": exc.line, "column": exc.column})]) from None
        raise AnswerError([_refused(path, exc)]) from None


def _refused(path: Path, exc: JSONInputError) -> AnswerProblem:
    """Return the problem of a file that is JSON but not JSON tipkb reads safely."""
    where = {"path": str(path)}
    if exc.reason == "constant":
        return AnswerProblem("json-not-a-number", field="file", params={**where, "value": exc.message})
    if exc.reason == "range":
        return AnswerProblem("json-out-of-range", field="file", params={**where, "value": exc.message})
    if exc.reason == "depth":
        return AnswerProblem("json-too-deep", field="file", params={**where, "max": MAX_DEPTH})
    return AnswerProblem("json-lone-surrogate", field="file", params=where)


def answers_document(answers: ValidatedAnswers) -> dict[str, Any]:
    """Return answers as a tipkb-answers/1 document (the inverse of validate_answers)."""
    return {"schema": SCHEMA_ID, "questionnaire": answers.questionnaire, "country": answers.country,
            "year": answers.year, "organisation": answers.organisation,
            "answers": dict(answers.values), "notes": dict(answers.notes)}
