"""Read and check answers to the questionnaire: the answers file format and per-question validation."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tipkb.assess.questionnaire import CHOICE_TYPES, DONT_KNOW, NUMERIC_TYPES, Question, Questionnaire
from tipkb.errors import TipkbError

SCHEMA_ID = "tipkb-answers/1"
DOCUMENT_KEYS = ("schema", "questionnaire", "country", "year", "organisation", "answers", "notes")
COUNTRY_PATTERN = re.compile(r"^[A-Z]{2}$")
YEAR_RANGE = (1900, 2100)
DEFAULT_YEAR_RANGE = (1000, 9999)
MAX_TEXT = 10_000


@dataclass(frozen=True)
class AnswerProblem:
    """One thing wrong with an answer or an answers file; `question` is the code at fault, if any."""

    message: str
    question: str | None = None
    field: str = "answers"

    def text(self) -> str:
        """Return the problem prefixed with the question code (or the field) it concerns."""
        return f"{self.question or self.field}: {self.message}"


class AnswerError(TipkbError):
    """Answers are invalid; `problems` lists each one, naming its question."""

    def __init__(self, problems: list[AnswerProblem] | tuple[AnswerProblem, ...]):
        self.problems = tuple(problems)
        count = len(self.problems)
        head = f"{count} invalid answer{'s' if count != 1 else ''}: " if count > 1 else ""
        super().__init__(head + "; ".join(p.text() for p in self.problems))


@dataclass(frozen=True)
class ValidatedAnswers:
    """Answers known to fit one questionnaire version: values (normalised) and notes by question code."""

    questionnaire: str
    values: Mapping[str, Any] = field(default_factory=dict)
    notes: Mapping[str, str] = field(default_factory=dict)
    country: str | None = None
    year: int | None = None
    organisation: str | None = None


@dataclass(frozen=True)
class AnswerCheck:
    """The valid part of some answers and the problems found in the rest."""

    answers: ValidatedAnswers
    problems: tuple[AnswerProblem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


def check_value(question: Question, value: Any) -> tuple[Any, str | None]:
    """Return the normalised value and None, or None and a message saying why the value does not fit."""
    kind = question.answer_type
    if kind in CHOICE_TYPES:
        return _check_choice(question, value)
    if kind in NUMERIC_TYPES:
        return _check_number(question, value)
    if kind == "free-text":
        if not isinstance(value, str) or not value.strip():
            return None, f"expected some text; got {_show(value)}"
        if len(value) > MAX_TEXT:
            return None, f"the text is {len(value)} characters long; at most {MAX_TEXT} are accepted"
        return value.strip(), None
    return None, f"the question has an unknown answer type {kind!r} in the KB"


def _options_text(question: Question) -> str:
    return ", ".join(repr(v) for v in question.option_values)


def _check_choice(question: Question, value: Any) -> tuple[Any, str | None]:
    allowed = question.option_values
    if question.answer_type != "multiple-choice":
        if not isinstance(value, str):
            return None, f"expected one of {_options_text(question)}; got {_show(value)}"
        if value not in allowed:
            return None, f"{value!r} is not an option; expected one of {_options_text(question)}"
        return value, None
    if not isinstance(value, list):
        return None, f"expected a list of options among {_options_text(question)}; got {_show(value)}"
    if not value:
        return None, "choose at least one option, or leave the question out"
    for v in value:
        if not isinstance(v, str) or v not in allowed:
            return None, f"{_show(v)} is not an option; expected some of {_options_text(question)}"
    if len(set(value)) != len(value):
        return None, "an option is chosen more than once"
    if DONT_KNOW in value and len(value) > 1:
        return None, f"{DONT_KNOW!r} cannot be combined with other options"
    return [v for v in allowed if v in value], None


def _check_number(question: Question, value: Any) -> tuple[Any, str | None]:
    if value == DONT_KNOW:
        return value, None
    what = "a year (a whole number)" if question.answer_type == "year" else (
        "a whole number" if question.integer else "a number")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None, f"expected {what} or {DONT_KNOW!r}; got {_show(value)}"
    if question.integer:
        if value != int(value):
            return None, f"expected {what}; got {_show(value)}"
        value = int(value)
    low, high = question.min_value, question.max_value
    if question.answer_type == "year" and low is None and high is None:
        low, high = DEFAULT_YEAR_RANGE
    if low is not None and value < low:
        return None, f"{_show(value)} is below the minimum {_show(low)}"
    if high is not None and value > high:
        return None, f"{_show(value)} is above the maximum {_show(high)}"
    return value, None


def _show(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, float) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


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
            problems.append(AnswerProblem(f"no such question in questionnaire {questionnaire.version}", code))
            continue
        normal, message = check_value(question, value)
        if message:
            problems.append(AnswerProblem(message, code))
            bad.add(code)
        else:
            clean[code] = normal
    asked = questionnaire.asked(clean)
    for code in [c for c in clean if not asked.get(c, False)]:
        del clean[code]
        conditions = questionnaire.question(code).conditions
        if any(c.question in bad for c in conditions):
            continue  # the controlling answer is already reported; its fix decides this one
        why = _why_skipped(questionnaire, code, asked)
        problems.append(AnswerProblem(f"answered, but the question is not asked: {why}", code))
    clean_notes: dict[str, str] = {}
    for code, note in (notes or {}).items():
        if note is None or note == "":
            continue
        if questionnaire.question(code) is None:
            problems.append(AnswerProblem(f"a note for a question that is not in questionnaire {questionnaire.version}",
                                          code, "notes"))
        elif not isinstance(note, str):
            problems.append(AnswerProblem(f"a note must be text; got {_show(note)}", code, "notes"))
        elif len(note) > MAX_TEXT:
            problems.append(AnswerProblem(f"the note is {len(note)} characters long; at most {MAX_TEXT} are accepted",
                                          code, "notes"))
        else:
            clean_notes[code] = note
    order = {q.code: i for i, q in enumerate(questionnaire.questions)}
    problems.sort(key=lambda p: (p.question is not None, order.get(p.question or "", len(order)), p.question or ""))
    answers = ValidatedAnswers(questionnaire.version, dict(sorted(clean.items(), key=lambda kv: order[kv[0]])),
                               clean_notes, **(meta or {}))
    return AnswerCheck(answers, tuple(problems))


def _why_skipped(questionnaire: Questionnaire, code: str, asked: Mapping[str, bool]) -> str:
    for c in questionnaire.question(code).conditions:
        controller = questionnaire.question(c.question)
        listed = [v for v in controller.option_values if v in c.options] if controller else sorted(c.options)
        wanted = " or ".join(repr(v) for v in listed)
        if not asked.get(c.question, False):
            return f"{c.question} is itself not asked"
        return f"it is asked only when {c.question} is answered {wanted}"
    return "its skip conditions do not hold"


def check_document(questionnaire: Questionnaire, data: Any) -> AnswerCheck:
    """Check a parsed answers file (format tipkb-answers/1) against a questionnaire, without raising."""
    empty = ValidatedAnswers(questionnaire.version)
    if not isinstance(data, Mapping):
        return AnswerCheck(empty, (AnswerProblem(f"expected a JSON object; got {_show(data)}", field="file"),))
    problems = []
    if data.get("schema") != SCHEMA_ID:
        problems.append(AnswerProblem(f"expected {SCHEMA_ID!r}; got {_show(data.get('schema'))}", field="schema"))
    version = data.get("questionnaire")
    if not isinstance(version, str):
        problems.append(AnswerProblem(f"expected the questionnaire version as text, e.g. {questionnaire.version!r}; "
                                      f"got {_show(version)}", field="questionnaire"))
    elif version != questionnaire.version:
        problems.append(AnswerProblem(f"the answers are for questionnaire version {version}, but the questionnaire "
                                      f"in use is version {questionnaire.version}", field="questionnaire"))
    if problems:  # another format or version: checking answers against this questionnaire would mislead
        return AnswerCheck(empty, tuple(problems))
    meta, problems = _check_meta(data)
    problems += [AnswerProblem(f"unknown key; the file may hold only {', '.join(DOCUMENT_KEYS)}", field=str(k))
                 for k in data if k not in DOCUMENT_KEYS]
    answers, notes = data.get("answers"), data.get("notes", {})
    if not isinstance(answers, Mapping):
        problems.append(AnswerProblem(f"expected an object of question code → answer; got {_show(answers)}",
                                      field="answers"))
        answers = {}
    if not isinstance(notes, Mapping):
        problems.append(AnswerProblem(f"expected an object of question code → note; got {_show(notes)}",
                                      field="notes"))
        notes = {}
    result = check_answers(questionnaire, answers, notes, meta=meta)
    return AnswerCheck(result.answers, tuple(problems) + result.problems)


def _check_meta(data: Mapping[str, Any]) -> tuple[dict[str, Any], list[AnswerProblem]]:
    problems: list[AnswerProblem] = []
    meta: dict[str, Any] = {}
    country = data.get("country")
    if country is None or (isinstance(country, str) and COUNTRY_PATTERN.match(country)):
        meta["country"] = country
    else:
        problems.append(AnswerProblem("expected an ISO 3166-1 alpha-2 code such as 'KG', or null; "
                                      f"got {_show(country)}", field="country"))
    year = data.get("year")
    if year is None or (type(year) is int and YEAR_RANGE[0] <= year <= YEAR_RANGE[1]):
        meta["year"] = year
    else:
        problems.append(AnswerProblem(f"expected a year between {YEAR_RANGE[0]} and {YEAR_RANGE[1]}, or null; "
                                      f"got {_show(year)}", field="year"))
    organisation = data.get("organisation")
    if organisation is None or (isinstance(organisation, str) and organisation.strip()):
        meta["organisation"] = organisation.strip() if organisation else None
    else:
        problems.append(AnswerProblem(f"expected the organisation's name, or null; got {_show(organisation)}",
                                      field="organisation"))
    return meta, problems


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
        raise AnswerError([AnswerProblem(f"{path}: not UTF-8 text", field="file")]) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise AnswerError([AnswerProblem(f"{path}: not valid JSON: {exc.msg} at line {exc.lineno}, "
                                         f"column {exc.colno}", field="file")]) from None


def answers_document(answers: ValidatedAnswers) -> dict[str, Any]:
    """Return answers as a tipkb-answers/1 document (the inverse of validate_answers)."""
    return {"schema": SCHEMA_ID, "questionnaire": answers.questionnaire, "country": answers.country,
            "year": answers.year, "organisation": answers.organisation,
            "answers": dict(answers.values), "notes": dict(answers.notes)}
