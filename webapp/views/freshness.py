"""The experts' freshness view: facts a new report year updates, without a primary source, or in conflict."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l

from tipkb.checks.freshness import DESTINATIONS, FOCUS, REASONS, fact_rows, latest_report_year, work_queue
from tipkb.edit.entity_types import TYPES
from tipkb.namespaces import TIP

from ..auth import role_required
from ..editing import TYPE_NAMES
from ..kb import get_kb

bp = Blueprint("freshness", __name__, url_prefix="/freshness")
KIND_KEYS = {str(t.cls).removeprefix(str(TIP)): t.key for t in TYPES.values() if t.sourced}
STRENGTH_NAMES = {"primary": _l("primary"), "secondary": _l("secondary"), "unclassified": _l("unclassified")}
MAX_ROWS = 1000  # the whole KB has under a thousand sourced facts; filters narrow it further


@bp.get("/")
@role_required("expert", "admin")
def queue():
    country = (request.args.get("country") or "").upper()
    kind = request.args.get("kind") or ""
    reason = request.args.get("reason") or ""
    country = country if country in FOCUS + DESTINATIONS else ""
    kind = kind if kind in KIND_KEYS.values() else ""
    reason = reason if reason in REASONS else ""
    rows = fact_rows(get_kb())
    cls = next((c for c, k in KIND_KEYS.items() if k == kind), "")
    items = work_queue(rows, country=country, kind=cls, reasons=(reason,) if reason else REASONS)
    counts = {r: sum(r in i.reasons for i in items) for r in REASONS}
    reason_names = {"old": _l("not updated for the latest report year"), "secondary": _l("no primary source"),
                    "conflict": _l("in conflict with another record")}
    return render_template(
        "freshness/queue.html", items=items[:MAX_ROWS], total=len(items), counts=counts,
        latest=latest_report_year(rows),
        countries=FOCUS + DESTINATIONS, kinds=[(k, TYPE_NAMES[k]) for k in KIND_KEYS.values()], kind_keys=KIND_KEYS,
        reasons=REASONS, reason_names=reason_names, strength_names=STRENGTH_NAMES,
        country=country, kind=kind, reason=reason)
