"""The JSON API under /api/ (described by /api/openapi.json)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from flask import Blueprint, abort, jsonify, request

from tipkb.assess.exchange import assessment_document
from tipkb.assess.scoring import score_answers
from tipkb.facts import catalogue
from tipkb.facts.countries import list_countries
from tipkb.facts.profile import UnknownCountryError, country_profile, find_country
from tipkb.recommend.engine import recommend
from tipkb.recommend.results import kept_results

from ..access import checked_answers, owned, previous
from ..answer_form import progress
from ..auth import current_user, login_required
from ..db import get_questionnaire, get_store
from ..kb import get_kb
from ..recommendations import read_filters

bp = Blueprint("api", __name__, url_prefix="/api")
OPENAPI = Path(__file__).resolve().parent.parent / "openapi.json"


def _search_args(*names: str) -> dict[str, str | None]:
    return {n: (request.args.get(n) or "").strip() or None for n in names}


def _entry(getter, code: str):
    try:
        entry = getter(get_kb(), code)
    except catalogue.UnknownEntityError as exc:
        abort(404, description=str(exc))
    return get_kb().cached(f"api-entry:{type(entry).__name__}:{entry.code}", entry.as_dict)


def _listing(kind: str, find, *names: str):
    """Return a catalogue list as JSON, kept per KB version unless a search word or unknown filter makes it one-off."""
    args = _search_args(*names)
    options = catalogue.facets(get_kb())
    known = {r.code for refs in (options.categories, options.pillars, options.stakeholders, options.horizons)
             for r in refs}

    def build() -> list[dict]:
        return [x.as_dict() for x in find(get_kb(), **args)]

    if args.get("q") or any(v is not None and v not in known for k, v in args.items() if k != "q"):
        return jsonify(build())
    return jsonify(get_kb().cached(f"api-{kind}:" + ":".join(f"{k}={v or ''}" for k, v in sorted(args.items())),
                                   build))


@bp.get("/openapi.json")
def openapi():
    return jsonify(json.loads(OPENAPI.read_text(encoding="utf-8")))


@bp.get("/countries")
def countries():
    return jsonify(get_kb().cached("api-countries", lambda: [
        {"code": c.code, "iri": c.iri, "label": c.label, "tier": c.tier, "tier_year": c.tier_year}
        for c in list_countries(get_kb(), "en")
    ]))


@bp.get("/countries/<code>")
def country(code: str):
    try:
        return jsonify(country_profile(get_kb(), code))
    except UnknownCountryError as exc:
        return jsonify({"error": str(exc)}), 404


@bp.get("/gaps")
def gaps():
    return _listing("gaps", catalogue.list_gaps, "q", "category", "pillar", "stakeholder")


@bp.get("/gaps/<code>")
def gap(code: str):
    return jsonify(_entry(catalogue.get_gap, code))


@bp.get("/practices")
def practices():
    return _listing("practices", catalogue.list_practices, "q", "category", "pillar", "stakeholder", "horizon")


@bp.get("/practices/<code>")
def practice(code: str):
    return jsonify(_entry(catalogue.get_practice, code))


@bp.get("/instruments")
def instruments():
    return _listing("instruments", catalogue.list_instruments, "q")


@bp.get("/instruments/<code>")
def instrument(code: str):
    return jsonify(_entry(catalogue.get_instrument, code))


@bp.get("/questionnaire")
def questionnaire():
    q = get_questionnaire()
    return jsonify({
        "version": q.version, "iri": q.iri, "label": dict(q.label),
        "pillars": [dataclasses.asdict(p) for p in q.pillars],
        "sections": [dataclasses.asdict(s) for s in q.sections],
        "questions": [{
            "code": x.code, "iri": x.iri, "pillar": x.pillar, "section": x.section, "order": x.order,
            "answer_type": x.answer_type, "text": dict(x.text), "help": dict(x.help),
            "options": [{"value": o.value, "label": dict(o.label), "score": o.score} for o in x.options],
            "min": x.min_value, "max": x.max_value, "integer": x.integer,
            "asked_when": [{"question": c.question, "options": sorted(c.options)} for c in x.conditions],
        } for x in q.questions],
    })


def _summary(a) -> dict:
    return {"id": a.id, "country": a.country, "year": a.year, "status": a.status, "version": a.version,
            "questionnaire": a.questionnaire_version, "updated_at": a.updated_at.isoformat(),
            "submitted_at": a.submitted_at.isoformat() if a.submitted_at else None}


@bp.get("/assessments")
@login_required
def assessments():
    mine = get_store().list_for_organisation(current_user.organisation) if current_user.organisation else []
    return jsonify([_summary(a) for a in mine])


@bp.get("/assessments/<int:assessment_id>")
@login_required
def assessment(assessment_id: int):
    a = owned(assessment_id)
    q = get_questionnaire()
    return jsonify({**_summary(a), "document": assessment_document(a), "progress": progress(q, a.answers).as_dict(),
                    "scores": score_answers(q, a.answers, a.year).as_dict()})


@bp.get("/assessments/<int:assessment_id>/recommendations")
@login_required
def assessment_recommendations(assessment_id: int):
    a = owned(assessment_id)
    kb = get_kb()
    chosen = read_filters(request.args, catalogue.facets(kb))
    results = kept_results(kb, get_questionnaire(), a, lambda: checked_answers(a), previous(a), strict=False,
                           **chosen)
    comparison = results.comparison
    return jsonify({"assessment": a.id, "scores": results.scores.as_dict(),
                    "recommendations": results.recommendations.as_dict(),
                    "comparison": dataclasses.asdict(comparison) if comparison else None})


@bp.get("/recommendations")
def recommendations():
    code = (request.args.get("country") or "").upper()
    if not (len(code) == 2 and code.isascii() and code.isalpha()):
        return jsonify({"error": "bad-request", "message": "country: an ISO 3166-1 alpha-2 code, e.g. KG",
                        "fields": {"country": "an ISO 3166-1 alpha-2 code, e.g. KG"}}), 400
    try:
        find_country(get_kb(), code)
    except UnknownCountryError as exc:
        return jsonify({"error": str(exc)}), 404
    chosen = read_filters(request.args, catalogue.facets(get_kb()))
    result = recommend(get_kb(), country=code, strict=False, **chosen)
    # one baseline set per country and filters and KB version, so its run IRI names it
    return jsonify(get_kb().cached(f"api-baseline:{result.run_iri}", result.as_dict))
