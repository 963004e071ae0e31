"""The situation over time (kb/situation/*.ttl) checked against values read in the sources.

Every expected value below is hard-coded from the source named in the comment next to it, so a
wrong value in the KB makes a test fail.
"""

from decimal import Decimal

import pytest
from rdflib import RDF, Literal, Namespace, URIRef

TIP = Namespace("https://w3id.org/tipkb/ontology#")
KB = Namespace("https://w3id.org/tipkb/kb/")

COUNTRIES = ["kz", "kg", "tj", "tm", "uz"]
REPORT_YEARS = range(2018, 2026)


def tiers(g, iso, year):
    """Short codes of every tier recorded for a country and report year."""
    rows = g.query(
        """
        SELECT ?code WHERE {
            ?r a tip:TierRating ; tip:country ?c ; tip:reportYear ?y ; tip:tier ?t .
            ?t tip:shortCode ?code .
        }""",
        initNs={"tip": TIP},
        initBindings={"c": KB[f"country-{iso}"], "y": Literal(year)},
    )
    return sorted(str(row.code) for row in rows)


def stat_value(g, iso, report_year, indicator):
    """The value of the (unique, non-conflicting) observation for a report year and indicator."""
    rows = list(g.query(
        """
        SELECT ?v WHERE {
            ?s a tip:StatisticObservation ; tip:country ?c ; tip:reportYear ?y ;
               tip:indicator ?i ; tip:value ?v .
            FILTER NOT EXISTS { ?s tip:conflictsWith ?other . ?s tip:confidence "low" }
        }""",
        initNs={"tip": TIP},
        initBindings={"c": KB[f"country-{iso}"], "y": Literal(report_year),
                      "i": KB[f"indicator-{indicator}"]},
    ))
    assert len(rows) == 1, f"expected one {indicator} value for {iso} {report_year}, got {rows}"
    return rows[0].v.toPython()


def route_forms(g, origin, destination):
    route = KB[f"route-{origin}-{destination}"]
    assert (route, TIP.originCountry, KB[f"country-{origin}"]) in g
    assert (route, TIP.destinationCountry, KB[f"country-{destination}"]) in g
    return {str(f).rsplit("/", 1)[-1] for f in g.objects(route, TIP.exploitationForm)}


# --------------------------------------------------------------------------- coverage

@pytest.mark.parametrize("iso", COUNTRIES)
def test_every_country_has_a_tier_for_every_report_year(kb_graph, iso):
    for year in REPORT_YEARS:
        assert tiers(kb_graph, iso, year), f"no tier for {iso} {year}"


REPORT_COPIES = ("ecoi.net/", "statenewswire.com/", "thefederalnewswire.com/", "gvnet.com/")  # the report's text


def test_each_high_confidence_tier_cites_the_report_of_its_year_or_a_copy_of_its_text(kb_graph):
    # a state.gov page is cited only when it was opened; a tier read in news alone stays below high confidence
    for rating in kb_graph.subjects(RDF.type, TIP.TierRating):
        year = kb_graph.value(rating, TIP.reportYear).toPython()
        edition = f"{year}-trafficking-in-persons-report" + ("-2" if year == 2019 else "")
        urls = [str(u) for u in kb_graph.objects(rating, URIRef("http://purl.org/dc/terms/source"))]
        on_report = any(u.startswith(f"https://www.state.gov/reports/{edition}/") for u in urls)
        on_copy = any(copy in u for u in urls for copy in REPORT_COPIES)
        assert on_report or on_copy or str(kb_graph.value(rating, TIP.confidence)) in ("medium", "low"), rating


# --------------------------------------------------------------------------- Kazakhstan

@pytest.mark.parametrize("year,tier", [
    (2018, "2"),    # https://www.ecoi.net/de/dokument/1437606.html ("KAZAKHSTAN: Tier 2")
    (2019, "2WL"),  # https://www.ecoi.net/de/dokument/2010839.html ("downgraded to Tier 2 Watch List")
    (2020, "2WL"),  # https://www.ecoi.net/en/document/2036295.html ("remained on Tier 2 Watch List")
    (2021, "2"),    # https://thefederalnewswire.com/stories/630754743-2021-trafficking-in-persons-report-kazakhstan
    (2024, "2"),    # https://www.ecoi.net/en/document/2111695.html ("remained on Tier 2")
])
def test_kz_tiers(kb_graph, year, tier):
    assert tiers(kb_graph, "kz", year) == [tier]


