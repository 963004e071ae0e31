"""Destination countries (Russia, Türkiye, the UAE, India, South Korea) against values read in the sources.

Each expected value is hard-coded from the source named in the comment next to it (the same
source the KB record cites), so a wrong tier, status or year in the KB makes a test fail.
"""

import pytest
from rdflib import Literal, Namespace, URIRef

TIP = Namespace("https://w3id.org/tipkb/ontology#")
KB = Namespace("https://w3id.org/tipkb/kb/")

TIERS = {
    # Russia: US DoS text via Refworld 2018, via ecoi.net 2019–2022, 2024, 2025; copy 2023
    ("ru", 2018): "3", ("ru", 2019): "3", ("ru", 2020): "3", ("ru", 2021): "3",
    ("ru", 2022): "3", ("ru", 2023): "3", ("ru", 2024): "3", ("ru", 2025): "3",
    # Türkiye: US DoS text via ecoi.net 2018, 2019, 2024; Hürriyet 2020; copy 2023
    ("tr", 2018): "2", ("tr", 2019): "2", ("tr", 2020): "2", ("tr", 2023): "2", ("tr", 2024): "2",
    # UAE: US DoS text via ecoi.net 2018–2023 ("UNITED ARAB EMIRATES: Tier 2" in 2018, ecoi.net 1437446)
    ("ae", 2018): "2", ("ae", 2019): "2", ("ae", 2020): "2", ("ae", 2021): "2", ("ae", 2022): "2", ("ae", 2023): "2",
    ("tr", 2021): "2", ("tr", 2022): "2",
    # India: Scroll 2018; US DoS text via ecoi.net 2019–2022; wire copy 2023; news 2025
    ("in", 2018): "2", ("in", 2019): "2", ("in", 2020): "2", ("in", 2021): "2", ("in", 2022): "2",
    ("in", 2023): "2", ("in", 2025): "2",
    # South Korea: US DoS text via ecoi.net 2019, 2021, 2022, 2024; state.gov 2020; Yonhap/KBS 2022 (Tier 1 until 2021); copy 2023; news 2025
    ("kr", 2018): "1", ("kr", 2019): "1", ("kr", 2020): "1", ("kr", 2021): "1",
    ("kr", 2022): "2", ("kr", 2023): "2", ("kr", 2024): "1", ("kr", 2025): "1",
}

RATIFICATIONS = {
    # Russia: NORMLEX comment headings (C029 1956, P029 2019, C105 1998, C182 2003)
    ("ru", "ilo-c029"): ("ratified", 1956), ("ru", "ilo-p029"): ("ratified", 2019),
    ("ru", "ilo-c105"): ("ratified", 1998), ("ru", "ilo-c182"): ("ratified", 2003),
    # Türkiye: NORMLEX comment headings (C029 1998, C105 1961, C182 2001)
    ("tr", "ilo-c029"): ("ratified", 1998), ("tr", "ilo-c105"): ("ratified", 1961),
    ("tr", "ilo-c182"): ("ratified", 2001),
    # UAE: NORMLEX headings (C029 1982, C105 1997, C182 2001); P029 deposited 15 January 2026 (WAM)
    ("ae", "ilo-c029"): ("ratified", 1982), ("ae", "ilo-c105"): ("ratified", 1997),
    ("ae", "ilo-c182"): ("ratified", 2001), ("ae", "ilo-p029"): ("ratified", 2026),
    # India: NORMLEX heading C029 1954; Antislavery in Domestic Legislation (C105 2000, P029 not party,
    # Palermo 2011); ILO statement via the press (C182 13 June 2017); yearbook (UNTOC 2011)
    ("in", "ilo-c029"): ("ratified", 1954), ("in", "ilo-c105"): ("ratified", 2000),
    ("in", "ilo-c182"): ("ratified", 2017), ("in", "ilo-p029"): ("not-party", None),
    ("in", "palermo-protocol"): ("ratified", 2011), ("in", "untoc"): ("ratified", 2011),
    # South Korea: NORMLEX headings (C029 2021, C182 2001); KBS 2021 (C105 left unratified)
    ("kr", "ilo-c029"): ("ratified", 2021), ("kr", "ilo-c182"): ("ratified", 2001),
    ("kr", "ilo-c105"): ("not-party", None),
    # Russia: Federal Law No. 26-FZ of 26 April 2004 (UNTOC and Trafficking Protocol);
    # South Korea: National Human Rights Commission (Protocol approved May 2015, in force December 2015)
    ("ru", "palermo-protocol"): ("ratified", 2004), ("ru", "untoc"): ("ratified", 2004),
    ("kr", "palermo-protocol"): ("ratified", 2015),
}

