"""Corrections and 2025 facts from issue 18 (the ENU study findings, TIP 2025 figures and tiers),
checked against the values their sources give.

Each expected value is hard-coded from the source named in the comment beside it.
"""

from rdflib import Literal, Namespace
from rdflib.namespace import XSD

TIP = Namespace("https://w3id.org/tipkb/ontology#")
KB = Namespace("https://w3id.org/tipkb/kb/")
DCT = Namespace("http://purl.org/dc/terms/")


def _texts(graph, subject, prop=TIP.text):
    """The literals of `prop` on `subject`, keyed by language."""
    return {lit.language: str(lit) for lit in graph.objects(subject, prop)}


def test_enu_finding_kazakhstan_not_ranked_first(kb_graph):
    # The abstract says Kazakhstan "has achieved significant advancements", not the most progress.
    texts = _texts(kb_graph, KB["finding-enu-study-1"])
    assert "most significant" not in texts["en"]
    assert "significant advances" in texts["en"]
    assert "наибольш" not in texts["ru"]


def test_enu_finding_vulnerable_groups_include_migrant_workers(kb_graph):
    # The abstract names "women, children, and migrant workers" as the vulnerable populations.
    finding = KB["finding-enu-study-4"]
    assert (finding, TIP.victimGroup, KB["victim-group-migrant-workers"]) in kb_graph
    texts = _texts(kb_graph, finding)
    assert "migrant workers" in texts["en"]
    assert "трудовые мигранты" in texts["ru"]


def test_enu_findings_explain_their_as_of_date(kb_graph):
    # The publication date could not be verified: each note must say so, not pass the read date off.
    for n in range(1, 6):
        note = _texts(kb_graph, KB[f"finding-enu-study-{n}"], TIP.note)["en"]
        assert "no publication date" in note, n


CENTRAL_ASIA = ["kz", "kg", "tj", "tm", "uz"]
TIP_2025_PUBLISHED = Literal("2025-09-29", datatype=XSD.date)


def test_tip_2025_records_are_as_of_the_report_publication_date(kb_graph):
    # State Department press statement "On the Release of the 2025 Trafficking in Persons Report",
    # 29 September 2025 (https://www.pubt.io/view/DEECCCBF6BB623B859201CFF35D8BF2E45A44EF8).
    for iso in CENTRAL_ASIA:
        records = list(kb_graph.subjects(TIP.reportYear, Literal(2025)))
        records = [r for r in records if (r, TIP.country, KB[f"country-{iso}"]) in kb_graph
                   and any(str(u).startswith("https://www.state.gov/reports/2025-trafficking-in-persons-report/")
                           for u in kb_graph.objects(r, DCT.source))]
        assert records, iso
        for r in records:
            assert list(kb_graph.objects(r, TIP.asOf)) == [TIP_2025_PUBLISHED], r


def test_tj_and_tm_2025_tiers_keep_their_real_confidence(kb_graph):
    # Only news summaries were reached for these two 2025 ratings (caspianpost.com, asiaplustj.info,
    # en.fergana.ru); the report text was not, so neither may be marked high.
    assert str(kb_graph.value(KB["tier-rating-tj-2025"], TIP.confidence)) == "medium"
    assert str(kb_graph.value(KB["tier-rating-tm-2025"], TIP.confidence)) == "low"


def test_kz_2025_registered_trafficking_crimes_keep_both_official_counts(kb_graph):
    # https://rus.baq.kz/164-prestupleniya-torgovli-lyudmi-vyyavleny-v-kazahstane-v-2025-godu-320014956/
    # (interior ministry: 164 in 2025) and https://www.kt.kz/rus/crime/v_almaty_osudili_troih_byvshih_sotrudnikov_flyarystan_za_1377986498.html
    # (Prosecutor General's statistics: 298 in 2025, 357 in 2024).
    mia, gpo = KB["stat-kz-2026-investigations"], KB["stat-kz-2026-investigations-b"]
    assert kb_graph.value(mia, TIP.value).toPython() == 164
    assert kb_graph.value(gpo, TIP.value).toPython() == 298
    for s in (mia, gpo):
        assert kb_graph.value(s, TIP.dataYear).toPython() == 2025
        assert kb_graph.value(s, TIP.indicator) == KB["indicator-investigations"]
    assert (mia, TIP.conflictsWith, gpo) in kb_graph and (gpo, TIP.conflictsWith, mia) in kb_graph
    assert kb_graph.value(mia, TIP.asOf) == Literal("2026-02-17", datatype=XSD.date)


def test_kz_2025_victims_given_special_social_services(kb_graph):
    # https://rus.baq.kz/164-prestupleniya-torgovli-lyudmi-vyyavleny-v-kazahstane-v-2025-godu-320014956/ :
    # 171 victims (94 men, 52 women, 25 children), 93 of them foreigners.
    stat = KB["stat-kz-2026-victims-assisted"]
    assert kb_graph.value(stat, TIP.value).toPython() == 171
    assert kb_graph.value(stat, TIP.dataYear).toPython() == 2025
    breakdown = _texts(kb_graph, stat, TIP.breakdown)
    assert "94 men, 52 women and 25 children" in breakdown["en"]
    assert "93" in breakdown["ru"]


def test_kz_2024_registered_trafficking_cases_from_the_prosecutor_general(kb_graph):
    # https://report.az/ru/v-regione/v-kazahstane-rastet-chislo-ugolovnyh-del-svyazannyh-s-torgovlej-lyudmi-i-organami :
    # 158 cases in 2023, 207 in 2024.
    stat = KB["stat-kz-2025-investigations"]
    assert kb_graph.value(stat, TIP.value).toPython() == 207
    assert kb_graph.value(stat, TIP.dataYear).toPython() == 2024


def test_kg_2024_trafficking_investigations_from_the_parliament_council(kb_graph):
    # https://24.kg/english/314504_Over_100_human_trafficking_crimes_investigated_in_2024_in_Kyrgyzstan/ :
    # at least 105 related crimes, 18 of them under the trafficking article.
    stat = KB["stat-kg-2024-investigations"]
    assert kb_graph.value(stat, TIP.value).toPython() == 18
    assert "105" in _texts(kb_graph, stat, TIP.breakdown)["en"]
