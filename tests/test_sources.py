"""Source strength: the host table, the secondary-only QC warning, `tipkb stats` and the report-year checklist."""

import json
import re
from pathlib import Path

import pytest

from tipkb.checks.checklist import report_year_checklist
from tipkb.checks.sources import classify, host_rules, primary_regex, secondary_only
from tipkb.cli.main import main
from tipkb.errors import TipkbError
from tipkb.store.kb import load_kb

FACTS = """@prefix tip:  <https://w3id.org/tipkb/ontology#> .
@prefix kb:   <https://w3id.org/tipkb/kb/> .
@prefix dct:  <http://purl.org/dc/terms/> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .

kb:tier-rating-kz-2025 a tip:TierRating ; tip:country kb:country-kz ; tip:reportYear 2025 ; tip:tier kb:tier-2 ;
    dct:source <https://www.state.gov/reports/2025-trafficking-in-persons-report/kazakhstan/> ;
    tip:asOf "2025"^^xsd:gYear .
kb:stat-kz-2025-investigations a tip:StatisticObservation ; tip:country kb:country-kz ;
    tip:indicator kb:indicator-investigations ; tip:reportYear 2025 ; tip:dataYear 2024 ; tip:value 40 ;
    dct:source <https://www.inform.kz/en/some-news-item> ; tip:asOf "2025"^^xsd:gYear .
kb:stat-kz-2024-victims-identified a tip:StatisticObservation ; tip:country kb:country-kz ;
    tip:indicator kb:indicator-victims-identified ; tip:reportYear 2024 ; tip:dataYear 2023 ; tip:value 24 ;
    dct:source <https://www.state.gov/reports/2024-trafficking-in-persons-report/kazakhstan/> ;
    tip:asOf "2024"^^xsd:gYear .
"""
KB = "https://w3id.org/tipkb/kb/"


@pytest.fixture
def facts_root(small_root) -> Path:
    (small_root / "kb" / "facts.ttl").write_text(FACTS, encoding="utf-8")
    return small_root


@pytest.mark.parametrize(("url", "strength"), [
    ("https://www.state.gov/reports/2024-trafficking-in-persons-report/kazakhstan/", "primary"),
    ("https://2009-2017.state.gov/j/tip/rls/tiprpt/2016/", "primary"),
    ("https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY", "primary"),
    ("https://normlex.ilo.org/dyn/normlex/en/f?p=1000", "primary"),
    ("https://adilet.zan.kz/rus/docs/Z2400000110", "primary"),
    ("https://lex.uz/docs/-5694460", "primary"),
    ("https://www.gov.kz/memleket/entities/mvd", "primary"),
    ("https://www.ecoi.net/en/document/2111111.html", "secondary"),
    ("https://www.refworld.org/docid/5b3e0b0e4.html", "secondary"),
    ("https://en.wikipedia.org/wiki/Human_trafficking", "secondary"),
    ("https://search.wikileaks.org/plusd/cables/09ASTANA1.html", "secondary"),
    ("https://24.kg/english/1_news/", "secondary"),
    ("https://webarchive.archive.unhcr.org/x", "secondary"),
    ("https://mmih.tj/SEARCH/DocumentView?DocumentId=122215", "primary"),
    ("https://kazakhstan.iom.int/news/x", "primary"),
    ("https://respect.international/national-referral-mechanisms/", "secondary"),  # re-hosts an OSCE handbook
    ("https://docs.cntd.ru/document/901815431", "secondary"),
    ("https://en.yna.co.kr/view/AEN20200629000351315", "secondary"),
    ("https://state.gov.example.com/fake", "unclassified"),
    ("https://www.state.gov@example.com/fake", "unclassified"),
    ("https://notstate.gov/x", "unclassified"),
    ("https://example.org/x", "unclassified"),
])
def test_classify_by_host(url, strength):
    assert classify(url).strength == strength


def test_every_host_entry_says_why_and_the_query_regex_agrees_with_classify():
    rules = host_rules()
    assert rules and all(r.why and r.strength in ("primary", "secondary") for r in rules)
    regex = re.compile(primary_regex(), re.I)
    urls = [f"https://{r.pattern}/doc" for r in rules] + [f"http://sub.{r.pattern}:8080/doc" for r in rules]
    urls += ["https://webarchive.archive.unhcr.org/x", "https://state.gov.example.com/x", "https://www.un.org.ru/"]
    assert [u for u in urls if bool(regex.search(u)) != (classify(u).strength == "primary")] == []


