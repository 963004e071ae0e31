"""Evidence with each answer: add a link or a file to a question of a draft, remove it, download a file.

Only members of the assessment's organisation reach any of it (404 for everyone else). A file is sent
as an attachment with the media type read from its content when it was uploaded, never rendered inline.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from tipkb.assess.evidence import Evidence, EvidenceError
from tipkb.assess.evidence_store import EvidenceNotFound
from tipkb.assess.storage import Assessment, AssessmentNotFound, ConflictError, ReadOnlyError

from ..access import owned
from ..auth import current_user, login_required
from ..db import get_questionnaire
from ..evidence import evidence_store, keep, keyed_listing, problem_text, stored_file

bp = Blueprint("evidence", __name__, url_prefix="/assessments")


def _section_url(assessment_id: int, code: str) -> str:
    question = get_questionnaire().question(code)
    return url_for("assessments.section", assessment_id=assessment_id, section_id=question.section,
                   _anchor=f"ev-{code}")


def _refused(assessment: Assessment, code: str, message: str, status: int):
    return render_template("evidence/refused.html", a=assessment, code=code, message=message,
                           back=_section_url(assessment.id, code)), status


@bp.post("/<int:assessment_id>/evidence")
@login_required
def add(assessment_id: int):
    assessment = owned(assessment_id)
    code = request.form.get("question") or ""
    if get_questionnaire().question(code) is None:
        abort(400, description=_("Say which question the evidence is for."))
    if assessment.read_only:
        return _refused(assessment, code, _("This assessment is submitted and can no longer change."), 409)
    try:
        if keep(assessment_id, code, request.files.get("file"), request.form.get("url"), request.form.get("title"),
                current_user.id) is None:
            return _refused(assessment, code, _("Give a web address or choose a file."), 400)
    except EvidenceError as e:
        return _refused(assessment, code, problem_text(e), 413 if e.code == "size" else 400)
    except ReadOnlyError:
        return _refused(assessment, code, _("This assessment is submitted and can no longer change."), 409)
    except AssessmentNotFound:
        abort(404)
    except ConflictError:
        return _refused(assessment, code, _("The database is busy; nothing was added. Try again."), 503)
    flash(_("The evidence was added to %(code)s.", code=code), "success")
    return redirect(_section_url(assessment_id, code))


@bp.post("/<int:assessment_id>/evidence/<int:evidence_id>/delete")
@login_required
def remove(assessment_id: int, evidence_id: int):
    assessment = owned(assessment_id)
    store = evidence_store()
    try:
        item = store.get(assessment_id, evidence_id)
        store.remove(assessment_id, evidence_id)
    except (EvidenceNotFound, AssessmentNotFound):
        abort(404)
    except ReadOnlyError:
        return _refused(assessment, item.subject, _("This assessment is submitted and can no longer change."), 409)
    except ConflictError:
        return _refused(assessment, item.subject, _("The database is busy; nothing was removed. Try again."), 503)
    flash(_("The evidence “%(title)s” was removed.", title=item.title), "success")
    if get_questionnaire().question(item.subject) is None:
        return redirect(url_for("assessments.review", assessment_id=assessment_id))
    return redirect(_section_url(assessment_id, item.subject))


@bp.get("/<int:assessment_id>/evidence/<int:evidence_id>")
@login_required
def download(assessment_id: int, evidence_id: int):
    owned(assessment_id)  # first: another organisation's assessment is a 404 before anything is read
    response = stored_file(assessment_id, evidence_id)
    if response is None:
        abort(404)
    return response


@bp.app_template_global()
def answer_evidence(assessment: Assessment) -> dict[str, tuple[Evidence, ...]]:
    """Return an assessment's evidence by the IRI of its question, as a recommendation's trace names an answer."""
    questionnaire = get_questionnaire()
    return {q.iri: items for code, items in keyed_listing(assessment).items() if (q := questionnaire.question(code))}
