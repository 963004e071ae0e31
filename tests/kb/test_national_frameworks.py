"""National anti-trafficking frameworks (kb/legal/*.ttl) checked against their sources.

Every expected value below is hard-coded from the cited source (URL in the comment next to it)
and looked up in the KB, so a wrong value in the KB makes the test fail.
"""

from datetime import date

import pytest
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

TIP = Namespace("https://w3id.org/tipkb/ontology#")
KB = Namespace("https://w3id.org/tipkb/kb/")
DCT = Namespace("http://purl.org/dc/terms/")

COUNTRIES = ["kz", "kg", "tj", "tm", "uz"]


def _one(graph, subject, predicate):
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, f"{subject} has {len(values)} values for {predicate}"
    return values[0]


def _label(graph, subject, lang):
    values = [v for v in graph.objects(subject, RDFS.label) if v.language == lang]
    assert len(values) == 1, f"{subject} needs exactly one @{lang} label"
    return str(values[0])


def _laws_by_number(graph, country, number):
    q = """
        SELECT ?law WHERE {
            ?law a tip:NationalLaw ; tip:country ?c ; tip:lawNumber ?n .
            FILTER (str(?n) = ?num)
        }"""
    rows = graph.query(q, initNs={"tip": TIP},
                       initBindings={"c": KB[f"country-{country}"], "num": Literal(number)})
    return [r.law for r in rows]


def _articles(graph, country):
    q = """SELECT ?a WHERE { ?p a tip:CriminalCodeProvision ; tip:country ?c ; tip:article ?a . }"""
    return {str(r.a) for r in graph.query(q, initNs={"tip": TIP},
                                          initBindings={"c": KB[f"country-{country}"]})}


def _plans(graph, country):
    q = """SELECT ?s ?e WHERE { ?p a tip:NationalActionPlan ; tip:country ?c ;
                                   tip:startYear ?s ; tip:endYear ?e . }"""
    return {(int(r.s), int(r.e)) for r in graph.query(q, initNs={"tip": TIP},
                                                     initBindings={"c": KB[f"country-{country}"]})}


def _law(graph, number, country, expected_date, ru_title):
    laws = _laws_by_number(graph, country, number)
    assert len(laws) == 1, f"expected one {country} law numbered {number}, found {laws}"
    law = laws[0]
    assert _one(graph, law, TIP.date).toPython() == expected_date
    assert _one(graph, law, TIP.year).toPython() == expected_date.year
    assert ru_title in _label(graph, law, "ru")
    return law


# ---------------------------------------------------------------------------
# Kazakhstan
# ---------------------------------------------------------------------------

def test_kz_law_110_viii(kb_graph):
    # Law No. 110-VIII of 5 July 2024 "О противодействии торговле людьми":
    # https://adilet.zan.kz/rus/docs/Z2400000110/compare/kaz
    law = _law(kb_graph, "110-VIII", "kz", date(2024, 7, 5), "О противодействии торговле людьми")
    assert law == KB["law-kz-2024-countering-trafficking"]


def test_kz_criminal_code_articles(kb_graph):
    # Articles 128 (trafficking in persons) and 135 (trafficking in minors):
    # https://cis-legislation.com/document.fwx?rgn=58351
    assert {"128", "135"} <= _articles(kb_graph, "kz")
    assert "торговля несовершеннолетними" in _label(kb_graph, KB["cc-kz-135"], "ru")


def test_kz_action_plans(kb_graph):
    # 2024–2026 plan: https://www.ecoi.net/en/document/2111695.html (TIP 2024)
    # 2021–2023 plan: https://www.inform.kz/en/human-trafficking-combat-bill-set-to-be-developed-next-year-in-kazakhstan_a3959369/amp
    # 2015–2017 plan: https://adilet.zan.kz/kaz/docs/P1500000023/compare
    assert {(2024, 2026), (2021, 2023), (2015, 2017)} <= _plans(kb_graph, "kz")


def test_kz_referral_rules_2024(kb_graph):
    # Joint order No. 844 / No. 406 of 22 October 2024 approving the referral rules:
    # https://adilet.zan.kz/kaz/docs/V2400035289/compare
    nrm = KB["nrm-kz-2024"]
    assert (nrm, RDF.type, TIP.ReferralMechanism) in kb_graph
    assert _one(kb_graph, nrm, TIP.date).toPython() == date(2024, 10, 22)
    assert str(_one(kb_graph, nrm, TIP.lawNumber)) == "844/406"


