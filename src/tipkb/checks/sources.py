"""Source strength: each source URL classed primary or secondary by the host table in source_hosts.toml."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from tipkb.errors import TipkbError
from tipkb.store.kb import KnowledgeBase
from tipkb.store.queries import packaged

HOSTS_FILE = Path(__file__).resolve().parent / "source_hosts.toml"
STRENGTHS = ("primary", "secondary", "unclassified")


@dataclass(frozen=True)
class HostRule:
    """One entry of the host table: a host (matching its subdomains too), its strength and the reason."""

    pattern: str
    strength: str
    why: str

    def matches(self, host: str) -> bool:
        """Return whether a host is this entry's host or one of its subdomains."""
        return host == self.pattern or host.endswith("." + self.pattern)


@dataclass(frozen=True)
class Strength:
    """The strength of one source URL and the table entry that decided it (None when unclassified)."""

    url: str
    strength: str
    rule: HostRule | None = None


@cache
def host_rules(path: Path = HOSTS_FILE) -> tuple[HostRule, ...]:
    """Return the host table, in order; raise TipkbError naming the file for a bad entry."""
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    rules = []
    for i, entry in enumerate(data.get("host", []), 1):
        if entry.get("strength") not in ("primary", "secondary") or not entry.get("pattern") or not entry.get("why"):
            raise TipkbError(f"{path}: host entry {i} needs a pattern, a why and a strength of primary or secondary")
        rules.append(HostRule(entry["pattern"].lower(), entry["strength"], entry["why"]))
    return tuple(rules)


def classify(url: str, rules: tuple[HostRule, ...] | None = None) -> Strength:
    """Return the strength of a source URL: the first table entry matching its host decides."""
    host = (urlsplit(str(url)).hostname or "").lower()
    for rule in rules if rules is not None else host_rules():
        if rule.matches(host):
            return Strength(str(url), rule.strength, rule)
    return Strength(str(url), "unclassified")


def rests_on_primary(urls, rules: tuple[HostRule, ...] | None = None) -> bool:
    """Return whether at least one of the URLs is a primary source."""
    return any(classify(u, rules).strength == "primary" for u in urls)


def primary_regex(rules: tuple[HostRule, ...] | None = None) -> str:
    """Return one regular expression matching exactly the URLs that classify() calls primary."""
    rules = rules if rules is not None else host_rules()
    alternatives = []
    for i, rule in enumerate(rules):
        if rule.strength != "primary":
            continue
        # an earlier secondary entry under this host wins in classify(); exclude it here too
        shadows = [r.pattern for r in rules[:i] if r.strength == "secondary" and rule.matches(r.pattern)]
        exclude = "".join(f"(?!([^/]*\\.)?{re.escape(s)}([:/]|$))" for s in shadows)
        alternatives.append(f"{exclude}([^/@]*\\.)?{re.escape(rule.pattern)}")
    return f"^[a-z][a-z0-9+.-]*://({'|'.join(alternatives)})([:/?#]|$)"


@dataclass(frozen=True)
class SecondaryOnly:
    """A fact none of whose sources is primary, with those sources."""

    focus: str
    sources: tuple[str, ...]


def secondary_only(kb: KnowledgeBase) -> list[SecondaryOnly]:
    """Run the packaged QC warning query: the facts resting only on secondary or unclassified sources."""
    rows = kb.select(packaged("secondary-only-warning", primary=primary_regex()))
    return [SecondaryOnly(str(r["focus"]), tuple(sorted(str(r.get("sources", "")).split()))) for r in rows]
