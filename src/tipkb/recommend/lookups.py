"""The KB tables the engine reads, derived once per KB version: practices, gaps, filter values, trace facts, rules.

Practices and gaps come from the catalogue's single reading of the KB (`tipkb.facts.catalogue`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from tipkb.assess.questionnaire import Questionnaire, load_questionnaire
from tipkb.facts import catalogue
from tipkb.i18n import LANGUAGES
from tipkb.recommend.rules import Rule, load_rules
from tipkb.store.kb import KnowledgeBase
from tipkb.store.queries import packaged


@dataclass(frozen=True)
class PracticeInfo:
    """A sourced best practice as the engine ranks it: codes of its pillars, stakeholders and gap categories."""

    code: str
    iri: str
    title: dict[str, str]
    description: dict[str, str]
    pillars: frozenset[str]
    stakeholders: frozenset[str]
    categories: frozenset[str]
    sources: tuple[str, ...]
    horizon: str | None
    effort: str | None
    evidence: str | None


@dataclass(frozen=True)
class GapInfo:
    """A gap as the engine weighs it: severity (1–5), category code and the category's weight."""

    code: str
    iri: str
    label: dict[str, str]
    severity: int
    category: str
    category_weight: float


@dataclass(frozen=True)
class TraceFact:
    """A sourced KB resource a rule may fire on: its kind, own text, what it is about, report year, sources and
    the country it describes (its labels and IRI; empty and None when it names none)."""

    kind: str
    text: dict[str, str]
    about: dict[str, str]
    year: int | None
    sources: tuple[str, ...]
    country: dict[str, str] = field(default_factory=dict)
    country_iri: str | None = None


UNKNOWN_FACT = TraceFact("", {}, {}, None, ())


def _code(ref: catalogue.Ref | None) -> str | None:
    return ref.code if ref is not None else None


def practices(kb: KnowledgeBase) -> dict[str, PracticeInfo]:
    """Return the practices a run may recommend (those with a source), by IRI."""
    return kb.cached("recommend-practices", lambda: {
        p.iri: PracticeInfo(p.code, p.iri, dict(p.label), dict(p.definition), frozenset(r.code for r in p.pillars),
                            frozenset(r.code for r in p.stakeholders), frozenset(r.code for r in p.categories),
                            p.sources, _code(p.horizon), _code(p.effort), _code(p.evidence))
        for p in catalogue.practices(kb) if p.sources})


def gaps(kb: KnowledgeBase) -> dict[str, GapInfo]:
    """Return the gaps a run may reveal (those with a severity and a category), by IRI."""
    def build() -> dict[str, GapInfo]:
        weights = catalogue.category_weights(kb)
        return {g.iri: GapInfo(g.code, g.iri, dict(g.label), int(g.severity), g.category.code,
                               weights.get(g.category.iri, 1.0))
                for g in catalogue.gaps(kb) if g.severity is not None and g.category is not None}
    return kb.cached("recommend-gaps", build)


def filter_values(kb: KnowledgeBase) -> dict[str, set[str]]:
    """Return the stakeholders, pillars and horizons some practice has: the values a filter may ask for."""
    def build() -> dict[str, set[str]]:
        every = practices(kb).values()
        return {"stakeholder": {s for p in every for s in p.stakeholders},
                "pillar": {s for p in every for s in p.pillars},
                "horizon": {p.horizon for p in every if p.horizon}}
    return kb.cached("recommend-filters", build)


def rules(kb: KnowledgeBase) -> list[Rule]:
    """Return the recommendation rules of the KB's data root, in the order they run."""
    return kb.cached("rules", lambda: load_rules(kb.root))


def questionnaire(kb: KnowledgeBase, version: str | None) -> Questionnaire:
    """Return one questionnaire version (None: the newest)."""
    return kb.cached(f"questionnaire:{version}", lambda: load_questionnaire(kb, version))


def _labels(kb: KnowledgeBase) -> Mapping[str, dict[str, str]]:
    def build() -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = defaultdict(dict)
        for r in kb.rows(packaged("labels")):
            if r["lang"] in LANGUAGES:
                out[r["s"]].setdefault(r["lang"], r["label"])
        return out
    return kb.cached("recommend-labels", build)


def trace_facts(kb: KnowledgeBase) -> dict[str, TraceFact]:
    """Return, for every sourced KB resource a rule may fire on, its kind, words and sources, by IRI."""
    def build() -> dict[str, TraceFact]:
        labels = _labels(kb)
        found: dict[str, dict] = {}
        for r in kb.rows(packaged("recommend-facts")):
            kind = r["kind"].rsplit("#", 1)[-1]
            about = r["fact"] if kind == "Country" else r.get("dest") if kind == "Route" else r.get("about")
            f = found.setdefault(r["fact"], {"kind": kind, "text": {}, "about": dict(labels.get(about, {})),
                                             "year": r.get("year"), "sources": set(),
                                             "country": dict(labels.get(r.get("country"), {})),
                                             "country_iri": r.get("country")})
            for lang in LANGUAGES:
                if f"text_{lang}" in r:
                    f["text"][lang] = r[f"text_{lang}"]
            f["sources"].add(r["source"])
        return {iri: TraceFact(f["kind"], f["text"], f["about"], f["year"], tuple(sorted(f["sources"])), f["country"],
                               f["country_iri"] and str(f["country_iri"]))
                for iri, f in found.items()}
    return kb.cached("recommend-facts", build)
