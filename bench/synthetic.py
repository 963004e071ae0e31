"""Build a synthetic KB N times the size of the shipped one, for benchmarks.

Every resource of kb/ except the vocabularies is copied N-1 times under new IRIs (suffix -sK),
with its links rewritten to the copies of the same round, so the copies keep the shape of real
data (countries with ratifications, tiers, statistics, gaps, practices).
"""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import Graph, URIRef

from tipkb.namespaces import KB_IRI

ROOT = Path(__file__).resolve().parent.parent


def shipped_graph(root: Path = ROOT) -> Graph:
    """Return the shipped KB (without the ontology) as one graph."""
    g = Graph()
    for path in sorted((root / "kb").rglob("*.ttl")):
        g.parse(path, format="turtle")
    return g


def _is_copyable(term, vocab: set) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(KB_IRI) and term not in vocab


def synthetic_graph(factor: int, root: Path = ROOT) -> Graph:
    """Return the shipped KB plus factor-1 renamed copies of its non-vocabulary resources."""
    base = shipped_graph(root)
    vocab = set()
    for path in sorted((root / "kb" / "vocab").glob("*.ttl")):
        vocab |= {s for s in Graph().parse(path, format="turtle").subjects()}
    out = Graph()
    out += base
    for k in range(1, factor):
        def rename(term, k=k):
            return URIRef(f"{term}-s{k}") if _is_copyable(term, vocab) else term
        for s, p, o in base:
            out.add((rename(s), p, rename(o)))
    return out


if __name__ == "__main__":
    factor = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "build" / f"kb-x{factor}" / "kb"
    target.mkdir(parents=True, exist_ok=True)
    graph = synthetic_graph(factor)
    graph.serialize(target / "synthetic.ttl", format="turtle")
    print(f"{len(graph)} triples -> {target / 'synthetic.ttl'}")
