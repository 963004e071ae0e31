"""Render SPARQL results as a text table, CSV or SPARQL 1.1 JSON."""

from __future__ import annotations

import csv
import io
import json

from rdflib import Graph, Literal, URIRef
from rdflib.query import Result

from tipkb.namespaces import bind_prefixes

FORMATS = ("table", "csv", "json")


def _cell(term, graph: Graph) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return graph.namespace_manager.normalizeUri(term)
    if isinstance(term, Literal):
        return str(term)
    return term.n3()


def render_result(result: Result, fmt: str = "table") -> str:
    """Return a query result as text in one of FORMATS (graphs are always Turtle)."""
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        g = Graph()
        bind_prefixes(g)
        for t in result:
            g.add(t)
        return g.serialize(format="turtle")
    if result.type == "ASK":
        answer = bool(result.askAnswer)
        return json.dumps({"head": {}, "boolean": answer}) if fmt == "json" else str(answer).lower()
    names = [str(v) for v in result.vars]
    rows = list(result)
    if fmt == "json":
        return result.serialize(format="json").decode("utf-8")
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(names)
        for row in rows:
            w.writerow(["" if t is None else str(t) for t in row])
        return buf.getvalue()
    g = Graph()
    bind_prefixes(g)
    cells = [[_cell(t, g) for t in row] for row in rows]
    widths = [max([len(n)] + [len(r[i]) for r in cells]) for i, n in enumerate(names)]
    line = "  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)
