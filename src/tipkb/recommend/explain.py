"""The words of a run in English and Russian: trace steps for answers and KB facts, notes on what a run rests on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tipkb.assess.questionnaire import Questionnaire
from tipkb.recommend.lookups import UNKNOWN_FACT, TraceFact
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


def unknown_country_note(code: str) -> dict[str, str]:
    """Say that the KB knows nothing of a country, so the recommendations rest on the answers alone."""
    return {"en": f"The KB has no facts on country {code}: these recommendations rest on the answers alone.",
            "ru": f"В базе знаний нет сведений о стране {code}: рекомендации основаны только на ответах."}


NO_COUNTRY_NOTE = {"en": "No country was given: these recommendations rest on the answers alone.",
                   "ru": "Страна не указана: рекомендации основаны только на ответах."}
NO_ANSWERS_NOTE = {"en": "The assessment has no answers yet.", "ru": "В оценке пока нет ответов."}


def fact_text(fact: TraceFact) -> dict[str, str]:
    """Return a KB fact as a reason: its own text, or a sentence made from its kind and what it is about."""
    if fact.text:
        return dict(fact.text)
    en, ru = FACT_TEMPLATES.get(fact.kind, ("{a}", "{a}"))
    return {"en": en.format(a=fact.about.get("en", ""), y=fact.year),
            "ru": ru.format(a=fact.about.get("ru", ""), y=fact.year)}


def answer_text(questionnaire: Questionnaire | None, code: str, value: Any) -> dict[str, str]:
    """Return an answer as a reason: the question's code and text and the option labels chosen."""
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


@dataclass(frozen=True)
class Explainer:
    """Turns a finding's evidence node into a trace step: an answer of this run, or a KB fact."""

    answers: Mapping[str, tuple[str, Any]]  # answer node IRI -> (question code, value)
    questionnaire: Questionnaire | None
    facts: Mapping[str, TraceFact]

    def step(self, node: str, rule: str, weight: float, *, gap: str | None = None,
             kind: str | None = None) -> TraceStep:
        """Return the trace step for one piece of evidence; `kind` overrides "answer" or "fact"."""
        if node in self.answers:
            code, value = self.answers[node]
            question = self.questionnaire.question(code) if self.questionnaire else None
            return TraceStep(kind or "answer", rule, question.iri if question else str(node),
                             answer_text(self.questionnaire, code, value), (), weight, gap)
        fact = self.facts.get(node, UNKNOWN_FACT)
        return TraceStep(kind or "fact", rule, node, fact_text(fact), fact.sources, weight, gap)
