"""The read-only SPARQL 1.1 protocol endpoint at /sparql: GET and POST, results as JSON, CSV or TSV.

Updates and SERVICE are refused; queries have a length limit (413), a nesting limit (400) and a time limit
(503), results a row limit (X-Result-Truncated) and a byte limit (422). A browser that prefers HTML to every
result format (and names no `format`) gets the query page instead, with the results as a table or the error.
"""

from __future__ import annotations

import json
import re

from flask import Blueprint, Response, current_app, render_template, request, url_for

from tipkb.namespaces import PREFIXES
from tipkb.store.endpoint import EndpointError
from tipkb.store.queries import packaged

from ..changes import get_runner, kb_token
from ..kb import get_kb

bp = Blueprint("sparql", __name__)

MEDIA = {
    "json": "application/sparql-results+json", "csv": "text/csv", "tsv": "text/tab-separated-values",
    "turtle": "text/turtle", "ntriples": "application/n-triples", "jsonld": "application/ld+json",
}
ALIASES = {"application/json": "json", "text/plain": "ntriples", "application/x-turtle": "turtle",
           "ttl": "turtle", "nt": "ntriples", "json-ld": "jsonld"}
DOWNLOADS = {"select": ("csv", "json"), "ask": ("json",), "graph": ("turtle", "ntriples", "jsonld")}
EXTENSIONS = {"csv": "csv", "json": "srj", "turtle": "ttl", "ntriples": "nt", "jsonld": "jsonld"}
PAGE_ROWS = 1000  # rows drawn in the page's table; the downloads carry every row the endpoint returns
MAX_LINK = 3500  # characters of a download link; a longer query is sent by a form (servers cut long request lines)
SYNTAX = re.compile(r"not SPARQL 1\.1 \(error at (\d+):(\d+): (.*)\)\s*\Z", re.S)


def _format() -> str | None:
    asked = (request.values.get("format") or "").strip().lower()
    if asked:
        return ALIASES.get(asked, asked if asked in MEDIA else next((k for k, v in MEDIA.items() if v == asked), None))
    best = request.accept_mimetypes.best_match(list(MEDIA.values()) + list(ALIASES)[:3])
    if best and request.accept_mimetypes[best] > 0:
        return ALIASES.get(best) or next(k for k, v in MEDIA.items() if v == best)
    return None


def _query_text() -> str | None:
    if request.method == "GET":
        return request.args.get("query")
    kind = (request.mimetype or "").lower()
    if kind == "application/sparql-update" or "update" in request.form:
        raise EndpointError("update: this endpoint is read-only; SPARQL Update is refused")
    if kind == "application/sparql-query":
        get_runner().check_length(request.content_length or 0)  # before the body is read
        return request.get_data(as_text=True)
    return request.form.get("query")


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint():
    try:
        text = _query_text()
        if text is None:
            if request.method == "GET" and request.accept_mimetypes.accept_html:
                return _page(packaged("endpoint-example"))
            raise EndpointError("query: missing (send it as the query parameter, or as application/sparql-query)")
        if _wants_page():
            return _run_for_page(text)
        answer = get_runner().run(get_kb(), kb_token(), text, _format())
    except EndpointError as exc:
        headers = {**_cors(), **({"Retry-After": "5"} if exc.status == 503 else {})}  # busy or past the time limit
        return Response(str(exc) + "\n", status=exc.status, mimetype="text/plain", headers=headers)
    headers = {**_cors(), "X-Result-Count": str(answer.count), "X-Result-Truncated": str(answer.truncated).lower(),
               "Cache-Control": "no-store"}
    mimetype = MEDIA["json"] if answer.kind == "ask" else MEDIA[answer.format]
    return Response(answer.body, mimetype=mimetype, headers=headers)


def _cors() -> dict[str, str]:
    return {"Access-Control-Allow-Origin": "*"}


def _wants_page() -> bool:
    """Say whether the client is a browser on the query page: no format named, HTML preferred to every format."""
    if request.values.get("format"):
        return False
    accept = request.accept_mimetypes
    html = accept["text/html"]
    return html > 0 and all(accept[media] < html for media in MEDIA.values())


def _run_for_page(text: str):
    try:
        answer = get_runner().run(get_kb(), kb_token(), text, "json")
    except EndpointError as exc:
        return _page(text, error={**_error(str(exc), text), "status": exc.status}, status=exc.status)
    return _page(text, result=_result(answer), downloads=_downloads(text, DOWNLOADS[answer.kind]))


def _page(query: str, *, result: dict | None = None, error: dict | None = None, downloads=(), status: int = 200):
    config = current_app.config
    return render_template("sparql/index.html", query=query, result=result, error=error, downloads=downloads,
                           timeout=config["TIPKB_SPARQL_TIMEOUT"], max_rows=config["TIPKB_SPARQL_MAX_ROWS"],
                           runner=get_runner(), page_rows=PAGE_ROWS), status


def _result(answer) -> dict:
    """Return an answer as the page draws it: a table of cells, a yes or no, or the graph's Turtle."""
    out = {"kind": answer.kind, "count": answer.count, "truncated": answer.truncated}
    if answer.kind == "graph":
        return {**out, "text": answer.text}
    data = json.loads(answer.body)
    if answer.kind == "ask":
        return {**out, "boolean": bool(data["boolean"])}
    names = data["head"]["vars"]
    rows = [[_cell(b.get(n)) for n in names] for b in data["results"]["bindings"][:PAGE_ROWS]]
    return {**out, "names": names, "rows": rows}


def _cell(term: dict | None) -> dict:
    if term is None:
        return {"text": ""}
    value = term["value"]
    if term["type"] == "uri":
        short = next((f"{p}:{value[len(str(ns)):]}" for p, ns in PREFIXES.items() if value.startswith(str(ns))), value)
        return {"text": short, "href": value if value.startswith(("https://", "http://")) else None, "iri": value}
    if term["type"] == "bnode":
        return {"text": f"_:{value}"}
    return {"text": value, "lang": term.get("xml:lang"), "datatype": term.get("datatype")}


def _error(message: str, query: str) -> dict:
    """Return a refusal as the page words it; a syntax error with its line, column and the line it is on."""
    found = SYNTAX.search(message)
    if not found:
        return {"message": message.removeprefix("query: ")}
    line, column = int(found.group(1)), int(found.group(2))
    lines = [part.removesuffix("\r") for part in query.split("\n")]
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return {"message": found.group(3), "line": line, "column": column, "text": text,
            "caret": " " * max(0, min(column, len(text) + 1) - 1) + "^"}


def _downloads(query: str, formats) -> list[dict]:
    """Return the download of each format: a link, or a form's fields when the link would be too long."""
    out = []
    for fmt in formats:
        link = url_for("sparql.endpoint", query=query, format=fmt)
        out.append({"format": fmt, "media": MEDIA[fmt], "file": f"tipkb-results.{EXTENSIONS[fmt]}",
                    "href": link if len(link) <= MAX_LINK else None})
    return out
