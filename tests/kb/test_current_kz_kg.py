"""Issue 18 for Kazakhstan and Kyrgyzstan: current official figures, primary sources, and the confidence of
facts that rest on copies only.

Each expected value is hard-coded from the source named in the comment beside it.
"""

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import XSD

from tipkb.checks.sources import classify
from tipkb.namespaces import DCT, KB, TIP


def _texts(graph, subject, prop):
    """The literals of `prop` on `subject`, keyed by language."""
    return {lit.language: str(lit) for lit in graph.objects(subject, prop)}


def _sources(graph, subject):
    """The source URLs of `subject`, as strings."""
    return {str(u) for u in graph.objects(subject, DCT.source)}


def test_kz_2024_victims_given_special_social_services_from_the_government_portal(kb_graph):
    # https://oq.gov.kz/en/qazalemnews/30 (25 February 2025): 247 victims received special social services in
    # 2024, 114 of them foreign nationals; 32 employed (4 foreigners); 13 crisis centres on 1 January 2025.
    stat = KB["stat-kz-2025-victims-assisted"]
    assert kb_graph.value(stat, TIP.value).toPython() == 247
    assert kb_graph.value(stat, TIP.dataYear).toPython() == 2024
    assert kb_graph.value(stat, TIP.indicator) == KB["indicator-victims-assisted"]
    assert kb_graph.value(stat, TIP.asOf) == Literal("2025-02-25", datatype=XSD.date)
    assert _sources(kb_graph, stat) == {"https://oq.gov.kz/en/qazalemnews/30"}
    assert classify("https://oq.gov.kz/en/qazalemnews/30").strength == "primary"
    breakdown = _texts(kb_graph, stat, TIP.breakdown)
    assert "114" in breakdown["en"] and "13 crisis centres" in breakdown["en"]
    assert "114" in breakdown["ru"] and "13 кризисных центров" in breakdown["ru"]


def test_kz_domestic_servitude_cites_the_2015_report_on_the_state_department_archive(kb_graph):
    # https://2009-2017.state.gov/j/tip/rls/tiprpt/countries/2015/243465.htm : "Chinese, Kazakhstani, and other
    # Central Asian nationals, in particular Uzbekistani men and women, are subjected to conditions of forced
    # labor in domestic service, construction, and agriculture in Kazakhstan."
    fact = KB["exploitation-kz-domestic-servitude"]
    assert "https://2009-2017.state.gov/j/tip/rls/tiprpt/countries/2015/243465.htm" in _sources(kb_graph, fact)
    assert kb_graph.value(fact, TIP.asOf) == Literal("2015", datatype=XSD.gYear)


def test_kg_child_labour_cites_the_us_department_of_labor_findings(kb_graph):
    # https://www.dol.gov/agencies/ilab/resources/reports/child-labor/kyrgyz-republic : cotton and tobacco on the
    # list of goods produced with child labour (2018 findings); children transport and sell items in bazaars (2015).
    fact = KB["exploitation-kg-child-labour"]
    url = "https://www.dol.gov/agencies/ilab/resources/reports/child-labor/kyrgyz-republic"
    assert url in _sources(kb_graph, fact) and classify(url).strength == "primary"
    note = _texts(kb_graph, fact, TIP.note)
    assert "cotton and tobacco" in note["en"] and "хлопок и табак" in note["ru"]


KZ_KG_FILES = [f"kb/{folder}/{iso}.ttl" for folder in ("situation", "ratifications", "legal", "country-gaps")
               for iso in ("kz", "kg")]


@pytest.mark.slow
def test_kz_kg_facts_resting_on_copies_only_are_not_high_confidence_and_say_why():
    # Issue 18: a fact without a primary source is "lowered in confidence with a note saying why"; a fact
    # without tip:confidence counts as high.
    root = Path(__file__).resolve().parents[2]
    weak = []
    for name in KZ_KG_FILES + [str(p.relative_to(root)) for p in sorted((root / "kb" / "studies").glob("*.ttl"))]:
        graph = Graph().parse(root / name)
        for fact in set(graph.subjects(DCT.source)):
            if any(classify(str(u)).strength == "primary" for u in graph.objects(fact, DCT.source)):
                continue
            notes = {lit.language for lit in graph.objects(fact, TIP.note)}
            if str(graph.value(fact, TIP.confidence) or "high") == "high" or not {"en", "ru"} <= notes:
                weak.append(f"{name}: {fact}")
    assert not weak, "\n".join(weak)


def test_kyrgyz_tip_chapters_are_cited_under_one_address_per_report_year(kb_graph):
    # The 2023 chapter was found at .../2023-trafficking-in-persons-report/kyrgyzstan/ ; the same chapter was also
    # cited under a .../kyrgyz-republic/ address built from the earlier years' pattern.
    slugs = {}
    for url in {str(u) for u in kb_graph.objects(None, DCT.source)}:
        m = re.match(r"https://www\.state\.gov/reports/(\d{4})-trafficking-in-persons-report[^/]*/(kyrgyz[^/]*)/$", url)
        if m:
            slugs.setdefault(m[1], set()).add(m[2])
    assert slugs and all(len(s) == 1 for s in slugs.values()), slugs
    assert slugs["2023"] == {"kyrgyzstan"}