def test_kz_statistics(kb_graph):
    # https://www.state.gov/reports/2018-trafficking-in-persons-report/kazakhstan/ : 76 victims, NGOs 177, hotline 1,350
    assert stat_value(kb_graph, "kz", 2018, "victims-identified") == 76
    assert stat_value(kb_graph, "kz", 2018, "victims-assisted") == 177
    assert stat_value(kb_graph, "kz", 2018, "hotline-calls") == 1350
    # https://www.state.gov/reports/2021-trafficking-in-persons-report/kazakhstan/ : 88 victims
    assert stat_value(kb_graph, "kz", 2021, "victims-identified") == 88
    # https://www.state.gov/reports/2023-trafficking-in-persons-report/kazakhstan/ : 24 victims
    assert stat_value(kb_graph, "kz", 2023, "victims-identified") == 24


def test_kz_citizens_sex_trafficked_in_bahrain(kb_graph):
    # https://www.state.gov/reports/2021-trafficking-in-persons-report/kazakhstan/ : 51 exploited in Bahrain
    assert "exploitation-sexual" in route_forms(kb_graph, "kz", "bh")


# --------------------------------------------------------------------------- Kyrgyzstan

@pytest.mark.parametrize("year,tier", [
    (2018, "2WL"),  # https://www.ecoi.net/de/dokument/1437572.html
    (2020, "2WL"),  # https://www.ecoi.net/en/document/2036299.html ("granted a waiver ... remained on Tier 2 Watch List")
    (2021, "2"),    # https://www.ecoi.net/en/document/2055218.html ("upgraded to Tier 2")
    (2024, "2WL"),  # https://www.ecoi.net/de/dokument/2111699.html ("downgraded to Tier 2 Watch List")
])
def test_kg_tiers(kb_graph, year, tier):
    assert tiers(kb_graph, "kg", year) == [tier]


def test_kg_statistics(kb_graph):
    # https://www.state.gov/reports/2021-trafficking-in-persons-report/kyrgyz-republic/ : 40 investigations
    assert stat_value(kb_graph, "kg", 2021, "investigations") == 40
    # https://www.state.gov/reports/2022-trafficking-in-persons-report/kyrgyz-republic/ : six investigations
    assert stat_value(kb_graph, "kg", 2022, "investigations") == 6
    # https://www.ecoi.net/de/dokument/2111699.html : "did not identify or refer any victims"
    assert stat_value(kb_graph, "kg", 2024, "victims-identified") == 0


def test_kg_prosecution_conflict_is_kept(kb_graph):
    # 2021 report: no prosecutions (https://www.state.gov/reports/2021-trafficking-in-persons-report/kyrgyz-republic/)
    # 2022 report: "three prosecutions and convictions in the previous reporting period"
    # (https://www.state.gov/reports/2022-trafficking-in-persons-report/kyrgyz-republic/)
    a, b = KB["stat-kg-2021-prosecutions"], KB["stat-kg-2021-prosecutions-b"]
    assert kb_graph.value(a, TIP.value).toPython() == 0
    assert kb_graph.value(b, TIP.value).toPython() == 3
    assert (a, TIP.conflictsWith, b) in kb_graph and (b, TIP.conflictsWith, a) in kb_graph


def test_kg_forced_labour_in_russia(kb_graph):
    # https://www.state.gov/reports/2023-trafficking-in-persons-report/kyrgyzstan/ : forced labour in Russia and Kazakhstan
    assert "exploitation-forced-labour" in route_forms(kb_graph, "kg", "ru")
    assert "exploitation-forced-labour" in route_forms(kb_graph, "kg", "kz")


# --------------------------------------------------------------------------- Tajikistan

@pytest.mark.parametrize("year,tier", [
    (2018, "2WL"),  # https://www.ecoi.net/en/document/362132 ("downgraded to Tier 2 Watch List")
    (2019, "2"),    # https://www.ecoi.net/en/document/2010918.html ("upgraded to Tier 2")
    (2023, "2"),    # http://gvnet.com/humantrafficking/Tajikistan-2.htm ("remained on Tier 2")
    (2025, "2"),    # https://caspianpost.com/tajikistan/tajikistan-advances-in-u-s-human-trafficking-report
])
def test_tj_tiers(kb_graph, year, tier):
    assert tiers(kb_graph, "tj", year) == [tier]


def test_tj_2024_watch_list_is_marked_medium_confidence(kb_graph):
    # https://caspianpost.com/tajikistan/tajikistan-advances-in-u-s-human-trafficking-report ("moving up from the Tier 2 Watch List")
    rating = KB["tier-rating-tj-2024"]
    assert tiers(kb_graph, "tj", 2024) == ["2WL"]
    assert str(kb_graph.value(rating, TIP.confidence)) == "medium"


