"""Benchmark the store backends: load, typical queries and SHACL validation, rdflib as the baseline.

Run with `make bench`. Prints medians and the ratio baseline ÷ candidate (above 1 means faster than
rdflib's own memory store and SPARQL engine). Figures depend on the machine; ratios are what to compare.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import ROOT, write_synthetic  # noqa: E402

from tipkb.checks.validation import run_shacl, shapes_graph  # noqa: E402
from tipkb.store.kb import load_kb  # noqa: E402
from tipkb.store.queries import packaged  # noqa: E402

BACKENDS = ("rdflib", "oxigraph")


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def make_root(factor: int) -> Path:
    root = Path(tempfile.mkdtemp(prefix=f"tipkb-bench-x{factor}-"))
    shutil.copytree(ROOT / "ontology", root / "ontology")
    write_synthetic(factor, root / "kb" / "synthetic.ttl")
    return root


def bench(root: Path, label: str, shapes) -> None:
    rows = {}
    for backend in BACKENDS:
        r = {"load": median_ms(lambda b=backend: load_kb(root, backend=b), 3)}
        kb = load_kb(root, backend=backend)
        r["triples"] = len(kb)
        for name in ("countries", "class-counts", "label-coverage", "provenance-coverage"):
            bindings = {"lang": "ru"} if name == "countries" else None
            r[name] = median_ms(lambda n=name, k=kb, b=bindings: k.select(packaged(n), b), 5)
        r["shacl"] = median_ms(lambda k=kb: run_shacl(k, shapes), 1)
        rows[backend] = r
    base, cand = rows["rdflib"], rows["oxigraph"]
    print(f"\n{label}: {base['triples']} triples")
    print(f"  {'step':<22}{'rdflib ms':>12}{'oxigraph ms':>14}{'ratio':>8}")
    for step in ("load", "countries", "class-counts", "label-coverage", "provenance-coverage", "shacl"):
        ratio = base[step] / cand[step] if cand[step] else float("inf")
        print(f"  {step:<22}{base[step]:>12.1f}{cand[step]:>14.1f}{ratio:>7.1f}×")


def main() -> None:
    shapes = shapes_graph(ROOT)
    for factor in (1, 10):
        root = make_root(factor)
        try:
            bench(root, f"shipped KB ×{factor}", shapes)
        finally:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
