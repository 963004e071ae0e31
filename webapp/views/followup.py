"""Follow-up of a submitted assessment's recommendations: record a status, see its history, export it as CSV, and
see last year's recommendations from the assessment that continues them."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from tipkb.assess import followup_store
from tipkb.assess.evidence import EvidenceError
from tipkb.assess.followup import NOTE_LENGTH, STATUSES, FollowUp, FollowUpError, StaleFollowUp
from tipkb.assess.storage import Assessment, AssessmentNotFound, ConflictError

from ..access import owned
from ..auth import current_user, login_required
from ..db import get_store
from ..evidence import keep, limit_text
from ..evidence import problem_text as evidence_problem
from ..followups import SUBJECT, Line, board, csv_response, find, problem_text, recommended, remove_evidence_of
from ..i18n import pick

bp = Blueprint("followup", __name__, url_prefix="/assessments")


def _line(assessment: Assessment, code: str) -> Line:
    found = find(assessment, code)
    if found is None:
        abort(404)
    return found


def _submitted(assessment_id: int) -> Assessment:
    """Return the caller's submitted assessment; a draft's results page (after a message), 404 for another's."""
    assessment = owned(assessment_id)
    if not assessment.read_only:
        flash(_("Recommendations are followed up once the assessment is submitted."), "info")
        abort(redirect(url_for("results.show", assessment_id=assessment_id)))
    return assessment


@bp.get("/<int:assessment_id>/followup/<code>")
@login_required
def practice(assessment_id: int, code: str):
    assessment = _submitted(assessment_id)
    return _edit_page(assessment, _line(assessment, code))


def _edit_page(assessment: Assessment, line: Line, *, values: dict | None = None, problem: str | None = None,
               stale: FollowUp | None = None, status: int = 200):
    return render_template("followup/edit.html", a=assessment, line=line, values=values, problem=problem,
                           stale=stale, note_length=NOTE_LENGTH, statuses=STATUSES), status


@bp.post("/<int:assessment_id>/followup/<code>")
@login_required
def record(assessment_id: int, code: str):
    assessment = _submitted(assessment_id)
    line = _line(assessment, code)
    form = request.form
    values = {"status": form.get("status", ""), "date": form.get("date", ""), "note": form.get("note", "")}
    try:
        version = int(form.get("version", ""))
        followup_store.record(get_store(), assessment_id, code, values["status"], values["date"], values["note"],
                              by=current_user.email, expected_version=version,
                              known={r.practice_code for r in recommended(assessment)})
    except ValueError:
        abort(400, description=_("The form lacks the version it was read at. Reload the page and try again."))
    except StaleFollowUp as e:
        return _edit_page(assessment, _line(assessment, code), values=values, stale=e.current, status=409)
    except FollowUpError as e:
        return _edit_page(assessment, line, values=values, problem=problem_text(e), status=422)
    except AssessmentNotFound:
        abort(404)
    except ConflictError:
        flash(_("The database was busy with other changes; nothing was saved. Please try again."), "error")
        return redirect(url_for("followup.practice", assessment_id=assessment_id, code=code))
    flash(_("The follow-up of “%(title)s” was saved.", title=pick(line.title)), "success")
    return redirect(url_for("results.show", assessment_id=assessment_id, _anchor=f"fu-{code}"))


@bp.post("/<int:assessment_id>/followup/<code>/evidence")
@login_required
def add_evidence(assessment_id: int, code: str):
    assessment = _submitted(assessment_id)
    line = _line(assessment, code)
    try:
        if keep(assessment_id, SUBJECT + code, request.files.get("file"), request.form.get("url"),
                request.form.get("title"), current_user.id) is None:
            return _edit_page(assessment, line, problem=_("Give a web address or choose a file."), status=400)
    except EvidenceError as e:
        return _edit_page(assessment, line, problem=evidence_problem(e), status=413 if e.code == "size" else 400)
    except AssessmentNotFound:
        abort(404)
    except ConflictError:
        return _edit_page(assessment, line, problem=_("The database is busy; nothing was added. Try again."),
                          status=503)
    flash(_("The evidence was added to “%(title)s”.", title=pick(line.title)), "success")
    return redirect(url_for("results.show", assessment_id=assessment_id, _anchor=f"fu-{code}"))


@bp.post("/<int:assessment_id>/followup/<code>/evidence/<int:evidence_id>/delete")
@login_required
def remove_evidence(assessment_id: int, code: str, evidence_id: int):
    _submitted(assessment_id)
    try:
        title = remove_evidence_of(assessment_id, code, evidence_id)
    except ConflictError:
        flash(_("The database is busy; nothing was removed. Try again."), "error")
        return redirect(url_for("followup.practice", assessment_id=assessment_id, code=code))
    if title is None:
        abort(404)
    flash(_("The evidence “%(title)s” was removed.", title=title), "success")
    return redirect(url_for("followup.practice", assessment_id=assessment_id, code=code))


bp.add_app_template_global(limit_text, "followup_evidence_limit")


@bp.get("/<int:assessment_id>/followup.csv")
@login_required
def export(assessment_id: int):
    return csv_response(owned(assessment_id))


@bp.get("/<int:assessment_id>/last-year")
@login_required
def last_year(assessment_id: int):
    assessment = owned(assessment_id)
    if assessment.copied_from is None:
        return redirect(url_for("assessments.resume", assessment_id=assessment_id))
    source = owned(assessment.copied_from)
    return render_template("followup/last_year.html", a=assessment, source=source, lines=board(source))
