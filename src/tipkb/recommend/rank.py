"""The priority formula: a run's findings turned into recommendations ranked by need, quality, tailoring and urgency.

priority = 100 × need × quality × (1 + tailoring) × urgency, where a gap that a higher-ranked recommendation
already closes counts REPEAT_FACTOR in need and a KB fact's evidence counts SOURCE_FACTOR["fact"] of its weight;
docs/recommendations.md explains each factor and its source.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from tipkb.recommend.explain import Explainer, evidence_weight
from tipkb.recommend.lookups import GapInfo, PracticeInfo
from tipkb.recommend.model import GapRef, Recommendation, TraceStep

EVIDENCE_FACTOR = {"strong": 1.0, "moderate": 0.85, "emerging": 0.7}
EFFORT_FACTOR = {"low": 1.0, "medium": 0.9, "high": 0.8}
MAX_TAILORING = 0.5
# A gap already closed by a recommendation ranked higher counts this much again: the next
# recommendation should add a weakness not yet addressed (docs/recommendations.md, "Priority").
REPEAT_FACTOR = 0.5


@dataclass
class _Candidate:
    """A practice that closes revealed gaps: its need terms by gap and its factors other than need."""

    practice: PracticeInfo
    terms: dict[str, float]
    scale: float  # 100 × quality × tailoring × urgency
    refs: list[GapRef]
    steps: list[TraceStep]
    factors: dict[str, float]

    def need(self, closed: set[str]) -> float:
        return sum(t * (REPEAT_FACTOR if g in closed else 1.0) for g, t in sorted(self.terms.items()))

    def key(self, closed: set[str]) -> tuple[float, str]:
        return -round(self.scale * self.need(closed), 1), self.practice.code


def _finding_order(f: dict) -> tuple[str, ...]:
    return tuple(str(f.get(k, "")) for k in ("kind", "rule", "gap", "practice", "evidence"))


def rank(findings: list[dict], explain: Explainer, practices: Mapping[str, PracticeInfo],
         gaps: Mapping[str, GapInfo]) -> list[Recommendation]:
    """Return one recommendation per practice that closes a revealed gap, most urgent first (ranks not yet set)."""
    evidence: dict[str, list[tuple[float, TraceStep]]] = defaultdict(list)
    tailoring_findings: list[tuple[dict, TraceStep]] = []
    closes: dict[str, set[str]] = defaultdict(set)
    urgency, urgency_steps = 1.0, []
    for f in sorted(findings, key=_finding_order):
        kind = f["kind"]
        if kind == "candidate":
            closes[f["practice"]].add(f["gap"])
        elif kind == "gap":
            step = explain.step(f["evidence"], f["rule"], min(1.0, max(0.0, float(f["weight"]))), gap=f["gap"])
            evidence[f["gap"]].append((evidence_weight(step), step))
        elif kind == "tailoring":
            step = explain.step(f["evidence"], f["rule"], float(f["factor"]), kind="tailoring")
            tailoring_findings.append((f, step))
        elif kind == "urgency":
            urgency = max(urgency, float(f["factor"]))
            urgency_steps.append(explain.step(f["evidence"], f["rule"], float(f["factor"]), kind="urgency"))
    candidates = []
    for practice_iri, gap_iris in closes.items():
        p = practices.get(practice_iri)
        if p is None:
            continue
        tailoring: dict[str, tuple[float, list[TraceStep]]] = {}
        for f, step in tailoring_findings:
            if (f.get("practice") == practice_iri or f.get("category") in p.categories
                    or f.get("stakeholder") in p.stakeholders):
                old = tailoring.get(f["rule"], (0.0, []))
                tailoring[f["rule"]] = (max(old[0], float(f["factor"])), old[1] + [step])
        refs, terms, steps = [], {}, []
        for gap_iri in sorted(gap_iris):
            g = gaps[gap_iri]
            miss = 1.0
            for weight, _ in evidence[gap_iri]:
                miss *= 1.0 - weight
            strength = 1.0 - miss
            terms[gap_iri] = strength * g.severity / 5 * g.category_weight
            refs.append(GapRef(code=g.code, iri=gap_iri, label=g.label, severity=g.severity, category=g.category,
                               strength=round(strength, 3)))
            steps += [s for _, s in sorted(evidence[gap_iri], key=lambda e: (-e[0], e[1].iri))]
        tailor = min(MAX_TAILORING, sum(f for f, _ in tailoring.values()))
        for _, (_, tsteps) in sorted(tailoring.items()):
            steps += tsteps
        quality = EVIDENCE_FACTOR.get(p.evidence, 0.7) * EFFORT_FACTOR.get(p.effort, 0.8)
        if urgency > 1.0:
            steps += urgency_steps
        candidates.append(_Candidate(p, terms, 100 * quality * (1 + tailor) * urgency, refs, steps,
                                     {"quality": round(quality, 3), "tailoring": round(1 + tailor, 3),
                                      "urgency": urgency}))
    return [_recommendation(c, need) for c, need in _in_order(candidates)]


def _in_order(candidates: list[_Candidate]) -> list[tuple[_Candidate, float]]:
    """Return the candidates greedily, highest priority first, each with its need given the gaps ranked above it.

    A need only falls as more gaps are closed, so a candidate's last key bounds its current one (lazy greedy).
    """
    closed: set[str] = set()
    heap = [(c.key(closed), i) for i, c in enumerate(candidates)]
    heapq.heapify(heap)
    out = []
    while heap:
        _, i = heapq.heappop(heap)
        c = candidates[i]
        key = c.key(closed)
        if heap and key > heap[0][0]:
            heapq.heappush(heap, (key, i))
            continue
        out.append((c, c.need(closed)))
        closed |= c.terms.keys()
    return out


def _recommendation(c: _Candidate, need: float) -> Recommendation:
    p = c.practice
    return Recommendation(
        practice_code=p.code, practice_iri=p.iri, title=p.title, description=p.description,
        priority=round(c.scale * need, 1), rank=0, pillars=tuple(sorted(p.pillars)),
        stakeholders=tuple(sorted(p.stakeholders)), horizon=p.horizon or "", effort=p.effort or "",
        evidence=p.evidence or "", gaps=tuple(sorted(c.refs, key=lambda g: (-g.severity * g.strength, g.code))),
        trace=tuple(c.steps), sources=p.sources, factors={"need": round(need, 3), **c.factors},
    )
