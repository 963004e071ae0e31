"""Build a synthetic KB N times the size of the shipped one, for benchmarks.

Every resource of kb/ except the vocabularies and the questionnaire is copied N-1 times under new
IRIs (suffix -sK), with its links rewritten to the copies of the same round, so the copies keep the
shape of real data (countries with ratifications, tiers, statistics, gaps, practices, examples).
The output is N-Triples, which is also valid Turtle.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox

from tipkb.namespaces import KB_IRI

ROOT = Path(__file__).resolve().parent.parent
SHARED = ("vocab", "questionnaire")


def _triples(path: Path) -> list:
    return list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))


def write_synthetic(factor: int, target: Path, root: Path = ROOT) -> int:
    """Write the shipped KB plus factor-1 renamed copies to `target`; return the number of triples."""
    kb = root / "kb"
    shared, copied = [], []
    for path in sorted(kb.rglob("*.ttl")):
        (shared if path.relative_to(kb).parts[0] in SHARED else copied).extend(_triples(path))
    fixed = {t.subject for t in shared if isinstance(t.subject, ox.NamedNode)}

    def rename(term, k):
        if isinstance(term, ox.NamedNode) and term.value.startswith(KB_IRI) and term not in fixed:
            return ox.NamedNode(f"{term.value}-s{k}")
        if isinstance(term, ox.BlankNode):
            return ox.BlankNode(f"{term.value}s{k}")
        return term

    out = list(shared) + list(copied)
    for k in range(1, factor):
        out += [ox.Triple(rename(t.subject, k), t.predicate, rename(t.object, k)) for t in copied]
    target.parent.mkdir(parents=True, exist_ok=True)
    ox.serialize(out, str(target), format=ox.RdfFormat.N_TRIPLES)
    return len(out)


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    dest = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "build" / f"kb-x{n}" / "kb" / "synthetic.ttl"
    print(f"{write_synthetic(n, dest)} triples -> {dest}")
