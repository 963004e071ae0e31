"""Catalogues of gaps, best practices and international instruments: search, filters and one page per entry."""

from flask import Blueprint, abort, render_template, request
from markupsafe import Markup, escape

from tipkb.facts import catalogue
from tipkb.facts.catalogue import UnknownEntityError
from tipkb.facts.search import pieces

from ..fragments import kb_page
from ..kb import get_kb

bp = Blueprint("catalogue", __name__)


def _filters(*names: str) -> dict[str, str | None]:
    return {n: (request.args.get(n) or "").strip() or None for n in names}


def _entry(getter, code: str):
    try:
        return getter(get_kb(), code)
    except UnknownEntityError:
        abort(404)


def _marker(kind: str, q: str):
    """Return a function that escapes a text and marks the words the search found in it."""
    wanted = catalogue.search_terms(get_kb(), kind, q)

    def mark(text: str | None) -> Markup:
        return Markup("").join(Markup("<mark>%s</mark>") % piece if hit else escape(piece)
                               for piece, hit in pieces(text or "", wanted))
    return mark


def _listing(kind: str, template: str, items, chosen: dict[str, str | None], **context):
    """Render a catalogue list, from the cache unless a search word or an unknown filter value makes it one-off."""
    facets = context.get("facets")
    known = facets and {r.code for refs in (facets.categories, facets.pillars, facets.stakeholders, facets.horizons)
                        for r in refs}
    if chosen.get("q") or any(v is not None and v not in known for k, v in chosen.items() if k != "q"):
        mark = _marker(kind, chosen["q"]) if chosen.get("q") else escape
        return render_template(template, items=items(), chosen=chosen, mark=mark, **context)
    key = ":".join(f"{k}={v or ''}" for k, v in sorted(chosen.items()))
    return kb_page(key, template, lambda: {"items": items(), "chosen": chosen, "mark": escape, **context})


@bp.get("/gaps")
def gaps():
    chosen = _filters("q", "category", "pillar", "stakeholder")
    return _listing("gap", "catalogue/gaps.html", lambda: catalogue.list_gaps(get_kb(), **chosen), chosen,
                    facets=catalogue.facets(get_kb()))


@bp.get("/gaps/<code>")
def gap(code: str):
    entry = _entry(catalogue.get_gap, code)
    return kb_page(code, "catalogue/gap.html", lambda: {"g": entry})


@bp.get("/practices")
def practices():
    chosen = _filters("q", "category", "pillar", "stakeholder", "horizon")
    return _listing("practice", "catalogue/practices.html",
                    lambda: catalogue.list_practices(get_kb(), **chosen), chosen, facets=catalogue.facets(get_kb()))


@bp.get("/practices/<code>")
def practice(code: str):
    entry = _entry(catalogue.get_practice, code)
    return kb_page(code, "catalogue/practice.html", lambda: {"p": entry})


@bp.get("/instruments")
def instruments():
    chosen = _filters("q")
    return _listing("instrument", "catalogue/instruments.html",
                    lambda: catalogue.list_instruments(get_kb(), **chosen), chosen)


@bp.get("/instruments/<code>")
def instrument(code: str):
    entry = _entry(catalogue.get_instrument, code)
    return kb_page(code, "catalogue/instrument.html", lambda: {"i": entry})
