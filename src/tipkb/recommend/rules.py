"""Discover the recommendation rules in kb/rules/ and run them over the KB plus one run's graph.

Each rule is a SPARQL CONSTRUCT file. Rules run in file-name order; what a rule constructs is added
to the run's own named graph, so later rules (gaps → practices → tailoring) can build on it. Every rule
sees the whole KB and its run's graph, and binds `?assessment` to the run's node, so runs in the same
store never see each other's findings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from tipkb import paths
from tipkb.errors import TipkbError
from tipkb.i18n import DEFAULT_LANGUAGE
from tipkb.namespaces import TIP
from tipkb.store.kb import KnowledgeBase
from tipkb.store.queries import QueryFile, discover_queries

FINDING_TYPES = (TIP.GapEvidence, TIP.TailoringEvidence, TIP.UrgencyEvidence, TIP.Recommendation)
# The header's "# title:" line is the English title; "# title@ru:" and the like give it in other languages.
_TITLE_IN = re.compile(r"^#\s*title@([a-z]{2,3})\s*:\s*(.+?)\s*$")


class RuleError(TipkbError):
    """A rule file is malformed or fails to run."""


@dataclass(frozen=True)
class Rule:
    """A recommendation rule: a CONSTRUCT query with its header; `titles` holds its title in each language."""

    id: str
    title: str
    intent: str
    source: str
    path: Path
    text: str
    titles: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)


def load_rules(root: Path | None = None) -> list[Rule]:
    """Read kb/rules/*.rq in name order; raise RuleError naming the file if a rule is not a CONSTRUCT."""
    folder = paths.kb_dir(root) / "rules"
    rules = []
    for q in discover_queries(folder, "*.rq"):
        if "CONSTRUCT" not in q.text.upper():
            raise RuleError(f"{q.path}: a rule must be a SPARQL CONSTRUCT query")
        if q.id != q.path.stem:
            raise RuleError(f"{q.path}: header id {q.id!r} differs from the file name")
        rules.append(_rule(q))
    if not rules:
        raise RuleError(f"{folder}: no rules found")
    return rules


def _rule(q: QueryFile) -> Rule:
    titles = {DEFAULT_LANGUAGE: q.title}
    for line in q.text.splitlines()[1:]:
        if not line.startswith("#"):
            break
        m = _TITLE_IN.match(line)
        if m:
            titles[m.group(1)] = m.group(2)
    return Rule(q.id, q.title, q.intent, q.source, q.path, q.text, titles)


def rule_titles(kb: KnowledgeBase) -> dict[str, Mapping[str, str]]:
    """Return every rule's title by language, {rule id: {lang: title}}, read from the rule files' headers (cached)."""
    return kb.cached("rule-titles", lambda: {r.id: r.titles for r in load_rules(kb.root)})


@contextmanager
def run_scope(kb: KnowledgeBase, assessment: URIRef, run_graph: Graph) -> Iterator[None]:
    """Put a run's graph into the store under the run's own graph name for the duration of a block."""
    kb.add_triples(assessment, run_graph)
    try:
        yield
    finally:
        kb.drop_graph(assessment)


def run_rules(kb: KnowledgeBase, rules: list[Rule], assessment: URIRef) -> dict[str, int]:
    """Run every rule for one run (inside `run_scope`); return how many triples each rule constructed.

    Each finding node is stamped with tip:rule and the id of the rule that made it.
    """
    counts = {}
    types = {str(t) for t in FINDING_TYPES}
    for rule in rules:
        try:
            counts[rule.id] = kb.construct_into(assessment, rule.text, {"assessment": assessment},
                                                tag=(types, str(TIP.rule), rule.id))
        except TipkbError as exc:
            raise RuleError(f"rule {rule.id} ({rule.path.name}): {exc}") from exc
    return counts
