"""The catalogues of gaps, best practices and international instruments: listing, search, filters, one entry.

Every function returns frozen dataclasses with labels and texts as ``{"en": …, "ru": …}`` dicts;
`as_dict()` gives them JSON-ready. `practices(kb)` and `gaps(kb)` are the one reading of the KB's practices
and gaps (cached per KB version); the recommendation engine derives its tables from them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rdflib import Literal
from rdflib.namespace import DCTERMS, RDFS, SKOS

from tipkb.errors import TipkbError
from tipkb.facts.countries import FOCUS_CODES, list_countries
from tipkb.facts.entries import (
    CountryOverview,
    Example,
    Facets,
    Gap,
    GapSummary,
    Instrument,
    Practice,
    Ratification,
    Ref,
)
from tipkb.facts.profile import py
from tipkb.facts.search import LABEL, TEXT, SearchIndex
from tipkb.i18n import LANGUAGES
from tipkb.namespaces import TIP, TIP_IRI
from tipkb.store.kb import KnowledgeBase
from tipkb.store.queries import packaged

RDFS_LABEL = str(RDFS.label)


class UnknownEntityError(TipkbError):
    """No gap, practice or instrument with that short code is in the KB."""


# --- reading the KB -----------------------------------------------------------------------------

def _texts(values: Iterable[Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    for v in values:
        if isinstance(v, Literal) and v.language in LANGUAGES:
            found.setdefault(v.language, str(v))
    return {lang: found[lang] for lang in LANGUAGES if lang in found}


def _index_rows(kb: KnowledgeBase) -> list[dict[str, Any]]:
    return kb.cached("catalogue-index-rows", lambda: kb.select(packaged("catalogue-index")))


def _index(kb: KnowledgeBase) -> dict[str, Ref]:
    return kb.cached("catalogue-index", lambda: _build_index(kb))


def _build_index(kb: KnowledgeBase) -> dict[str, Ref]:
    found: dict[str, dict[str, Any]] = {}
    for r in _index_rows(kb):
        item = found.setdefault(str(r["s"]), {"code": str(r["code"]), "label": {}, "order": 0})
        label = r.get("label")
        if isinstance(label, Literal) and label.language in LANGUAGES:
            item["label"].setdefault(label.language, str(label))
        if "order" in r:
            item["order"] = int(r["order"].toPython())
    return {iri: Ref(d["code"], iri, d["label"], d["order"]) for iri, d in found.items()}


def _describe(kb: KnowledgeBase, cls: str) -> dict[str, dict[str, list[Any]]]:
    return kb.cached(f"catalogue-describe:{cls}", lambda: _build_describe(kb, cls))


def _build_describe(kb: KnowledgeBase, cls: str) -> dict[str, dict[str, list[Any]]]:
    out: dict[str, dict[str, list[Any]]] = {}
    for r in kb.select(packaged("catalogue-describe"), {"class": TIP[cls]}):
        out.setdefault(str(r["s"]), {}).setdefault(str(r["p"]), []).append(r["o"])
    return out


def _refs(index: Mapping[str, Ref], values: Iterable[Any]) -> tuple[Ref, ...]:
    refs = {index[str(v)] for v in values if str(v) in index}
    return tuple(sorted(refs, key=lambda r: (r.order, r.code)))


def _one(index: Mapping[str, Ref], values: Iterable[Any]) -> Ref | None:
    refs = _refs(index, values)
    return refs[0] if refs else None


def _first(values: list[Any] | None) -> Any:
    return py(values[0]) if values else None


def _sources(props: Mapping[str, list[Any]]) -> tuple[str, ...]:
    return tuple(sorted(str(s) for s in props.get(str(DCTERMS.source), [])))


def _code(props: Mapping[str, list[Any]], iri: str) -> str:
    return str(_first(props.get(str(TIP.shortCode))) or iri.rsplit("/", 1)[-1])


# --- building entries ---------------------------------------------------------------------------

def practices(kb: KnowledgeBase) -> tuple[Practice, ...]:
    """Return every best practice in the KB, by short code (read once per KB version)."""
    return kb.cached("catalogue-practices", lambda: tuple(_practices(kb, _index(kb))))


def gaps(kb: KnowledgeBase) -> tuple[Gap, ...]:
    """Return every gap in the KB, by category, severity (highest first) and code (read once per KB version)."""
    return kb.cached("catalogue-gaps", lambda: tuple(_gaps(kb, _index(kb), practices(kb))))


def category_weights(kb: KnowledgeBase) -> dict[str, float]:
    """Return how much a gap of each category counts in a recommendation's need, by category IRI (cached)."""
    def build() -> dict[str, float]:
        weights = {iri: _first(p.get(str(TIP.weight))) for iri, p in _describe(kb, "GapCategory").items()}
        return {iri: float(w) for iri, w in weights.items() if w is not None}
    return kb.cached("catalogue-category-weights", build)


