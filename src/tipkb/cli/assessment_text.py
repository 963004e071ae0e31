"""Plain-text views of the questionnaire and of an assessment's scores, for the command line."""

from __future__ import annotations

import textwrap

from tipkb.assess.questionnaire import Question, Questionnaire
from tipkb.assess.scoring import RevealedGap, Scores
from tipkb.i18n import localised_words, pick

KB_PREFIX = "https://w3id.org/tipkb/kb/"
WORDS = {
    "en": {"version": "version", "questions": "questions", "asked_when": "asked when", "or": "or"},
    "ru": {"version": "версия", "questions": "вопросов", "asked_when": "задаётся, если", "or": "или"},
}


def _same(label: str, value: str) -> bool:
    return not label or label.lower().replace("'", "").replace(" ", "-") == value


def _describe_answer(question: Question, lang: str) -> str:
    if question.options:
        return " | ".join(o.value if _same(pick(o.label, lang), o.value) else f"{o.value} ({pick(o.label, lang)})"
                          for o in question.options)
    bounds = [f"≥ {question.min_value:g}" if question.min_value is not None else "",
              f"≤ {question.max_value:g}" if question.max_value is not None else ""]
    return " ".join([question.answer_type, *[b for b in bounds if b]])


def format_questionnaire(questionnaire: Questionnaire, lang: str = "en") -> str:
    """Return the questionnaire as readable text: pillars, sections, codes, question texts and options."""
    words = localised_words(WORDS, lang)
    out = [f"{pick(questionnaire.label, lang)} ({words['version']} {questionnaire.version}, "
           f"{len(questionnaire.questions)} {words['questions']})", ""]
    for pillar in questionnaire.pillars:
        out.append(pick(pillar.label, lang).upper() or pillar.code.upper())
        for section in (s for s in questionnaire.sections if s.pillar == pillar.code):
            out.append(f"  {pick(section.label, lang)}")
            for q in questionnaire.questions_in(section.id):
                lines = textwrap.wrap(pick(q.text, lang), 96) or [""]
                out.append(f"    {q.code}  {lines[0]}")
                out.extend(f"          {line}" for line in lines[1:])
                out.append(f"          → {_describe_answer(q, lang)}")
                for c in q.conditions:
                    wanted = f" {words['or']} ".join(sorted(c.options, key=_option_rank(questionnaire, c.question)))
                    out.append(f"          ({words['asked_when']} {c.question} = {wanted})")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _option_rank(questionnaire: Questionnaire, code: str):
    controller = questionnaire.question(code)
    order = {v: i for i, v in enumerate(controller.option_values)} if controller else {}
    return lambda value: (order.get(value, len(order)), value)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:5.1f} %"


def format_scores(scores: Scores, gaps: list[RevealedGap], questionnaire: Questionnaire, lang: str = "en") -> str:
    """Return scores per pillar and overall, "don't know" counts, completeness and the revealed gaps as text."""
    names = {p.code: pick(p.label, lang) or p.code for p in questionnaire.pillars}
    width = max([len(n) for n in names.values()] + [6])
    out = [f"{'pillar'.ljust(width)}  score     rating  answered  scored  don't know  cap"]
    for p in scores.pillars:
        cap = f"{p.cap:.0f} %{' (applied)' if p.capped else ''}" if p.cap is not None else ""
        out.append(f"{names[p.pillar].ljust(width)}  {_percent(p.score):8}  {p.rating or '—':6}  "
                   f"{p.answered:>3}/{p.asked:<4}  {p.scored:>6}  {p.dont_know:>10}  {cap}")
    out += ["", f"overall       {_percent(scores.overall)}  rating {scores.rating or '—'}"
                + ("" if scores.overall is not None else "  (a pillar has no scorable answer yet)"),
            f"don't know    {scores.dont_know} of {scores.asked} asked questions (not counted as zero)",
            f"completeness  {_percent(scores.completeness)}  ({scores.answered} of {scores.asked} asked questions "
            "answered)", "", f"revealed gaps ({len(gaps)})"]
    for g in gaps:
        gap = g.gap.removeprefix(KB_PREFIX)
        answer = f" = {g.option}" if g.option is not None else " (past a threshold)"
        out.append(f"  {g.question}{answer}  →  {gap}  (weight {g.weight:g})")
    return "\n".join(out) + "\n"
