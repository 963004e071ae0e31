"""Everything a print report shows, gathered from the KB, the recommendation set, scores and answers."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from tipkb import __version__
from tipkb.assess.answers import ValidatedAnswers
from tipkb.assess.evidence import cited
from tipkb.assess.followup import SUBJECT, UNRAISED, FollowUp
from tipkb.assess.questionnaire import DONT_KNOW, Question, Questionnaire
from tipkb.assess.scoring import BANDS, LOWEST_BAND, Scores, score_answers
from tipkb.facts.catalogue import list_instruments
from tipkb.facts.labels import NO_CODE, code_labels
from tipkb.i18n import chain
from tipkb.recommend.explain import SOURCE_FACTOR
from tipkb.recommend.model import Recommendation, RecommendationSet
from tipkb.recommend.rank import EFFORT_FACTOR, EVIDENCE_FACTOR, MAX_TAILORING, REPEAT_FACTOR
from tipkb.recommend.rules import rule_titles
from tipkb.report.brief import executive_summary
from tipkb.report.marks import fallback_notes, fell_back, marked, recording
from tipkb.report.options import ReportError, check_ranks, clean_contact
from tipkb.report.recs import Link, group_recommendations, number_sources, rec_view, short_url
from tipkb.report.words import LANGS, long_date, number, words
from tipkb.store.kb import KnowledgeBase
from tipkb.store.queries import read_query

GROUPINGS = ("pillar", "stakeholder")
# The languages the methodology chapter is written in (typst/methodology.typ; the region's in methodology-regional.typ)
METHOD_LANGUAGES = ("en", "ru", "kk", "ky", "tg", "tk", "uz")
# Where each question of the annex stands (kb/vocab/assessment-states.ttl names them).
ANSWER_STATES = ("answered", "unanswered", "skipped", DONT_KNOW)
TOP = 5
HERE = Path(__file__).resolve().parent


def report_context(kb: KnowledgeBase, recommendations: RecommendationSet, *, scores: Scores | None = None,
                   answers: ValidatedAnswers | Mapping[str, Any] | None = None,
                   notes: Mapping[str, str] | None = None, questionnaire: Questionnaire | None = None,
                   profile: Mapping[str, Any] | None = None, organisation: str | None = None,
                   year: int | None = None, status: str | None = None, lang: str = "en",
                   group_by: str = "pillar", generated: date | None = None, only: Sequence[int] | None = None,
                   contact: str | None = None, evidence: Mapping[str, Sequence[Any]] | None = None,
                   followups: Mapping[str, FollowUp] | None = None) -> dict[str, Any]:
    """Return the values the report templates print, all in one language.

    `only` keeps the recommendations of those ranks (1 is the first of the set), which keep their numbers;
    `contact` is the organisation's name and contact, printed on the cover as plain text; `evidence` gives
    each subject's links and files (tipkb.assess.evidence.Evidence), listed by title, never their content: a
    question code's in the answers annex, a follow-up's ("followup:<practice code>") in its status line;
    `followups` (by practice code) gives a submitted assessment's recommendations a status line each.
    """
    if lang not in LANGS:
        raise ReportError(f"lang: expected one of {', '.join(LANGS)}; got {lang!r}")
    if group_by not in GROUPINGS:
        raise ReportError(f"group: expected one of {', '.join(GROUPINGS)}; got {group_by!r}")
    with recording() as fallbacks:
        context = _context(kb, recommendations, scores=scores, answers=answers, notes=notes,
                           questionnaire=questionnaire, profile=profile, organisation=organisation, year=year,
                           status=status, lang=lang, group_by=group_by, generated=generated, only=only,
                           contact=contact, evidence=evidence, followups=followups)
    context["fallbacks"] = fallback_notes(fallbacks, context["w"], lang)
    return context


def _context(kb: KnowledgeBase, recommendations: RecommendationSet, *, scores, answers, notes, questionnaire,
             profile, organisation, year, status, lang, group_by, generated, only, contact, evidence,
             followups) -> dict[str, Any]:
    stated_country = None
    if isinstance(answers, ValidatedAnswers):
        stated_country = answers.country
        notes = answers.notes if notes is None else notes
        organisation = organisation or answers.organisation
        year = year or answers.year
        answers = answers.values
    if answers is not None and questionnaire is None:
        raise ReportError("questionnaire: the questionnaire is needed to print answers and scores")
    if answers is not None and scores is None:
        scores = score_answers(questionnaire, answers, year)
    rs = recommendations
    chosen = _chosen(rs.items, only)
    contact = clean_contact(contact)
    w = words(lang)
    labels = code_labels(kb)
    codes = {q.iri: q.code for q in questionnaire.questions} if questionnaire and answers is not None else {}
    views = [rec_view(r, lang, labels, codes) for r in chosen]
    order = list(labels["pillars" if group_by == "pillar" else "stakeholders"].items())
    country_label = (marked((profile or {}).get("label"), lang) or marked(rs.country_label, lang) or rs.country
                     or stated_country or "—")
    generated = generated or date.today()
    groups = group_recommendations(views, chosen, group_by, order, lang)
    refs, references = number_sources(groups)
    legal = _legal(kb, profile, lang) if profile else None
    summary = _summary(scores, questionnaire, lang) if scores is not None and questionnaire else None
    annex = (_annex(kb, questionnaire, answers, notes or {}, scores, lang, evidence or {})
             if answers is not None else None)
    # (anchor, title, whether the chapter is one of the annexes)
    contents = [("summary", w["summary"], False),
                ("recommendations", w["recs_by_pillar" if group_by == "pillar" else "recs_by_stakeholder"], False)]
    contents += [("sources", w["sources_cited"], False)] if references else []
    contents += [("legal", w["legal"], True)] if legal else []
    contents += [("annex", w["annex"], True)] if annex else []
    contents += [("methodology", w["methodology"], True)]
    method_lang = next(m for m in chain(lang) if m in METHOD_LANGUAGES)
    if method_lang != lang:
        fell_back(method_lang)
    return {
        "lang": lang, "w": w, "baseline": answers is None, "group_by": group_by,
        "cover": {
            "country": country_label, "country_code": (profile or {}).get("code") or rs.country,
            "organisation": organisation, "year": year,
            "status": _label(kb, "assessment-states", status, lang) if status else None,
            "generated": long_date(generated, lang), "generated_iso": generated.isoformat(),
            "questionnaire": (f"{marked(questionnaire.label, lang)},\u00a0{questionnaire.version}"
                              if questionnaire is not None and answers is not None else None),
            "kb": w["kb_version"].format(**_kb_version(kb)),
            "contact": contact,
        },
        "basis": _basis(rs, w),
        "notes": [marked(n, lang) for n in rs.notes],
        "urgency": number(rs.urgency, lang, 2).rstrip("0").rstrip(",.") if rs.urgency > 1.0 else None,
        "summary": summary, "brief": executive_summary(chosen, views, summary, labels, country_label, lang, TOP),
        "top": views[:TOP], "views": views,
        "groups": groups, "refs": refs, "references": references,
        "total": len(views),
        "selected": (w["selected"].format(count=len(views), total=len(rs.items))
                     if only is not None else None),
        "legal": legal, "annex": annex, "contents": contents,
        "method": method_figures(kb, method_lang), "method_lang": method_lang,
        "rules": rule_list(kb, rs.rules, lang),
        "followups": {v.anchor: _status_line(kb, followups.get(r.practice_code),  # by the anchor Typst sees
                                             (evidence or {}).get(SUBJECT + r.practice_code, ()), lang)
                      for v, r in zip(views, chosen, strict=True)} if followups is not None else {},
    }


def _label(kb: KnowledgeBase, kind: str, code: object, lang: str) -> str:
    """Return the name of a code in `lang`, marked when it is shown in a fallback language (tipkb.facts.labels)."""
    if code is None or code == "":
        return NO_CODE
    return marked(code_labels(kb).get(kind, {}).get(str(code)), lang) or str(code)


def _status_line(kb: KnowledgeBase, followup: FollowUp | None, evidence: Sequence[Any], lang: str) -> dict[str, Any]:
    """Return where a recommendation stands ("Implemented, 1 May 2026"; none recorded is "not raised yet") and the
    titles and links of its evidence."""
    status = _label(kb, "followup-statuses", followup.status if followup else UNRAISED, lang)
    return {"text": f"{status}, {long_date(followup.on, lang)}" if followup and followup.on else status,
            "evidence": cited(evidence)}


def _chosen(items: Sequence[Recommendation], only: Sequence[int] | None) -> list[Recommendation]:
    """Return the recommendations whose ranks `only` names (all without it), in their order."""
    if only is None:
        return list(items)
    check_ranks(only, (r.rank for r in items))
    return [r for r in items if r.rank in set(only)]


def _basis(rs: RecommendationSet, w: Mapping[str, str]) -> str:
    parts = [w["basis_facts"]] if rs.used_country_facts else []
    parts += [w["basis_answers"]] if rs.used_answers else []
    return f" {w['basis_and']} ".join(parts)


def _kb_version(kb: KnowledgeBase) -> dict[str, Any]:
    """Return tipkb's version, the ontology's version and a digest of the KB's files (cached per KB)."""

    def build() -> dict[str, Any]:
        digest = hashlib.sha256()
        for f in kb.files:
            digest.update(f.relpath.encode())
            digest.update(Path(f.path).read_bytes())
        rows = kb.select(read_query(HERE / "ontology-version.rq").text)
        return {"tipkb": __version__, "digest": digest.hexdigest()[:12],
                "ontology": str(rows[0]["version"]) if rows else "—", "files": len(kb.files)}

    return kb.cached("report-kb-version", build)


