"""The recommendation engine: rules over the KB and an assessment, turned into ranked, explained recommendations.

Three ways in: an assessment (a country and answers), a country alone (its KB facts), or answers alone
(for a country the KB does not know). The priority formula is in docs/recommendations.md.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rdflib import RDF, Graph, Literal, URIRef

from tipkb.assess.answers import ValidatedAnswers
from tipkb.assess.questionnaire import Questionnaire, load_questionnaire
from tipkb.errors import TipkbError
from tipkb.facts.profile import UnknownCountryError, find_country, py
from tipkb.namespaces import KB, TIP
from tipkb.recommend.rules import Rule, load_rules, run_rules, run_scope
from tipkb.store.kb import KnowledgeBase
from tipkb.store.queries import packaged

RUN_IRI = "https://w3id.org/tipkb/run/"
EVIDENCE_FACTOR = {"strong": 1.0, "moderate": 0.85, "emerging": 0.7}
EFFORT_FACTOR = {"low": 1.0, "medium": 0.9, "high": 0.8}
MAX_TAILORING = 0.5


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
    """One reason behind a recommendation: an answer, a KB fact, or a tailoring or urgency finding."""

    kind: str  # "answer" | "fact" | "tailoring" | "urgency"
    rule: str
    iri: str
    text: dict[str, str]
    sources: tuple[str, ...] = ()
    weight: float | None = None
    gap: str | None = None


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


@dataclass
class RecommendationSet:
    """The ranked recommendations of one run, with what the run was based on."""

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
    _prov_input: tuple | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (schema in docs/recommendations.md)."""
        return {
            "country": self.country, "country_label": self.country_label,
            "used_country_facts": self.used_country_facts, "used_answers": self.used_answers,
            "urgency": self.urgency, "notes": self.notes, "rules": self.rules, "filters": self.filters,
            "total": self.total,
            "recommendations": [_rec_dict(r) for r in self.items],
        }

    def prov_graph(self) -> Graph:
        """Return the recommendations and their traces as PROV-O RDF."""
        if self._prov_input is None:
            return Graph()
        triples, rules = self._prov_input
        return _prov(self, triples, rules)


def _rec_dict(r: Recommendation) -> dict[str, Any]:
    return {
        "rank": r.rank, "practice": r.practice_code, "practice_iri": r.practice_iri, "title": r.title,
        "description": r.description, "priority": r.priority, "pillars": list(r.pillars),
        "stakeholders": list(r.stakeholders), "horizon": r.horizon, "effort": r.effort, "evidence": r.evidence,
        "factors": r.factors,
        "gaps": [{"gap": g.code, "iri": g.iri, "label": g.label, "severity": g.severity, "category": g.category,
                  "strength": g.strength} for g in r.gaps],
        "trace": [{"kind": s.kind, "rule": s.rule, "iri": s.iri, "text": s.text, "sources": list(s.sources),
                   "weight": s.weight, "gap": s.gap} for s in r.trace],
        "rules": list(r.rules), "sources": list(r.sources),
    }


# ---------------------------------------------------------------------------------------------
# KB lookups, cached per loaded KB (the cache is cleared whenever the KB changes)


def _practices(kb: KnowledgeBase) -> dict[str, dict]:
    if "recommend-practices" not in kb.cache:
        out: dict[str, dict] = {}
        for r in kb.select(packaged("recommend-practices")):
            iri = str(r["practice"])
            p = out.setdefault(iri, {"code": py(r.get("code")) or iri.rsplit("/", 1)[-1], "title": {},
                                     "description": {}, "pillars": set(), "stakeholders": set(), "sources": set(),
                                     "horizon": py(r.get("horizon")), "effort": py(r.get("effort")),
                                     "evidence": py(r.get("evidence"))})
            for lang in ("en", "ru"):
                if f"label_{lang}" in r:
                    p["title"][lang] = str(r[f"label_{lang}"])
                if f"def_{lang}" in r:
                    p["description"][lang] = str(r[f"def_{lang}"])
            for key, var in (("pillars", "pillar"), ("stakeholders", "stakeholder"), ("sources", "source")):
                if var in r:
                    p[key].add(str(r[var]))
        kb.cache["recommend-practices"] = out
    return kb.cache["recommend-practices"]


