"""The changeset API under /api/changesets (experts and admins only): list, read, submit an entity edit, revert.

Statuses: 201 applied or queued for review, 400 a malformed request, 409 stale version or revert conflict,
422 invalid change. Errors are {"error", "message"}, with "fields" naming each request member at fault.
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
from tipkb.edit.forms import FormError, build_edit, editable_entity, form_values, is_iri, values_from_json
from tipkb.edit.languages import merge_texts
from tipkb.edit.model import Changeset, readable_diff

from ..auth import login_manager
from ..changes import get_changelog
from ..editing import needs_review
from ..kb import get_kb

bp = Blueprint("changes_api", __name__, url_prefix="/api/changesets")
STATUSES = ("applied", "pending", "rejected", "reverted")
MAX_LIMIT = 500
# the members of a submitted edit and their JSON types (None: may be null, as if left out)
SUBMIT = {"type": (str,), "iri": (str, None), "version": (str,), "values": (dict,), "local_name": (str, None),
          "reason": (str,)}
REQUIRED = ("type", "reason")
JSON_TYPES = {str: "a string", dict: "an object", None: "null"}


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


def _refused(status: int, error: str, fields: dict[str, str]):
    message = "; ".join(f"{name}: {text}" for name, text in fields.items())
    return jsonify({"error": error, "message": message, "fields": fields}), status


def _bad_request(fields: dict[str, str]):
    """Answer 400: the request is not shaped as documented (a member missing or of the wrong type)."""
    return _refused(400, "bad-request", fields)


def _limit(raw: str | None) -> int | None:
    if raw is None:
        return 50
    ok = raw.isascii() and raw.isdigit() and len(raw) <= len(str(MAX_LIMIT)) and 1 <= int(raw) <= MAX_LIMIT
    return int(raw) if ok else None


@bp.get("/")
def index():
    args, errors = request.args, {}
    limit = _limit(args.get("limit"))
    if limit is None:
        errors["limit"] = f"a whole number from 1 to {MAX_LIMIT}"
    if args.get("status") is not None and args["status"] not in STATUSES:
        errors["status"] = f"one of {', '.join(STATUSES)}"
    if args.get("entity") is not None and not is_iri(args["entity"]):
        errors["entity"] = "an absolute IRI (no spaces, control characters or <>\"{}|\\^`)"
    if errors:
        return _bad_request(errors)
    found = get_changelog().history(entity=args.get("entity"), status=args.get("status"), limit=limit)
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
    iri = request.args.get("iri")
    if iri is None:
        return _bad_request({"iri": "required"})
    if not is_iri(iri):
        return _bad_request({"iri": "an absolute IRI (no spaces, control characters or <>\"{}|\\^`)"})
    desc = get_changelog().describe(iri)
    return jsonify({"iri": str(desc.iri), "version": desc.version, "exists": desc.exists})


def _body(members: dict[str, tuple], required: tuple[str, ...]) -> tuple[dict, dict[str, str]]:
    """Return the JSON object a request sends and what is wrong with its shape (member → what it should be)."""
    body = request.get_json(silent=True)
    if body is None and not required and not request.get_data(cache=True):
        return {}, {}
    if not isinstance(body, dict):
        return {}, {"body": "a JSON object (sent as application/json)"}
    errors = {name: "required" for name in required if name not in body}
    for name, value in body.items():
        kinds = members.get(name)
        if kinds is None:
            errors[name] = f"not a member of this request (members: {', '.join(members)})"
        elif not any(value is None if k is None else isinstance(value, k) for k in kinds):
            errors[name] = " or ".join(JSON_TYPES[k] for k in kinds)
    return body, errors


@bp.post("/")
def submit():
    body, errors = _body(SUBMIT, REQUIRED)
    if body.get("iri") is not None and "version" not in body:
        errors.setdefault("version", "required with iri (read it from /api/changesets/entity)")
    if errors:
        return _bad_request(errors)
    etype = TYPES.get(body["type"])
    if etype is None:
        return _refused(422, "invalid values", {"type": f"unknown entity type (types: {', '.join(sorted(TYPES))})"})
    values, iri = dict(body.get("values") or {}), body.get("iri")
    names = {f.name for f in etype.fields}
    if unknown := sorted(set(values) - names):
        return _refused(422, "invalid values", {f"values.{k}": f"not a field of {etype.key} (fields: "
                                                f"{', '.join(f.name for f in etype.fields)})" for k in unknown})
    try:
        if iri is not None:  # fields (and a text's languages) the request leaves out keep their current values
            values = merge_texts(etype, form_values(get_changelog().describe(editable_entity(get_kb(), etype, iri)),
                                                    etype), values)
        values = values_from_json(etype, values)
        edit = build_edit(get_kb(), etype, values, iri=iri, base_version=body.get("version", ""),
                          local_name=body.get("local_name"))
        cs = get_changelog().submit([edit], author=current_user.email, reason=body["reason"],
                                    pending=needs_review())
    except FormError as exc:
        return _refused(422, "invalid values", {f"values.{k}" if k in names else k: v for k, v in exc.errors.items()})
    except StaleEditError as exc:
        return jsonify({"error": "stale", "message": str(exc), "current_version": exc.current,
                        "changesets": [as_json(c) for c in exc.changesets]}), 409
    except InvalidChangeError as exc:
        return _invalid(exc)
    except ChangesetError as exc:
        return jsonify({"error": "invalid change", "message": str(exc)}), 422
    return jsonify(as_json(cs)), 201


def _invalid(exc: InvalidChangeError):
    problems = [asdict(p) for p in exc.problems]
    return jsonify({"error": "invalid change", "message": "; ".join(p.text() for p in exc.problems),
                    "problems": problems}), 422


@bp.post("/<int:cs_id>/revert")
def revert(cs_id: int):
    body, errors = _body({"reason": (str, None)}, ())
    if errors:
        return _bad_request(errors)
    try:
        cs = get_changelog().revert(cs_id, author=current_user.email, reason=body.get("reason") or f"revert #{cs_id}")
    except ChangesetNotFound:
        abort(404)
    except ChangeConflictError as exc:
        return jsonify({"error": "conflict", "message": str(exc)}), 409
    except InvalidChangeError as exc:
        return _invalid(exc)
    except ChangesetError as exc:
        return jsonify({"error": "invalid change", "message": str(exc)}), 422
    return jsonify(as_json(cs)), 201