def _practices(kb: KnowledgeBase, index: Mapping[str, Ref]) -> list[Practice]:
    examples: dict[str, list[Example]] = {}
    for props in _describe(kb, "PracticeExample").values():
        country = _one(index, props.get(str(TIP.country), []))
        for practice in props.get(str(TIP.practice), []):
            if country is not None:
                examples.setdefault(str(practice), []).append(Example(
                    country, bool(_first(props.get(str(TIP.isPositive)))), _texts(props.get(str(TIP.text), [])),
                    _sources(props), _first(props.get(str(TIP.asOf)))))
    gap_props = _describe(kb, "Gap")
    out = []
    for iri, p in _describe(kb, "BestPractice").items():
        gaps = p.get(str(TIP.addressesGap), [])
        categories = [c for g in gaps for c in gap_props.get(str(g), {}).get(str(TIP.gapCategory), [])]
        out.append(Practice(
            _code(p, iri), iri, _texts(p.get(RDFS_LABEL, [])),
            _texts(p.get(str(SKOS.definition), [])), _refs(index, gaps), _refs(index, categories),
            _refs(index, p.get(str(TIP.pillar), [])), _refs(index, p.get(str(TIP.stakeholder), [])),
            _one(index, p.get(str(TIP.timeHorizon), [])), _one(index, p.get(str(TIP.effort), [])),
            _one(index, p.get(str(TIP.evidenceLevel), [])), _refs(index, p.get(str(TIP.derivedFromFramework), [])),
            tuple(sorted(examples.get(iri, []), key=lambda e: (not e.positive, e.country.code))),
            _sources(p), _first(p.get(str(TIP.asOf)))))
    return sorted(out, key=lambda x: x.code)


def _gaps(kb: KnowledgeBase, index: Mapping[str, Ref], every_practice: Iterable[Practice]) -> list[Gap]:
    documented: dict[str, set[str]] = {}
    for props in _describe(kb, "DocumentedGap").values():
        for gap in props.get(str(TIP.gap), []):
            documented.setdefault(str(gap), set()).update(str(c) for c in props.get(str(TIP.country), []))
    by_gap: dict[str, list[Practice]] = {}
    for practice in every_practice:
        for g in practice.gaps:
            by_gap.setdefault(g.iri, []).append(practice)
    out = []
    for iri, p in _describe(kb, "Gap").items():
        addressing = by_gap.get(iri, [])
        out.append(Gap(
            _code(p, iri), iri, _texts(p.get(RDFS_LABEL, [])), _texts(p.get(str(SKOS.definition), [])),
            _one(index, p.get(str(TIP.gapCategory), [])), _first(p.get(str(TIP.severity))),
            _refs(index, p.get(str(TIP.derivedFromFramework), [])),
            tuple(index[x.iri] for x in addressing if x.iri in index),
            _merge(x.pillars for x in addressing), _merge(x.stakeholders for x in addressing),
            _refs(index, documented.get(iri, ())), _sources(p), _first(p.get(str(TIP.asOf)))))
    return sorted(out, key=lambda g: (g.category.order if g.category else 99, -(g.severity or 0), g.code))


def _merge(groups: Iterable[Iterable[Ref]]) -> tuple[Ref, ...]:
    refs = {r for group in groups for r in group}
    return tuple(sorted(refs, key=lambda r: (r.order, r.code)))


