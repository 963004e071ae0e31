"""Counts and coverage figures of a loaded KB."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from tipkb.checks.freshness import SourceStats, fact_rows, source_stats
from tipkb.checks.translations import Share, coverage, coverage_dict, format_coverage
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
    sources: SourceStats
    translations: dict[str, dict[str, Share]]  # per area (interface, questionnaire, …), per language

    def as_dict(self) -> dict:
        """Return a JSON-ready dict."""
        d = asdict(self)
        for key in ("facts_with_source", "facts_with_as_of", "facts_with_both", "labels_en", "labels_ru"):
            d[key]["percent"] = getattr(self, key).percent
        d["sources"]["primary_overall"]["percent"] = self.sources.primary_overall.percent
        for code, share in self.sources.primary_by_country.items():
            d["sources"]["primary_by_country"][code]["percent"] = share.percent
        d["translations"] = coverage_dict(self.translations)
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
        sources=source_stats(fact_rows(kb)),
        translations=coverage(kb),
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
    return "\n".join(out + _format_sources(stats.sources) + format_coverage(stats.translations))


def _format_sources(src: SourceStats) -> list[str]:
    share = src.primary_overall
    out = ["", "Source strength (src/tipkb/checks/source_hosts.toml; target: 90% with a primary source):",
           f"  {'with a primary source':<24} {share.primary:>6} / {share.total:<6} {share.percent:5.1f}%",
           f"  {'no primary source':<24} {src.secondary_only:>6}"]
    out += [f"  {code:<24} {s.primary:>6} / {s.total:<6} {s.percent:5.1f}%"
            for code, s in src.primary_by_country.items()]
    years = sorted({y for counts in src.facts_by_country_year.values() for y in counts})
    out += ["", "Facts per country by as-of year:", "      " + "".join(f"{y:>7}" for y in years)]
    out += [f"  {code}  " + "".join(f"{counts[y]:>7}" for y in years)
            for code, counts in src.facts_by_country_year.items()]
    out += ["", "Facts per destination country (its own facts and routes to it):"]
    out += [f"  {code}  {n:>6}" for code, n in src.facts_by_destination.items()]
    if src.unclassified_hosts:
        out += ["", "Source hosts in no entry of the host table (most cited first):"]
        out += [f"  {host:<40} {n:>4}" for host, n in list(src.unclassified_hosts.items())[:15]]
    return out
