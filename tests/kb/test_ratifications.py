"""Ratification records (kb/ratifications/*.ttl) against values stated in the sources.

Each expected value below is hard-coded from the source cited in the comment next to it, so a
wrong status, date or year in the KB makes the test fail. A country may hold two records for one
instrument (the domestic act and the registration with the depositary, linked by
tip:conflictsWith); a check passes when one of the records carries the expected value.
"""

from datetime import date

import pytest
from rdflib import Graph, Literal, Namespace
from rdflib.namespace import RDF

TIP = Namespace("https://w3id.org/tipkb/ontology#")
KB = Namespace("https://w3id.org/tipkb/kb/")

COUNTRIES = ("kz", "kg", "tj", "tm", "uz")
INSTRUMENT_CODES = (
    "palermo-protocol", "untoc", "ilo-c029", "ilo-p029", "ilo-c105", "ilo-c138",
    "ilo-c181", "ilo-c182", "ilo-c189", "icrmw", "crc-opsc", "cedaw",
)

RECORDS_QUERY = """
SELECT ?r ?status ?date ?year WHERE {
    ?r a tip:Ratification ;
       tip:country ?country ;
       tip:instrument ?instrument ;
       tip:ratificationStatus ?status .
    ?instrument tip:shortCode ?code .
    FILTER(STR(?code) = STR(?wanted))
    OPTIONAL { ?r tip:date ?date }
    OPTIONAL { ?r tip:year ?year }
}
"""


def records(g: Graph, iso: str, code: str) -> list[dict]:
    """All ratification records of one country for one instrument (by short code)."""
    rows = g.query(
        RECORDS_QUERY,
        initNs={"tip": TIP},
        initBindings={"country": KB[f"country-{iso}"], "wanted": Literal(code)},
    )
    return [
        {
            "iri": row.r,
            "status": str(row.status).rsplit("/", 1)[-1].removeprefix("status-"),
            "date": row.date.toPython() if row.date is not None else None,
            "year": int(row.year) if row.year is not None else None,
        }
        for row in rows
    ]


def has_record(g: Graph, iso: str, code: str, status: str, *, on: date | None = None,
               year: int | None = None) -> bool:
    for rec in records(g, iso, code):
        if rec["status"] != status:
            continue
        if on is not None and rec["date"] != on:
            continue
        if year is not None and rec["year"] != year:
            continue
        return True
    return False


# --- Coverage -------------------------------------------------------------------------------

@pytest.mark.parametrize("iso", COUNTRIES)
def test_every_country_has_a_record_for_every_instrument(kb_graph, iso):
    missing = [code for code in INSTRUMENT_CODES if not records(kb_graph, iso, code)]
    assert not missing, f"country-{iso} has no ratification record for {missing}"


def test_all_twelve_instruments_are_described(kb_graph):
    for code in INSTRUMENT_CODES:
        node = KB[f"instrument-{code}"]
        assert (node, TIP.shortCode, None) in kb_graph, f"instrument-{code} is missing"
        assert str(kb_graph.value(node, TIP.shortCode)) == code


def test_conflicting_records_point_at_each_other(kb_graph):
    pairs = [
        (a, b) for a, b in kb_graph.subject_objects(TIP.conflictsWith)
        if (a, RDF.type, TIP.Ratification) in kb_graph
    ]
    assert pairs, "expected conflicting ratification records (domestic act vs depositary)"
    for a, b in pairs:
        assert (b, TIP.conflictsWith, a) in kb_graph, f"{b} does not point back at {a}"
        assert kb_graph.value(a, TIP.instrument) == kb_graph.value(b, TIP.instrument)
        assert kb_graph.value(a, TIP.country) == kb_graph.value(b, TIP.country)


# --- Kazakhstan -----------------------------------------------------------------------------

def test_kz_palermo_protocol_ratified_by_law_of_4_june_2008(kb_graph):
    # Law No. 37-IV of 4 June 2008:
    # https://zakonpravo.kz/en/on-the-ratification-of-the-protocol-on-the-prevention-suppression-and-punishment-of-trafficking-in-persons-especially-women-and-children-supplementing-the-united-nations-convention-against-transnational-organized-crime
    assert has_record(kb_graph, "kz", "palermo-protocol", "ratified", on=date(2008, 6, 4), year=2008)


def test_kz_c029_domestic_law_2000_and_ilo_registration_2001(kb_graph):
    # Law No. 120-II of 14 Dec 2000:
    # https://zakonpravo.kz/en/on-the-ratification-of-the-convention-on-forced-or-compulsory-labour
    assert has_record(kb_graph, "kz", "ilo-c029", "ratified", on=date(2000, 12, 14), year=2000)
    # NORMLEX heading "Kazakhstan (Ratification: 2001)":
    # http://oit.org/dyn/normlex/en/f?p=1000%3A13101%3A0%3A%3ANO%3A13101%3AP13101_COMMENT_ID%3A4360023
    assert has_record(kb_graph, "kz", "ilo-c029", "ratified", year=2001)


