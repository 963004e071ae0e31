"""Validate the ontology and KB: Turtle syntax, SHACL shapes, QC queries and OWL consistency."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from tipkb import paths
from tipkb.checks.reasoning import check_consistency
from tipkb.checks.shacl import shacl_findings
from tipkb.checks.sources import secondary_only
from tipkb.errors import KBLoadError, ReasoningError
from tipkb.store.kb import KnowledgeBase, check_syntax, discover, load_kb
from tipkb.store.queries import discover_queries

CHECKS = ("syntax", "shacl", "qc", "owl")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the KB, in words a person can act on."""

    check: str
    message: str
    files: tuple[str, ...] = ()
    focus: str | None = None
    rule: str | None = None
    line: int | None = None

    def text(self) -> str:
        """Return the problem as one or two readable lines."""
        where = ", ".join(f"{f}:{self.line}" if self.line else f for f in self.files) or "(KB)"
        who = f" {self.focus}" if self.focus else ""
        rule = f" [{self.rule}]" if self.rule else ""
        return f"{where}:{who} {self.message}{rule}"


@dataclass
class ValidationReport:
    """All problems found, by check; the KB conforms when there are none."""

    problems: list[Problem] = field(default_factory=list)
    checks_run: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # QC warnings: reported, never failing the KB

    @property
    def conforms(self) -> bool:
        return not self.problems

    def text(self) -> str:
        """Return the report as plain text for a person."""
        if self.conforms:
            return f"OK: the KB passes {', '.join(self.checks_run)} checks."
        lines = [f"{len(self.problems)} problem(s) found:"]
        for check in CHECKS:
            found = [p for p in self.problems if p.check == check]
            if found:
                lines.append(f"\n{check.upper()} ({len(found)})")
                lines.extend(f"  {p.text()}" for p in found)
        return "\n".join(lines)

    def warnings_text(self, limit: int = 10) -> str:
        """Return the QC warnings as plain text, the first `limit` of them listed."""
        if not self.warnings:
            return ""
        lines = [f"{len(self.warnings)} QC warning(s): facts resting only on secondary sources "
                 "(src/tipkb/checks/source_hosts.toml; all of them in `tipkb stats` and the expert freshness view)"]
        lines += [f"  {p.text()}" for p in self.warnings[:limit]]
        return "\n".join(lines)


def run_qc_warnings(kb: KnowledgeBase) -> list[Problem]:
    """Run the packaged QC warning query: facts none of whose sources is primary."""
    return [Problem("qc", f"no primary source among {', '.join(f.sources)}", tuple(kb.files_of(URIRef(f.focus))),
                    f.focus, "secondary-only") for f in secondary_only(kb)]


def shapes_graph(root: Path | None = None) -> Graph:
    """Return the SHACL shapes of ontology/shapes/ as one graph."""
    g = Graph()
    for path in sorted((paths.ontology_dir(root) / "shapes").glob("*.ttl")):
        check_syntax(path)
        g.parse(path, format="turtle")
    return g


def run_shacl(kb: KnowledgeBase, shapes: Graph) -> list[Problem]:
    """Validate the KB's union graph against the shapes and explain each violation."""
    data = kb.union_graph()
    problems = []
    for f in shacl_findings(data, shapes):
        message = f.message
        if f.path is not None:
            message = f"{data.namespace_manager.normalizeUri(f.path)}: {message}"
        if f.value is not None and not isinstance(f.focus, Literal) and f.value != f.focus:
            message += f" (found {f.value.n3(data.namespace_manager)})"
        problems.append(Problem("shacl", message, tuple(kb.files_of(f.focus)), str(f.focus), f.rule))
    return sorted(problems, key=lambda p: (p.files, p.focus or "", p.message))


def run_qc(kb: KnowledgeBase, folder: Path) -> list[Problem]:
    """Run every *-violation.rq query; each row it returns is a problem."""
    problems = []
    for q in discover_queries(folder, "*-violation.rq"):
        for row in kb.select(q.text):
            focus = row.get("focus")
            message = str(row.get("message", q.title))
            files = tuple(kb.files_of(focus)) if isinstance(focus, URIRef) else ()
            problems.append(Problem("qc", message, files, str(focus) if focus else None, q.id))
    return problems


def run_owl(kb: KnowledgeBase) -> list[Problem]:
    """Check OWL consistency with HermiT; name the resources at fault where a QC query can find them."""
    try:
        verdict = check_consistency(kb.union_graph())
    except ReasoningError as exc:
        return [Problem("owl", f"the OWL consistency check could not run: {exc}")]
    if verdict.consistent:
        return []
    culprits = [p for p in run_qc(kb, paths.ontology_dir(kb.root) / "qc") if p.rule == "disjoint-class"]
    if not culprits:
        return [Problem("owl", f"{verdict.detail}; no single resource could be singled out — check recent edits "
                        "against the axioms of ontology/tip.ttl")]
    return [Problem("owl", f"inconsistent: {p.message}", p.files, p.focus, "owl-consistency") for p in culprits]


def validate(root: Path | None = None, *, kb_dir: Path | None = None, owl: bool = True,
             kb: KnowledgeBase | None = None) -> ValidationReport:
    """Validate a data root (or an already loaded KB) and return every problem found."""
    root = Path(root) if root else paths.data_root()
    report = ValidationReport()
    report.checks_run.append("syntax")
    if kb is None:
        report.problems.extend(_syntax_problems(discover(root, kb_dir)))
        if report.problems:
            return report
        kb = load_kb(root, kb=kb_dir)
    try:
        shapes = shapes_graph(root)
    except KBLoadError as exc:
        report.problems.append(Problem("syntax", str(exc).split(": ", 1)[1], (exc.path,), line=exc.line))
        return report
    report.checks_run += ["SHACL", "QC"]
    report.problems.extend(run_shacl(kb, shapes))
    report.problems.extend(run_qc(kb, paths.ontology_dir(root) / "qc"))
    report.warnings.extend(run_qc_warnings(kb))
    if owl:
        report.checks_run.append("OWL")
        report.problems.extend(run_owl(kb))
    return report


def _syntax_problems(files: Iterable) -> list[Problem]:
    problems = []
    for f in files:
        try:
            check_syntax(f.path)
        except KBLoadError as exc:
            problems.append(Problem("syntax", str(exc).split(": ", 1)[1], (f.relpath,), line=exc.line))
    return problems