def rule_list(kb: KnowledgeBase, used: list[str], lang: str) -> list[tuple[str, str]]:
    titles = rule_titles(kb)
    return [(rule, marked(titles.get(rule), lang)) for rule in used]


def _summary(scores: Scores, questionnaire: Questionnaire, lang: str) -> dict[str, Any]:
    rows = []
    for p in questionnaire.pillars:
        s = scores.pillar(p.code)
        rows.append({"label": marked(p.label, lang) or p.code, "score": number(s.score, lang),
                     "value": s.score, "rating": s.rating or "—", "answered": s.answered, "asked": s.asked,
                     "capped": s.capped})
    w = words(lang)
    shown = [f"{r['label']} {r['score'] if r['value'] is not None else w['no_score']}" for r in rows]
    alt = w["chart_alt"].format(scores="; ".join(shown))
    return {"chart_alt": alt, "overall": number(scores.overall, lang), "has_overall": scores.overall is not None,
            "rating": scores.rating, "completeness": number(scores.completeness, lang),
            "answered": scores.answered, "asked": scores.asked, "dont_know": scores.dont_know,
            "pillars": rows}


def _links(urls: list[str]) -> list[Link]:
    return [Link(u, short_url(u, 0), i + 1) for i, u in enumerate(urls)]


def _instrument_labels(kb: KnowledgeBase) -> dict[str, Mapping[str, str]]:
    return kb.cached("report-instruments", lambda: {i.code: i.label for i in list_instruments(kb)})


