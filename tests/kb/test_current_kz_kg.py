"""Issue 18 for Kazakhstan and Kyrgyzstan: current official figures, primary sources, and the confidence of
facts that rest on copies only.

Each expected value is hard-coded from the source named in the comment beside it.
"""

from rdflib import Literal, Namespace
from rdflib.namespace import XSD

from tipkb.checks.sources import classify

TIP = Namespace("https://w3id.org/tipkb/ontology#")
KB = Namespace("https://w3id.org/tipkb/kb/")
DCT = Namespace("http://purl.org/dc/terms/")


def _texts(graph, subject, prop):
    """The literals of `prop` on `subject`, keyed by language."""
    return {lit.language: str(lit) for lit in graph.objects(subject, prop)}


def _sources(graph, subject):
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
