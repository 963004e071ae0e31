"""The tipkb command line: query and stats."""

import csv
import io
import json

from tipkb.cli.main import main

QUERY = 'SELECT ?code WHERE { ?c a tip:Country ; tip:isoCode ?code FILTER(?code IN ("KZ", "KG")) } ORDER BY ?code\n'


def test_query_from_file_as_table(small_root, tmp_path, capsys):
    q = tmp_path / "q.rq"
    q.write_text(QUERY)
    assert main(["query", str(q), "--root", str(small_root)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].strip() == "code"
    assert [line.strip() for line in out[2:4]] == ["KG", "KZ"]
    assert out[-1] == "(2 rows)"


def test_query_from_stdin_as_csv_and_json(small_root, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(QUERY))
    assert main(["query", "-", "--format", "csv", "--root", str(small_root)]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows == [["code"], ["KG"], ["KZ"]]
    monkeypatch.setattr("sys.stdin", io.StringIO(QUERY))
    assert main(["query", "-", "--format", "json", "--root", str(small_root)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["head"]["vars"] == ["code"]
    assert [b["code"]["value"] for b in data["results"]["bindings"]] == ["KG", "KZ"]


def test_construct_query_prints_turtle(small_root, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("CONSTRUCT { ?c a tip:Country } WHERE { ?c tip:isoCode 'KZ' }"))
    assert main(["query", "-", "--root", str(small_root)]) == 0
    assert "kb:country-kz a tip:Country" in capsys.readouterr().out


def test_malformed_query_exits_2_with_message(small_root, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("SELECT ?x WHERE {"))
    assert main(["query", "-", "--root", str(small_root)]) == 2
    assert "query failed" in capsys.readouterr().err


def test_missing_query_file_exits_2(small_root, capsys):
    assert main(["query", "/nonexistent/q.rq", "--root", str(small_root)]) == 2
    assert "/nonexistent/q.rq" in capsys.readouterr().err


def test_stats_reports_counts_and_coverage(small_root, capsys):
    assert main(["stats", "--json", "--root", str(small_root)]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["classes"]["Country"] >= 30
    assert stats["classes"]["BestPractice"] == 1
    assert stats["facts_with_both"]["percent"] == 100.0
    assert stats["labels_ru"]["percent"] == 100.0
    assert set(stats["focus"]) == {"KZ", "KG", "TJ", "TM", "UZ"}


def test_stats_shows_a_fact_without_source(small_root, capsys):
    (small_root / "kb" / "extra.ttl").write_text(
        "@prefix tip: <https://w3id.org/tipkb/ontology#> .\n@prefix kb: <https://w3id.org/tipkb/kb/> .\n"
        "kb:tier-rating-kz-2024 a tip:TierRating ; tip:country kb:country-kz ; tip:reportYear 2024 .\n")
    assert main(["stats", "--json", "--root", str(small_root)]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["facts_with_source"]["percent"] < 100.0
    assert stats["focus"]["KZ"]["tier_years_2018_2025"] == 1
