"""Move assessments in and out: the tipkb-answers/1 JSON document and a one-row-per-question CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from tipkb.assess.answers import SCHEMA_ID, AnswerError, AnswerProblem, ValidatedAnswers, validate_answers
from tipkb.assess.questionnaire import Questionnaire
from tipkb.assess.scoring import score_answers
from tipkb.assess.storage import Assessment, AssessmentStore

CSV_COLUMNS = ("code", "pillar", "section", "question", "answer", "score", "note", "status")


def assessment_document(assessment: Assessment) -> dict[str, Any]:
    """Return a stored assessment as a tipkb-answers/1 document."""
    return {"schema": SCHEMA_ID, "questionnaire": assessment.questionnaire_version,
            "country": assessment.country, "year": assessment.year, "organisation": assessment.organisation,
            "answers": dict(assessment.answers), "notes": dict(assessment.notes)}


def import_document(store: AssessmentStore, data: Any, *, organisation: str | None = None) -> Assessment:
    """Create a draft from a tipkb-answers/1 document; raise AnswerError listing its problems (and store nothing).

    `organisation` overrides the document's; the document must name a country and a year.
    """
    answers = validate_answers(store.questionnaire, data)
    organisation = organisation or answers.organisation
    missing = [AnswerProblem("required", field=name)
               for name, value in (("organisation", organisation), ("country", answers.country),
                                   ("year", answers.year)) if value is None]
    if missing:
        raise AnswerError(missing)
    created = store.create(organisation, answers.country, answers.year)
    return store.save_answers(created.id, answers.values, answers.notes)


def answers_csv(questionnaire: Questionnaire, answers: ValidatedAnswers | Mapping[str, Any],
                notes: Mapping[str, str] | None = None, lang: str = "en") -> str:
    """Return one CSV row per question: code, pillar, section, question text, answer, score (0–1), note, status."""
    year = answers.year if isinstance(answers, ValidatedAnswers) else None
    if isinstance(answers, ValidatedAnswers):
        notes = answers.notes if notes is None else notes
        answers = answers.values
    notes = notes or {}
    scores = score_answers(questionnaire, answers, year)
    pillars = {p.code: p.label.get(lang) or p.code for p in questionnaire.pillars}
    sections = {s.id: s.label.get(lang) or s.id for s in questionnaire.sections}
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(CSV_COLUMNS)
    for q in questionnaire.questions:
        s = scores.questions[q.code]
        value = answers.get(q.code) if s.asked else None
        status = ("skipped" if not s.asked else "dont-know" if s.dont_know
                  else "answered" if s.answered else "unanswered")
        out.writerow([q.code, pillars.get(q.pillar, q.pillar), sections.get(q.section, q.section),
                      q.text.get(lang) or q.text.get("en", ""), _cell(value),
                      "" if s.score is None else f"{s.score:g}", notes.get(q.code, ""), status])
    return buf.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)