GAPS = {
    # (country, gap of the catalogue): the report year of the source the record rests on
    ("ru", "gap-no-identification-sops"): 2025,  # TIP 2025
    ("ru", "gap-victims-penalised"): 2025,  # TIP 2025 and 2020
    ("ru", "gap-forced-labour-victims-underidentified"): 2025,  # ILO CEACR observation 2024, published 2025
    ("ru", "gap-no-mla-extradition"): 2024,  # ECtHR, F.M. and Others v. Russia, 10 December 2024 (echr.coe.int)
    ("ae", "gap-no-proactive-screening"): 2023,  # TIP 2022 and 2023
    ("ae", "gap-victims-penalised"): 2023,
    ("ae", "gap-forced-labour-administrative-only"): 2023,
    ("tr", "gap-no-proactive-screening"): 2023,  # TIP 2022 and 2023 (state.gov pages)
    ("tr", "gap-victims-penalised"): 2023,  # TIP 2018 and 2023
    ("tr", "gap-no-transnational-referral"): 2024,  # TIP 2024
    ("tr", "gap-forced-labour-victims-underidentified"): 2024,  # GRETA second report (coe.int)
    ("kr", "gap-forced-labour-victims-underidentified"): 2023,  # TIP 2022 and 2023
    ("kr", "gap-victims-penalised"): 2023,
    ("kr", "gap-no-proactive-screening"): 2024,  # TIP 2024 (ecoi.net 2111762): migrant workers under SWP and EPS
    ("in", "gap-no-proactive-screening"): 2018,  # TIP 2018 state.gov chapter: police relied on NGOs
    ("in", "gap-victims-penalised"): 2019,  # TIP 2019 (ecoi.net 2010826): "sometimes penalized victims"
}


def tier_codes(g, iso, year):
    """Short codes of every tier recorded for a country and report year."""
    rows = g.query(
        """SELECT ?code WHERE {
            ?r a tip:TierRating ; tip:country ?c ; tip:reportYear ?y ; tip:tier ?t .
            ?t tip:shortCode ?code . }""",
        initNs={"tip": TIP},
        initBindings={"c": KB[f"country-{iso}"], "y": Literal(year)},
    )
    return sorted(str(row.code) for row in rows)


def ratification_rows(g, iso, code):
    """(status, year) of every ratification record of a country for one instrument."""
    rows = g.query(
        """SELECT ?status ?year WHERE {
            ?r a tip:Ratification ; tip:country ?c ; tip:instrument ?i ; tip:ratificationStatus ?status .
            ?i tip:shortCode ?code . FILTER(STR(?code) = STR(?wanted))
            OPTIONAL { ?r tip:year ?year } }""",
        initNs={"tip": TIP},
        initBindings={"c": KB[f"country-{iso}"], "wanted": Literal(code)},
    )
    return [(str(r.status).rsplit("/", 1)[-1].removeprefix("status-"),
             int(r.year) if r.year is not None else None) for r in rows]


@pytest.mark.parametrize(("iso", "year"), sorted(TIERS))
def test_destination_tier_matches_the_report(kb_graph, iso, year):
    assert tier_codes(kb_graph, iso, year) == [TIERS[iso, year]]


