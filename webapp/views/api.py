"""The JSON API under /api/."""

from flask import Blueprint, jsonify

from tipkb.countries import list_countries
from tipkb.profile import UnknownCountryError, country_profile

from ..kb import get_kb

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/countries")
def countries():
    return jsonify([
        {"code": c.code, "iri": c.iri, "label": c.label, "tier": c.tier, "tier_year": c.tier_year}
        for c in list_countries(get_kb(), "en")
    ])


@bp.get("/countries/<code>")
def country(code: str):
    try:
        return jsonify(country_profile(get_kb(), code))
    except UnknownCountryError as exc:
        return jsonify({"error": str(exc)}), 404
