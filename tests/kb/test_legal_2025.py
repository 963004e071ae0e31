"""Legal-framework facts and corrections from issue 18, checked against the values their sources give.

Each expected value is hard-coded from the source named in the comment beside it (the source the KB
record cites), so a wrong date, year, attribution or source in the KB makes a test fail.
"""

from urllib.parse import urlparse

from rdflib import Literal, Namespace
from rdflib.namespace import XSD

TIP = Namespace("https://w3id.org/tipkb/ontology#")
KB = Namespace("https://w3id.org/tipkb/kb/")
DCT = Namespace("http://purl.org/dc/terms/")


def _texts(graph, subject, prop):
    """The literals of `prop` on `subject`, keyed by language."""
    return {lit.language: str(lit) for lit in graph.objects(subject, prop)}


def _hosts(graph, subject):
    """The host names of the subject's sources, without a leading www."""
    return {urlparse(str(u)).netloc.removeprefix("www.") for u in graph.objects(subject, DCT.source)}


def _as_of(graph, subject):
    """The subject's as-of date."""
    return graph.value(subject, TIP.asOf)


def test_ilo_found_no_systemic_forced_labour_in_the_2021_uzbek_cotton_harvest(kb_graph):
    # ILO press release of 14 March 2022 (ilo.org, WCMS_839591): the 2021 third-party monitoring found
    # that Uzbekistan had eradicated systemic forced and child labour in the 2021 harvest.
    finding = KB["finding-ilo-uz-cotton-2021"]
    assert (finding, TIP.concernsCountry, KB["country-uz"]) in kb_graph
    text = _texts(kb_graph, finding, TIP.text)
    assert "2021 cotton harvest" in text["en"] and "systemic forced labour" in text["en"]
    assert "системный принудительный" in text["ru"]
    assert "ilo.org" in _hosts(kb_graph, finding)
    assert _as_of(kb_graph, finding) == Literal("2022-03-14", datatype=XSD.date)


def test_cotton_campaign_boycott_ended_on_10_march_2022_and_both_start_years_are_said(kb_graph):
    # cottoncampaign.org (press conference of 10 March 2022) and the ILO release: boycott lifted
    # 10 March 2022; the ILO dates its start to 2011, RFE/RL to 2006.
    finding = KB["finding-cotton-campaign-uz-boycott-ended"]
    assert {"cottoncampaign.org", "ilo.org"} <= _hosts(kb_graph, finding)
    assert _as_of(kb_graph, finding) == Literal("2022-03-10", datatype=XSD.date)
    assert "10 March 2022" in _texts(kb_graph, finding, TIP.text)["en"]
    note = _texts(kb_graph, finding, TIP.note)
    assert "2011" in note["en"] and "2006" in note["en"]
    assert "2011" in note["ru"] and "2006" in note["ru"]


def test_uzbek_shelter_is_recorded_as_state_run_not_as_an_ngo_shelter(kb_graph):
    # TIP 2023 (state.gov): increased funding for the country's only shelter; repost.uz (2020): the
    # Republican Rehabilitation Centre is a state institution (Health Ministry agency, then the MIA).
    ngo_shelter_examples = [
        e for e in kb_graph.subjects(TIP.practice, KB["practice-state-funded-ngo-shelters"])
        if (e, TIP.country, KB["country-uz"]) in kb_graph
    ]
    assert ngo_shelter_examples == []
    example = KB["example-sustainable-state-funding-uz"]
    assert kb_graph.value(example, TIP.practice) == KB["practice-sustainable-state-funding"]
    text = _texts(kb_graph, example, TIP.text)
    assert "state-run" in text["en"] and "not an NGO shelter" in text["en"]
    assert "государственного" in text["ru"]
    assert {"state.gov", "repost.uz"} <= _hosts(kb_graph, example)


