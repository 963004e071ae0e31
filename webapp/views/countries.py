"""Country profile pages and a country's baseline recommendations (from KB facts alone)."""

from flask import Blueprint, abort, request

from tipkb.facts.catalogue import facets, list_instruments
from tipkb.facts.countries import FOCUS_CODES, list_countries
from tipkb.facts.labels import names as code_names
from tipkb.facts.overview import country_overview
from tipkb.facts.profile import UnknownCountryError, country_profile, find_country
from tipkb.recommend.engine import recommend
from tipkb.report.charts import statistics_chart, tier_chart

from ..fragments import kb_page
from ..i18n import current_language
from ..kb import get_kb
from ..recommendations import read_filters

bp = Blueprint("countries", __name__, url_prefix="/countries")


@bp.get("/<code>")
def show(code: str):
    kb, lang = get_kb(), current_language()
    try:
        profile = country_profile(kb, code)
    except UnknownCountryError:
        abort(404)
    return kb_page(profile["code"], "countries/show.html", lambda: _profile_page(kb, profile, lang))


def _profile_page(kb, profile: dict, lang: str) -> dict:
    instruments = {i.code: i.label for i in list_instruments(kb)}
    return {
        "p": profile, "o": country_overview(profile, len(instruments)), "assessable": profile["code"] in FOCUS_CODES,
        "names": {c.code: c.label for c in list_countries(kb, lang)}, "instruments": instruments,
        "tier_svg": tier_chart(profile["tip_tiers"], code_names(kb, "tiers", lang), lang),
        "stats_svg": statistics_chart(profile["statistics"], code_names(kb, "indicators", lang), lang)}


@bp.get("/<code>/recommendations")
def recommendations(code: str):
    kb = get_kb()
    try:
        _, label = find_country(kb, code)
    except UnknownCountryError:
        abort(404)
    options = facets(kb)
    chosen = read_filters(request.args, options)
    code = code.strip().upper()
    key = ":".join([code, *(f"{k}={v or ''}" for k, v in sorted(chosen.items()))])
    return kb_page(key, "countries/recommendations.html", lambda: {
        "code": code, "label": label, "facets": options, "chosen": chosen,
        "result": recommend(kb, country=code, strict=False, **chosen)})
