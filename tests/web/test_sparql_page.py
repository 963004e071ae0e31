"""Issue #16, item 6: the SPARQL page shows results as a table with downloads, and a syntax error where it is."""

import csv
import io
import json
import re
from html import unescape

import pytest

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
TIERS = """PREFIX tip: <https://w3id.org/tipkb/ontology#>
SELECT ?year ?tier WHERE { ?r tip:country <https://w3id.org/tipkb/kb/country-kz> ; tip:reportYear ?year ;
  tip:tier ?tier } ORDER BY ?year"""
BROKEN = """PREFIX tip: <https://w3id.org/tipkb/ontology#>
SELECT ?r WHERE {
  ?r tip:reportYear ?year .
  FILTR(?year > 2020)
}"""


@pytest.fixture
def app(make_app):
    app = make_app(TIPKB_SPARQL_TIMEOUT=5.0, TIPKB_SPARQL_MAX_ROWS=100)
    yield app
    app.extensions["tipkb_sparql"].close()


def textarea(page: str) -> str:
    return unescape(re.search(r'<textarea id="query"[^>]*>\n(.*?)</textarea>', page, re.S).group(1))


def rows(page: str) -> list[list[str]]:
    table = re.search(r'<table class="sparql-results">(.*?)</table>', page, re.S).group(1)
    cells = r"<t[hd][^>]*>(.*?)</t[hd]>"
    return [[" ".join(unescape(re.sub(r"<[^>]+>", "", c)).split()) for c in re.findall(cells, r, re.S)]
            for r in re.findall(r"<tr>(.*?)</tr>", table, re.S)]


@pytest.mark.slow
def test_the_page_shows_a_select_as_a_table_with_csv_and_json_downloads_and_keeps_the_query(client):
    response = client.post("/sparql", data={"query": TIERS}, headers=BROWSER)
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert textarea(page) == TIERS
    table = rows(page)
    assert table[0] == ["?year", "?tier"] and ["2019", "kb:tier-2WL"] in table[1:]
    links = {fmt: unescape(href) for href, fmt in re.findall(r'<a href="([^"]*format=(\w+)[^"]*)" download=', page)}
    assert sorted(links) == ["csv", "json"]
    got = client.get(links["csv"], headers=BROWSER)  # a browser following the link still gets the file
    assert got.mimetype == "text/csv"
    assert ["2019", "https://w3id.org/tipkb/kb/tier-2WL"] in list(csv.reader(io.StringIO(got.get_data(as_text=True))))
    got = client.get(links["json"], headers=BROWSER)
    assert got.mimetype == "application/sparql-results+json"
    assert len(json.loads(got.data)["results"]["bindings"]) == len(table) - 1


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "says"), [
    ("en", "The query has a syntax error at line 4, column"),
    ("ru", "В запросе синтаксическая ошибка: строка 4, столбец"),
])
def test_a_syntax_error_shows_its_line_and_column_and_keeps_the_query(client, lang, says):
    response = client.post(f"/sparql?lang={lang}", data={"query": BROKEN}, headers=BROWSER)
    assert response.status_code == 400 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    column = int(re.search(re.escape(says) + r" (\d+)\.", page).group(1))
    assert 1 <= column <= len("  FILTR(?year > 2020)") + 1
    assert "  FILTR(?year &gt; 2020)\n" + " " * (column - 1) + "^</pre>" in page  # the line, marked where it is
    assert textarea(page) == BROKEN
    assert 'data-error-line="4"' in page and re.search(r'<script src="/static/sparql[.\w]*\.js" defer>', page)


@pytest.mark.slow
def test_tools_still_get_the_protocol_answer_and_the_page_shows_an_ask_answer(client):
    ask = "ASK { ?s a <https://w3id.org/tipkb/ontology#Country> }"
    for headers in ({}, {"Accept": "*/*"}, {"Accept": "application/sparql-results+json"}):
        assert json.loads(client.post("/sparql", data={"query": ask}, headers=headers).data)["boolean"] is True
    assert client.get("/sparql", query_string={"query": "SELECT WHERE"}).mimetype == "text/plain"
    page = client.post("/sparql", data={"query": ask}, headers=BROWSER).get_data(as_text=True)
    assert re.search(r"Answer: <strong>Yes</strong>", page)
    graph = "CONSTRUCT { ?c a ?t } WHERE { ?c a ?t } LIMIT 3"
    page = client.post("/sparql", data={"query": graph}, headers=BROWSER).get_data(as_text=True)
    assert "3 triples, as Turtle." in page and re.search(r'<pre class="sparql-graph"[^>]*>.*\ba\b', page, re.S)
    assert re.findall(r"format=(\w+)[^\"]*\" download=", page) == ["turtle", "ntriples", "jsonld"]
