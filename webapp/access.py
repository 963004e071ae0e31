"""An organisation's own assessments: the ownership check, and what the results of one are computed from."""

from __future__ import annotations

from flask import abort

from tipkb.assess.answers import ValidatedAnswers, check_answers
from tipkb.assess.storage import Assessment, AssessmentNotFound

from .auth import current_user
from .db import get_questionnaire, get_store


def owned(assessment_id: int) -> Assessment:
    """Return the assessment if it belongs to the current user's organisation; 404 otherwise (no hint it exists)."""
    try:
        assessment = get_store().get(assessment_id)
    except AssessmentNotFound:
        abort(404)
    if not current_user.organisation or assessment.organisation != current_user.organisation:
        abort(404)
    return assessment


def checked_answers(assessment: Assessment) -> ValidatedAnswers:
    """Return a stored assessment's answers and notes as checked answers, with its country, year and organisation."""
    return check_answers(get_questionnaire(), assessment.answers, assessment.notes,
                         meta={"country": assessment.country, "year": assessment.year,
                               "organisation": assessment.organisation}).answers


def previous(assessment: Assessment) -> Assessment | None:
    """Return the organisation's latest submitted assessment of the same country made before this one."""
    return get_store().previous(assessment)
