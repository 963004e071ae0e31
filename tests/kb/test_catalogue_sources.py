"""Sources of the catalogue files (frameworks, gaps, practices, practice examples), checked as issue 18 asks.

An entry that cites no publisher's page says so: a confidence below high and a note in English and Russian.
The publisher's pages cited are those the entries' facts were checked against, named in the comments.
"""

from urllib.parse import urlparse

from rdflib import Literal
from rdflib.namespace import RDF, XSD

from tipkb.checks.sources import classify
from tipkb.namespaces import DCT, KB, TIP

CATALOGUE = (TIP.Framework, TIP.FrameworkItem, TIP.Gap, TIP.BestPractice, TIP.PracticeExample)


def _hosts(graph, subject):
    """The host names of the subject's sources, without a leading www."""
    return {urlparse(str(u)).netloc.removeprefix("www.") for u in graph.objects(subject, DCT.source)}


def test_catalogue_entries_without_a_primary_source_are_lowered_with_a_reason(kb_graph):
    entries = {s for cls in CATALOGUE for s in kb_graph.subjects(RDF.type, cls)}
    assert len(entries) > 200
    unexplained = []
    for subject in entries:
        if any(classify(str(u)).strength == "primary" for u in kb_graph.objects(subject, DCT.source)):
            continue
        confidence = str(kb_graph.value(subject, TIP.confidence, default="high"))
        notes = {lit.language for lit in kb_graph.objects(subject, TIP.note)}
        if confidence == "high" or not {"en", "ru"} <= notes:
            unexplained.append(str(subject))
    assert not unexplained, f"{len(unexplained)} entries rest on copies without saying why: {sorted(unexplained)[:5]}"


def test_catalogue_cites_the_publishers_pages_found(kb_graph):
    # ICMPD's page for the TRM-EU guidelines (icmpd.org, id=1846): referral between countries of origin,
    # transit and destination; the note records that it is the 2010 edition of the 2009 guidelines.
    for entry in ("framework-icmpd-trm", "fw-icmpd-trm-guidelines", "gap-no-transnational-referral",
                  "practice-transnational-referral-mechanism"):
        assert "icmpd.org" in _hosts(kb_graph, KB[entry]), entry
        assert "2010" in str(kb_graph.value(KB[entry], TIP.note)), entry
    # The ILO's forced-labour publications list dates the indicators booklet 1 October 2012.
    assert "ilo.org" in _hosts(kb_graph, KB["fw-ilo-fl-indicators"])
    assert kb_graph.value(KB["fw-ilo-fl-indicators"], TIP.asOf) == Literal("2012", datatype=XSD.gYear)
    # Federal Register, 10 December 2018 (govinfo.gov): the TIP report measures governments against the TVPA
    # minimum standards; the standards themselves still rest on Cornell LII, at medium confidence.
    assert "govinfo.gov" in _hosts(kb_graph, KB["framework-tvpa"])
    assert classify("https://www.govinfo.gov/content/pkg/FR-2018-12-10/html/2018-26617.htm").strength == "primary"
    assert str(kb_graph.value(KB["fw-tvpa-c7"], TIP.confidence)) == "medium"
    # Walk Free's GSI government-response methodology (milestones 2, 3 and 5) and the Council of Europe's page on
    # its Convention (all victims, national or transnational; the right to be identified and assisted).
    for entry, host in (("gap-no-regional-cooperation", "globalslaveryindex.org"),
                        ("gap-few-convictions", "globalslaveryindex.org"),
                        ("practice-forced-labour-import-controls", "globalslaveryindex.org"),
                        ("gap-no-services-for-foreign-victims", "coe.int"),
                        ("gap-no-identification-sops", "coe.int"),
                        # ICAT's evaluation toolkit (icat.network) and UNODC's module on monitoring and evaluation.
                        ("gap-campaigns-untargeted-unevaluated", "icat.network"),
                        ("gap-response-not-evaluated", "sherloc.unodc.org"),
                        ("gap-no-independent-rapporteur", "sherloc.unodc.org"),
                        # Chapters 4 and 9 of UNODC's Toolkit to Combat Trafficking in Persons.
                        ("gap-no-mla-extradition", "unodc.org"),
                        ("gap-statelessness-unresolved", "unodc.org"),
                        ("gap-officials-abroad-not-bound", "unodc.org"),
                        ("gap-no-consular-capacity", "unodc.org"),
                        ("practice-residence-permits-for-victims", "unodc.org"),
                        ("practice-birth-registration-and-statelessness", "unodc.org"),
                        ("practice-anti-corruption-integration", "unodc.org"),
                        ("practice-regional-law-enforcement-dialogue", "globalslaveryindex.org"),
                        ("gap-no-proactive-screening", "globalslaveryindex.org"),
                        ("gap-statistics-not-published", "sherloc.unodc.org"),
                        # UNODC's GLO.ACT human rights toolkit (sanctions) and the ILO's page on fair labour mobility.
                        ("gap-lenient-penalties", "unodc.org"),
                        ("gap-suspended-sentences", "unodc.org"),
                        ("gap-no-bilateral-labour-safeguards", "ilo.org"),
                        ("gap-unregulated-recruiters", "ilo.org"),
                        ("gap-no-state-budget-for-victims", "unodc.org"),
                        ("gap-no-disaggregated-data", "unodc.org"),
                        ("gap-no-demand-reduction-measures", "unodc.org")):
        assert host in _hosts(kb_graph, KB[entry]), entry
    # adilet.zan.kz: Law No. 110-VIII "On countering human trafficking" of 5 July 2024.
    example = KB["example-comprehensive-anti-trafficking-law-kz"]
    assert "adilet.zan.kz" in _hosts(kb_graph, example)
    assert kb_graph.value(example, TIP.asOf) == Literal("2024-07-05", datatype=XSD.date)