def test_a_host_table_entry_without_a_reason_is_refused(tmp_path):
    bad = tmp_path / "hosts.toml"
    bad.write_text('[[host]]\npattern = "example.org"\nstrength = "primary"\n', encoding="utf-8")
    with pytest.raises(TipkbError, match="hosts.toml"):
        host_rules(bad)


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
def test_qc_warning_lists_a_fact_resting_only_on_news_and_not_one_with_a_report_url(facts_root, backend):
    kb = load_kb(facts_root, backend=backend)
    listed = {f.focus for f in secondary_only(kb)}
    assert KB + "stat-kz-2025-investigations" in listed
    assert KB + "tier-rating-kz-2025" not in listed
    assert KB + "stat-kz-2024-victims-identified" not in listed


@pytest.mark.slow
def test_validate_stays_green_and_reports_the_warning(facts_root, capsys):
    assert main(["validate", "--root", str(facts_root), "--no-owl"]) == 0
    err = capsys.readouterr().err
    assert "QC warning" in err and "stat-kz-2025-investigations" in err


def test_stats_prints_primary_share_facts_per_year_and_destinations(facts_root, capsys):
    assert main(["stats", "--root", str(facts_root)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^  KZ\s+2 / 3\s+66\.7%$", out, re.M), out
    assert re.search(r"^  KZ\s+0\s+1\s+2$", out, re.M), out  # as-of years 2023, 2024, 2025
    assert re.search(r"^  RU\s+0$", out, re.M), out
    assert main(["stats", "--root", str(facts_root), "--json"]) == 0
    sources = json.loads(capsys.readouterr().out)["sources"]
    assert sources["primary_by_country"]["KZ"] == {"total": 3, "primary": 2, "percent": 66.7}
    assert sources["facts_by_country_year"]["KZ"] == {"2023": 0, "2024": 1, "2025": 2}


def test_checklist_lists_the_tier_and_reported_indicators_for_a_new_year(facts_root, capsys):
    kb = load_kb(facts_root)
    items = {(i.kind, i.subject.removeprefix(KB)): i for i in report_year_checklist(kb, 2026)["KZ"]}
    assert items[("tier", "tier-rating-kz-2025")].done is False
    assert items[("statistic", "indicator-victims-identified")].last_year == 2024
    # an indicator only news has given is not something the report updates
    assert ("statistic", "indicator-investigations") not in items
    done = {(i.kind, i.subject.removeprefix(KB)): i.done for i in report_year_checklist(kb, 2025)["KZ"]}
    assert done[("tier", "tier-rating-kz-2025")] is True
    assert main(["checklist", "--root", str(facts_root), "--report-year", "2026"]) == 0
    out = capsys.readouterr().out
    assert "[ ] tier rating" in out and "indicator-victims-identified" in out and "last 2024" in out


def test_regression_a_national_figure_of_a_later_year_does_not_tick_the_reports_indicator(facts_root):
    # Kazakhstan's 2025 victims-assisted figure, stated by a minister in 2026, is not the TIP report's 2026 figure
    (facts_root / "kb" / "national.ttl").write_text("""@prefix tip: <https://w3id.org/tipkb/ontology#> .
@prefix kb: <https://w3id.org/tipkb/kb/> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
kb:stat-kz-2026-victims-identified a tip:StatisticObservation ; tip:country kb:country-kz ;
    tip:indicator kb:indicator-victims-identified ; tip:reportYear 2026 ; tip:dataYear 2025 ; tip:value 171 ;
    dct:source <https://www.gov.kz/memleket/entities/enbek/press/news/details/1> ; tip:asOf "2026"^^xsd:gYear .
""", encoding="utf-8")
    items = {(i.kind, i.subject.removeprefix(KB)): i for i in report_year_checklist(load_kb(facts_root), 2026)["KZ"]}
    assert items[("statistic", "indicator-victims-identified")].last_year == 2024
    assert items[("statistic", "indicator-victims-identified")].done is False


@pytest.mark.slow
def test_no_shipped_fact_resting_only_on_secondary_sources_keeps_high_confidence(shipped_kb):
    # the rule: such a fact gets a primary source, or is lowered in confidence with a note saying why
    weak = {row.focus for row in secondary_only(shipped_kb)}
    assert len(weak) > 50
    rows = shipped_kb.select("""PREFIX tip: <https://w3id.org/tipkb/ontology#>
        SELECT ?fact ?confidence ?note WHERE {
          ?fact a ?class . OPTIONAL { ?fact tip:confidence ?confidence }
          OPTIONAL { ?fact tip:note ?note FILTER(LANG(?note) IN ("en", "ru")) }
        }""")
    confidence = {str(r["fact"]): str(r.get("confidence") or "high") for r in rows}
    notes = {(str(r["fact"]), r["note"].language) for r in rows if r.get("note") is not None}
    assert [fact for fact in sorted(weak) if confidence[fact] == "high"] == []
    assert [fact for fact in sorted(weak) if {(fact, "en"), (fact, "ru")} - notes] == []