def _instruments(kb: KnowledgeBase, index: Mapping[str, Ref]) -> list[Instrument]:
    ratifications: dict[str, list[Ratification]] = {}
    for props in _describe(kb, "Ratification").values():
        country = _one(index, props.get(str(TIP.country), []))
        for instrument in props.get(str(TIP.instrument), []):
            if country is not None:
                ratifications.setdefault(str(instrument), []).append(Ratification(
                    country, _one(index, props.get(str(TIP.ratificationStatus), [])),
                    _first(props.get(str(TIP.date))), _first(props.get(str(TIP.year)))))
    out = []
    for iri, p in _describe(kb, "InternationalInstrument").items():
        out.append(Instrument(
            _code(p, iri), iri, _texts(p.get(RDFS_LABEL, [])), _texts(p.get(str(DCTERMS.title), [])),
            _first(p.get(str(TIP.year))), _texts(p.get(str(TIP.note), [])),
            tuple(sorted(ratifications.get(iri, []), key=lambda r: r.country.code)),
            _sources(p), _first(p.get(str(TIP.asOf)))))
    return sorted(out, key=lambda i: (i.year or 0, i.code))


# --- search and filters -------------------------------------------------------------------------

def _search_index(kb: KnowledgeBase, kind: str, entries: Iterable[Gap | Practice | Instrument]) -> SearchIndex:
    """Return the word index of one catalogue (labels, alternative labels, codes; then texts), per KB version."""
    def build() -> SearchIndex:
        alt = {iri: _texts(props.get(str(SKOS.altLabel), [])) for cls in _SEARCH_CLASSES[kind]
               for iri, props in _describe(kb, cls).items()}
        return SearchIndex((e.code, [(LABEL, e.code.replace("-", " ")), *_weighted(LABEL, e.label),
                                     *_weighted(LABEL, alt.get(e.iri, {})), *_weighted(TEXT, *_texts_of(e))])
                           for e in entries)
    return kb.cached(f"catalogue-search:{kind}", build)


_SEARCH_CLASSES = {"gap": ("Gap",), "practice": ("BestPractice",), "instrument": ("InternationalInstrument",)}


def _texts_of(entry: Gap | Practice | Instrument) -> tuple[Mapping[str, str], ...]:
    return (entry.title, entry.note) if isinstance(entry, Instrument) else (entry.definition,)


def _weighted(weight: int, *texts: Mapping[str, str]) -> list[tuple[int, str]]:
    return [(weight, t) for m in texts for t in m.values()]


def _searched(kb: KnowledgeBase, kind: str, entries: tuple[Any, ...], q: str | None) -> list[Any]:
    """Return the entries matching every word of the search, best first; all of them, in order, without one."""
    if not q or not q.strip():
        return list(entries)
    by_code = {e.code: e for e in entries}
    return [by_code[code] for code in _search_index(kb, kind, entries).search(q)]


def search_terms(kb: KnowledgeBase, kind: str, q: str) -> frozenset[str]:
    """Return the terms a search of one catalogue ("gap", "practice", "instrument") looks for, to mark them."""
    entries = {"gap": gaps, "practice": practices, "instrument": instruments}[kind](kb)
    return _search_index(kb, kind, entries).terms_of(q)


def _has(refs: Iterable[Ref], code: str | None) -> bool:
    return not code or any(r.code == code for r in refs)


def list_gaps(kb: KnowledgeBase, *, q: str | None = None, category: str | None = None, pillar: str | None = None,
              stakeholder: str | None = None) -> list[Gap]:
    """Return catalogue gaps matching every given filter, best search match first; pillar and stakeholder come
    from the addressing practices."""
    return [g for g in _searched(kb, "gap", gaps(kb), q)
            if _has([g.category] if g.category else [], category)
            and _has(g.pillars, pillar) and _has(g.stakeholders, stakeholder)]


def list_practices(kb: KnowledgeBase, *, q: str | None = None, category: str | None = None,
                   pillar: str | None = None, stakeholder: str | None = None,
                   horizon: str | None = None) -> list[Practice]:
    """Return best practices matching every given filter, best search match first (category: of a gap the
    practice addresses)."""
    return [p for p in _searched(kb, "practice", practices(kb), q)
            if _has(p.categories, category) and _has(p.pillars, pillar) and _has(p.stakeholders, stakeholder)
            and _has([p.horizon] if p.horizon else [], horizon)]


