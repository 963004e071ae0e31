"""A query worker process: holds a read-only copy of the KB in Oxigraph and answers one query at a time.

Run by `endpoint.QueryRunner` as `python -P .../tipkb/store/worker.py`; requests and answers are
length-prefixed JSON on standard input and output, a query's answer followed by its result as raw bytes.
Everything a user's query costs happens here, under the parent's time limit: the checks (nesting,
SERVICE, updates), parsing, evaluation and serialization, which stops at a byte limit. The parent
kills the process when a query runs past its time limit, the only reliable way to stop Oxigraph.
"""

from __future__ import annotations

import csv
import json
import re
import struct
import sys

import pyoxigraph as ox

SELECT_FORMATS = ("json", "csv", "tsv")  # the first is the default
GRAPH_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}
PREFIXES = {"tip": "https://w3id.org/tipkb/ontology#", "kb": "https://w3id.org/tipkb/kb/",
            "dct": "http://purl.org/dc/terms/", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
            "skos": "http://www.w3.org/2004/02/skos/core#", "xsd": "http://www.w3.org/2001/XMLSchema#"}
MAX_MESSAGE = 1 << 24  # bytes of a JSON message (requests carry queries of a few KB)

_NOT_CODE = re.compile("|".join([
    r"\#[^\r\n]*",  # a comment
    r'"""(?:[^"\\]|\\.|"(?!""))*"""', r"'''(?:[^'\\]|\\.|'(?!''))*'''",  # long strings
    r'"(?:[^"\\\r\n]|\\.)*"', r"'(?:[^'\\\r\n]|\\.)*'",  # strings
    r'<[^<>"{}|^`\\\x00-\x20]*>',  # an IRI
    r"(\\.)",  # a backslash pair in a prefixed name (ex:a\#b) is code: it starts no comment or string
]), re.S)
_SERVICE = re.compile(r"service", re.I)
# "service" inside a variable (?service) or a prefixed name's local part (ex:service-x) is no keyword
_NAME_BEFORE = re.compile(r"(?:[?$][\w\u00b7]*|:(?:[\w\-:\u00b7]|\\.|%[0-9A-Fa-f]{2})*)\Z")
_UPDATE = re.compile(r"\s*(?:(?:BASE|PREFIX\s*[^\s:]*:)\s*)*(?:INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)"
                     r"(?![\w:])", re.I)


class Refused(Exception):
    """A query is refused; `status` is the HTTP status that says why."""

    def __init__(self, message: str, status: int = 400):
        self.status = status
        super().__init__(message)


def check_query(text: str, max_depth: int) -> None:
    """Refuse brackets nested deeper than `max_depth`, an update or a SERVICE clause, before parsing.

    The checks read the query's code (outside comments, strings and IRIs) and lean towards refusing:
    a SERVICE keyword glued to other text (1SERVICE, ?o.SERVICE) counts, as Oxigraph reads it so.
    """
    code = _NOT_CODE.sub(lambda m: m.group(1) or " ", text)
    depth = deepest = 0
    for char in code:
        if char in "({[":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")}]":
            depth -= 1
    if deepest > max_depth:
        raise Refused(f"brackets, braces and parentheses are nested {deepest} deep; the limit is {max_depth}")
    if _UPDATE.match(code):
        raise Refused("this endpoint is read-only; SPARQL Update is refused")
    for found in _SERVICE.finditer(code):
        if not _NAME_BEFORE.search(code[max(0, found.start() - 256):found.start()]):  # longer names count
            raise Refused("SERVICE (federated query) is not allowed on this endpoint")


class ResultTooLarge(Exception):
    """A result passed the byte limit while it was being written."""


class _Capped:
    """Collects written bytes and raises ResultTooLarge as soon as they pass the limit."""

    def __init__(self, limit: int):
        self.limit, self.size, self.parts, self.over = limit, 0, [], False

    def write(self, data: bytes | str) -> int:
        data = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        self.count(len(data))
        self.parts.append(data)
        return len(data)

    def count(self, size: int) -> None:
        self.size += size
        if self.size > self.limit:
            self.over = True
            raise ResultTooLarge

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


def read_frame(stream, max_size: int) -> bytes | None:
    """Read one length-prefixed frame; None at end of stream or when it says it is longer than `max_size`."""
    head = stream.read(4)
    if len(head) < 4:
        return None
    (size,) = struct.unpack(">I", head)
    if size > max_size:
        return None
    data = stream.read(size)
    return data if len(data) == size else None


def write_frame(stream, data: bytes) -> None:
    """Write one length-prefixed frame and flush."""
    stream.write(struct.pack(">I", len(data)) + data)
    stream.flush()


def read_message(stream, max_size: int = MAX_MESSAGE) -> dict | None:
    """Read one length-prefixed JSON message; None at end of stream."""
    data = read_frame(stream, max_size)
    return None if data is None else json.loads(data.decode("utf-8"))


