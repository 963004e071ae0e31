"""The home page: what tipkb is and the five Central Asian countries at a glance."""

from flask import Blueprint, render_template

from tipkb.facts.catalogue import focus_overview
from tipkb.facts.countries import list_countries

from ..i18n import current_language
from ..kb import get_kb

bp = Blueprint("home", __name__)

__all__ = ["bp", "current_language"]


@bp.get("/")
def index():
    others = [c for c in list_countries(get_kb(), current_language()) if not c.is_focus]
    return render_template("home/index.html", countries=focus_overview(get_kb()), others=others)
