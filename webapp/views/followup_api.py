"""The follow-up API under /api/assessments/<id>/: each recommendation's status, a change to one, the history, the CSV.

Only the assessment's organisation reaches it (404 otherwise). A PUT needs the X-CSRFToken header, as every API
write does. Statuses: 400 a malformed body, 404 no such assessment or recommendation, 409 a stale version or a draft,
422 a value out of bounds. Errors are {"error", "message"}, with "fields" naming each body member at fault.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for

from tipkb.assess import followup_store
from tipkb.assess.followup import FollowUpError, StaleFollowUp
from tipkb.assess.storage import AssessmentNotFound, ConflictError

from ..access import owned
from ..auth import current_user, login_required
from ..db import get_store
from ..followups import Line, board, csv_response, find, problem_text, recommended

bp = Blueprint("followup_api", __name__, url_prefix="/api/assessments")
BODY = {"status": (str,), "date": (str, type(None)), "note": (str, type(None)), "version": (int,)}
REQUIRED = ("status", "version")


def _item(line: Line) -> dict:
    evidence = [{"id": e.id, "kind": e.kind, "title": e.title, "url": e.url,
                 "download": url_for("evidence.download", assessment_id=e.assessment_id, evidence_id=e.id)
                 if e.is_file else None} for e in line.evidence]
    return {**line.followup.as_dict(), "rank": line.rank, "title": dict(line.title), "recommended": bool(line.rec),
            "evidence": evidence}


def _error(status: int, error: str, message: str, **extra):
    return jsonify({"error": error, "message": message, **extra}), status


def _draft():
    return _error(409, "not-submitted", problem_text(FollowUpError("not-submitted", "")))


@bp.get("/<int:assessment_id>/followups")
@login_required
def listing(assessment_id: int):
    assessment = owned(assessment_id)
    lines = board(assessment) if assessment.read_only else []
    return jsonify({"assessment": assessment.id, "submitted": assessment.read_only,
                    "followups": [_item(line) for line in lines]})


@bp.route("/<int:assessment_id>/followups/<code>", methods=["GET", "PUT"])  # one rule: a huge id is a 404, not a 405
@login_required
def practice(assessment_id: int, code: str):
    if request.method == "PUT":
        return _put(assessment_id, code)
    assessment = owned(assessment_id)
    if not assessment.read_only:
        return _draft()
    line = find(assessment, code)
    if line is None:
        return _error(404, "not-found", problem_text(FollowUpError("practice-unknown", "")))
    return jsonify(_item(line))


def _put(assessment_id: int, code: str):
    assessment = owned(assessment_id)
    body = request.get_json(silent=True) if request.is_json else None
    if not isinstance(body, dict):
        return _error(400, "bad-request", "the body must be a JSON object", fields={"body": "a JSON object"})
    fields = {k: "not a member of a follow-up" for k in body if k not in BODY}
    fields |= {k: "required" for k in REQUIRED if k not in body}
    fields |= {k: "of the wrong type" for k, kinds in BODY.items()
               if k in body and (not isinstance(body[k], kinds) or isinstance(body[k], bool))}
    if fields:
        return _error(400, "bad-request", "; ".join(f"{k}: {v}" for k, v in fields.items()), fields=fields)
    if not assessment.read_only:
        return _draft()
    if find(assessment, code) is None:
        return _error(404, "not-found", problem_text(FollowUpError("practice-unknown", "")))
    try:
        followup_store.record(get_store(), assessment_id, code, body["status"], body.get("date"), body.get("note"),
                              by=current_user.email, expected_version=body["version"],
                              known={r.practice_code for r in recommended(assessment)})
    except StaleFollowUp as e:
        return _error(409, "stale", str(e), current=_item(find(assessment, code)))
    except FollowUpError as e:
        return _error(422, "invalid", problem_text(e), fields={e.field or "body": problem_text(e)})
    except AssessmentNotFound:
        return _error(404, "not-found", "no such assessment")
    except ConflictError as e:
        return _error(409, "busy", str(e))
    return jsonify(_item(find(assessment, code)))


@bp.get("/<int:assessment_id>/followup-history")
@login_required
def history(assessment_id: int):
    assessment = owned(assessment_id)
    practice_code = request.args.get("practice") or None
    changes = followup_store.history(get_store(), assessment.id, practice_code)
    return jsonify({"assessment": assessment.id, "changes": [c.as_dict() for c in changes]})


@bp.get("/<int:assessment_id>/followups.csv")
@login_required
def export(assessment_id: int):
    return csv_response(owned(assessment_id))