def test_astana_trainings_are_recorded_as_osce_activities(kb_graph):
    # osce.org/secretariat/397166 (2018 exercise) and the OSCE's 2023 regional training as reported by
    # newscentralasia.net and sanasezim.org: organised by the OSCE, hosted by Kazakhstan.
    for name in ("example-parallel-financial-investigations-kz", "example-simulation-based-training-kz",
                 "example-humanitarian-setting-screening-kz"):
        example = KB[name]
        note = _texts(kb_graph, example, TIP.note)
        assert "OSCE activit" in note["en"], name
        assert "not a Kazakh government programme" in note["en"] or \
            "not Kazakh government programmes" in note["en"], name
        assert "ОБСЕ" in note["ru"], name
    assert "osce.org" in _hosts(kb_graph, KB["example-parallel-financial-investigations-kz"])


def test_turkmen_plan_2025_2029_was_approved_on_3_january_2025(kb_graph):
    # newscentralasia.net, 6 January 2025: approved at the Cabinet meeting of Friday 3 January 2025.
    plan = KB["nap-tm-2025-2029"]
    assert kb_graph.value(plan, TIP.date) == Literal("2025-01-03", datatype=XSD.date)
    assert kb_graph.value(plan, TIP.startYear).toPython() == 2025
    assert kb_graph.value(plan, TIP.endYear).toPython() == 2029
    assert "newscentralasia.net" in _hosts(kb_graph, plan)
    assert str(kb_graph.value(plan, TIP.confidence)) == "medium"
    assert _as_of(kb_graph, plan) == Literal("2025-01-06", datatype=XSD.date)


def test_kazakh_2004_plan_keeps_the_cable_period_beside_the_tip_adoption_month(kb_graph):
    # TIP 2004 and 2005 (refworld.org copies): National Plan of Action adopted in February 2004;
    # the 2003-2005 period comes from cable 06ASTANA32 only.
    plan = KB["nap-kz-2003-2005"]
    assert kb_graph.value(plan, TIP.startYear).toPython() == 2003
    assert kb_graph.value(plan, TIP.endYear).toPython() == 2005
    note = _texts(kb_graph, plan, TIP.note)
    assert "February 2004" in note["en"] and "феврал" in note["ru"]
    assert {"refworld.org", "search.wikileaks.org"} <= _hosts(kb_graph, plan)
    assert str(kb_graph.value(plan, TIP.confidence)) == "medium"


def test_tajik_amendment_1563_passed_both_chambers_in_late_2018(kb_graph):
    # mmih.tj DocumentId=132945: adopted by the Assembly of Representatives on 28 November 2018
    # (No. 1229), supported by the National Assembly on 25 December 2018 (No. 590).
    law = KB["law-tj-2019-amendment-1563"]
    note = _texts(kb_graph, law, TIP.note)
    assert "28 November 2018" in note["en"] and "No. 1229" in note["en"]
    assert "25 December 2018" in note["en"] and "No. 590" in note["en"]
    sources = {str(u) for u in kb_graph.objects(law, DCT.source)}
    assert "https://mmih.tj/SEARCH/DocumentView?DocumentId=132945" in sources


def test_uzbek_draft_concept_is_noted_with_its_source(kb_graph):
    # buzb.uz: the National Commission approved a draft Concept with an action plan at its meeting on
    # the results of 2024; no adopting act was found on lex.uz, and the note must say so.
    plan = KB["nap-uz-2008-2010"]
    assert "buzb.uz" in _hosts(kb_graph, plan)
    note = _texts(kb_graph, plan, TIP.note)
    assert "draft Concept" in note["en"] and "not found on lex.uz" in note["en"]
    assert "проект Концепции" in note["ru"]


def test_kazakh_2024_law_names_its_risk_assessment_rules_and_leaves_entry_into_force_open(kb_graph):
    # adilet.zan.kz V2400035288: joint order MIA No. 849 (23 October 2024) and MLSP No. 410
    # (24 October 2024), registered 24 October 2024 under No. 35288, under Article 14(2) of the Law.
    law = KB["law-kz-2024-countering-trafficking"]
    note = _texts(kb_graph, law, TIP.note)
    assert "No. 35288" in note["en"] and "No. 849" in note["en"] and "No. 410" in note["en"]
    assert "35288" in note["ru"]
    assert "not verified" in note["en"]
    sources = {str(u) for u in kb_graph.objects(law, DCT.source)}
    assert "https://adilet.zan.kz/kaz/docs/V2400035288/compare" in sources
    assert _as_of(kb_graph, law) == Literal("2024-10-24", datatype=XSD.date)
