"""The words of a run in every language: trace steps for answers and KB facts, notes on what a run rests on.

The templates are written in English and Russian; the other languages translate the English text in the package's
catalogue (tipkb.i18n.localised). A language without a translation is left out of a text, so that it is shown in
its fallback language, and marked as such; a KB text put into a sentence in a fallback language is marked "(RU)".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from tipkb.assess.questionnaire import Questionnaire
from tipkb.i18n import LANGUAGES, localised_with_language, pick_marked
from tipkb.recommend.lookups import UNKNOWN_FACT, GapInfo, TraceFact
from tipkb.recommend.model import TraceStep

FACT_TEMPLATES = {
    "Ratification": ("Not bound by: {a}", "Не участвует в: {a}"),
    "TierRating": ("US TIP report {y}: {a}", "Доклад TIP США за {y} год: {a}"),
    "Route": ("Citizens exploited in {a}", "Граждане подвергаются эксплуатации в стране: {a}"),
    "RiskGroupStatement": ("Group at risk: {a}", "Группа риска: {a}"),
    "ExploitationStatement": ("Form of exploitation present: {a}", "Выявленная форма эксплуатации: {a}"),
    "Country": ("No national referral mechanism on record for {a}",
                "Для страны {a} не зарегистрирован национальный механизм перенаправления"),
}
UNKNOWN_COUNTRY_NOTE = {"en": "The KB has no facts on country {code}: these recommendations rest on the answers alone.",
                        "ru": "В базе знаний нет сведений о стране {code}: рекомендации основаны только на ответах."}
ANSWERED = {"en": "answered", "ru": "ответ"}


def in_every_language(template: Mapping[str, str], fill: Callable[[str, str], str]) -> dict[str, str]:
    """Return a text in each language that has the template (its own or the catalogue's): `fill(template, lang)`."""
    out = {}
    for lang in LANGUAGES:
        text, shown = localised_with_language(template, lang)
        if shown == lang:
            out[lang] = fill(text, lang)
    return out


def unknown_country_note(code: str) -> dict[str, str]:
    """Say that the KB knows nothing of a country, so the recommendations rest on the answers alone."""
    return in_every_language(UNKNOWN_COUNTRY_NOTE, lambda t, _: t.format(code=code))


NOTES = {
    "no-country": {"en": "No country was given: these recommendations rest on the answers alone.",
                   "ru": "Страна не указана: рекомендации основаны только на ответах."},
    "no-answers": {"en": "The assessment has no answers yet.", "ru": "В оценке пока нет ответов."},
}
NO_COUNTRY_NOTE = in_every_language(NOTES["no-country"], lambda t, _: t)
NO_ANSWERS_NOTE = in_every_language(NOTES["no-answers"], lambda t, _: t)


def fact_text(fact: TraceFact, country: str | None = None) -> dict[str, str]:
    """Return a KB fact as a reason: its own text, or a sentence made from its kind and what it is about.

    A fact about a country other than the run's `country` (a destination of its migrants) starts with that
    country's name.
    """
    if fact.text:
        text = dict(fact.text)
    else:
        en, ru = FACT_TEMPLATES.get(fact.kind, ("{a}", "{a}"))
        text = in_every_language({"en": en, "ru": ru},
                                 lambda t, lang: t.format(a=pick_marked(fact.about, lang), y=fact.year))
    if fact.country_iri and fact.country_iri != country:
        text = {lang: f"{pick_marked(fact.country, lang)} — {t}" if fact.country else t for lang, t in text.items()}
    return text


def answer_text(questionnaire: Questionnaire | None, code: str, value: Any) -> dict[str, str]:
    """Return an answer as a reason: the question's code and text and the option labels chosen."""
    question = questionnaire.question(code) if questionnaire else None
    if question is None:
        return {lang: f"{code}: {value}" for lang in LANGUAGES}
    values = value if isinstance(value, list | tuple) else [value]

    def fill(said: str, lang: str) -> str:
        shown = []
        for v in values:
            option = question.option(v) if isinstance(v, str) else None
            shown.append(pick_marked(option.label, lang) or v if option else str(v))
        return f"{code} «{pick_marked(question.text, lang)}» — {said}: {', '.join(shown)}"

    return in_every_language(ANSWERED, fill)


@dataclass(frozen=True)
class Explainer:
    """Turns a finding's evidence node into a trace step: an answer of this run, or a KB fact."""

    answers: Mapping[str, tuple[str, Any]]  # answer node IRI -> (question code, value)
    questionnaire: Questionnaire | None
    facts: Mapping[str, TraceFact]
    country: str | None = None  # the run's country IRI: a fact about another country names it

    def step(self, node: str, rule: str, weight: float, *, gap: str | None = None,
             kind: str | None = None) -> TraceStep:
        """Return the trace step for one piece of evidence; `kind` overrides "answer" or "fact"."""
        if node in self.answers:
            code, value = self.answers[node]
            question = self.questionnaire.question(code) if self.questionnaire else None
            return TraceStep(kind or "answer", rule, question.iri if question else str(node),
                             answer_text(self.questionnaire, code, value), (), weight, gap, _one(gap))
        fact = self.facts.get(node, UNKNOWN_FACT)
        return TraceStep(kind or "fact", rule, node, fact_text(fact, self.country), fact.sources, weight, gap,
                         _one(gap))


def _one(gap: str | None) -> tuple[str, ...]:
    return (gap,) if gap else ()


# What one piece of gap evidence counts for, by where it comes from: an answer is the NGO's first-hand account of
# the assessed year; a KB fact is a source's account of an earlier reporting period, or an inference from the
# record (rules 21, 22). At equal rule weight the answer counts more (docs/recommendations.md, "Priority").
SOURCE_FACTOR = {"answer": 1.0, "fact": 0.95}


def evidence_weight(step: TraceStep) -> float:
    """Return what a piece of gap evidence weighs in its gap's strength: its rule's weight × its source factor."""
    return (step.weight or 0.0) * SOURCE_FACTOR.get(step.kind, 1.0)


# What a reason does, in the order a recommendation shows it: evidence of a gap first (the need every
# priority rests on), then tailoring (it raises a priority by at most half), then urgency (the same
# factor for every recommendation of a run).
ROLE_ORDER = {"answer": 0, "fact": 0, "tailoring": 1, "urgency": 2}


def _share(step: TraceStep, gaps: Mapping[str, GapInfo]) -> float:
    """Return what one step adds: for gap evidence its weight (evidence_weight) × severity / 5 × category weight,
    else its factor."""
    info = gaps.get(step.gap or "") if ROLE_ORDER.get(step.kind, 3) == 0 else None
    if info is None:
        return step.weight or 0.0
    return evidence_weight(step) * info.severity / 5 * info.category_weight


def distinct_reasons(trace: Iterable[TraceStep], gaps: Mapping[str, GapInfo]) -> tuple[TraceStep, ...]:
    """Return a trace with each answer or fact once, named by its strongest rule, strongest reasons first.

    A reason's strength is what it adds to the priority: for gap evidence, the sum over the gaps it reveals
    of its strongest weight × source factor × severity / 5 × category weight (its terms of `need`); for tailoring and
    urgency, its factor. Reasons are ordered by role (ROLE_ORDER), then strength, then the gravest gap
    they reveal, then kind, rule and IRI. A fact in two roles is kept in the first.
    """
    by_iri: dict[str, list[TraceStep]] = {}
    for step in trace:
        by_iri.setdefault(step.iri, []).append(step)
    keyed = []
    for iri, steps in by_iri.items():
        role = min(ROLE_ORDER.get(s.kind, 3) for s in steps)
        ranked = sorted((s for s in steps if ROLE_ORDER.get(s.kind, 3) == role),
                        key=lambda s: (-_share(s, gaps), s.rule, s.gap or ""))
        shares: dict[str, float] = {}
        for s in ranked:  # strongest first, so each gap keeps its strongest share
            if s.gap and role == 0:
                shares.setdefault(s.gap, _share(s, gaps))
        strength = sum(shares.values()) if shares else _share(ranked[0], gaps)
        severity = max((gaps[g].severity for g in shares if g in gaps), default=0)
        sources = tuple(dict.fromkeys(src for s in steps for src in s.sources))
        step = replace(ranked[0], sources=sources, gaps=tuple(shares) or ranked[0].gaps)
        keyed.append(((role, -round(strength, 9), -severity, step.kind, step.rule, iri), step))
    return tuple(step for _, step in sorted(keyed, key=lambda k: k[0]))