def _practice_categories(kb: KnowledgeBase) -> dict[str, set[str]]:
    if "recommend-practice-categories" not in kb.cache:
        out: dict[str, set[str]] = defaultdict(set)
        for r in kb.rows(packaged("recommend-practice-categories")):
            out[r["practice"]].add(r["category"])
        kb.cache["recommend-practice-categories"] = out
    return kb.cache["recommend-practice-categories"]


def _gaps(kb: KnowledgeBase) -> dict[str, dict]:
    if "recommend-gaps" not in kb.cache:
        out = {}
        for r in kb.select(packaged("recommend-gaps")):
            iri = str(r["gap"])
            out[iri] = {"code": py(r.get("code")) or iri.rsplit("/", 1)[-1].removeprefix("gap-"),
                        "label": {lang: str(r[f"label_{lang}"]) for lang in ("en", "ru") if f"label_{lang}" in r},
                        "severity": int(r["severity"]), "category": str(r["category"]),
                        "category_weight": float(r["category_weight"]) if "category_weight" in r else 1.0}
        kb.cache["recommend-gaps"] = out
    return kb.cache["recommend-gaps"]


def _rules(kb: KnowledgeBase) -> list[Rule]:
    if "rules" not in kb.cache:
        kb.cache["rules"] = load_rules(kb.root)
    return kb.cache["rules"]


def _questionnaire(kb: KnowledgeBase, version: str | None) -> Questionnaire:
    key = f"questionnaire:{version}"
    if key not in kb.cache:
        kb.cache[key] = load_questionnaire(kb, version)
    return kb.cache[key]


# ---------------------------------------------------------------------------------------------
# The run graph: the assessment (or country-only run) as RDF


def run_graph(run: URIRef, country: URIRef | None, answers: ValidatedAnswers | None,
              questionnaire: Questionnaire | None) -> tuple[list[tuple], dict[URIRef, tuple[str, Any]]]:
    """Return the triples of one run (its country and answers) and a map from answer node to (question, value)."""
    triples: list[tuple] = [(run, RDF.type, TIP.Assessment)]
    if country is not None:
        triples.append((run, TIP.country, country))
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


# ---------------------------------------------------------------------------------------------
# The engine


