"""Benchmark what the tests check without timing it: loading the questionnaire, and stopping a runaway query.

Run with `make bench`. Each figure is printed next to a baseline measured in the same process; compare the
ratios, which hold from machine to machine better than the milliseconds do.

- `load_questionnaire` on the shipped KB in the default store (Oxigraph), against the same on rdflib's
  memory store. Target: under 100 ms on a 2-core machine.
- A query past the SPARQL endpoint's time limit (1 s), from asking to the 503 answer, against the limit and
  against a trivial query's round trip through the same worker. Target: the answer within 1.5 s of asking
  (the web route adds a request's cost on top: under 3 s).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from store import median_ms  # noqa: E402  (bench/store.py: the benches share one timer)

from tipkb.assess.questionnaire import load_questionnaire  # noqa: E402
from tipkb.store.endpoint import EndpointError, QueryRunner  # noqa: E402
from tipkb.store.kb import load_kb  # noqa: E402

QUESTIONNAIRE_TARGET_MS = 100
LIMIT_S = 1.0
CUT_OFF_TARGET_S = 1.5
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o . ?p ?q ?r }"


def warm_median_ms(fn, repeat: int) -> float:
    fn()  # warm up: parsed queries and imports, as a running server has them
    return median_ms(fn, repeat)


def verdict(value: float, target: float) -> str:
    return "meets the target" if value < target else "MISSES the target"


def questionnaire() -> None:
    ms = {}
    for backend, repeat in (("oxigraph", 10), ("rdflib", 3)):
        kb = load_kb(ROOT, backend=backend)
        ms[backend] = warm_median_ms(lambda k=kb: load_questionnaire(k), repeat)
        kb.close()
    print("\nload_questionnaire, shipped KB, median of 10 (baseline: of 3)")
    print(f"  oxigraph         {ms['oxigraph']:8.1f} ms   ({verdict(ms['oxigraph'], QUESTIONNAIRE_TARGET_MS)} "
          f"of {QUESTIONNAIRE_TARGET_MS} ms)")
    print(f"  baseline: rdflib {ms['rdflib']:8.1f} ms   ratio {ms['rdflib'] / ms['oxigraph']:5.1f}×")


def cut_off() -> None:
    kb = load_kb(ROOT)
    with tempfile.TemporaryDirectory(prefix="tipkb-bench-endpoint-") as dumps:
        runner = QueryRunner(Path(dumps), timeout=LIMIT_S, workers=1)
        try:
            ask_ms = warm_median_ms(lambda: runner.run(kb, "bench", "ASK { ?s ?p ?o }"), 10)
            stops = []
            for _ in range(3):
                t0 = time.perf_counter()
                try:
                    runner.run(kb, "bench", RUNAWAY)
                except EndpointError:
                    stops.append(time.perf_counter() - t0)
                runner.run(kb, "bench", "ASK { ?s ?p ?o }")  # a fresh worker, started outside the timing
        finally:
            runner.close()
    kb.close()
    stop = statistics.median(stops) if len(stops) == 3 else float("nan")
    print(f"\nrunaway SPARQL query, time limit {LIMIT_S:g} s, median of 3")
    print(f"  answered (503) after {stop:6.2f} s   ({verdict(stop, CUT_OFF_TARGET_S)} of {CUT_OFF_TARGET_S:g} s)")
    print(f"  baseline: the limit        ratio {stop / LIMIT_S:5.2f}×")
    print(f"  baseline: ASK round trip {ask_ms:6.1f} ms; overshoot past the limit {(stop - LIMIT_S) * 1000:6.0f} ms"
          f" = {(stop - LIMIT_S) * 1000 / ask_ms:5.1f} round trips")


def main() -> None:
    questionnaire()
    cut_off()


if __name__ == "__main__":
    main()
