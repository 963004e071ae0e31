"""A country's profile: ratifications, laws, tiers, statistics, routes, groups at risk and gaps.

`country_profile()` returns plain, JSON-ready data; the schema is documented in docs/country-profile.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from rdflib import Literal, URIRef

from tipkb.errors import TipkbError
from tipkb.i18n import LANGUAGES
from tipkb.namespaces import TIP_IRI
from tipkb.store.kb import KnowledgeBase
from tipkb.store.queries import packaged

LAW_KINDS = {
    "NationalLaw": "national-law",
    "CriminalCodeProvision": "criminal-code-provision",
    "NationalActionPlan": "national-action-plan",
    "ReferralMechanism": "referral-mechanism",
    "CoordinatingBody": "coordinating-body",
}


class UnknownCountryError(TipkbError):
    """No country with that ISO code is in the KB."""


def py(term: Any) -> Any:
    """Return a plain Python value for an RDF term: ints, floats, ISO dates and years, strings."""
    if term is None or isinstance(term, bool | int | float):  # None, or already plain (from `kb.rows`)
        return term
    if isinstance(term, Literal):
        dt = str(term.datatype or "")
        if dt.endswith(("#integer", "#int", "#long")):
            return int(term)
        if dt.endswith(("#decimal", "#double", "#float")):
            value = float(term)
            return int(value) if value.is_integer() else value
        if dt.endswith("#boolean"):
            return term.toPython()
        return str(term)
    return str(term)


def _whole(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _group(rows: Iterable[dict], build: Callable[[dict], dict]) -> list[dict]:
    """Fold one-row-per-source results into one record per IRI with a sorted `sources` list."""
    records: dict[str, dict] = {}
    for r in rows:
        key = str(r["record"])
        if key not in records:
            records[key] = {"id": key, **build(r), "sources": []}
        src = str(r["source"])
        if src not in records[key]["sources"]:
            records[key]["sources"].append(src)
    for rec in records.values():
        rec["sources"].sort()
    return list(records.values())


def _langs(r: dict, prefix: str) -> dict[str, str] | None:
    out = {lang: str(r[f"{prefix}_{lang}"]) for lang in LANGUAGES if f"{prefix}_{lang}" in r}
    return out or None


def find_country(kb: KnowledgeBase, code: str) -> tuple[URIRef, dict[str, str]]:
    """Return a country's IRI and labels; raise UnknownCountryError for an unknown code."""
    code = (code or "").strip().upper()
    return kb.cached(f"profile-country:{code}", lambda: _find_country(kb, code))


def _find_country(kb: KnowledgeBase, code: str) -> tuple[URIRef, dict[str, str]]:
    rows = kb.select(packaged("profile-country"), {"code": Literal(code)})
    if not rows:
        raise UnknownCountryError(f"country {code!r}: no country with this ISO 3166-1 alpha-2 code in the KB")
    r = rows[0]
    return r["country"], _langs(r, "label") or {}


def country_profile(kb: KnowledgeBase, code: str) -> dict[str, Any]:
    """Return the profile of the country with this ISO code (built once per KB version: do not change it)."""
    code = (code or "").strip().upper()
    return kb.cached(f"profile:{code}", lambda: _profile(kb, code))


def _profile(kb: KnowledgeBase, code: str) -> dict[str, Any]:
    iri, labels = find_country(kb, code)
    bind = {"country": iri}

    def rows(name: str) -> list[dict]:  # plain values through the store's native path, whole decimals as int
        return [{k: _whole(v) for k, v in r.items()} for r in kb.rows(packaged(name), bind)]

    ratifications = _group(rows("profile-ratifications"), lambda r: {
        "instrument": py(r["instrument"]), "status": py(r["status"]), "date": py(r.get("date")),
        "year": py(r.get("year")), "as_of": py(r["as_of"]), "confidence": py(r.get("confidence")),
        "note": _langs(r, "note"), "conflicts_with": py(r.get("conflict")),
    })
    laws = _group(rows("profile-laws"), lambda r: {
        "kind": LAW_KINDS[str(r["kind"]).removeprefix(TIP_IRI)], "title": _langs(r, "label"),
        "number": py(r.get("number")), "article": py(r.get("article")), "adopted": py(r.get("date")),
        "year": py(r.get("year")) or py(r.get("start")), "start_year": py(r.get("start")),
        "end_year": py(r.get("end")), "as_of": py(r["as_of"]), "confidence": py(r.get("confidence")),
    })
    tiers = _group(rows("profile-tiers"), lambda r: {
        "report_year": py(r["report_year"]), "tier": py(r["tier"]), "as_of": py(r["as_of"]),
        "confidence": py(r.get("confidence")), "conflicts_with": py(r.get("conflict")),
    })
    statistics = _group(rows("profile-statistics"), lambda r: {
        "report_year": py(r["report_year"]), "data_year": py(r.get("data_year")), "indicator": py(r["indicator"]),
        "value": py(r["value"]), "breakdown": _langs(r, "breakdown"), "as_of": py(r["as_of"]),
        "confidence": py(r.get("confidence")), "conflicts_with": py(r.get("conflict")),
    })
    routes = _group(rows("profile-routes"), lambda r: {
        "direction": py(r["direction"]), "country": py(r["other"]), "form": py(r.get("form")),
        "as_of": py(r["as_of"]), "confidence": py(r.get("confidence")),
    })
    groups = _group(rows("profile-groups"), lambda r: {
        "kind": py(r["kind"]), "code": py(r["code"]), "label": _langs(r, "label"), "as_of": py(r["as_of"]),
    })
    gaps = _group(rows("profile-gaps"), lambda r: {
        "gap": py(r.get("gap_code")) or str(r["gap"]).rsplit("/", 1)[-1].removeprefix("gap-"),
        "gap_iri": str(r["gap"]), "category": py(r["category"]), "severity": py(r["severity"]),
        "label": _langs(r, "label"), "text": _langs(r, "text"), "as_of": py(r["as_of"]),
        "confidence": py(r.get("confidence")),
    })
    return {
        "code": code,
        "iri": str(iri),
        "label": labels,
        "ratifications": ratifications,
        "laws": sorted(laws, key=lambda x: (x["kind"], str(x["adopted"] or x["year"] or ""), x["id"])),
        "tip_tiers": sorted(tiers, key=lambda t: (t["report_year"], t["id"])),
        "statistics": statistics,
        "destinations": [_route(r) for r in routes if r["direction"] == "destination"],
        "origins": [_route(r) for r in routes if r["direction"] == "origin"],
        "groups_at_risk": [g for g in groups if g["kind"] == "group"],
        "exploitation_forms": [g for g in groups if g["kind"] == "form"],
        "gaps": gaps,
    }


def _route(r: dict) -> dict:
    return {k: v for k, v in r.items() if k != "direction"}
