"""The plain-text brief of a country profile (the `tipkb country` output)."""

from __future__ import annotations

from typing import Any

from tipkb.facts.labels import label
from tipkb.i18n import localised_words, pick
from tipkb.store.kb import KnowledgeBase

WORDS = {
    "en": {"src": "src", "tiers": "TIP report tiers:", "instruments": "International instruments:",
           "laws": "Laws, plans and mechanisms:", "statistics": "Statistics:", "destinations": "Destinations",
           "origins": "Origins", "gaps": "Documented gaps:"},
    "ru": {"src": "ист.", "tiers": "Категории доклада TIP:", "instruments": "Международные инструменты:",
           "laws": "Законы, планы и механизмы:", "statistics": "Статистика:", "destinations": "Страны назначения",
           "origins": "Страны происхождения", "gaps": "Задокументированные пробелы:"},
}


def format_profile(kb: KnowledgeBase, profile: dict[str, Any], lang: str = "en") -> str:
    """Return a country profile as a short plain-text brief in one language, codes named by the KB."""
    w = localised_words(WORDS, lang)

    def name(kind: str, code: Any) -> str:
        return label(kb, kind, code, lang)

    def src(rec: dict) -> str:
        return f"  [{len(rec['sources'])} {w['src']}]"

    out = [f"{pick(profile['label'], lang)} ({profile['code']})", ""]
    out.append(w["tiers"])
    tiers = ", ".join(f"{t['report_year']}: {name('tiers', t['tier'])}" for t in profile["tip_tiers"])
    out.append(f"  {tiers or '—'}")
    out += ["", w["instruments"]]
    for r in profile["ratifications"]:
        when = r["date"] or r["year"] or ""
        flag = " (!)" if r["conflicts_with"] else ""
        out.append(f"  {r['instrument']:<18} {name('ratification-statuses', r['status']):<28} {when}{flag}{src(r)}")
    out += ["", w["laws"]]
    for law in profile["laws"]:
        year = law["adopted"] or law["year"] or ""
        out.append(f"  {name('law-kinds', law['kind']):<30} {year!s:<10} {pick(law['title'], lang)}{src(law)}")
    out += ["", w["statistics"]]
    for s in profile["statistics"]:
        out.append(f"  {s['report_year']}  {name('indicators', s['indicator']):<36} {s['value']}{src(s)}")
    dest = ", ".join(sorted({r["country"] for r in profile["destinations"]})) or "—"
    orig = ", ".join(sorted({r["country"] for r in profile["origins"]})) or "—"
    out += ["", f"{w['destinations']}: {dest}",
            f"{w['origins']}: {orig}"]
    out += ["", w["gaps"]]
    for g in profile["gaps"]:
        out.append(f"  [{g['severity']}] {pick(g['label'], lang)} ({g['as_of']}){src(g)}")
    return "\n".join(out)