def recommend(kb: KnowledgeBase, *, country: str | None = None, answers: ValidatedAnswers | None = None,
              stakeholder: str | None = None, pillar: str | None = None, horizon: str | None = None,
              top: int | None = None) -> RecommendationSet:
    """Return ranked, explained recommendations for a country, an assessment's answers, or both.

    With answers and no `country`, the answers' own country is used; a country the KB does not know
    still gets recommendations from the answers alone, and the result says so.
    """
    if country is None and answers is None:
        raise RecommendError("give a country, answers, or both")
    filters = {"stakeholder": stakeholder, "pillar": pillar, "horizon": horizon, "top": top}
    _check_filters(kb, filters)  # refuse a bad filter before any rule runs
    notes: list[dict[str, str]] = []
    code = (country or (answers.country if answers else None) or "").strip().upper() or None
    country_iri = label = None
    if code:
        try:
            country_iri, label = find_country(kb, code)
        except UnknownCountryError:
            if answers is None:
                raise
            notes.append({"en": f"The KB has no facts on country {code}: these recommendations rest on the "
                                f"answers alone.",
                          "ru": f"В базе знаний нет сведений о стране {code}: рекомендации основаны только "
                                f"на ответах."})
    elif answers is not None:
        notes.append({"en": "No country was given: these recommendations rest on the answers alone.",
                      "ru": "Страна не указана: рекомендации основаны только на ответах."})
    if answers is not None and not answers.values:
        notes.append({"en": "The assessment has no answers yet.", "ru": "В оценке пока нет ответов."})
    questionnaire = _questionnaire(kb, answers.questionnaire) if answers is not None else None
    run = URIRef(RUN_IRI + uuid.uuid4().hex)
    graph, answer_nodes = run_graph(run, country_iri, answers, questionnaire)
    rules = _rules(kb)
    with run_scope(kb, run, graph):
        run_rules(kb, rules, run)
        findings = kb.rows(packaged("recommend-findings"), {"assessment": run})
    facts = _facts(kb)
    answer_keys = {str(k): v for k, v in answer_nodes.items()}
    result = _rank(kb, findings, answer_keys, questionnaire, facts)
    urgency = max((f["factor"] for f in findings if f["kind"] == "urgency"), default=1.0)
    used_facts = country_iri is not None and any(s.kind == "fact" for r in result for s in r.trace)
    chosen = [r for r in result
              if (stakeholder is None or stakeholder in r.stakeholders)
              and (pillar is None or pillar in r.pillars)
              and (horizon is None or horizon == r.horizon)]
    total = len(chosen)
    if top is not None:
        chosen = chosen[:top]
    chosen = [_with_rank(r, i + 1) for i, r in enumerate(chosen)]
    rs = RecommendationSet(chosen, code if country_iri is not None else None, label, used_facts,
                           bool(answer_nodes), urgency, notes,
                           sorted({rule for r in chosen for rule in r.rules}), str(run), filters, total)
    rs._prov_input = (graph, rules)
    return rs


def _filter_values(kb: KnowledgeBase) -> dict[str, set[str]]:
    if "recommend-filters" not in kb.cache:
        practices = _practices(kb).values()
        kb.cache["recommend-filters"] = {"stakeholder": {s for p in practices for s in p["stakeholders"]},
                                         "pillar": {s for p in practices for s in p["pillars"]},
                                         "horizon": {p["horizon"] for p in practices if p["horizon"]}}
    return kb.cache["recommend-filters"]


def _check_filters(kb: KnowledgeBase, filters: dict[str, Any]) -> None:
    known = _filter_values(kb)
    for key, allowed in known.items():
        if filters[key] is not None and filters[key] not in allowed:
            raise RecommendError(f"{key} {filters[key]!r} is unknown; choose one of {', '.join(sorted(allowed))}")
    if filters["top"] is not None and filters["top"] < 1:
        raise RecommendError("top must be a positive number")


def _with_rank(r: Recommendation, rank: int) -> Recommendation:
    from dataclasses import replace

    return replace(r, rank=rank)


def _labels(kb: KnowledgeBase) -> dict[str, dict[str, str]]:
    if "labels" not in kb.cache:
        out: dict[str, dict[str, str]] = defaultdict(dict)
        for r in kb.rows(packaged("labels")):
            if r["lang"] in ("en", "ru"):
                out[r["s"]].setdefault(r["lang"], r["label"])
        kb.cache["labels"] = out
    return kb.cache["labels"]


def _facts(kb: KnowledgeBase) -> dict[str, dict]:
    """Return, for every sourced KB resource a rule may fire on, its kind, words and sources (cached)."""
    if "recommend-facts" not in kb.cache:
        labels = _labels(kb)
        out: dict[str, dict] = {}
        for r in kb.rows(packaged("recommend-facts")):
            kind = r["kind"].rsplit("#", 1)[-1]
            about = r["fact"] if kind == "Country" else r.get("dest") if kind == "Route" else r.get("about")
            f = out.setdefault(r["fact"], {"kind": kind, "text": {}, "about": dict(labels.get(about, {})),
                                           "year": r.get("year"), "sources": set()})
            for lang in ("en", "ru"):
                if f"text_{lang}" in r:
                    f["text"][lang] = r[f"text_{lang}"]
            f["sources"].add(r["source"])
        kb.cache["recommend-facts"] = out
    return kb.cache["recommend-facts"]


