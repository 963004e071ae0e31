"""The plain-text brief of a recommendation set (the `tipkb recommend` output)."""

from __future__ import annotations

import textwrap

from tipkb.facts.labels import label
from tipkb.i18n import localised_words, pick
from tipkb.recommend.model import RecommendationSet
from tipkb.store.kb import KnowledgeBase

WORDS = {
    "en": {"for": "Recommendations for", "answers": "answers only", "based": "Based on", "facts": "country facts",
           "ans": "the assessment's answers", "and": "and", "urgency": "Urgency factor from the latest TIP tier",
           "closes": "Closes", "why": "Why", "who": "Who acts", "when": "Horizon", "priority": "priority",
           "sources": "Sources", "none": "No recommendations: no gap was revealed.", "shown": "shown",
           "of": "of"},
    "ru": {"for": "Рекомендации для", "answers": "только по ответам", "based": "Основание", "facts": "факты о стране",
           "ans": "ответы оценки", "and": "и", "urgency": "Коэффициент срочности по последней категории TIP",
           "closes": "Устраняет", "why": "Почему", "who": "Исполнители", "when": "Срок", "priority": "приоритет",
           "sources": "Источники", "none": "Рекомендаций нет: пробелы не выявлены.", "shown": "показано",
           "of": "из"},
}


def format_brief(kb: KnowledgeBase, rs: RecommendationSet, lang: str = "en", width: int = 100) -> str:
    """Return a recommendation set as a short brief a person can read aloud in a meeting, codes named by the KB."""
    w = localised_words(WORDS, lang)
    who = pick(rs.country_label, lang) or w["answers"]
    basis = [w["facts"]] if rs.used_country_facts else []
    basis += [w["ans"]] if rs.used_answers else []
    joined = f" {w['and']} ".join(basis) or "—"
    out = [f"{w['for']} {who}" + (f" ({rs.country})" if rs.country else ""), f"{w['based']}: {joined}"]
    for note in rs.notes:
        out.append(f"! {pick(note, lang)}")
    if rs.urgency > 1.0:
        out.append(f"{w['urgency']}: ×{rs.urgency:g}")
    out.append(f"({len(rs.items)} {w['shown']} {w['of']} {rs.total})")
    if not rs.items:
        out += ["", w["none"]]
    for r in rs.items:
        out += ["", f"{r.rank}. {pick(r.title, lang)}  [{w['priority']} {r.priority:g}]"]
        out += textwrap.wrap(pick(r.description, lang), width, initial_indent="   ", subsequent_indent="   ")
        out.append(f"   {w['closes']}: " + "; ".join(pick(g.label, lang) for g in r.gaps))
        who_acts = ", ".join(label(kb, "stakeholders", s, lang) for s in r.stakeholders)
        out.append(f"   {w['who']}: {who_acts}   {w['when']}: {label(kb, 'time-horizons', r.horizon, lang)}")
        reasons = list({(s.kind, s.iri): s for s in r.trace if s.kind in ("answer", "fact")}.values())[:3]
        for s in reasons:
            out += textwrap.wrap(f"- {pick(s.text, lang)}", width, initial_indent=f"   {w['why']}: ",
                                 subsequent_indent="        ")
        sources = list(dict.fromkeys(src for s in reasons for src in s.sources))[:3]
        if sources:
            out.append(f"   {w['sources']}: {' '.join(sources)}")
    return "\n".join(out) + "\n"
