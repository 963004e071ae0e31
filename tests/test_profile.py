"""The country profile: one schema for the command line, the API and the web page."""

import json

import pytest

from tipkb.cli.main import main
from tipkb.facts.profile import UnknownCountryError, country_profile

KEYS = {"code", "iri", "label", "ratifications", "laws", "tip_tiers", "statistics", "destinations", "origins",
        "groups_at_risk", "exploitation_forms", "gaps"}
INSTRUMENTS = {"palermo-protocol", "untoc", "ilo-c029", "ilo-p029", "ilo-c105", "ilo-c138", "ilo-c181",
               "ilo-c182", "ilo-c189", "icrmw", "crc-opsc", "cedaw"}


@pytest.mark.parametrize("code", ["KZ", "KG", "TJ", "TM", "UZ"])
def test_focus_country_profile_is_complete(shipped_kb, code):
    p = country_profile(shipped_kb, code.lower())
    assert set(p) == KEYS
    assert p["code"] == code and {"en", "ru"} <= set(p["label"])
    assert {r["instrument"] for r in p["ratifications"]} == INSTRUMENTS
    assert {t["report_year"] for t in p["tip_tiers"]} >= set(range(2018, 2026))
    assert all(t["tier"] in {"1", "2", "2WL", "3"} for t in p["tip_tiers"])
    assert p["laws"] and p["destinations"] and p["gaps"]
    for section in KEYS - {"code", "iri", "label"}:
        for rec in p[section]:
            assert rec["sources"] and all(s.startswith(("http://", "https://")) for s in rec["sources"])
            assert rec["as_of"]


def test_profile_types_follow_the_documented_schema(shipped_kb):
    p = country_profile(shipped_kb, "KZ")
    for r in p["ratifications"]:
        assert r["date"] is None or len(r["date"]) == 10
        assert r["year"] is None or isinstance(r["year"], int)
    for s in p["statistics"]:
        assert isinstance(s["report_year"], int) and isinstance(s["value"], int | float)
    assert all(len(d["country"]) == 2 for d in p["destinations"])


def test_unknown_country_is_an_error(shipped_kb):
    with pytest.raises(UnknownCountryError, match="'XX'"):
        country_profile(shipped_kb, "xx")


def test_cli_json_matches_api(client, capsys):
    assert main(["country", "UZ", "--json"]) == 0
    from_cli = json.loads(capsys.readouterr().out)
    assert client.get("/api/countries/uz").get_json() == from_cli


def test_cli_brief_in_russian(capsys):
    assert main(["country", "TM", "--lang", "ru"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Туркменистан (TM)")
    assert "Категории доклада TIP" in out


def test_cli_brief_names_codes_as_the_kb_does(shipped_kb, capsys):
    """Regression: the plain-text brief printed raw codes (ratified, criminal-code-provision) in Russian."""
    from tipkb.facts.labels import label

    assert main(["country", "KG", "--lang", "ru"]) == 0
    out = capsys.readouterr().out
    assert label(shipped_kb, "ratification-statuses", "ratified", "ru") in out
    assert label(shipped_kb, "law-kinds", "criminal-code-provision", "ru") in out
    assert label(shipped_kb, "tiers", "2WL", "ru") in out
    assert " ratified " not in out and "criminal-code-provision" not in out


def test_api_unknown_country_is_404(client):
    response = client.get("/api/countries/zz")
    assert response.status_code == 404
    assert "ZZ" in response.get_json()["error"]


def test_country_page_shows_profile_with_charts_and_sources(client):
    page = client.get("/countries/KZ?lang=en").get_data(as_text=True)
    assert "<h1>Kazakhstan" in page
    assert page.count("<svg") == 2  # tiers and statistics
    assert "https://www.state.gov/reports/2024-trafficking-in-persons-report/kazakhstan/" in page
    assert "palermo-protocol" in page


def test_country_page_in_russian_and_unknown_404(client):
    page = client.get("/countries/KG", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert "Кыргызстан" in page and "Категория доклада TIP" in page
    assert client.get("/countries/QQ").status_code == 404
