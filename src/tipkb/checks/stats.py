"""Counts and coverage figures of a loaded KB."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from tipkb.namespaces import TIP_IRI
from tipkb.store.kb import KnowledgeBase
from tipkb.store.queries import packaged


@dataclass(frozen=True)
class Coverage:
    """How many of `total` items have a property; `percent` is 100 for an empty set."""

    total: int
    covered: int

    @property
    def percent(self) -> float:
        return 100.0 if self.total == 0 else round(100.0 * self.covered / self.total, 1)


@dataclass(frozen=True)
class KBStats:
    """Counts per class, provenance and label coverage, and focus-country completeness."""

    triples: int
    files: int
    classes: dict[str, int]
    facts_with_source: Coverage
    facts_with_as_of: Coverage
    facts_with_both: Coverage
    labels_en: Coverage
    labels_ru: Coverage
    focus: dict[str, dict[str, int]]

    def as_dict(self) -> dict:
        """Return a JSON-ready dict."""
        d = asdict(self)
        for key in ("facts_with_source", "facts_with_as_of", "facts_with_both", "labels_en", "labels_ru"):
            d[key]["percent"] = getattr(self, key).percent
        return d


def compute_stats(kb: KnowledgeBase) -> KBStats:
    """Compute the statistics of a loaded KB."""
    classes = {str(r["class"]).removeprefix(TIP_IRI): int(r["n"]) for r in kb.select(packaged("class-counts"))}
    prov = kb.select(packaged("provenance-coverage"))[0]
    labels = kb.select(packaged("label-coverage"))[0]
    total = int(prov["total"])
    focus = {
        str(r["code"]): {"instruments_with_ratification": int(r["instruments"]),
                         "tier_years_2018_2025": int(r["tier_years"])}
        for r in kb.select(packaged("focus-coverage"))
    }
    return KBStats(
        triples=len(kb),
        files=len(kb.files),
        classes=classes,
        facts_with_source=Coverage(total, int(prov["with_source"])),
        facts_with_as_of=Coverage(total, int(prov["with_as_of"])),
        facts_with_both=Coverage(total, int(prov["with_both"])),
        labels_en=Coverage(int(labels["total"]), int(labels["with_en"])),
        labels_ru=Coverage(int(labels["total"]), int(labels["with_ru"])),
        focus=focus,
    )


def format_stats(stats: KBStats) -> str:
    """Return the statistics as a plain-text report."""
    out = [f"{stats.triples} triples in {stats.files} files", "", "Instances per class:"]
    out += [f"  {name:<24} {n:>6}" for name, n in sorted(stats.classes.items())]
    out += ["", "Provenance of sourced resources (facts, instruments, gaps, practices, countries):"]
    for label, cov in (("with a source URL", stats.facts_with_source), ("with an as-of date", stats.facts_with_as_of),
                       ("with both", stats.facts_with_both)):
        out.append(f"  {label:<24} {cov.covered:>6} / {cov.total:<6} {cov.percent:5.1f}%")
    out += ["", "Labels (entities, concepts and ontology terms):"]
    for label, cov in (("English", stats.labels_en), ("Russian", stats.labels_ru)):
        out.append(f"  {label:<24} {cov.covered:>6} / {cov.total:<6} {cov.percent:5.1f}%")
    out += ["", "Focus countries (instruments with a ratification record; TIP tier years 2018–2025 of 8):"]
    for code, d in stats.focus.items():
        out.append(f"  {code}  instruments {d['instruments_with_ratification']:>3}"
                   f"   tier years {d['tier_years_2018_2025']}/8")
    return "\n".join(out)