def test_tj_statistics(kb_graph):
    # https://www.state.gov/reports/2021-trafficking-in-persons-report/tajikistan/ : 24 victims
    assert stat_value(kb_graph, "tj", 2021, "victims-identified") == 24
    # https://www.state.gov/reports/2022-trafficking-in-persons-report/tajikistan/ : 15 victims
    assert stat_value(kb_graph, "tj", 2022, "victims-identified") == 15
    # https://caspianpost.com/tajikistan/tajikistan-advances-in-u-s-human-trafficking-report : 272 victims, 57 cases
    assert stat_value(kb_graph, "tj", 2025, "victims-identified") == 272
    assert stat_value(kb_graph, "tj", 2025, "investigations") == 57
    # https://asiaplustj.info/en/news/tajikistan/society/20230605/... : GSI 2023 prevalence 14.0 per 1,000
    assert stat_value(kb_graph, "tj", 2023, "gsi-prevalence") == Decimal("14.0")


def test_tj_destinations(kb_graph):
    # https://www.state.gov/reports/2023-trafficking-in-persons-report/tajikistan/ : Russia, UAE; forced marriage to Afghanistan
    # (http://www.refworld.org/category,COI,USDOS,,TJK,55b73b9315,0.html)
    assert {"exploitation-forced-labour", "exploitation-sexual"} <= route_forms(kb_graph, "tj", "ru")
    assert "exploitation-forced-marriage" in route_forms(kb_graph, "tj", "af")


# --------------------------------------------------------------------------- Turkmenistan

@pytest.mark.parametrize("year", range(2018, 2025))
def test_tm_tier_3_from_2018_to_2024(kb_graph, year):
    # e.g. https://www.state.gov/reports/2019-trafficking-in-persons-report-2/turkmenistan/ ("remained on Tier 3"),
    # http://gvnet.com/humantrafficking/Turkmenistan-2.htm (2023), https://tmhelsinki.org/en/article/4bdeca95-26bd-472f-8fc8-0044adfc898d (2024)
    assert tiers(kb_graph, "tm", year) == ["3"]


def test_tm_2025_watch_list_rests_on_one_news_report(kb_graph):
    # https://en.fergana.ru/news/140974 ("moved to the list of countries requiring special monitoring")
    rating = KB["tier-rating-tm-2025"]
    assert tiers(kb_graph, "tm", 2025) == ["2WL"]
    assert str(kb_graph.value(rating, TIP.confidence)) == "low"


def test_tm_statistics(kb_graph):
    # http://gvnet.com/humantrafficking/Turkmenistan-2.htm (2023 report): "identified no victims"
    assert stat_value(kb_graph, "tm", 2023, "victims-identified") == 0
    # https://www.globalslaveryindex.org/2019/data/country-data/turkmenistan/ : 11.9 per 1,000, vulnerability 47, response 26
    assert stat_value(kb_graph, "tm", 2023, "gsi-prevalence") == Decimal("11.9")
    assert stat_value(kb_graph, "tm", 2023, "gsi-government-response") == 26


def test_tm_destination_turkey(kb_graph):
    # https://2009-2017.state.gov/j/tip/rls/tiprpt/countries/2015/243554.htm : "Turkey and Russia are the destinations of most"
    route_forms(kb_graph, "tm", "tr")
    route_forms(kb_graph, "tm", "ru")


# --------------------------------------------------------------------------- Uzbekistan

@pytest.mark.parametrize("year,tier", [
    (2018, "2WL"),  # https://www.ecoi.net/en/document/1437440.html ("upgraded to Tier 2 Watch List")
    (2019, "2WL"),  # https://www.ecoi.net/de/dokument/2010933.html ("remained on Tier 2 Watch List")
    (2021, "2"),    # https://www.ecoi.net/en/document/2055308.html ("upgraded to Tier 2")
    (2025, "2"),    # https://www.ecoi.net/en/document/2130547.html
])
def test_uz_tiers(kb_graph, year, tier):
    assert tiers(kb_graph, "uz", year) == [tier]


def test_uz_statistics(kb_graph):
    # https://staging.daryo.uz/en/2023/07/14/us-report-uzbekistan-makes-efforts-but-falls-short-on-human-trafficking-standards
    assert stat_value(kb_graph, "uz", 2023, "victims-identified") == 93
    assert stat_value(kb_graph, "uz", 2023, "investigations") == 172
    # https://24.kg/english/100147_Kyrgyzstan_takes_22nd_place_in_the_Global_Slavery_Index_2018/ : UZ 5.2, vulnerability 47.5
    assert stat_value(kb_graph, "uz", 2018, "gsi-prevalence") == Decimal("5.2")
    assert stat_value(kb_graph, "uz", 2018, "gsi-vulnerability") == Decimal("47.5")


def test_uz_forced_labour_in_kazakhstan(kb_graph):
    # https://indexmundi.com/uzbekistan/trafficking_in_persons.html : forced labour in Kazakhstan, Russia, Moldova, Turkey
    for destination in ("kz", "ru", "md", "tr"):
        assert "exploitation-forced-labour" in route_forms(kb_graph, "uz", destination)
