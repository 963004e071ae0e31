"""Country listings from the KB."""

from __future__ import annotations

from dataclasses import dataclass

from tipkb.i18n import pick
from tipkb.store.kb import KnowledgeBase
from tipkb.store.queries import packaged

FOCUS_CODES = ("KZ", "KG", "TJ", "TM", "UZ")


@dataclass(frozen=True)
class CountrySummary:
    """A country's code, label and most recent TIP tier (if the KB has one)."""

    code: str
    iri: str
    label: str
    tier: str | None
    tier_year: int | None

    @property
    def is_focus(self) -> bool:
        return self.code in FOCUS_CODES


def list_countries(kb: KnowledgeBase, lang: str = "en") -> list[CountrySummary]:
    """Return every country of the KB, focus countries first, labels in `lang` (else along its chain), cached."""
    return list(kb.cached(f"countries:{lang}", lambda: tuple(_countries(kb, lang))))


def _countries(kb: KnowledgeBase, lang: str) -> list[CountrySummary]:
    rows = kb.select(packaged("countries"), {"lang": lang})
    seen: dict[str, CountrySummary] = {}
    for r in rows:
        code = str(r["code"])
        if code in seen:  # two ratings of the same latest year (a recorded conflict): keep the first
            continue
        texts = {key: str(r[f"label_{key}"]) for key in ("ru", "en") if r.get(f"label_{key}")}
        label = str(r.get("label") or pick(texts, lang) or code)
        year = r.get("tier_year")
        seen[code] = CountrySummary(code, str(r["country"]), label, str(r["tier"]) if "tier" in r else None,
                                    int(year) if year is not None else None)
    return sorted(seen.values(), key=lambda c: (not c.is_focus, c.label))