def _legal(kb: KnowledgeBase, profile: Mapping[str, Any], lang: str) -> dict[str, Any]:
    instruments = _instrument_labels(kb)
    ratifications = sorted(({
        "instrument": marked(instruments.get(r["instrument"]), lang) or r["instrument"],
        "status": _label(kb, "ratification-statuses", r["status"], lang),
        "date": long_date(r["date"], lang) if r["date"] else (str(r["year"]) if r["year"] else "—"),
        "conflict": bool(r.get("conflicts_with")), "sources": _links(r["sources"]),
    } for r in profile["ratifications"]), key=lambda r: (r["instrument"].lower(), r["status"]))
    laws = []
    for law in profile["laws"]:
        if law["start_year"] and law["end_year"]:
            when = f"{law['start_year']}–{law['end_year']}"
        else:
            when = long_date(law["adopted"], lang) if law["adopted"] else str(law["year"] or "—")
        ref = law["number"] and f"№ {law['number']}" or law["article"] and (
            words(lang)["article"].format(article=law["article"]))
        laws.append({"kind": _label(kb, "law-kinds", law["kind"], lang), "title": marked(law["title"], lang),
                     "ref": ref or "", "date": when, "sources": _links(law["sources"])})
    tiers = [t for t in profile.get("tip_tiers", []) if t.get("confidence") != "low"]
    latest = max(tiers, key=lambda t: t["report_year"]) if tiers else None
    return {"ratifications": ratifications, "laws": laws,
            "tier": words(lang)["latest_tier"].format(tier=_label(kb, "tiers", latest["tier"], lang),
                                                      year=latest["report_year"]) if latest else None}


