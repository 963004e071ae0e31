"""The home page: what tipkb is and which countries it covers."""

from flask import Blueprint, current_app, render_template, request

from tipkb.countries import list_countries

from ..kb import get_kb

bp = Blueprint("home", __name__)


def current_language() -> str:
    """Return the page language: ?lang=, else the browser's best match, else English."""
    languages = current_app.config["LANGUAGES"]
    asked = request.args.get("lang")
    if asked in languages:
        return asked
    return request.accept_languages.best_match(languages) or languages[0]


@bp.get("/")
def index():
    lang = current_language()
    countries = list_countries(get_kb(), lang)
    focus = [c for c in countries if c.is_focus]
    others = [c for c in countries if not c.is_focus]
    return render_template("home/index.html", lang=lang, focus=focus, others=others)
