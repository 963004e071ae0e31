"""A query worker process: holds a read-only copy of the KB in Oxigraph and answers one query at a time.

Run by `sparql_endpoint.QueryRunner` as `python -m tipkb.store.worker`; requests and answers are
length-prefixed JSON on standard input and output. The parent kills the process when a query runs
past its time limit, which is the only reliable way to stop a running Oxigraph query.
"""

from __future__ import annotations

import csv
import io
import json
import struct
import sys
from typing import Any

import pyoxigraph as ox

GRAPH_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}
PREFIXES = {"tip": "https://w3id.org/tipkb/ontology#", "kb": "https://w3id.org/tipkb/kb/",
            "dct": "http://purl.org/dc/terms/", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
            "skos": "http://www.w3.org/2004/02/skos/core#", "xsd": "http://www.w3.org/2001/XMLSchema#"}


def read_message(stream) -> dict | None:
    """Read one length-prefixed JSON message; None at end of stream."""
    head = stream.read(4)
    if len(head) < 4:
        return None
    (size,) = struct.unpack(">I", head)
    return json.loads(stream.read(size).decode("utf-8"))


def write_message(stream, message: dict) -> None:
    """Write one length-prefixed JSON message and flush."""
    data = json.dumps(message, ensure_ascii=False).encode("utf-8")
    stream.write(struct.pack(">I", len(data)) + data)
    stream.flush()


def _json_term(term) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def _csv_term(term) -> str:
    if term is None:
        return ""
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def serialize_select(names: list[str], rows: list[list[Any]], fmt: str) -> str:
    """Write SELECT results as SPARQL 1.1 JSON, CSV or TSV."""
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(names)
        writer.writerows([[_csv_term(t) for t in row] for row in rows])
        return buf.getvalue()
    if fmt == "tsv":
        lines = ["\t".join(f"?{n}" for n in names)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
        return "\n".join(lines) + "\n"
    bindings = [{n: _json_term(t) for n, t in zip(names, row, strict=True) if t is not None} for row in rows]
    return json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False)


def answer(store: ox.Store, query: str, fmt: str, limit: int) -> dict:
    """Run a query on the store and return the serialized result, at most `limit` rows or triples."""
    result = store.query(query, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryBoolean):
        return {"ok": True, "kind": "ask", "truncated": False, "count": 1,
                "body": json.dumps({"head": {}, "boolean": bool(result)})}
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows, truncated = [], False
        for solution in result:
            if len(rows) == limit:
                truncated = True
                break
            rows.append([solution[n] for n in names])
        return {"ok": True, "kind": "select", "truncated": truncated, "count": len(rows),
                "body": serialize_select(names, rows, fmt)}
    triples, truncated = [], False
    for triple in result:
        if len(triples) == limit:
            truncated = True
            break
        triples.append(triple)
    rdf_format = GRAPH_FORMATS.get(fmt, ox.RdfFormat.TURTLE)
    options = {"prefixes": PREFIXES} if rdf_format == ox.RdfFormat.TURTLE else {}
    body = ox.serialize(triples, format=rdf_format, **options) or b""
    return {"ok": True, "kind": "graph", "truncated": truncated, "count": len(triples), "body": body.decode("utf-8")}


def main() -> int:
    """Serve requests until standard input closes."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    store, loaded = ox.Store(), None
    while (request := read_message(stdin)) is not None:
        try:
            if request["dump"] != loaded:
                store = ox.Store()
                store.bulk_load(path=request["dump"], format=ox.RdfFormat.N_QUADS)
                loaded = request["dump"]
            if "query" not in request:  # a load only, done before the query's time starts
                reply = {"ok": True, "loaded": loaded}
            else:
                reply = answer(store, request["query"], request["format"], int(request["limit"]))
        except SyntaxError as exc:
            reply = {"ok": False, "error": f"syntax error: {exc}", "status": 400}
        except Exception as exc:  # noqa: BLE001 — any failure goes back to the parent as a message
            reply = {"ok": False, "error": f"{type(exc).__name__}: {exc}", "status": 500}
        write_message(stdout, reply)
    return 0


if __name__ == "__main__":
    sys.exit(main())