# ---------------------------------------------------------------------------
# Kyrgyzstan
# ---------------------------------------------------------------------------

def test_kg_law_55_of_2005(kb_graph):
    # Law No. 55 of 17 March 2005 "О предупреждении и борьбе с торговлей людьми":
    # http://cbd.minjust.gov.kg/act/view/ru-ru/1650?cl=ky-kg
    _law(kb_graph, "55", "kg", date(2005, 3, 17), "О предупреждении и борьбе с торговлей людьми")


def test_kg_amending_laws(kb_graph):
    # Amended by laws of 19 May 2011 No. 29, 18 Nov 2011 No. 218, 6 Jul 2016 No. 99, 11 Jan 2018 No. 2:
    # http://cbd.minjust.gov.kg/act/view/ru-ru/1650?cl=ky-kg
    base = KB["law-kg-2005-preventing-combating-trafficking"]
    for number, when in [("29", date(2011, 5, 19)), ("218", date(2011, 11, 18)),
                         ("99", date(2016, 7, 6)), ("2", date(2018, 1, 11))]:
        laws = _laws_by_number(kb_graph, "kg", number)
        assert len(laws) == 1
        assert (laws[0], TIP.amends, base) in kb_graph
        assert _one(kb_graph, laws[0], TIP.date).toPython() == when


def test_kg_criminal_code_articles(kb_graph):
    # Articles 166 and 170 (sex and labour trafficking), 167 (child trafficking), 2021 Code:
    # https://www.state.gov/reports/2022-trafficking-in-persons-report/kyrgyz-republic/
    assert {"166", "167", "170"} <= _articles(kb_graph, "kg")


def test_kg_programme_2022_2025(kb_graph):
    # Cabinet of Ministers Resolution No. 227 of 15 April 2022 (programme for 2022–2025):
    # https://cis-legislation.com/document.fwx?rgn=140294
    nap = KB["nap-kg-2022-2025"]
    assert (2022, 2025) in _plans(kb_graph, "kg")
    assert str(_one(kb_graph, nap, TIP.lawNumber)) == "227"
    assert _one(kb_graph, nap, TIP.date).toPython() == date(2022, 4, 15)


def test_kg_nrm_decree_493(kb_graph):
    # Decree No. 493 of 19 September 2019 created the NRM:
    # https://50forfreedom.org/blog/news/kyrgyzstan-reaffirms-its-commitment-to-combat-forced-labour/?noredirect=en_US
    nrm = KB["nrm-kg-2019"]
    assert str(_one(kb_graph, nrm, TIP.lawNumber)) == "493"
    assert _one(kb_graph, nrm, TIP.date).toPython() == date(2019, 9, 19)


# ---------------------------------------------------------------------------
# Tajikistan
# ---------------------------------------------------------------------------

def test_tj_law_1096_replaces_law_47(kb_graph):
    # Law No. 1096 of 26 July 2014, which repealed Act No. 47:
    # http://ilo.org/dyn/normlex/en/f?p=1000%3A13100%3A0%3A%3ANO%3A13100%3AP13100_COMMENT_ID%2CP13100_COUNTRY_ID%3A4055432%2C103547
    new = _law(kb_graph, "1096", "tj", date(2014, 7, 26),
               "О противодействии торговле людьми и оказании помощи жертвам торговли людьми")
    # Act No. 47 of 15 July 2004:
    # http://ilo.ch/dyn/normlex/fr/f?p=1000%3A13100%3A0%3A%3ANO%3A%3AP13100_COMMENT_ID%2CP13100_LANG_CODE%3A3276392%2Cen%3ANO
    old = _law(kb_graph, "47", "tj", date(2004, 7, 15), "О борьбе с торговлей людьми")
    assert (new, TIP.replaces, old) in kb_graph


def test_tj_amendment_1563(kb_graph):
    # Amended by Law No. 1563 of 2 January 2019:
    # https://mmih.tj/SEARCH/DocumentView?DocumentId=122215
    laws = _laws_by_number(kb_graph, "tj", "1563")
    assert len(laws) == 1
    assert (laws[0], TIP.amends, KB["law-tj-2014-countering-trafficking"]) in kb_graph
    assert _one(kb_graph, laws[0], TIP.date).toPython() == date(2019, 1, 2)


