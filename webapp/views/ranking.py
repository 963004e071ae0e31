"""The public "How we rank" page: the priority formula, its factors, tailoring, the levels shown, and every rule."""

from __future__ import annotations

from flask import Blueprint

from tipkb.recommend.rules import rule_titles

# What the report's methodology annex prints, read as it is: one wording of the factors for the web and the PDF.
from tipkb.report.context import method_figures, rule_list

from ..fragments import kb_page
from ..i18n import current_language
from ..kb import get_kb

bp = Blueprint("ranking", __name__)


@bp.get("/how-we-rank")
def show():
    return kb_page("how-we-rank", "ranking/show.html", _page)


def _page() -> dict:
    kb, lang = get_kb(), current_language()
    return {"method": method_figures(kb, lang), "rules": rule_list(kb, sorted(rule_titles(kb)), lang)}
