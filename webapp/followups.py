"""Follow-up of recommendations for the views: each recommendation with its status, history and evidence, the
wording of a refused change, and the CSV export (shared by the pages and the API)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Response, abort, request
from flask_babel import gettext as _

from tipkb.assess import followup_store
from tipkb.assess.evidence import Evidence
from tipkb.assess.followup import SUBJECT, FollowUp, FollowUpChange, FollowUpError, followup_csv
from tipkb.assess.storage import Assessment, AssessmentNotFound
from tipkb.facts.labels import names
from tipkb.i18n import LANGUAGES
from tipkb.recommend.model import Recommendation
from tipkb.recommend.results import kept_results

from .access import checked_answers, previous
from .db import get_questionnaire, get_store
from .evidence import evidence_store, keyed_listing
from .i18n import current_language, pick
from .kb import get_kb

LANGS = LANGUAGES


@dataclass(frozen=True)
class Line:
    """One recommendation with where it stands and its changes, newest first; `rec` None: no longer recommended."""

    code: str
    rank: int | None
    title: Any
    rec: Recommendation | None
    followup: FollowUp
    changes: tuple[FollowUpChange, ...]
    evidence: tuple[Evidence, ...] = ()


def recommended(assessment: Assessment) -> list[Recommendation]:
    """Return an assessment's recommendations, most urgent first (kept per content and KB version, as its results)."""
    return list(kept_results(get_kb(), get_questionnaire(), assessment, lambda: checked_answers(assessment),
                             previous(assessment), strict=False).recommendations.items)


def board(assessment: Assessment) -> list[Line]:
    """Return every recommendation of an assessment with its follow-up, then those followed up but no longer made."""
    kept = followup_store.followups(get_store(), assessment.id)
    changes: dict[str, list[FollowUpChange]] = {}
    for change in followup_store.history(get_store(), assessment.id):
        changes.setdefault(change.practice, []).append(change)
    recs = recommended(assessment)
    evidence = keyed_listing(assessment)  # the results page read it for its key in this request
    lines = [Line(r.practice_code, r.rank, r.title, r, kept.get(r.practice_code, FollowUp(r.practice_code)),
                  tuple(changes.get(r.practice_code, ())), evidence.get(SUBJECT + r.practice_code, ()))
             for r in recs]
    made = {r.practice_code for r in recs}
    lines += [Line(code, None, {"en": code}, None, f, tuple(changes.get(code, ())), evidence.get(SUBJECT + code, ()))
              for code, f in kept.items() if code not in made]
    return lines


def find(assessment: Assessment, code: str) -> Line | None:
    """Return one recommendation of an assessment with its follow-up, or None if it has no such recommendation."""
    return next((line for line in board(assessment) if line.code == code), None)


def problem_text(e: FollowUpError) -> str:
    """Word a follow-up that cannot be recorded, in the page language."""
    if e.code == "status-unknown":
        return _("Choose one of the statuses listed.")
    if e.code in ("date-invalid", "date-range"):
        return _("The date must be a day between 1 January 2000 and today, written as YYYY-MM-DD.")
    if e.code == "note-long":
        return _("The note can be at most %(limit)s characters long; it has %(length)s.", **e.params)
    if e.code == "not-submitted":
        return _("Recommendations are followed up once the assessment is submitted.")
    return _("This recommendation is not one of this assessment's.")


def csv_response(assessment: Assessment) -> Response:
    """Return the follow-up as a CSV attachment in the language of ?lang= (default: the page's); 400 for another."""
    lang = request.args.get("lang") or current_language()
    if lang not in LANGS:
        abort(400, description=_("The export's language (lang) must be one of %(languages)s.",
                                 languages=", ".join(LANGS)))
    lines = board(assessment)
    text = followup_csv(((line.rank, pick(line.title, lang), line.followup) for line in lines),
                        names(get_kb(), "followup-statuses", lang), lang, {line.code: line.evidence for line in lines})
    response = Response("\ufeff" + text, mimetype="text/csv")  # the mark tells spreadsheets the text is UTF-8
    name = f"tipkb-followup-{assessment.country}-{assessment.year}-{assessment.id}-{lang}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def remove_evidence_of(assessment_id: int, code: str, evidence_id: int) -> str | None:
    """Remove one link or file of a recommendation's follow-up and return its title; None if it has no such one."""
    store = evidence_store()
    try:
        item = store.get(assessment_id, evidence_id)
    except AssessmentNotFound:  # EvidenceNotFound is one: no such evidence in this assessment
        return None
    if item.subject != SUBJECT + code:
        return None
    store.remove(assessment_id, evidence_id)
    return item.title