def answer_text(question: Question, value: Any, lang: str, dont_know: str = DONT_KNOW) -> str:
    """Return an answer as a reader sees it: option labels, numbers, or the text given (`dont_know` for that answer)."""
    if value is None:
        return ""
    shown = []
    for v in value if isinstance(value, list | tuple) else [value]:
        option = question.option(v) if isinstance(v, str) else None
        if option is not None:
            shown.append(marked(option.label, lang) or v)
        elif v == DONT_KNOW:
            shown.append(dont_know)
        elif isinstance(v, float) and not v.is_integer():
            shown.append(number(v, lang, 2).rstrip("0").rstrip(",."))
        else:
            shown.append(str(int(v)) if isinstance(v, float) else str(v))
    return "; ".join(shown)


def _annex(kb: KnowledgeBase, questionnaire: Questionnaire, answers: Mapping[str, Any], notes: Mapping[str, str],
           scores: Scores, lang: str, evidence: Mapping[str, Sequence[Any]]) -> dict[str, Any]:
    states = {state: _label(kb, "answer-states", state, lang) for state in ANSWER_STATES}
    pillars = []
    for p in questionnaire.pillars:
        sections = []
        for s in (s for s in questionnaire.sections if s.pillar == p.code):
            rows = []
            for q in questionnaire.questions_in(s.id):
                qs = scores.questions.get(q.code)
                asked = qs.asked if qs else True
                value = answers.get(q.code) if asked else None
                state = ("skipped" if not asked else DONT_KNOW if qs and qs.dont_know
                         else "answered" if value is not None else "unanswered")
                rows.append({"code": q.code, "text": marked(q.text, lang),
                             "answer": answer_text(q, value, lang, states[DONT_KNOW]),
                             "state": state, "state_label": states[state],
                             "score": number(qs.score, lang, 2).rstrip("0").rstrip(",.")
                             if qs and qs.score is not None else "",
                             "note": notes.get(q.code, ""),
                             "evidence": cited(evidence.get(q.code, ()))})
            sections.append({"label": marked(s.label, lang) or s.id, "rows": rows})
        pillars.append({"label": marked(p.label, lang) or p.code, "sections": sections})
    return {"version": questionnaire.version, "pillars": pillars}


def method_figures(kb: KnowledgeBase, lang: str) -> dict[str, Any]:
    bands = [(band, number(low, lang)) for band, low in BANDS]

    def named(kind: str, factors: Mapping[str, float]) -> list[tuple[str, str]]:
        # The names run inside a sentence ("…: strong evidence ×1.00, …"), so they start in lower case.
        return [(_lower_first(_label(kb, kind, k, lang)), number(v, lang, 2)) for k, v in factors.items()]

    return {"bands": bands, "lowest": LOWEST_BAND, "lowest_below": bands[-1][1],
            "evidence": named("evidence-levels", EVIDENCE_FACTOR), "effort": named("effort-levels", EFFORT_FACTOR),
            "max_tailoring": number(MAX_TAILORING, lang, 1), "repeat": number(REPEAT_FACTOR, lang, 1),
            "fact_factor": number(SOURCE_FACTOR["fact"], lang, 2)}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