def write_message(stream, message: dict) -> None:
    """Write one length-prefixed JSON message and flush."""
    write_frame(stream, json.dumps(message, ensure_ascii=False).encode("utf-8"))


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


def write_select(names: list[str], rows, fmt: str, out) -> int:
    """Write SELECT results (rows of terms) as SPARQL 1.1 JSON, CSV or TSV, row by row; return the row count."""
    count = 0
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(names)
        for row in rows:
            writer.writerow([_csv_term(t) for t in row])
            count += 1
    elif fmt == "tsv":
        out.write("\t".join(f"?{n}" for n in names) + "\n")
        for row in rows:
            out.write("\t".join("" if t is None else str(t) for t in row) + "\n")
            count += 1
    else:
        out.write('{"head": {"vars": ' + json.dumps(names, ensure_ascii=False) + '}, "results": {"bindings": [')
        for row in rows:
            binding = {n: _json_term(t) for n, t in zip(names, row, strict=True) if t is not None}
            out.write((", " if count else "") + json.dumps(binding, ensure_ascii=False))
            count += 1
        out.write("]}}")
    return count


def answer(store: ox.Store, query: str, fmt: str | None, limit: int, max_bytes: int) -> tuple[dict, bytes]:
    """Run a query and serialize at most `limit` rows or triples; raise ResultTooLarge past `max_bytes`."""
    result = store.query(query, use_default_graph_as_union=True)
    out = _Capped(max_bytes)
    if isinstance(result, ox.QueryBoolean):
        out.write(json.dumps({"head": {}, "boolean": bool(result)}))
        return {"kind": "ask", "format": "json", "truncated": False, "count": 1}, out.getvalue()
    cut = []

    def first(items):
        for n, item in enumerate(items):
            if n == limit:
                cut.append(True)
                return
            yield item

    if isinstance(result, ox.QuerySolutions):
        fmt = fmt if fmt in SELECT_FORMATS else SELECT_FORMATS[0]
        names = [v.value for v in result.variables]
        count = write_select(names, ([s[n] for n in names] for s in first(result)), fmt, out)
        return {"kind": "select", "format": fmt, "truncated": bool(cut), "count": count}, out.getvalue()
    fmt = fmt if fmt in GRAPH_FORMATS else next(iter(GRAPH_FORMATS))
    triples = []
    for triple in first(result):
        if isinstance(triple.object, ox.Literal):  # no serialization is shorter than its literals
            out.count(len(triple.object.value.encode("utf-8")))
        triples.append(triple)
    out.size = 0
    options = {"prefixes": PREFIXES} if fmt == "turtle" else {}
    try:
        ox.serialize(triples, output=out, format=GRAPH_FORMATS[fmt], **options)
    except Exception:
        if out.over:  # the writer stopped it
            raise ResultTooLarge from None
        raise
    return {"kind": "graph", "format": fmt, "truncated": bool(cut), "count": len(triples)}, out.getvalue()


def handle(store: ox.Store, request: dict) -> tuple[dict, bytes]:
    """Check, run and serialize one query; a refusal or a failure of the query becomes a message with a status."""
    max_bytes = int(request["max_bytes"])
    try:
        check_query(request["query"], int(request["max_depth"]))
        header, body = answer(store, request["query"], request.get("format"), int(request["limit"]), max_bytes)
    except Refused as exc:
        return {"ok": False, "error": str(exc), "status": exc.status}, b""
    except SyntaxError as exc:
        return {"ok": False, "error": f"not SPARQL 1.1 ({exc})", "status": 400}, b""
    except RecursionError:
        return {"ok": False, "error": "nested too deeply", "status": 400}, b""
    except ResultTooLarge:
        return {"ok": False, "status": 422, "error": f"the result is larger than the limit of {max_bytes:,} bytes; "
                "ask for fewer rows (LIMIT) or fewer variables"}, b""
    except RuntimeError as exc:  # Oxigraph's evaluation errors, e.g. SERVICE ?x with ?x unbound
        return {"ok": False, "error": f"the query failed: {exc}", "status": 400}, b""
    return {"ok": True, **header}, body


def main() -> int:
    """Serve requests until standard input closes."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    store, loaded = ox.Store(), None
    while (request := read_message(stdin)) is not None:
        body = b""
        try:
            if request["dump"] != loaded:
                store = ox.Store()
                store.bulk_load(path=request["dump"], format=ox.RdfFormat.N_QUADS)
                loaded = request["dump"]
            if "query" not in request:  # a load only, done before the query's time starts
                reply = {"ok": True, "loaded": loaded}
            else:
                reply, body = handle(store, request)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # noqa: BLE001 — any failure (a Rust panic too) goes back as a message
            reply = {"ok": False, "error": f"{type(exc).__name__}: {exc}", "status": 500}
        write_message(stdout, reply)
        if "query" in request:  # a query's answer is always followed by its result (empty when refused)
            write_frame(stdout, body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
