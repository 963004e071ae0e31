"""The evidence API under /api/assessments/<id>/evidence: list, add a link or a file, remove one, download one.

The web's rules hold: only the assessment's organisation reaches it (404 otherwise); an answer's evidence (subject: a
question code) changes only in a draft, a follow-up's ("followup:<practice code>") only once the assessment is
submitted; a file's type is read from its content and a file over the limit gets 413. A POST or DELETE needs the
X-CSRFToken header, as every API write does. Errors are {"error", "message"}, with "fields" naming each member at fault.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for
from flask_babel import gettext as _

from tipkb.assess.evidence import Evidence, EvidenceError
from tipkb.assess.followup import FollowUpError
from tipkb.assess.storage import Assessment, AssessmentNotFound, ConflictError, ReadOnlyError

from ..access import owned
from ..auth import current_user, login_required
from ..db import get_questionnaire
from ..evidence import evidence_store, keep, problem_text, stored_file
from ..followups import SUBJECT, find
from ..followups import problem_text as followup_problem

bp = Blueprint("evidence_api", __name__, url_prefix="/api/assessments")
MEMBERS = ("subject", "url", "title")  # of a JSON body (a link)
FIELD = {"size": "file", "type": "file", "empty": "file", "title-long": "title"}  # the member an EvidenceError names


def _item(e: Evidence) -> dict:
    return {"id": e.id, "subject": e.subject, "kind": e.kind, "title": e.title, "url": e.url,
            "media_type": e.media_type, "size": e.size, "sha256": e.sha256, "created_at": e.created_at.isoformat(),
            "download": url_for("evidence_api.file", assessment_id=e.assessment_id, evidence_id=e.id)
            if e.is_file else None}


def _error(status: int, error: str, message: str, **fields: str):
    return jsonify({"error": error, "message": message, **({"fields": fields} if fields else {})}), status


def _closed(assessment: Assessment, subject: str):
    """Return the refusal of a change to `subject`'s evidence in this assessment, or None if it may change."""
    if subject.startswith(SUBJECT):
        if not assessment.read_only:
            return _error(409, "not-submitted", followup_problem(FollowUpError("not-submitted", "")))
        if find(assessment, subject.removeprefix(SUBJECT)) is None:
            return _error(422, "invalid", followup_problem(FollowUpError("practice-unknown", "")),
                          subject=followup_problem(FollowUpError("practice-unknown", "")))
        return None
    if get_questionnaire().question(subject) is None:
        message = _("No question of the questionnaire has this code.")
        return _error(422, "invalid", message, subject=message)
    if assessment.read_only:
        return _error(409, "submitted", _("This assessment is submitted and can no longer change."))
    return None


@bp.route("/<int:assessment_id>/evidence", methods=["GET", "POST"])  # one rule: a huge id is a 404, not a 405
@login_required
def listing(assessment_id: int):
    if request.method == "POST":
        return _add(assessment_id)
    assessment = owned(assessment_id)
    subject = request.args.get("subject")
    found = evidence_store().listing(assessment.id)
    items = sorted((e for s, kept in found.items() if subject is None or s == subject for e in kept),
                   key=lambda e: e.id)
    return jsonify({"assessment": assessment.id, "draft": not assessment.read_only,
                    "evidence": [_item(e) for e in items]})


def _add(assessment_id: int):
    assessment = owned(assessment_id)
    upload = None
    if request.mimetype == "multipart/form-data":
        values = {k: request.form.get(k) for k in MEMBERS}
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            upload = None
    else:
        body = request.get_json(silent=True) if request.is_json else None
        if not isinstance(body, dict):
            return _error(400, "bad-request", _("Send a link as a JSON object, or a file as the multipart field "
                                                "file."), body="a JSON object or multipart/form-data")
        wrong = {k: "not a member of evidence" for k in body if k not in MEMBERS}
        wrong |= {k: "a string" for k in MEMBERS if k in body and not isinstance(body[k], str | None)}
        if wrong:
            return _error(400, "bad-request", "; ".join(f"{k}: {v}" for k, v in wrong.items()), **wrong)
        values = {k: body.get(k) for k in MEMBERS}
    subject, url = values["subject"] or "", (values["url"] or "").strip()
    if not subject:
        return _error(400, "bad-request", _("Say which answer (a question code) or follow-up (followup:<practice "
                                            "code>) the evidence is for."), subject="required")
    if upload is None and not url:
        message = _("Give a web address or choose a file.")
        return _error(400, "bad-request", message, url=message)
    refused = _closed(assessment, subject)
    if refused:
        return refused
    try:
        item = keep(assessment_id, subject, upload, url, values["title"], current_user.id)
    except EvidenceError as e:
        status, error = (413, "too-large") if e.code == "size" else (422, "invalid")
        return _error(status, error, problem_text(e), **{FIELD.get(e.code, "url"): problem_text(e)})
    except ReadOnlyError:
        return _error(409, "submitted", _("This assessment is submitted and can no longer change."))
    except AssessmentNotFound:
        return _error(404, "not-found", "no such assessment")
    except ConflictError:
        return _error(409, "busy", _("The database is busy; nothing was added. Try again."))
    response = jsonify(_item(item))
    response.headers["Location"] = url_for("evidence_api.listing", assessment_id=assessment_id, subject=subject)
    return response, 201


@bp.delete("/<int:assessment_id>/evidence/<int:item_id>")
@login_required
def remove(assessment_id: int, item_id: int):
    owned(assessment_id)
    store = evidence_store()
    try:
        store.remove(assessment_id, item_id)  # an answer's only in a draft (the store's rule)
    except AssessmentNotFound:  # EvidenceNotFound is one
        return _error(404, "not-found", "no such evidence in this assessment")
    except ReadOnlyError:
        return _error(409, "submitted", _("This assessment is submitted and can no longer change."))
    except ConflictError:
        return _error(409, "busy", _("The database is busy; nothing was removed. Try again."))
    return "", 204


@bp.get("/<int:assessment_id>/evidence/<int:evidence_id>/file")
@login_required
def file(assessment_id: int, evidence_id: int):
    owned(assessment_id)  # first: another organisation's assessment is a 404 before anything is read
    response = stored_file(assessment_id, evidence_id)
    if response is None:
        return _error(404, "not-found", "no stored file of this id in this assessment (a link has none)")
    return response
