"""The owlready2 boundary: check OWL consistency of an rdflib graph with HermiT.

owlready2 does not read Turtle, so the graph is written as N-Triples into a private temporary
folder, loaded into a fresh owlready2 World and classified there. Nothing else in tipkb imports
owlready2. The reasoner starts a JVM (about a second), so it runs at validation time only.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDFS, XSD, Graph, Literal, Namespace, URIRef

from tipkb.errors import ReasoningError

RDF_NS = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
OWL_NS = Namespace("http://www.w3.org/2002/07/owl#")
# The OWL 2 datatype map (https://www.w3.org/TR/owl2-syntax/#Datatype_Maps); HermiT rejects others.
_XSD_OWL2 = """decimal integer nonNegativeInteger nonPositiveInteger positiveInteger negativeInteger long int short
    byte unsignedLong unsignedInt unsignedShort unsignedByte double float string normalizedString token language
    Name NCName NMTOKEN boolean hexBinary base64Binary anyURI dateTime dateTimeStamp"""
OWL2_DATATYPES = frozenset(
    [XSD[n] for n in _XSD_OWL2.split()]
    + [RDF_NS.PlainLiteral, RDF_NS.XMLLiteral, RDF_NS.langString, OWL_NS.real, OWL_NS.rational, RDFS.Literal]
)

JAVA_MEMORY_MB = 1000


@dataclass(frozen=True)
class ConsistencyResult:
    """The reasoner's verdict on a graph."""

    consistent: bool
    detail: str = ""


def check_consistency(graph: Graph) -> ConsistencyResult:
    """Classify a graph with HermiT and say whether it is consistent; raise ReasoningError if it cannot run."""
    if shutil.which(os.environ.get("JAVA_EXE", "java")) is None:
        raise ReasoningError("Java was not found on PATH; the OWL consistency check needs it (make sysdeps)")
    import owlready2
    from owlready2 import OwlReadyInconsistentOntologyError, OwlReadyJavaError

    owlready2.reasoning.JAVA_MEMORY = JAVA_MEMORY_MB
    workdir = Path(tempfile.mkdtemp(prefix="tipkb-owl-"))
    old_tmp = tempfile.tempdir
    try:
        source = workdir / "kb.nt"
        reasoner_view(graph).serialize(destination=str(source), format="nt", encoding="utf-8")
        # owlready2 writes the world to a temp file for Java and leaks it when Java fails;
        # pointing tempfile at our folder lets the finally clause remove it either way.
        tempfile.tempdir = str(workdir)
        world = owlready2.World()
        onto = world.get_ontology(source.as_uri()).load(format="ntriples")
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except OwlReadyInconsistentOntologyError:
            return ConsistencyResult(False, "HermiT found the ontology and KB inconsistent")
        except OwlReadyJavaError as exc:
            raise ReasoningError(f"the HermiT reasoner failed: {str(exc).strip().splitlines()[-1]}") from None
        finally:
            world.close()
        return ConsistencyResult(True)
    finally:
        tempfile.tempdir = old_tmp
        shutil.rmtree(workdir, ignore_errors=True)


def reasoner_view(graph: Graph) -> Graph:
    """Return a copy of a graph without what HermiT cannot read: values and ranges of non-OWL-2 datatypes.

    Dates and years (xsd:date, xsd:gYear) are outside the OWL 2 datatype map; the SHACL shapes check them.
    """
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype is not None and o.datatype not in OWL2_DATATYPES:
            continue
        if p == RDFS.range and isinstance(o, URIRef) and str(o).startswith(str(XSD)) and o not in OWL2_DATATYPES:
            continue
        out.add((s, p, o))
    return out