def _fact_step_text(fact: dict) -> dict[str, str]:
    kind, about, year = fact["kind"], fact["about"], fact["year"]
    if fact["text"]:
        return dict(fact["text"])
    templates = {
        "Ratification": ("Not bound by: {a}", "Не участвует в: {a}"),
        "TierRating": ("US TIP report {y}: {a}", "Доклад TIP США за {y} год: {a}"),
        "Route": ("Citizens exploited in {a}", "Граждане подвергаются эксплуатации в стране: {a}"),
        "RiskGroupStatement": ("Group at risk: {a}", "Группа риска: {a}"),
        "ExploitationStatement": ("Form of exploitation present: {a}", "Выявленная форма эксплуатации: {a}"),
        "Country": ("No national referral mechanism on record for {a}",
                    "Для страны {a} не зарегистрирован национальный механизм перенаправления"),
    }
    en, ru = templates.get(kind, ("{a}", "{a}"))
    return {"en": en.format(a=about.get("en", ""), y=year), "ru": ru.format(a=about.get("ru", ""), y=year)}


def _answer_step_text(questionnaire: Questionnaire | None, code: str, value: Any) -> dict[str, str]:
    question = questionnaire.question(code) if questionnaire else None
    out = {}
    for lang, said in (("en", "answered"), ("ru", "ответ")):
        if question is None:
            out[lang] = f"{code}: {value}"
            continue
        values = value if isinstance(value, list | tuple) else [value]
        shown = []
        for v in values:
            option = question.option(v) if isinstance(v, str) else None
            shown.append(option.label.get(lang, v) if option else str(v))
        out[lang] = f"{code} «{question.text.get(lang, '')}» — {said}: {', '.join(shown)}"
    return out


def _rank(kb: KnowledgeBase, findings: list[dict], answer_nodes: dict, questionnaire: Questionnaire | None,
          facts: dict[str, dict]) -> list[Recommendation]:
    gaps, practices = _gaps(kb), _practices(kb)
    evidence: dict[str, list[tuple[float, TraceStep]]] = defaultdict(list)
    tailoring_findings: list[tuple[dict, TraceStep]] = []
    closes: dict[str, set[str]] = defaultdict(set)
    urgency, urgency_steps = 1.0, []
    for f in sorted(findings, key=lambda f: tuple(str(f.get(k, "")) for k in ("kind", "rule", "gap", "practice",
                                                                               "evidence"))):
        kind = f["kind"]
        if kind == "candidate":
            closes[f["practice"]].add(f["gap"])
        elif kind == "gap":
            weight = min(1.0, max(0.0, float(f["weight"])))
            evidence[f["gap"]].append((weight, _step(f["evidence"], f["rule"], weight, f["gap"], answer_nodes,
                                                     questionnaire, facts)))
        elif kind == "tailoring":
            tailoring_findings.append((f, _step(f["evidence"], f["rule"], float(f["factor"]), None, answer_nodes,
                                                questionnaire, facts, kind="tailoring")))
        elif kind == "urgency":
            urgency = max(urgency, float(f["factor"]))
            urgency_steps.append(_step(f["evidence"], f["rule"], float(f["factor"]), None, answer_nodes,
                                       questionnaire, facts, kind="urgency"))
    categories = _practice_categories(kb)
    out = []
    for practice_iri, gap_iris in closes.items():
        p = practices.get(practice_iri)
        if p is None:
            continue
        tailoring: dict[str, tuple[float, list[TraceStep]]] = {}
        for f, step in tailoring_findings:
            if (f.get("practice") == practice_iri or f.get("category") in categories[practice_iri]
                    or f.get("stakeholder") in p["stakeholders"]):
                old = tailoring.get(f["rule"], (0.0, []))
                tailoring[f["rule"]] = (max(old[0], float(f["factor"])), old[1] + [step])
        refs, need, steps = [], 0.0, []
        for gap_iri in sorted(gap_iris):
            g = gaps[gap_iri]
            miss = 1.0
            for weight, _ in evidence[gap_iri]:
                miss *= 1.0 - weight
            strength = 1.0 - miss
            need += strength * g["severity"] / 5 * g["category_weight"]
            refs.append(GapRef(g["code"], gap_iri, g["label"], g["severity"], g["category"], round(strength, 3)))
            steps += [s for _, s in sorted(evidence[gap_iri], key=lambda e: (-e[0], e[1].iri))]
        tailor = min(MAX_TAILORING, sum(f for f, _ in tailoring.values()))
        for _, (_, tsteps) in sorted(tailoring.items()):
            steps += tsteps
        quality = EVIDENCE_FACTOR.get(p["evidence"], 0.7) * EFFORT_FACTOR.get(p["effort"], 0.8)
        priority = round(100 * need * quality * (1 + tailor) * urgency, 1)
        if urgency > 1.0:
            steps += urgency_steps
        out.append(Recommendation(
            p["code"], practice_iri, p["title"], p["description"], priority, 0, tuple(sorted(p["pillars"])),
            tuple(sorted(p["stakeholders"])), p["horizon"] or "", p["effort"] or "", p["evidence"] or "",
            tuple(sorted(refs, key=lambda g: (-g.severity * g.strength, g.code))), tuple(steps),
            tuple(sorted(p["sources"])),
            {"need": round(need, 3), "quality": round(quality, 3), "tailoring": round(1 + tailor, 3),
             "urgency": urgency},
        ))
    out.sort(key=lambda r: (-r.priority, r.practice_code))
    return out