@pytest.mark.parametrize(("iso", "code"), sorted(RATIFICATIONS))
def test_destination_ratification_matches_the_source(kb_graph, iso, code):
    assert RATIFICATIONS[iso, code] in ratification_rows(kb_graph, iso, code)


# (country, gap, source, year): gaps documented by bodies other than the TIP report, looked up by their source
OTHER_BODIES = [
    # ECtHR, F.M. and Others v. Russia (10 December 2024): Kazakh and Uzbek women not identified; no cooperation
    ("ru", "gap-no-identification-sops", "https://www.echr.coe.int/w/judgment-concerning-the-russian-federation-18", 2024),
    ("ru", "gap-no-mla-extradition", "https://www.echr.coe.int/w/judgment-concerning-the-russian-federation-18", 2024),
    # ILO CEACR observation on C029 (adopted 2024, published 2025): identify victims among irregular migrants
    ("tr", "gap-no-proactive-screening",
     "https://normlex.ilo.org/dyn/nrmlx_es/f?p=1000%3A13100%3A0%3A%3ANO%3A%3AP13100_COMMENT_ID%2CP13100_LANG_CODE%3A4417145%2Cen%3ANO",
     2025),
]


@pytest.mark.parametrize(("iso", "gap", "source", "year"), OTHER_BODIES)
def test_destination_gap_documented_by_a_court_or_supervisory_body(kb_graph, iso, gap, source, year):
    rows = kb_graph.query(
        """SELECT ?asof WHERE { ?d a tip:DocumentedGap ; tip:country ?c ; tip:gap ?g ; dct:source ?src ;
                                   tip:asOf ?asof ; tip:text ?en , ?ru .
            FILTER(LANG(?en) = "en" && LANG(?ru) = "ru") }""",
        initNs={"tip": TIP, "dct": Namespace("http://purl.org/dc/terms/")},
        initBindings={"c": KB[f"country-{iso}"], "g": KB[gap], "src": URIRef(source)},
    )
    assert year in {int(str(r.asof)[:4]) for r in rows}, f"no {gap} for {iso} citing {source} as of {year}"


def test_destination_tier_cites_state_gov_only_for_its_own_report_year(kb_graph):
    # a state.gov chapter of another year or country would be a citation built from the wrong page
    rows = kb_graph.query(
        """SELECT ?r ?year ?iso ?src WHERE {
            ?r a tip:TierRating ; tip:reportYear ?year ; tip:country ?c ; dct:source ?src .
            ?c tip:isoCode ?iso .
            FILTER(STRSTARTS(STR(?src), "https://www.state.gov/reports/")) }""",
        initNs={"tip": TIP, "dct": Namespace("http://purl.org/dc/terms/")},
    )
    checked = 0
    for r in rows:
        if str(r.iso).lower() not in {iso for iso, _ in TIERS}:
            continue
        checked += 1
        assert f"/reports/{int(r.year)}-trafficking-in-persons-report" in str(r.src), (r.r, r.src)
    assert checked >= 15


@pytest.mark.parametrize(("iso", "gap"), sorted(GAPS))
def test_destination_documented_gap_matches_the_source(kb_graph, iso, gap):
    rows = list(kb_graph.query(
        """SELECT ?asof WHERE { ?d a tip:DocumentedGap ; tip:country ?c ; tip:gap ?g ; tip:asOf ?asof ;
                                   tip:text ?en , ?ru .
            FILTER(LANG(?en) = "en" && LANG(?ru) = "ru") }""",
        initNs={"tip": TIP},
        initBindings={"c": KB[f"country-{iso}"], "g": KB[gap]},
    ))
    assert rows, f"no documented {gap} for {iso}"
    assert GAPS[iso, gap] in {int(str(r.asof)[:4]) for r in rows}
