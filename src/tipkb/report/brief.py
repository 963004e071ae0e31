"""The executive summary in plain words: what the assessment or the country's facts show, and what is asked of whom."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tipkb.facts.labels import Labels
from tipkb.recommend.model import Recommendation
from tipkb.report.marks import marked
from tipkb.report.recs import RecView
from tipkb.report.words import words

# How many gaps the summary names, and how many of the weakest pillars.
GAPS_NAMED = 3
WEAKEST = 2


def executive_summary(recs: Sequence[Recommendation], views: Sequence[RecView], summary: Mapping[str, Any] | None,
                      labels: Labels, country: str, lang: str, top: int) -> dict[str, Any]:
    """Return the summary's sentences on what was found, the most urgent gaps, and the top recommendations by actor."""
    w = words(lang)
    found = _scores(summary, country, w) if summary is not None else [
        w["found_facts"].format(country=country, count=len(recs))]
    return {"found": found, "gaps": _gaps(recs[:top], lang, w), "asks": _asks(recs[:top], views[:top], labels, lang),
            "asks_intro": w["asks_intro"], "more": w["asks_more"].format(total=len(recs)) if len(recs) > top else None}


def _scores(summary: Mapping[str, Any], country: str, w: Mapping[str, str]) -> list[str]:
    sentences = []
    if summary["has_overall"]:
        sentences.append(w["found_overall"].format(country=country, overall=summary["overall"],
                                                   rating=summary["rating"]))
    else:
        sentences.append(w["found_no_overall"])
    scored = sorted((p for p in summary["pillars"] if p["value"] is not None), key=lambda p: p["value"])
    weakest = scored[:WEAKEST] if len(scored) > WEAKEST else scored[:1]
    if weakest:
        named = [w["pillar_capped" if p["capped"] else "pillar_score"].format(
            pillar=p["label"], score=p["score"], rating=p["rating"]) for p in weakest]
        key = "found_weakest" if len(named) > 1 else "found_weakest_one"
        sentences.append(w[key].format(pillars=f" {w['basis_and']} ".join(named)))
    unscored = [p["label"] for p in summary["pillars"] if p["value"] is None]
    if unscored:
        sentences.append(w["found_unscored"].format(pillars=", ".join(unscored)))
    sentences.append(w["found_complete"].format(answered=summary["answered"], asked=summary["asked"],
                                                completeness=summary["completeness"]))
    if summary["dont_know"]:
        sentences.append(w["found_dont_know"].format(count=summary["dont_know"]))
    return sentences


def _gaps(recs: Sequence[Recommendation], lang: str, w: Mapping[str, str]) -> list[str]:
    """Name the most severe gaps that the most urgent recommendations close, most severe first."""
    first: dict[str, tuple[int, float, int, str]] = {}
    for order, g in enumerate(g for rec in recs for g in rec.gaps):
        # Ties keep the order of the recommendations, so both languages name the same gaps.
        first.setdefault(g.code, (-g.severity, -g.strength, order, marked(g.label, lang) or g.code))
    chosen = sorted(first.values())[:GAPS_NAMED]
    return [f"{name} ({w['severity']}\u00a0{-severity}/5)" for severity, _, _, name in chosen]


def _asks(recs: Sequence[Recommendation], views: Sequence[RecView], labels: Labels,
          lang: str) -> list[dict[str, Any]]:
    """Group the most urgent recommendations by the stakeholders asked to act, in vocabulary order."""
    names = labels.get("stakeholders", {})
    codes = list(names) + sorted({s for r in recs for s in r.stakeholders} - set(names))
    asks = []
    for code in codes:
        asked = [{"rank": v.rank, "title": v.title, "anchor": v.anchor}
                 for r, v in zip(recs, views, strict=True) if code in r.stakeholders]
        if asked:
            asks.append({"who": marked(names.get(code), lang) or code, "recs": asked})
    return asks
