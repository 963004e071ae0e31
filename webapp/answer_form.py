"""Turn questionnaire form fields into typed answers, save the valid ones, and word the problems of the rest.

The same field names serve the plain HTML form and the JavaScript autosave (which posts the fields of
the questions it changed as JSON), so both are parsed here the same way:
``shown`` lists the question codes whose inputs were on the page, ``q-CODE`` holds the answer
(repeated for multiple choice), ``q-CODE-dk`` ticks "don't know" for a number, ``note-CODE`` a note.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from tipkb import AnswerError, AssessmentStore, Questionnaire
from tipkb.assess.answers import check_note, check_value
from tipkb.assess.problems import AnswerProblem, message
from tipkb.assess.questionnaire import CHOICE_TYPES, DONT_KNOW, NUMERIC_TYPES
from tipkb.assess.storage import Assessment

from .i18n import current_language

_SPACES = re.compile(r"[\s\u00a0\u202f']")
MAX_FIELDS = 2_000  # pairs in one autosave body: a whole questionnaire's fields fit many times over
MAX_NAME = 64  # characters of a field name ("note-CODE", "q-CODE-dk")
MAX_VALUE = 100_000  # characters of one field value; longer answers and notes than MAX_TEXT get a per-question message


class BadBody(ValueError):
    """An autosave body that is not {"fields": [[name, value], ...]}; the message says what is wrong."""


@dataclass
class Submission:
    """What a form or autosave sent: typed values (None clears), notes, and the raw text to show back."""

    values: dict[str, Any] = field(default_factory=dict)
    notes: dict[str, str | None] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass
class SaveResult:
    """The assessment after saving, a message per question whose answer was not saved, and whose note was at fault."""

    assessment: Assessment
    errors: dict[str, str] = field(default_factory=dict)
    bad_notes: set[str] = field(default_factory=set)


def _number(text: str) -> Any:
    cleaned = _SPACES.sub("", text).replace(",", ".")
    for cast in (int, float):
        try:
            return cast(cleaned)
        except ValueError:
            continue
    return text  # not a number: check_value reports it


def parse_fields(questionnaire: Questionnaire, form: MultiDict | Iterable[tuple[str, str]]) -> Submission:
    """Read the answers and notes of the questions listed in `shown`; ignore everything else."""
    form = form if isinstance(form, MultiDict) else MultiDict(list(form))
    out = Submission()
    for code in dict.fromkeys(form.getlist("shown")):
        q = questionnaire.question(code)
        if q is None:
            continue
        name = f"q-{code}"
        if q.answer_type == "multiple-choice":
            chosen = [v for v in form.getlist(name) if v]
            out.values[code] = chosen or None
        elif q.answer_type in CHOICE_TYPES:
            if form.get(name):  # an unticked radio group leaves the stored answer alone
                out.values[code] = form.get(name)
        elif q.answer_type in NUMERIC_TYPES:
            text = (form.get(name) or "").strip()
            if form.get(f"{name}-dk"):
                out.values[code] = DONT_KNOW
            else:
                out.values[code] = _number(text) if text else None
                out.raw[code] = text
        else:
            text = (form.get(name) or "").strip()
            out.values[code] = text or None
            out.raw[code] = text
        if f"note-{code}" in form:
            out.notes[code] = (form.get(f"note-{code}") or "").strip() or None
    return out


def autosave_fields(payload: Any) -> list[tuple[str, str]]:
    """Return the [name, value] pairs of a parsed autosave body; raise BadBody saying, in the page language, why not.

    A value is text or null (null clears, as an empty field does); text holds no lone surrogate.
    """
    expected = _('Expected a JSON object {"fields": [[name, value], ...]}.')
    if not isinstance(payload, dict) or set(payload) != {"fields"} or not isinstance(payload["fields"], list):
        raise BadBody(expected)
    fields = payload["fields"]
    if len(fields) > MAX_FIELDS:
        raise BadBody(_("Too many fields in one save (at most %(n)s).", n=MAX_FIELDS))
    pairs = []
    for pair in fields:
        if not isinstance(pair, list) or len(pair) != 2 or not isinstance(pair[0], str):
            raise BadBody(expected)
        name, value = pair
        if value is not None and not isinstance(value, str):
            raise BadBody(_("The value of field %(name)s must be text or null.", name=name[:MAX_NAME]))
        value = value or ""
        if len(name) > MAX_NAME or len(value) > MAX_VALUE:
            raise BadBody(_("Field %(name)s is too long.", name=name[:MAX_NAME]))
        if not _encodable(name) or not _encodable(value):
            raise BadBody(_("Field %(name)s holds characters that are not valid text.",
                            name=name[:MAX_NAME].encode("utf-8", "replace").decode("utf-8")))
        pairs.append((name, value))
    return pairs


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")  # a lone surrogate (e.g. \ud800 from JSON) cannot be stored or shown
    except UnicodeEncodeError:
        return False
    return True


def explain(problem: AnswerProblem) -> str:
    """Return a problem as a sentence in the page language."""
    text = message(problem, current_language())
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")


def save(store: AssessmentStore, assessment: Assessment, sub: Submission) -> SaveResult:
    """Save every valid answer of a submission; report the others by question and leave their stored answers alone.

    Answers to questions that skip logic no longer asks are dropped, as a form hides them; the store
    decides that on the answers it holds when the save takes its lock, not on `assessment` as read
    before. A submitted, vanished or busy assessment raises ReadOnlyError, AssessmentNotFound or ConflictError.
    """
    q = store.questionnaire
    errors: dict[str, str] = {}
    bad_notes: set[str] = set()
    valid: dict[str, Any] = {}
    for code, value in sub.values.items():
        if value is None:
            valid[code] = None
            continue
        normal, problem = check_value(q.question(code), value)
        if problem:
            errors[code] = explain(problem)
        else:
            valid[code] = normal
    notes: dict[str, Any] = {}
    for code, note in sub.notes.items():
        problem = check_note(q, code, note)
        if problem and code not in errors:
            errors[code] = explain(problem)
            bad_notes.add(code)
        elif not problem:
            notes[code] = note
    if not valid and not notes:
        return SaveResult(assessment, errors, bad_notes)
    try:
        saved = store.save_answers(assessment.id, valid, notes, drop_unasked=True)
    except AnswerError as exc:
        for p in exc.problems:
            errors.setdefault(p.question or "", explain(p))
        return SaveResult(store.get(assessment.id), errors, bad_notes)
    return SaveResult(saved, errors, bad_notes)


@dataclass(frozen=True)
class Progress:
    """How far an assessment is: asked and answered questions, overall and per section."""

    asked: int
    answered: int
    sections: Mapping[str, tuple[int, int]]

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.asked) if self.asked else 0

    def as_dict(self) -> dict[str, Any]:
        return {"asked": self.asked, "answered": self.answered, "percent": self.percent,
                "sections": {k: {"asked": a, "answered": b} for k, (a, b) in self.sections.items()}}


def progress(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> Progress:
    """Count asked and answered questions, overall and per section."""
    asked = questionnaire.asked(answers)
    sections: dict[str, tuple[int, int]] = {}
    for q in questionnaire.questions:
        a, b = sections.get(q.section, (0, 0))
        if asked.get(q.code):
            sections[q.section] = (a + 1, b + (answers.get(q.code) is not None))
        else:
            sections.setdefault(q.section, (a, b))
    return Progress(sum(a for a, _ in sections.values()), sum(b for _, b in sections.values()), sections)


def conditions(questionnaire: Questionnaire) -> dict[str, list[list[Any]]]:
    """Return every question's skip conditions as {code: [[controlling code, [options]], ...]} for the browser."""
    return {x.code: [[c.question, sorted(c.options)] for c in x.conditions]
            for x in questionnaire.questions if x.conditions}


@dataclass(frozen=True)
class ToLookAt:
    """The asked questions still unanswered or answered "don't know", grouped by section in questionnaire order."""

    unanswered: int
    dont_know: int
    sections: list[tuple[Any, list[tuple[Any, str]]]]


def to_look_at(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> ToLookAt:
    """List the asked questions without an answer ("unanswered") or answered "don't know" ("dont-know")."""
    asked = questionnaire.asked(answers)
    counts = {"unanswered": 0, "dont-know": 0}
    sections = []
    for s in questionnaire.sections:
        found = []
        for q in questionnaire.questions_in(s.id):
            value = answers.get(q.code)
            if not asked.get(q.code):
                continue
            state = "unanswered" if value is None else "dont-know" if value == DONT_KNOW or (
                isinstance(value, list) and DONT_KNOW in value) else None
            if state:
                counts[state] += 1
                found.append((q, state))
        if found:
            sections.append((s, found))
    return ToLookAt(counts["unanswered"], counts["dont-know"], sections)