def instruments(kb: KnowledgeBase) -> tuple[Instrument, ...]:
    """Return every international instrument in the KB, by year and code (read once per KB version)."""
    return kb.cached("catalogue-instruments", lambda: tuple(_instruments(kb, _index(kb))))


def list_instruments(kb: KnowledgeBase, *, q: str | None = None) -> list[Instrument]:
    """Return the international instruments whose code, label, title or note holds every search word, best first."""
    return _searched(kb, "instrument", instruments(kb), q)


def _by_code(kb: KnowledgeBase, kind: str, every, code: str):
    found = kb.cached(f"catalogue-by-code:{kind}", lambda: {x.code: x for x in every(kb)}).get(code)
    if found is None:
        raise UnknownEntityError(f"{kind} {code!r}: no {kind} with this short code in the KB")
    return found


def get_gap(kb: KnowledgeBase, code: str) -> Gap:
    """Return one gap by short code; raise UnknownEntityError if there is none."""
    return _by_code(kb, "gap", gaps, code)


def get_practice(kb: KnowledgeBase, code: str) -> Practice:
    """Return one best practice by short code; raise UnknownEntityError if there is none."""
    return _by_code(kb, "practice", practices, code)


def get_instrument(kb: KnowledgeBase, code: str) -> Instrument:
    """Return one instrument by short code; raise UnknownEntityError if there is none."""
    return _by_code(kb, "instrument", instruments, code)


def facets(kb: KnowledgeBase) -> Facets:
    """Return the pillars, gap categories, stakeholders and time horizons, for filter menus (cached)."""
    return kb.cached("catalogue-facets", lambda: _facets(kb))


def _facets(kb: KnowledgeBase) -> Facets:
    index = _index(kb)
    kinds: dict[str, list[Ref]] = {"Pillar": [], "GapCategory": [], "Stakeholder": [], "TimeHorizon": []}
    for r in _index_rows(kb):
        kind = str(r.get("kind", "")).removeprefix(TIP_IRI)
        ref = index.get(str(r["s"]))
        if kind in kinds and ref is not None and ref not in kinds[kind]:
            kinds[kind].append(ref)
    ordered = {k: tuple(sorted(v, key=lambda r: (r.order, r.code))) for k, v in kinds.items()}
    return Facets(ordered["Pillar"], ordered["GapCategory"], ordered["Stakeholder"], ordered["TimeHorizon"])


def focus_overview(kb: KnowledgeBase, key_gaps: int = 3) -> list[CountryOverview]:
    """Return the five focus countries with their latest tier and their most severe documented gaps (cached)."""
    return list(kb.cached(f"catalogue-focus-overview:{key_gaps}", lambda: tuple(_focus_overview(kb, key_gaps))))


def _focus_overview(kb: KnowledgeBase, key_gaps: int) -> list[CountryOverview]:
    index = _index(kb)
    severity: dict[str, dict[str, int]] = {}
    for r in kb.select(packaged("profile-gaps")):
        severity.setdefault(str(r["country"]), {})[str(r["gap"])] = int(r["severity"].toPython())
    out = []
    for c in list_countries(kb, "en"):
        if c.code not in FOCUS_CODES:
            continue
        ranked = sorted(severity.get(c.iri, {}).items(), key=lambda kv: (-kv[1], index[kv[0]].code
                                                                            if kv[0] in index else kv[0]))
        gaps = tuple(GapSummary(index[g], s) for g, s in ranked[:key_gaps] if g in index)
        label = index[c.iri].label if c.iri in index else {"en": c.label}
        out.append(CountryOverview(c.code, label, c.tier, c.tier_year, gaps))
    return out


__all__ = ["CountryOverview", "Example", "Facets", "Gap", "GapSummary", "Instrument", "Practice", "Ratification", "Ref",
           "UnknownEntityError", "category_weights", "facets", "focus_overview", "gaps", "get_gap", "get_instrument",
           "get_practice", "instruments", "list_gaps", "list_instruments", "list_practices", "practices",
           "search_terms"]