def _step(node: str, rule: str, weight: float, gap: str | None, answer_nodes: dict, questionnaire, facts: dict,
          kind: str | None = None) -> TraceStep:
    if node in answer_nodes:
        code, value = answer_nodes[node]
        question = questionnaire.question(code) if questionnaire else None
        return TraceStep(kind or "answer", rule, question.iri if question else str(node),
                         _answer_step_text(questionnaire, code, value), (), weight, gap)
    fact = facts.get(node, {"kind": "", "text": {}, "about": {}, "year": None, "sources": set()})
    return TraceStep(kind or "fact", rule, node, _fact_step_text(fact), tuple(sorted(fact["sources"])), weight, gap)


def _prov(rs: RecommendationSet, triples: list[tuple], rules: list[Rule]) -> Graph:
    from rdflib.namespace import PROV

    g = Graph()
    g.bind("prov", PROV)
    g.bind("tip", TIP)
    g.bind("kb", KB)
    run = URIRef(rs.run_iri)
    activity = URIRef(rs.run_iri + "/activity")
    g.add((activity, RDF.type, PROV.Activity))
    for t in triples:
        g.add(t)
    for rule in rules:
        if rule.id in rs.rules:
            g.add((activity, PROV.used, URIRef(f"https://w3id.org/tipkb/rules/{rule.id}")))
    for r in rs.items:
        node = URIRef(f"{run}/recommendation/{r.rank}")
        g.add((node, RDF.type, TIP.Recommendation))
        g.add((node, RDF.type, PROV.Entity))
        g.add((node, TIP.assessment, run))
        g.add((node, TIP.recommends, URIRef(r.practice_iri)))
        g.add((node, TIP.priority, Literal(Decimal(str(r.priority)))))
        g.add((node, PROV.wasGeneratedBy, activity))
        for gap in r.gaps:
            g.add((node, TIP.closesGap, URIRef(gap.iri)))
        for step in r.trace:
            g.add((node, PROV.wasDerivedFrom, URIRef(step.iri)))
    return g
