"""The IRIs tipkb uses, spelled once."""

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

TIP_IRI = "https://w3id.org/tipkb/ontology#"
KB_IRI = "https://w3id.org/tipkb/kb/"
GRAPH_IRI = "https://w3id.org/tipkb/graph/"
# A recommendation run's scratch graph (its answers and findings): never part of the published KB.
RUN_IRI = "https://w3id.org/tipkb/run/"

TIP = Namespace(TIP_IRI)
KB = Namespace(KB_IRI)
DCT = DCTERMS

PREFIXES = {
    "tip": TIP,
    "kb": KB,
    "dct": DCTERMS,
    "skos": SKOS,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "prov": PROV,
    "sh": SH,
}

# Schema terms the Python code refers to by name; a test checks each is declared in tip.ttl.
CLASSES = (
    "SourcedResource", "Fact", "Country", "LegalInstrument", "InternationalInstrument", "NationalLaw",
    "CriminalCodeProvision", "NationalActionPlan", "ReferralMechanism", "CoordinatingBody", "Ratification",
    "TierRating", "StatisticObservation", "Route", "RiskGroupStatement", "ExploitationStatement",
    "DocumentedGap", "Finding", "PracticeExample", "Gap", "BestPractice", "Framework", "FrameworkItem",
    "Recommendation", "Questionnaire", "QuestionSection", "Question", "AnswerOption", "GapSignal",
    "SkipCondition", "Assessment", "Answer", "Source", "Pillar", "GapCategory", "Stakeholder",
    "VictimGroup", "ExploitationForm", "RatificationStatus", "Tier", "Indicator", "TimeHorizon",
    "EffortLevel", "EvidenceLevel", "AnswerType", "GapEvidence", "TailoringEvidence", "UrgencyEvidence",
)


def bind_prefixes(graph) -> None:
    """Bind the project's prefixes on a graph or dataset."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)


def graph_iri_for(relpath: str):
    """Return the named-graph IRI of a KB file, from its path relative to the data root."""
    from rdflib import URIRef

    return URIRef(GRAPH_IRI + relpath.replace("\\", "/"))
