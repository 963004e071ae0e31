"""What a recommendation run returns: ranked recommendations, the gaps they close and the trace behind each."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph

from tipkb.errors import TipkbError
from tipkb.recommend.prov import prov_graph


class RecommendError(TipkbError):
    """The engine was asked something it cannot answer (no input, an unknown filter value)."""


@dataclass(frozen=True)
class GapRef:
    """A gap a recommendation closes, and how strongly the run revealed it (0–1)."""

    code: str
    iri: str
    label: dict[str, str]
    severity: int
    category: str
    strength: float


@dataclass(frozen=True)
class TraceStep:
    """One reason behind a recommendation: an answer, a KB fact, or a tailoring or urgency finding.

    A recommendation's trace names each answer or fact once: `rule` is the strongest rule that fired on it,
    `weight` that rule's weight, `gap` the gap it weighs most on and `gaps` every gap it reveals, strongest first.
    """

    kind: str  # "answer" | "fact" | "tailoring" | "urgency"
    rule: str
    iri: str
    text: dict[str, str]
    sources: tuple[str, ...] = ()
    weight: float | None = None
    gap: str | None = None
    gaps: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recommendation:
    """A best practice recommended for this run, with its priority and its trace."""

    practice_code: str
    practice_iri: str
    title: dict[str, str]
    description: dict[str, str]
    priority: float
    rank: int
    pillars: tuple[str, ...]
    stakeholders: tuple[str, ...]
    horizon: str
    effort: str
    evidence: str
    gaps: tuple[GapRef, ...]
    trace: tuple[TraceStep, ...]
    sources: tuple[str, ...]
    factors: dict[str, float] = field(default_factory=dict)

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(sorted({s.rule for s in self.trace} | {"30-gap-addressed-by-practice"}))


@dataclass(frozen=True)
class RecommendationSet:
    """The ranked recommendations of one run, with what the run was based on.

    `error` is set (and `items` empty) when a lenient run was given a filter value no practice has.
    `run_triples` and `known_rules` are what the run's PROV-O record is built from.
    """

    items: list[Recommendation]
    country: str | None
    country_label: dict[str, str] | None
    used_country_facts: bool
    used_answers: bool
    urgency: float
    notes: list[dict[str, str]]
    rules: list[str]
    run_iri: str
    filters: dict[str, Any]
    total: int
    error: str | None = None
    run_triples: tuple[tuple, ...] = field(default=(), repr=False)
    known_rules: tuple[str, ...] = field(default=(), repr=False)

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (schema in docs/recommendations.md)."""
        if self.error is not None:
            return {"recommendations": [], "total": 0, "error": self.error}
        return {
            "country": self.country, "country_label": self.country_label,
            "used_country_facts": self.used_country_facts, "used_answers": self.used_answers,
            "urgency": self.urgency, "notes": self.notes, "rules": self.rules, "filters": self.filters,
            "total": self.total,
            "recommendations": [_rec_dict(r) for r in self.items],
        }

    def prov_graph(self) -> Graph:
        """Return the recommendations and their traces as PROV-O RDF."""
        if not self.run_triples:
            return Graph()
        used = [rule for rule in self.known_rules if rule in self.rules]
        return prov_graph(self.run_iri, self.run_triples, used, self.items)


def no_match(filters: dict[str, Any], error: str) -> RecommendationSet:
    """Return the empty set of a run whose filter asks for a value no practice has; `error` says which."""
    return RecommendationSet([], None, None, False, False, 1.0, [], [], "", filters, 0, error=error)


def _rec_dict(r: Recommendation) -> dict[str, Any]:
    return {
        "rank": r.rank, "practice": r.practice_code, "practice_iri": r.practice_iri, "title": r.title,
        "description": r.description, "priority": r.priority, "pillars": list(r.pillars),
        "stakeholders": list(r.stakeholders), "horizon": r.horizon, "effort": r.effort, "evidence": r.evidence,
        "factors": r.factors,
        "gaps": [{"gap": g.code, "iri": g.iri, "label": g.label, "severity": g.severity, "category": g.category,
                  "strength": g.strength} for g in r.gaps],
        "trace": [{"kind": s.kind, "rule": s.rule, "iri": s.iri, "text": s.text, "sources": list(s.sources),
                   "weight": s.weight, "gap": s.gap, "gaps": list(s.gaps)} for s in r.trace],
        "rules": list(r.rules), "sources": list(r.sources),
    }
