"""Follow-up of a submitted assessment's recommendations: record a status, see its history, export it as CSV, and
see last year's recommendations from the assessment that continues them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from tipkb.assess import followup_store
from tipkb.assess.evidence import Evidence, EvidenceError
from tipkb.assess.followup import (
    NOTE_LENGTH,
    STATUSES,
    FollowUp,
    FollowUpChange,
    FollowUpError,
    StaleFollowUp,
    followup_csv,
)
from tipkb.assess.storage import Assessment, AssessmentNotFound, ConflictError
from tipkb.facts.labels import names
from tipkb.recommend.model import Recommendation
from tipkb.recommend.results import kept_results

from ..access import checked_answers, owned, previous
from ..auth import current_user, login_required
from ..db import get_questionnaire, get_store
from ..i18n import current_language, pick
from ..kb import get_kb
from .evidence import evidence_store, limit_text, listing

bp = Blueprint("followup", __name__, url_prefix="/assessments")
LANGS = ("en", "ru")
SUBJECT = "followup:"  # the evidence of a recommendation's follow-up is kept under "followup:<practice code>"


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
    evidence = listing(assessment)
    lines = [Line(r.practice_code, r.rank, r.title, r, kept.get(r.practice_code, FollowUp(r.practice_code)),
                  tuple(changes.get(r.practice_code, ())), evidence.get(SUBJECT + r.practice_code, ()))
             for r in recs]
    made = {r.practice_code for r in recs}
    lines += [Line(code, None, {"en": code}, None, f, tuple(changes.get(code, ())), evidence.get(SUBJECT + code, ()))
              for code, f in kept.items() if code not in made]
    return lines


def _line(assessment: Assessment, code: str) -> Line:
    found = next((line for line in board(assessment) if line.code == code), None)
    if found is None:
        abort(404)
    return found


def _submitted(assessment_id: int) -> Assessment | None:
    """Return the caller's submitted assessment; None (after a message) for a draft, 404 for another's."""
    assessment = owned(assessment_id)
    if not assessment.read_only:
        flash(_("Recommendations are followed up once the assessment is submitted."), "info")
        return None
    return assessment


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


@bp.get("/<int:assessment_id>/followup/<code>")
@login_required
def practice(assessment_id: int, code: str):
    assessment = _submitted(assessment_id)
    if assessment is None:
        return redirect(url_for("results.show", assessment_id=assessment_id))
    return _edit_page(assessment, _line(assessment, code))


def _edit_page(assessment: Assessment, line: Line, *, values: dict | None = None, problem: str | None = None,
               stale: FollowUp | None = None, status: int = 200):
    return render_template("followup/edit.html", a=assessment, line=line, values=values, problem=problem,
                           stale=stale, note_length=NOTE_LENGTH, statuses=STATUSES), status


@bp.post("/<int:assessment_id>/followup/<code>")
@login_required
def record(assessment_id: int, code: str):
    assessment = _submitted(assessment_id)
    if assessment is None:
        return redirect(url_for("results.show", assessment_id=assessment_id))
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
    if assessment is None:
        return redirect(url_for("results.show", assessment_id=assessment_id))
    line = _line(assessment, code)
    store, upload = evidence_store(), request.files.get("file")
    url, title = (request.form.get("url") or "").strip(), request.form.get("title")
    try:
        if upload is not None and upload.filename:
            try:
                data = upload.stream.read(store.max_bytes + 1)
            finally:
                upload.close()
            store.add_file(assessment_id, SUBJECT + code, data, upload.filename, title, user_id=current_user.id)
        elif url:
            store.add_link(assessment_id, SUBJECT + code, url, title, user_id=current_user.id)
        else:
            return _edit_page(assessment, line, problem=_("Give a web address or choose a file."), status=400)
    except EvidenceError as e:
        return _edit_page(assessment, line, problem=_evidence_problem(e), status=413 if e.code == "size" else 400)
    except AssessmentNotFound:
        abort(404)
    except ConflictError:
        return _edit_page(assessment, line, problem=_("The database is busy; nothing was added. Try again."),
                          status=503)
    flash(_("The evidence was added to “%(title)s”.", title=pick(line.title)), "success")
    return redirect(url_for("results.show", assessment_id=assessment_id, _anchor=f"fu-{code}"))


def _evidence_problem(e: EvidenceError) -> str:
    """Word why a link or file was not kept, as the answers' evidence does."""
    if e.code == "size":
        return _("The file is larger than %(size)s.", size=limit_text())
    if e.code in ("type", "empty"):
        return _("This file is not a PDF, PNG, JPEG, DOCX, XLSX or ODT document (its content decides, not its "
                 "name).")
    if e.code == "url-long":
        return _("A web address can be at most %(n)s characters long.", n=e.params["limit"])
    if e.code == "title-long":
        return _("A title can be at most %(n)s characters long.", n=e.params["limit"])
    return _("A link must be a web address that starts with http:// or https://.")


@bp.app_template_global()
def followup_evidence_limit() -> str:
    """Return the size limit of one evidence file as the pages say it ("8.0 MB")."""
    return limit_text()


@bp.get("/<int:assessment_id>/followup.csv")
@login_required
def export(assessment_id: int):
    assessment = owned(assessment_id)
    lang = request.args.get("lang") or current_language()
    if lang not in LANGS:
        abort(400, description=_("The export's language (lang) must be en or ru."))
    text = followup_csv(((line.rank, pick(line.title, lang), line.followup) for line in board(assessment)),
                        names(get_kb(), "followup-statuses", lang), lang)
    response = Response("\ufeff" + text, mimetype="text/csv")  # the mark tells spreadsheets the text is UTF-8
    name = f"tipkb-followup-{assessment.country}-{assessment.year}-{assessment.id}-{lang}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/<int:assessment_id>/last-year")
@login_required
def last_year(assessment_id: int):
    assessment = owned(assessment_id)
    if assessment.copied_from is None:
        return redirect(url_for("assessments.resume", assessment_id=assessment_id))
    source = owned(assessment.copied_from)
    return render_template("followup/last_year.html", a=assessment, source=source, lines=board(source))
