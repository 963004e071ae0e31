"""Run pySHACL and read its results graph into findings: resource, property, value, message and shape at fault."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

# Shape parameters whose check reads no more than the focus node's own triples, its values and their rdf:type
# (pySHACL reads rdfs:subClassOf for sh:class and sh:targetClass). sh:node, complex paths, qualified shapes and
# SPARQL constraints read further and are absent, as are property shapes nested in sh:or and its kind.
_LOCAL_PARAMETERS = {SH[name] for name in (
    "targetClass", "targetSubjectsOf", "targetNode", "property", "path", "class", "datatype", "nodeKind",
    "minCount", "maxCount", "minInclusive", "maxInclusive", "minExclusive", "maxExclusive", "minLength", "maxLength",
    "pattern", "flags", "languageIn", "uniqueLang", "in", "hasValue", "or", "and", "xone", "not", "message", "name",
    "description", "severity", "deactivated", "order", "group", "equals", "disjoint", "lessThan", "lessThanOrEquals",
    "closed", "ignoredProperties")}
_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetNode)


@dataclass(frozen=True)
class ShaclFinding:
    """One violation in a SHACL report, as terms; each front end words it."""

    focus: Node
    path: URIRef | None  # None for a node constraint or a complex path
    value: Node | None
    message: str
    shape: URIRef | None  # the named shape at fault: the node shape holding the property shape, else the shape
    rule: str | None  # that shape as a prefixed name of the shapes graph, e.g. "tsh:GapShape"


def shacl_findings(data: Graph, shapes: Graph, focus_nodes: Iterable[Node] | None = None) -> list[ShaclFinding]:
    """Validate a graph (or only some of its nodes) against the shapes and return every violation."""
    from pyshacl import validate

    options = {} if focus_nodes is None else {"focus_nodes": list(focus_nodes)}
    _, report, _ = validate(data, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=True,
                            **options)
    return read_report(report, shapes)


def reads_only_neighbourhood(shapes: Graph) -> bool:
    """Say whether every shape checks a focus node from its own triples and its values' types alone.

    Then validating some focus nodes over their neighbourhood (their triples, their values' rdf:type and every
    rdfs:subClassOf) finds what validating them over the whole graph finds.
    """
    if any(p not in _LOCAL_PARAMETERS for p in shapes.predicates() if str(p).startswith(str(SH))):
        return False
    targeted = {s for t in _TARGETS for s in shapes.subjects(t, None)}
    for shape, path in shapes.subject_objects(SH.path):
        if not isinstance(path, URIRef):  # a sequence, inverse or repeated path
            return False
        if shape not in targeted and not any(s in targeted for s in shapes.subjects(SH.property, shape)):
            return False  # a property shape inside sh:or and its kind: it reads its values' own triples
    return True


def read_report(report: Graph, shapes: Graph) -> list[ShaclFinding]:
    """Return one finding per sh:Violation of a pySHACL results graph, in a stable order."""
    findings = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        path = report.value(result, SH.resultPath)
        source = report.value(result, SH.sourceShape)
        parent = next(shapes.subjects(SH.property, source), None) if source is not None else None
        shape = parent if isinstance(parent, URIRef) else source if isinstance(source, URIRef) else None
        findings.append(ShaclFinding(
            focus=report.value(result, SH.focusNode),
            path=path if isinstance(path, URIRef) else None,
            value=report.value(result, SH.value),
            message=str(report.value(result, SH.resultMessage) or "violates a shape"),
            shape=shape,
            rule=shapes.namespace_manager.normalizeUri(shape) if shape is not None else None,
        ))
    return sorted(findings, key=lambda f: (str(f.focus), str(f.path or ""), f.message, str(f.value)))