def test_kz_untoc_ratified_by_law_of_4_june_2008(kb_graph):
    # Law No. 40-IV of 4 June 2008:
    # https://zakonpravo.kz/en/zakony/zakon-o-ratifikatsii-konventsii-organizatsii-obedinennyh-natsiy-protiv-transnatsionalnoy-organizovannoy-prestupnosti
    assert has_record(kb_graph, "kz", "untoc", "ratified", on=date(2008, 6, 4))


def test_kz_not_party_to_migrant_workers_convention(kb_graph):
    # No Kazakhstan entry in the depositary's list of participants:
    # https://treaties.un.org/doc/Publication/MTDSG/Volume%20I/Chapter%20IV/iv-13.en.xml
    assert has_record(kb_graph, "kz", "icrmw", "not-party")


def test_kz_cedaw_accession_law_of_29_june_1998(kb_graph):
    # Law No. 248 of 29 June 1998 on accession: https://adilet.zan.kz/rus/docs/Z980000248_/compare/eng
    assert has_record(kb_graph, "kz", "cedaw", "acceded", on=date(1998, 6, 29))


# --- Kyrgyzstan -----------------------------------------------------------------------------

def test_kg_p029_ratified_2020(kb_graph):
    # NORMLEX heading "(Ratification: 2020)":
    # https://normlex.ilo.org/dyn/normlex/en/f?p=1000%3A13101%3A0%3A%3ANO%3A13101%3AP13101_COMMENT_ID%3A4357226
    assert has_record(kb_graph, "kg", "ilo-p029", "ratified", year=2020)


def test_kg_c029_ratified_31_march_1992(kb_graph):
    # https://antislaverylaw.ac.uk/country/kyrgyzstan/ (31 March 1992); NORMLEX gives 1992.
    assert has_record(kb_graph, "kg", "ilo-c029", "ratified", on=date(1992, 3, 31), year=1992)


def test_kg_palermo_protocol_ratified_2_october_2003(kb_graph):
    # https://antislaverylaw.ac.uk/country/kyrgyzstan/
    assert has_record(kb_graph, "kg", "palermo-protocol", "ratified", on=date(2003, 10, 2))


def test_kg_acceded_to_migrant_workers_convention_29_september_2003(kb_graph):
    # Depositary: "Kyrgyzstan 29 Sep 2003 a"
    # https://treaties.un.org/doc/Publication/MTDSG/Volume%20I/Chapter%20IV/iv-13.en.xml
    assert has_record(kb_graph, "kg", "icrmw", "acceded", on=date(2003, 9, 29))


def test_kg_c182_both_may_2004_days_are_kept(kb_graph):
    # 10 May 2004: https://antislaverylaw.ac.uk/country/kyrgyzstan/
    # 11 May 2004: https://webarchive.archive.unhcr.org/20230520100804mp_/https://www.refworld.org/country,COI,,,KGZ,,48d7493e35,0.html
    assert has_record(kb_graph, "kg", "ilo-c182", "ratified", on=date(2004, 5, 10))
    assert has_record(kb_graph, "kg", "ilo-c182", "ratified", on=date(2004, 5, 11))


# --- Tajikistan -----------------------------------------------------------------------------

def test_tj_p029_ratified_24_january_2020(kb_graph):
    # https://50forfreedom.org/blog/news/tajikistan-committed-to-combat-forced-labour/?noredirect=en_US
    assert has_record(kb_graph, "tj", "ilo-p029", "ratified", on=date(2020, 1, 24), year=2020)


def test_tj_c105_ratified_1999(kb_graph):
    # NORMLEX heading "Tadjikistan (Ratification: 1999)":
    # https://normlex.ilo.org/dyn/normlex/fr/f?p=1000%3A13100%3A0%3A%3ANO%3A%3AP13100_COMMENT_ID%2CP13100_LANG_CODE%3A4123943%2Cen%3ANO
    assert has_record(kb_graph, "tj", "ilo-c105", "ratified", year=1999)


def test_tj_c029_ratified_1993(kb_graph):
    # NORMLEX heading "Tajikistan (Ratification: 1993)":
    # http://ilo.org/dyn/normlex/en/f?p=1000%3A13100%3A0%3A%3ANO%3A13100%3AP13100_COMMENT_ID%2CP13100_COUNTRY_ID%3A4055432%2C103547
    assert has_record(kb_graph, "tj", "ilo-c029", "ratified", year=1993)


def test_tj_palermo_protocol_parliament_29_may_2002(kb_graph):
    # http://www.legislationline.org/documents/action/popup/id/6797
    assert has_record(kb_graph, "tj", "palermo-protocol", "ratified", on=date(2002, 5, 29))


