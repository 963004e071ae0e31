"""The changeset API under /api/changesets (experts and admins only): list, read, submit an entity edit, revert.

Statuses: 201 applied or queued for review, 409 stale version or revert conflict, 422 invalid change.
"""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, abort, jsonify, request
from flask_login import current_user

from tipkb.edit.changesets import (
    ChangeConflictError,
    ChangesetError,
    ChangesetNotFound,
    InvalidChangeError,
    StaleEditError,
)
from tipkb.edit.entity_types import TYPES
from tipkb.edit.forms import FormError, build_edit, form_values
from tipkb.edit.model import Changeset, readable_diff

from ..auth import login_manager
from ..changes import get_changelog
from ..editing import needs_review
from ..kb import get_kb

bp = Blueprint("changes_api", __name__, url_prefix="/api/changesets")


@bp.before_request
def _editors_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.role not in ("expert", "admin"):
        abort(403)
    return None


def as_json(cs: Changeset) -> dict:
    """Return a changeset as JSON-ready data, with its triples and a per-property diff."""
    return {"id": cs.id, "author": cs.author, "created": cs.created.isoformat(), "reason": cs.reason,
            "status": cs.status, "seq": cs.seq, "reverts": cs.reverts_id, "reverted_by": cs.reverted_by_id,
            "entities": cs.entities,
            "changes": [{"op": c.op, "graph": c.graph, "subject": c.subject, "predicate": c.predicate,
                         "object": c.object} for c in cs.changes],
            "diff": {e: [{"subject": d.subject, "predicate": d.predicate, "removed": list(d.removed),
                          "added": list(d.added)} for d in diffs] for e, diffs in readable_diff(cs).items()}}


@bp.get("/")
def index():
    log = get_changelog()
    found = log.history(entity=request.args.get("entity"), status=request.args.get("status"),
                        limit=min(request.args.get("limit", 50, type=int), 500))
    return jsonify([as_json(cs) for cs in found])


@bp.get("/<int:cs_id>")
def show(cs_id: int):
    try:
        return jsonify(as_json(get_changelog().get(cs_id)))
    except ChangesetNotFound:
        abort(404)


@bp.get("/entity")
def entity():
    """Return an entity's current version (to send back with an edit)."""
    desc = get_changelog().describe(request.args.get("iri", ""))
    return jsonify({"iri": str(desc.iri), "version": desc.version, "exists": desc.exists})


@bp.post("/")
def submit():
    body = request.get_json(silent=True) or {}
    etype = TYPES.get(body.get("type", ""))
    if etype is None:
        return jsonify({"error": "type: unknown entity type", "types": sorted(TYPES)}), 422
    values = dict(body.get("values") or {})
    if body.get("iri"):  # fields the request leaves out keep their current values
        values = {**form_values(get_changelog().describe(body["iri"]), etype), **values}
    try:
        edit = build_edit(get_kb(), etype, values, iri=body.get("iri"),
                          base_version=body.get("version", ""), local_name=body.get("local_name"))
        cs = get_changelog().submit([edit], author=current_user.email, reason=body.get("reason", ""),
                                    pending=needs_review())
    except FormError as exc:
        return jsonify({"error": "invalid values", "fields": exc.errors}), 422
    except StaleEditError as exc:
        return jsonify({"error": "stale", "message": str(exc), "current_version": exc.current,
                        "changesets": [as_json(c) for c in exc.changesets]}), 409
    except InvalidChangeError as exc:
        return jsonify({"error": "invalid change", "problems": [asdict(p) for p in exc.problems]}), 422
    except ChangesetError as exc:
        return jsonify({"error": str(exc)}), 422
    return jsonify(as_json(cs)), 201


@bp.post("/<int:cs_id>/revert")
def revert(cs_id: int):
    body = request.get_json(silent=True) or {}
    try:
        cs = get_changelog().revert(cs_id, author=current_user.email, reason=body.get("reason") or f"revert #{cs_id}")
    except ChangesetNotFound:
        abort(404)
    except ChangeConflictError as exc:
        return jsonify({"error": str(exc)}), 409
    except InvalidChangeError as exc:
        return jsonify({"error": "invalid change", "problems": [asdict(p) for p in exc.problems]}), 422
    except ChangesetError as exc:
        return jsonify({"error": str(exc)}), 422
    return jsonify(as_json(cs)), 201