def test_tj_criminal_code_articles(kb_graph):
    # Articles 130.1 and 167 (TIP 2023):
    # https://www.asiaplustj.info/en/news/tajikistan/laworder/20231221/woman-jailed-for-trafficking-two-young-women-to-turkiye
    # Articles 132 and 130.2 (TIP 2015): https://2009-2017.state.gov/j/tip/rls/tiprpt/countries/2015/243545.htm
    assert {"130.1", "167", "132", "130.2"} <= _articles(kb_graph, "tj")


def test_tj_plans_and_nrm(kb_graph):
    # 2019–2021 NAP (Decree No. 80 of 1 March 2019) and NRM Decree No. 327 of 27 July 2016:
    # http://ilo.org/dyn/normlex/en/f?p=1000%3A13100%3A0%3A%3ANO%3A13100%3AP13100_COMMENT_ID%2CP13100_COUNTRY_ID%3A4055432%2C103547
    # 2022–2024 NAP: https://normlex.ilo.org/dyn/normlex/es/f?p=1000%3A13100%3A0%3A%3ANO%3A%3AP13100_COMMENT_ID%2CP13100_LANG_CODE%3A4372500%2Cen%3ANO
    assert {(2016, 2018), (2019, 2021), (2022, 2024)} <= _plans(kb_graph, "tj")
    assert str(_one(kb_graph, KB["nap-tj-2019-2021"], TIP.lawNumber)) == "80"
    assert _one(kb_graph, KB["nrm-tj-2016"], TIP.date).toPython() == date(2016, 7, 27)
    assert str(_one(kb_graph, KB["nrm-tj-2016"], TIP.lawNumber)) == "327"


# ---------------------------------------------------------------------------
# Turkmenistan
# ---------------------------------------------------------------------------

def test_tm_law_454_v(kb_graph):
    # Law No. 454-V of 15 October 2016 "On counteraction to human trafficking":
    # http://cis-legislation.com/document.fwx?rgn=89876 ; https://bp.gov.tm/laws/208/show
    _law(kb_graph, "454-V", "tm", date(2016, 10, 15), "О противодействии торговле людьми")


def test_tm_amendment_80_vi(kb_graph):
    # Amended by Law No. 80-VI of 20 October 2018: https://bp.gov.tm/laws/208/show
    laws = _laws_by_number(kb_graph, "tm", "80-VI")
    assert len(laws) == 1
    assert (laws[0], TIP.amends, KB["law-tm-2016-countering-trafficking"]) in kb_graph
    assert _one(kb_graph, laws[0], TIP.date).toPython() == date(2018, 10, 20)


def test_tm_first_law_2007(kb_graph):
    # First law "On Combating Trafficking in Persons", 14 December 2007:
    # https://archive.crin.org/en/library/un-regional-documentation/concluding-observations-68th-turkmenistan-report-opsce24d.html
    law = KB["law-tm-2007-combating-trafficking"]
    assert _one(kb_graph, law, TIP.date).toPython() == date(2007, 12, 14)


def test_tm_criminal_code_articles(kb_graph):
    # Article 129-1 of the 2010 edition: http://www.legislationline.org/documents/action/popup/id/16340
    # Section 128 in the ILO's 2023 comment:
    # http://ilo.ch/dyn/normlex/fr/f?p=1000%3A13100%3A0%3A%3ANO%3A%3AP13100_COMMENT_ID%2CP13100_LANG_CODE%3A4377058%2Cen%3ANO
    assert {"129-1", "128"} <= _articles(kb_graph, "tm")


def test_tm_action_plans(kb_graph):
    # 2025–2029: https://arzuw.news/en/in-turkmenistan-utverdili-nacionalnyj-plan-dejstvij-po-borbe-s-torgovlej-ludmi
    # 2020–2022, adopted 6 Dec 2019: https://en.trend.az/business/economy/3249887.html
    assert {(2016, 2018), (2020, 2022), (2025, 2029)} <= _plans(kb_graph, "tm")
    assert _one(kb_graph, KB["nap-tm-2020-2022"], TIP.date).toPython() == date(2019, 12, 6)


def test_tm_has_no_referral_mechanism(kb_graph):
    # Only draft SOPs (TIP 2019); no formal NRM adoption found:
    # https://www.state.gov/reports/2019-trafficking-in-persons-report-2/turkmenistan/
    tm_nodes = set(kb_graph.subjects(TIP.country, KB["country-tm"]))
    assert not tm_nodes & set(kb_graph.subjects(RDF.type, TIP.ReferralMechanism))
    body = KB["body-tm-interagency-commission"]
    assert URIRef("https://www.state.gov/reports/2019-trafficking-in-persons-report-2/turkmenistan/") in set(
        kb_graph.objects(body, DCT.source))