def test_tj_c182_ilo_2005_and_lower_house_decision_2000(kb_graph):
    # NORMLEX gives 2005:
    # https://normlex.ilo.org/dyn/normlex/en/f?p=NORMLEXPUB%3A13100%3A0%3A%3ANO%3A13100%3AP13100_COMMENT_ID%2CP13100_COUNTRY_ID%3A4367758%2C103547%3ANO
    assert has_record(kb_graph, "tj", "ilo-c182", "ratified", year=2005)
    # Decision No. 196 of 13 Dec 2000 (CRC/C/OPSC/TJK/1, para. 2).
    assert has_record(kb_graph, "tj", "ilo-c182", "ratified", on=date(2000, 12, 13))


# --- Turkmenistan ---------------------------------------------------------------------------

def test_tm_palermo_protocol_acceded_28_march_2005(kb_graph):
    # Turkmenistan's OPSC report (docstore.ohchr.org, 2013) and
    # https://unodc.org/centralasia/en/news/unodc-and-usaid-winrock-international-strengthen-national-policies-and-strategies-in-countering-trafficking-in-persons-in-turkmenistan.html
    assert has_record(kb_graph, "tm", "palermo-protocol", "acceded", on=date(2005, 3, 28), year=2005)


def test_tm_c138_ratified_2012(kb_graph):
    # https://normlex.ilo.org/dyn/normlex/en/f?p=1000%3A13101%3A0%3A%3ANO%3A13101%3AP13101_COMMENT_ID%3A4015582
    assert has_record(kb_graph, "tm", "ilo-c138", "ratified", year=2012)


def test_tm_c029_and_c105_ratified_1997(kb_graph):
    # http://ilo.ch/dyn/normlex/fr/f?p=1000%3A13100%3A0%3A%3ANO%3A%3AP13100_COMMENT_ID%2CP13100_LANG_CODE%3A4377058%2Cen%3ANO
    assert has_record(kb_graph, "tm", "ilo-c029", "ratified", year=1997)
    # https://webapps.ilo.org/dyn/normlex/en/f?p=1000%3A13101%3A0%3A%3ANO%3A13101%3AP13101_COMMENT_ID%3A4111633
    assert has_record(kb_graph, "tm", "ilo-c105", "ratified", year=1997)


def test_tm_c182_ratified_2010(kb_graph):
    # https://normlex.ilo.org/dyn/normlex/en/f?p=1000%3A13101%3A0%3A%3ANO%3A13101%3AP13101_COMMENT_ID%3A4367777
    assert has_record(kb_graph, "tm", "ilo-c182", "ratified", year=2010)


def test_tm_not_party_to_migrant_workers_convention(kb_graph):
    # UN compilation for the third UPR cycle: https://docsbay.net/tables-for-un-compilation-on-turkmenistan
    assert has_record(kb_graph, "tm", "icrmw", "not-party")


# --- Uzbekistan -----------------------------------------------------------------------------

def test_uz_p029_ratified_2019_deposit_16_september(kb_graph):
    # http://ilo.org/global/standards/subjects-covered-by-international-labour-standards/forced-labour/WCMS_719392/lang--en/index.htm
    assert has_record(kb_graph, "uz", "ilo-p029", "ratified", on=date(2019, 9, 16), year=2019)


def test_uz_p029_domestic_law_25_june_2019(kb_graph):
    # Law ZRU-545 of 25 June 2019: https://newslineuz.com/article/934436/
    assert has_record(kb_graph, "uz", "ilo-p029", "ratified", on=date(2019, 6, 25))


def test_uz_untoc_oliy_majlis_30_august_2003(kb_graph):
    # Resolution No. 536-II of 30 Aug 2003: https://lex.uz/uz/docs/-1328107
    assert has_record(kb_graph, "uz", "untoc", "ratified", on=date(2003, 8, 30), year=2003)


def test_uz_c105_ratified_1997(kb_graph):
    # http://ilo.ch/dyn/normlex/en/f?p=1000%3A13100%3A0%3A%3ANO%3A13100%3AP13100_COMMENT_ID%2CP13100_COUNTRY_ID%3A2303156%2C103538
    assert has_record(kb_graph, "uz", "ilo-c105", "ratified", year=1997)


def test_uz_c138_ilo_2009_and_law_4_april_2008(kb_graph):
    # https://normlex.ilo.org/dyn/normlex/en/f?p=1000%3A13101%3A0%3A%3ANO%3A13101%3AP13101_COMMENT_ID%3A4021639
    assert has_record(kb_graph, "uz", "ilo-c138", "ratified", year=2009)
    # https://www.ilo.org/moscow/news/WCMS_429954/lang--en/index.htm
    assert has_record(kb_graph, "uz", "ilo-c138", "ratified", on=date(2008, 4, 4))
