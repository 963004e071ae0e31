"""Recommendations as the print report shows them: reasons, gaps, sources, and groups by pillar or stakeholder."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from tipkb.facts.labels import Labels
from tipkb.recommend.explain import ROLE_ORDER as KIND_ORDER
from tipkb.recommend.model import Recommendation, TraceStep
from tipkb.report.marks import marked
from tipkb.report.words import number, words

# Reasons printed in full (answers and facts, then tailoring); the rest are listed by question code or counted.
MAX_REASONS = 3
MAX_TAILORING = 1
URL = re.compile(r"https?://[^\s<>\"';]+[^\s<>\"';.,)]")


@dataclass(frozen=True)
class Link:
    """A clickable source: its URL, a short text to print, and its number in the report's list of sources."""

    href: str
    text: str
    number: int


@dataclass(frozen=True)
class Reason:
    """One reason behind a recommendation, in one language; `question` is the answered question's code, if any."""

    kind: str
    kind_label: str
    text: str
    question: str | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class GapLine:
    """A gap a recommendation closes, named in one language, with its severity (1–5)."""

    code: str
    label: str
    severity: int


@dataclass(frozen=True)
class RecView:
    """One recommendation ready to print in one language."""

    rank: int
    anchor: str
    code: str
    title: str
    description: str
    priority: str
    pillars: tuple[str, ...]
    stakeholders: tuple[str, ...]
    horizon: str
    effort: str
    evidence: str
    gaps: tuple[GapLine, ...]
    reasons: tuple[Reason, ...]
    more_questions: tuple[str, ...]
    more_reasons: int
    sources: tuple[str, ...]
    factors: str


@dataclass(frozen=True)
class GroupEntry:
    """A recommendation listed in a group: in full (its first group) or as a reference to the group describing it."""

    rec: RecView
    full: bool
    described_in: str


@dataclass(frozen=True)
class Group:
    """The recommendations that concern one pillar or one stakeholder, most urgent first."""

    code: str
    label: str
    entries: tuple[GroupEntry, ...]


def short_url(url: str, width: int = 40) -> str:
    """Return a URL without its scheme and "www.", cut to `width` characters with an ellipsis (0: the host alone)."""
    parts = urlsplit(url)
    if not parts.netloc:
        return url
    host = parts.netloc.removeprefix("www.")
    text = host + parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")
    if width == 0:
        return host
    return text if len(text) <= width else text[:width - 1] + "…"


def rec_view(rec: Recommendation, lang: str, labels: Labels, question_codes: Mapping[str, str]) -> RecView:
    """Return one recommendation's printable view: names in `lang` (from `labels`, the KB's code labels), chosen
    reasons, and its sources (the URLs behind the printed reasons, then the practice's own), which
    `number_sources` numbers report-wide."""
    w = words(lang)

    def name(kind: str, code: str | None) -> str:
        return marked(labels.get(kind, {}).get(code or ""), lang) or code or "—"

    reasons, more_questions, more = _reasons(rec.trace, lang, question_codes, labels.get("trace-kinds", {}))
    sources = dict.fromkeys([u for r in reasons for u in r.sources] + list(rec.sources))
    f = rec.factors
    factors = w["factors"].format(**{k: number(f.get(k), lang, 3).rstrip("0").rstrip(",.") for k in
                                     ("need", "quality", "tailoring", "urgency")})
    return RecView(
        rank=rec.rank, anchor=f"rec-{rec.practice_code}", code=rec.practice_code, title=marked(rec.title, lang),
        description=marked(rec.description, lang), priority=number(rec.priority, lang, 1),
        pillars=tuple(name("pillars", p) for p in rec.pillars),
        stakeholders=tuple(name("stakeholders", s) for s in rec.stakeholders),
        horizon=name("time-horizons", rec.horizon), effort=name("effort-levels", rec.effort),
        evidence=name("evidence-levels", rec.evidence),
        gaps=tuple(GapLine(g.code, marked(g.label, lang) or g.code, g.severity) for g in rec.gaps),
        reasons=tuple(reasons), more_questions=tuple(more_questions), more_reasons=more,
        sources=tuple(sources), factors=factors,
    )


def _reasons(trace: Sequence[TraceStep], lang: str, question_codes: Mapping[str, str],
             kinds: Mapping[str, Mapping[str, str]]):
    """Choose the reasons to print in full; return them, the codes of further answers, and a count of the rest."""
    distinct: dict[tuple[str, str], TraceStep] = {}
    for step in trace:
        distinct.setdefault((step.kind, marked(step.text, lang)), step)
    ordered = list(distinct.values())  # the engine's order: strongest reasons first, by role
    shown: list[Reason] = []
    more_questions: list[str] = []
    more = 0
    counts = {0: 0, 1: 0, 2: 0}
    for step in ordered:
        tier = KIND_ORDER.get(step.kind, 3)
        limit = MAX_REASONS if tier == 0 else MAX_TAILORING if tier == 1 else 1
        question = question_codes.get(step.iri) if step.kind == "answer" else None
        if counts.get(tier, 0) >= limit:
            if question and question not in more_questions:
                more_questions.append(question)
            else:
                more += 1
            continue
        counts[tier] = counts.get(tier, 0) + 1
        text = marked(step.text, lang)
        if question and text.startswith(question):
            text = text[len(question):].lstrip()
        shown.append(Reason(step.kind, marked(kinds.get(step.kind), lang) or step.kind, text, question,
                            tuple(dict.fromkeys(step.sources))))
    return shown, sorted(more_questions), more


def number_sources(groups: Sequence[Group], width: int = 90) -> tuple[dict[str, int], list[Link]]:
    """Number the sources of the recommendations described in full, in the order the report cites them.

    Each source is listed once, at the end of the recommendations, and cited by its number; a report repeats
    the same few sources (the yearly TIP reports, above all) across many recommendations."""
    numbers: dict[str, int] = {}
    for group in groups:
        for entry in group.entries:
            if entry.full:
                for url in entry.rec.sources:
                    numbers.setdefault(url, len(numbers) + 1)
    return numbers, [Link(url, short_url(url, width), n) for url, n in numbers.items()]


def group_recommendations(views: Sequence[RecView], recs: Sequence[Recommendation], group_by: str,
                          order: Sequence[tuple[str, Mapping[str, str]]], lang: str) -> list[Group]:
    """Group recommendations by pillar or stakeholder in vocabulary order; each is described in full once."""
    attr = "pillars" if group_by == "pillar" else "stakeholders"
    known = [code for code, _ in order]
    extra = sorted({c for r in recs for c in getattr(r, attr)} - set(known))
    labels = dict(order)
    described: dict[int, str] = {}
    groups = []
    for code in known + extra + [""]:
        members = [v for v, r in zip(views, recs, strict=True)
                   if (code in getattr(r, attr) if code else not getattr(r, attr))]
        if not members:
            continue
        label = marked(labels.get(code), lang) or code or "—"
        entries = []
        for view in members:
            first = view.rank not in described
            described.setdefault(view.rank, label)
            entries.append(GroupEntry(view, first, described[view.rank]))
        groups.append(Group(code, label, tuple(entries)))
    return groups
