"""Country profile pages and a country's baseline recommendations (from KB facts alone)."""

from flask import Blueprint, abort, render_template, request

from tipkb.facts.catalogue import facets, list_instruments
from tipkb.facts.countries import list_countries
from tipkb.facts.labels import names as code_names
from tipkb.facts.profile import UnknownCountryError, country_profile, find_country
from tipkb.recommend.engine import recommend
from tipkb.report.charts import statistics_chart, tier_chart

from ..i18n import current_language
from ..kb import get_kb
from ..recommendations import read_filters

bp = Blueprint("countries", __name__, url_prefix="/countries")


@bp.get("/<code>")
def show(code: str):
    lang = current_language()
    try:
        profile = country_profile(get_kb(), code)
    except UnknownCountryError:
        abort(404)
    names = {c.code: c.label for c in list_countries(get_kb(), lang)}
    instruments = {i.code: i.label for i in list_instruments(get_kb())}
    return render_template("countries/show.html", p=profile, names=names, instruments=instruments,
                           tier_svg=tier_chart(profile["tip_tiers"], code_names(get_kb(), "tiers", lang), lang),
                           stats_svg=statistics_chart(profile["statistics"], code_names(get_kb(), "indicators", lang),
                                                      lang))


@bp.get("/<code>/recommendations")
def recommendations(code: str):
    kb = get_kb()
    try:
        _, label = find_country(kb, code)
    except UnknownCountryError:
        abort(404)
    options = facets(kb)
    chosen = read_filters(request.args, options)
    result = recommend(kb, country=code.upper(), strict=False, **chosen)
    return render_template("countries/recommendations.html", code=code.upper(), label=label, result=result,
                           facets=options, chosen=chosen)