# ---------------------------------------------------------------------------
# Uzbekistan
# ---------------------------------------------------------------------------

def test_uz_law_zru_154_and_new_edition(kb_graph):
    # Law ZRU-154 of 17 April 2008, new edition approved by Law ZRU-633 of 17 August 2020:
    # https://nrm.uz/contentf?doc=631676_zakon_respubliki_uzbekistan_ot_17_04_2008_g_n_zru-154_o_protivodeystvii_torgovle_lyudmi_(novaya_redakciya_utverjdena_zakonom_ruz_ot_17_08_2020_g_n_zru-633)&products=1_
    base = _law(kb_graph, "ZRU-154", "uz", date(2008, 4, 17), "О противодействии торговле людьми")
    new = _law(kb_graph, "ZRU-633", "uz", date(2020, 8, 17), "О противодействии торговле людьми")
    assert (new, TIP.amends, base) in kb_graph


def test_uz_criminal_code_135_amended_2025(kb_graph):
    # Article 135 amended by a law of 19 May 2025 (top penalty 12 -> 15 years):
    # https://en.fergana.agency/news/137980
    assert {"135", "148-2"} <= _articles(kb_graph, "uz")
    amending = set(kb_graph.subjects(TIP.amends, KB["cc-uz-135"]))
    dates = {_one(kb_graph, law, TIP.date).toPython() for law in amending}
    assert date(2025, 5, 19) in dates


def test_uz_nap_2008_2010(kb_graph):
    # 2008–2010 NAP under Presidential Resolution PP-911 of 8 July 2008: https://base.garant.ru/55009378/
    assert (2008, 2010) in _plans(kb_graph, "uz")
    assert str(_one(kb_graph, KB["nap-uz-2008-2010"], TIP.lawNumber)) == "PP-911"


def test_uz_referral_system_2021(kb_graph):
    # Cabinet of Ministers Resolution No. 60 of 8 February 2021 (national referral system):
    # https://www.norma.uz/novoe_v_zakonodatelstve/utverjdena_sistema_identifikacii_jertv_torgovli_lyudmi
    nrm = KB["nrm-uz-2021"]
    assert str(_one(kb_graph, nrm, TIP.lawNumber)) == "60"
    assert _one(kb_graph, nrm, TIP.date).toPython() == date(2021, 2, 8)


def test_uz_national_commission_name(kb_graph):
    # Renamed by Decree UP-210 of 21 December 2023: https://norma.uz/novoe_v_zakonodatelstve/opredeleny_zadachi_nacionalnoy_komissii_po_protivodeystviyu_torgovle_lyudmi
    body = KB["body-uz-national-commission"]
    assert (body, RDF.type, TIP.CoordinatingBody) in kb_graph
    assert _label(kb_graph, body, "ru") == "Национальная комиссия по вопросам противодействия торговле людьми и достойного труда"


# ---------------------------------------------------------------------------
# Shape of every framework node (all countries)
# ---------------------------------------------------------------------------

FRAMEWORK_CLASSES = [TIP.NationalLaw, TIP.CriminalCodeProvision, TIP.NationalActionPlan,
                     TIP.ReferralMechanism, TIP.CoordinatingBody]


@pytest.mark.parametrize("iso", COUNTRIES)
def test_framework_nodes_are_complete(kb_graph, iso):
    country = KB[f"country-{iso}"]
    nodes = [s for cls in FRAMEWORK_CLASSES for s in kb_graph.subjects(RDF.type, cls)
             if (s, TIP.country, country) in kb_graph]
    assert nodes, f"no framework nodes for {iso}"
    kinds = {cls for cls in FRAMEWORK_CLASSES for s in nodes if (s, RDF.type, cls) in kb_graph}
    # Every country has at least a statute, code articles, a plan and a coordinating body.
    assert {TIP.NationalLaw, TIP.CriminalCodeProvision, TIP.NationalActionPlan, TIP.CoordinatingBody} <= kinds
    for s in nodes:
        assert list(kb_graph.objects(s, DCT.source)), f"{s} has no dct:source"
        assert len(list(kb_graph.objects(s, TIP.asOf))) == 1, f"{s} needs exactly one tip:asOf"
        _label(kb_graph, s, "en")
        _label(kb_graph, s, "ru")
