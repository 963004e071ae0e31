"""Country profile pages."""

from flask import Blueprint, abort, render_template

from tipkb.charts import statistics_chart, tier_chart
from tipkb.profile import UnknownCountryError, country_profile

from ..kb import get_kb
from .home import current_language

bp = Blueprint("countries", __name__, url_prefix="/countries")


@bp.get("/<code>")
def show(code: str):
    lang = current_language()
    try:
        profile = country_profile(get_kb(), code)
    except UnknownCountryError:
        abort(404)
    return render_template("countries/show.html", lang=lang, p=profile,
                           tier_svg=tier_chart(profile["tip_tiers"], lang),
                           stats_svg=statistics_chart(profile["statistics"], lang))
