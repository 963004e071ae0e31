"""The read-only SPARQL 1.1 protocol endpoint at /sparql: GET and POST, results as JSON, CSV or TSV.

Updates and SERVICE are refused; queries have a length limit (413), a nesting limit (400) and a time limit
(503), results a row limit (X-Result-Truncated) and a byte limit (422).
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request

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
                return render_template("sparql/index.html", example=packaged("endpoint-example"),
                                       timeout=current_app.config["TIPKB_SPARQL_TIMEOUT"],
                                       max_rows=current_app.config["TIPKB_SPARQL_MAX_ROWS"], runner=get_runner())
            raise EndpointError("query: missing (send it as the query parameter, or as application/sparql-query)")
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
