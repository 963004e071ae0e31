"""Benchmark the recommendation engine on the shipped KB and on a synthetic KB 100 times larger.

Run with `make bench`. For one full assessment (kb/examples/kg-2025.json) it prints the median time
of repeated runs on the default backend (Oxigraph) next to a baseline run in the same process: the
same rules and code on rdflib's own in-memory store and SPARQL engine. Targets: ≤ 20 ms on the shipped
KB, ≤ 200 ms on the 100× KB (2-core machine).
"""

from __future__ import annotations

import shutil
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import ROOT, write_synthetic  # noqa: E402

from tipkb.assess.answers import read_answers_file, validate_answers  # noqa: E402
from tipkb.assess.questionnaire import load_questionnaire  # noqa: E402
from tipkb.recommend.engine import recommend  # noqa: E402
from tipkb.store.kb import load_kb  # noqa: E402

EXAMPLE = ROOT / "kb" / "examples" / "kg-2025.json"
BASELINE_BUDGET_S = 240


class Budget(Exception):
    pass


def _alarm(*_):
    raise Budget


def timed(fn, repeat: int) -> tuple[float, int]:
    fn()  # warm caches (practice and gap tables, parsed rules), as a running server has them
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), repeat


def bench(root: Path, label: str, repeat: int, baseline_repeat: int) -> None:
    results = {}
    for backend, n in (("oxigraph", repeat), ("rdflib", baseline_repeat)):
        t0 = time.perf_counter()
        kb = load_kb(root, backend=backend)
        load_s = time.perf_counter() - t0
        answers = validate_answers(load_questionnaire(kb), read_answers_file(EXAMPLE))
        signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(BASELINE_BUDGET_S if backend == "rdflib" else 0)
        try:
            ms, runs = timed(lambda k=kb, a=answers: recommend(k, answers=a), n)
        except Budget:
            ms, runs = float("nan"), 0
        finally:
            signal.alarm(0)
        results[backend] = (ms, runs, load_s, len(kb))
        kb.close()
    ox_ms, ox_n, ox_load, triples = results["oxigraph"]
    rd_ms, rd_n, rd_load, _ = results["rdflib"]
    print(f"\n{label}: {triples} triples (load: oxigraph {ox_load:.1f} s, rdflib {rd_load:.1f} s)")
    print(f"  one assessment, median of {ox_n}: oxigraph {ox_ms:8.1f} ms")
    if rd_n:
        print(f"  baseline, median of {rd_n}:   rdflib   {rd_ms:8.1f} ms   ratio {rd_ms / ox_ms:6.1f}×")
    else:
        print(f"  baseline: rdflib did not finish one run within {BASELINE_BUDGET_S} s "
              f"(ratio > {BASELINE_BUDGET_S * 1000 / ox_ms:.0f}×)")


def main() -> None:
    bench(ROOT, "shipped KB", repeat=50, baseline_repeat=5)
    root = Path(tempfile.mkdtemp(prefix="tipkb-bench-x100-"))
    try:
        shutil.copytree(ROOT / "ontology", root / "ontology")
        write_synthetic(100, root / "kb" / "synthetic.ttl")
        shutil.copytree(ROOT / "kb" / "rules", root / "kb" / "rules")
        bench(root, "synthetic KB ×100", repeat=20, baseline_repeat=1)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
