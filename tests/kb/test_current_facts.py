"""Corrections and 2025 facts from issue 18 (the ENU study findings, TIP 2025 figures and tiers),
checked against the values their sources give.

Each expected value is hard-coded from the source named in the comment beside it.
"""

from rdflib import Namespace

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
