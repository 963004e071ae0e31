"""The plain-text brief of a country profile (the `tipkb country` output)."""

from __future__ import annotations

from typing import Any

from tipkb.facts.labels import label
from tipkb.i18n import pick
from tipkb.store.kb import KnowledgeBase


def format_profile(kb: KnowledgeBase, profile: dict[str, Any], lang: str = "en") -> str:
    """Return a country profile as a short plain-text brief in English or Russian, codes named by the KB."""
    ru = lang == "ru"

    def name(kind: str, code: Any) -> str:
        return label(kb, kind, code, lang)

    def src(rec: dict) -> str:
        return f"  [{len(rec['sources'])} {'ист.' if ru else 'src'}]"

    out = [f"{pick(profile['label'], lang)} ({profile['code']})", ""]
    out.append("Категории доклада TIP:" if ru else "TIP report tiers:")
    tiers = ", ".join(f"{t['report_year']}: {name('tiers', t['tier'])}" for t in profile["tip_tiers"])
    out.append(f"  {tiers or '—'}")
    out += ["", "Международные инструменты:" if ru else "International instruments:"]
    for r in profile["ratifications"]:
        when = r["date"] or r["year"] or ""
        flag = " (!)" if r["conflicts_with"] else ""
        out.append(f"  {r['instrument']:<18} {name('ratification-statuses', r['status']):<28} {when}{flag}{src(r)}")
    out += ["", "Законы, планы и механизмы:" if ru else "Laws, plans and mechanisms:"]
    for law in profile["laws"]:
        year = law["adopted"] or law["year"] or ""
        out.append(f"  {name('law-kinds', law['kind']):<30} {year!s:<10} {pick(law['title'], lang)}{src(law)}")
    out += ["", "Статистика:" if ru else "Statistics:"]
    for s in profile["statistics"]:
        out.append(f"  {s['report_year']}  {name('indicators', s['indicator']):<36} {s['value']}{src(s)}")
    dest = ", ".join(sorted({r["country"] for r in profile["destinations"]})) or "—"
    orig = ", ".join(sorted({r["country"] for r in profile["origins"]})) or "—"
    out += ["", f"{'Страны назначения' if ru else 'Destinations'}: {dest}",
            f"{'Страны происхождения' if ru else 'Origins'}: {orig}"]
    out += ["", "Задокументированные пробелы:" if ru else "Documented gaps:"]
    for g in profile["gaps"]:
        out.append(f"  [{g['severity']}] {pick(g['label'], lang)} ({g['as_of']}){src(g)}")
    return "\n".join(out)
