"""The experts' freshness view: facts a new report year updates, without a primary source, or in conflict; and the
checklist of what a new TIP report year should update, country by country."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tipkb.checks.checklist import report_year_checklist
from tipkb.checks.freshness import DESTINATIONS, FOCUS, REASONS, fact_rows, latest_report_year, work_queue
from tipkb.edit.entity_types import TYPES
from tipkb.facts.countries import list_countries
from tipkb.facts.labels import names as code_names
from tipkb.namespaces import TIP

from ..auth import role_required
from ..editing import TYPE_NAMES
from ..i18n import current_language
from ..kb import get_kb

bp = Blueprint("freshness", __name__, url_prefix="/freshness")
KIND_KEYS = {str(t.cls).removeprefix(str(TIP)): t.key for t in TYPES.values() if t.sourced}
STRENGTH_NAMES = {"primary": _l("primary"), "secondary": _l("secondary"), "unclassified": _l("unclassified")}
MAX_ROWS = 1000  # the whole KB has under a thousand sourced facts; filters narrow it further
FIRST_REPORT_YEAR = 2001  # the first TIP report
ITEM_KIND_NAMES = {"tier": _l("Tier rating"), "statistic": _l("Figure"), "narrative": _l("From the report's text")}
ITEM_EDIT_KINDS = {"tier": "tier-rating", "statistic": "statistic"}  # what a new report year adds a record of


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


@bp.get("/checklist")
@role_required("expert", "admin")
def checklist():
    """What a new TIP report year (?year=, by default the one after the latest the KB holds) should update."""
    kb = get_kb()
    rows = fact_rows(kb)
    latest = latest_report_year(rows) or date.today().year - 1
    year = _report_year(latest)
    lang = current_language()
    fact_kinds = {r.iri: KIND_KEYS.get(r.kind) for r in rows}
    return render_template(
        "freshness/checklist.html", year=year, latest=latest, years=range(latest + 1, latest - 4, -1),
        checklist=report_year_checklist(kb, year), fact_kinds=fact_kinds, kind_names=ITEM_KIND_NAMES,
        edit_kinds=ITEM_EDIT_KINDS, countries={c.code: c.label for c in list_countries(kb, lang)},
        indicators=code_names(kb, "indicators", lang))


def _report_year(latest: int) -> int:
    """Return ?year= (default: the year after the latest report); 400 unless a report year up to that one."""
    raw = request.args.get("year", "")
    if not raw:
        return latest + 1
    if not (raw.isascii() and raw.isdigit() and len(raw) == 4 and FIRST_REPORT_YEAR <= int(raw) <= latest + 1):
        abort(400, description=_("The report year must be a year from %(first)s to %(last)s.",
                                 first=FIRST_REPORT_YEAR, last=latest + 1))
    return int(raw)
