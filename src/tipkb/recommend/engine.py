"""The recommendation engine: rules over the KB and one run's graph, turned into ranked, explained recommendations.

Three ways in: an assessment (a country and answers), a country alone (its KB facts), or answers alone
(for a country the KB does not know). The priority formula is in rank.py and docs/recommendations.md.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from rdflib import RDF, Literal, URIRef

from tipkb.assess.answers import ValidatedAnswers
from tipkb.assess.questionnaire import Questionnaire
from tipkb.facts.profile import UnknownCountryError, find_country
from tipkb.namespaces import RUN_IRI, TIP
from tipkb.recommend import lookups
from tipkb.recommend.explain import (
    NO_ANSWERS_NOTE,
    NO_COUNTRY_NOTE,
    Explainer,
    distinct_reasons,
    unknown_country_note,
)
from tipkb.recommend.model import RecommendationSet, RecommendError, no_match
from tipkb.recommend.rank import rank
from tipkb.recommend.rules import run_rules, run_scope
from tipkb.store.kb import KnowledgeBase
from tipkb.store.queries import packaged


def run_graph(run: URIRef, country: URIRef | None, answers: ValidatedAnswers | None,
              questionnaire: Questionnaire | None) -> tuple[list[tuple], dict[URIRef, tuple[str, Any]]]:
    """Return the triples of one run (its country and answers) and a map from answer node to (question, value)."""
    triples: list[tuple] = [(run, RDF.type, TIP.Assessment)]
    if country is not None:
        triples.append((run, TIP.country, country))
    if answers is not None and answers.year is not None:  # relative year thresholds (rule 11) need it
        triples.append((run, TIP.year, Literal(answers.year)))
    answer_nodes: dict[URIRef, tuple[str, Any]] = {}
    if answers is None or questionnaire is None:
        return triples, answer_nodes
    for code, value in sorted(answers.values.items()):
        question = questionnaire.question(code)
        if question is None:
            continue
        node = URIRef(f"{run}/answer/{code}")
        answer_nodes[node] = (code, value)
        triples += [(run, TIP.answer, node), (node, RDF.type, TIP.Answer), (node, TIP.question, URIRef(question.iri))]
        for v in value if isinstance(value, list | tuple) else [value]:
            option = question.option(str(v)) if isinstance(v, str) else None
            if option is not None:
                triples.append((node, TIP.selectedOption, URIRef(option.iri)))
            elif isinstance(v, int | float) and not isinstance(v, bool):
                triples.append((node, TIP.value, Literal(v)))
    return triples, answer_nodes


def recommend(kb: KnowledgeBase, *, country: str | None = None, answers: ValidatedAnswers | None = None,
              stakeholder: str | None = None, pillar: str | None = None, horizon: str | None = None,
              top: int | None = None, strict: bool = True) -> RecommendationSet:
    """Return ranked, explained recommendations for a country, an assessment's answers, or both.

    With answers and no `country`, the answers' own country is used; a country the KB does not know
    still gets recommendations from the answers alone, and the result says so. A filter value no
    practice has raises RecommendError, or with `strict=False` gives an empty set whose `error` says why.
    """
    if country is None and answers is None:
        raise RecommendError("give a country, answers, or both")
    filters = {"stakeholder": stakeholder, "pillar": pillar, "horizon": horizon, "top": top}
    unknown = _unknown_filter(kb, filters)  # refuse a bad filter before any rule runs
    if unknown is not None:
        if strict:
            raise RecommendError(unknown)
        return no_match(filters, unknown)
    if top is not None and top < 1:
        raise RecommendError("top must be a positive number")
    if answers is None:  # a country's baseline: the same for everyone until the KB changes
        code = (country or "").strip().upper()
        key = f"recommend-baseline:{code}:{stakeholder}:{pillar}:{horizon}:{top}"
        return kb.cached(key, lambda: _recommend(kb, code, None, stakeholder, pillar, horizon, top, filters))
    return _recommend(kb, country, answers, stakeholder, pillar, horizon, top, filters)


def _recommend(kb: KnowledgeBase, country: str | None, answers: ValidatedAnswers | None, stakeholder: str | None,
               pillar: str | None, horizon: str | None, top: int | None, filters: dict[str, Any]) -> RecommendationSet:
    notes: list[dict[str, str]] = []
    code = (country or (answers.country if answers else None) or "").strip().upper() or None
    country_iri = label = None
    if code:
        try:
            country_iri, label = find_country(kb, code)
        except UnknownCountryError:
            if answers is None:
                raise
            notes.append(unknown_country_note(code))
    elif answers is not None:
        notes.append(NO_COUNTRY_NOTE)
    if answers is not None and not answers.values:
        notes.append(NO_ANSWERS_NOTE)
    questionnaire = lookups.questionnaire(kb, answers.questionnaire) if answers is not None else None
    run = URIRef(RUN_IRI + uuid.uuid4().hex)
    graph, answer_nodes = run_graph(run, country_iri, answers, questionnaire)
    rules = lookups.rules(kb)
    with run_scope(kb, run, graph):
        run_rules(kb, rules, run)
        findings = kb.rows(packaged("recommend-findings"), {"assessment": run})
    explain = Explainer({str(k): v for k, v in answer_nodes.items()}, questionnaire, lookups.trace_facts(kb),
                        str(country_iri) if country_iri is not None else None)
    gaps = lookups.gaps(kb)
    result = [replace(r, trace=distinct_reasons(r.trace, gaps))  # each answer or fact once, strongest first
              for r in rank(findings, explain, lookups.practices(kb), gaps)]
    urgency = max((f["factor"] for f in findings if f["kind"] == "urgency"), default=1.0)
    used_facts = country_iri is not None and any(s.kind == "fact" for r in result for s in r.trace)
    chosen = [r for r in result
              if (stakeholder is None or stakeholder in r.stakeholders)
              and (pillar is None or pillar in r.pillars)
              and (horizon is None or horizon == r.horizon)]
    total = len(chosen)
    if top is not None:
        chosen = chosen[:top]
    chosen = [replace(r, rank=i + 1) for i, r in enumerate(chosen)]
    return RecommendationSet(
        items=chosen, country=code if country_iri is not None else None, country_label=label,
        used_country_facts=used_facts, used_answers=bool(answer_nodes), urgency=urgency, notes=notes,
        rules=sorted({rule for r in chosen for rule in r.rules}), run_iri=str(run), filters=filters, total=total,
        run_triples=tuple(graph), known_rules=tuple(r.id for r in rules))


def _unknown_filter(kb: KnowledgeBase, filters: dict[str, Any]) -> str | None:
    for key, allowed in lookups.filter_values(kb).items():
        if filters[key] is not None and filters[key] not in allowed:
            return f"{key} {filters[key]!r} is unknown; choose one of {', '.join(sorted(allowed))}"
    return None
