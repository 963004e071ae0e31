"""Catalogues of gaps, best practices and international instruments: search, filters and one page per entry."""

from flask import Blueprint, abort, render_template, request

from tipkb.facts import catalogue
from tipkb.facts.catalogue import UnknownEntityError

from ..kb import get_kb

bp = Blueprint("catalogue", __name__)


def _filters(*names: str) -> dict[str, str | None]:
    return {n: (request.args.get(n) or "").strip() or None for n in names}


def _entry(getter, code: str):
    try:
        return getter(get_kb(), code)
    except UnknownEntityError:
        abort(404)


@bp.get("/gaps")
def gaps():
    chosen = _filters("q", "category", "pillar", "stakeholder")
    return render_template("catalogue/gaps.html", items=catalogue.list_gaps(get_kb(), **chosen),
                           facets=catalogue.facets(get_kb()), chosen=chosen)


@bp.get("/gaps/<code>")
def gap(code: str):
    return render_template("catalogue/gap.html", g=_entry(catalogue.get_gap, code))


@bp.get("/practices")
def practices():
    chosen = _filters("q", "category", "pillar", "stakeholder", "horizon")
    return render_template("catalogue/practices.html", items=catalogue.list_practices(get_kb(), **chosen),
                           facets=catalogue.facets(get_kb()), chosen=chosen)


@bp.get("/practices/<code>")
def practice(code: str):
    return render_template("catalogue/practice.html", p=_entry(catalogue.get_practice, code))


@bp.get("/instruments")
def instruments():
    chosen = _filters("q")
    return render_template("catalogue/instruments.html", items=catalogue.list_instruments(get_kb(), **chosen),
                           chosen=chosen)


@bp.get("/instruments/<code>")
def instrument(code: str):
    return render_template("catalogue/instrument.html", i=_entry(catalogue.get_instrument, code))
