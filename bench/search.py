"""Benchmark catalogue search: recall and precision at 5 of the old substring matcher against the word search.

Run with `make bench`. Both run on the same query set (tests/data/search-queries.json, expected hits written
by reading the KB's labels and definitions) over the shipped KB, in one run. Recall: the share of a query's
expected entries found, averaged over the queries. Precision at 5: the expected entries among the first
five found, divided by min(5, number expected), averaged. Also: the time of one search once the index is
built, and of building the indexes.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from tipkb.facts import catalogue  # noqa: E402
from tipkb.store.kb import load_kb  # noqa: E402

QUERIES = ROOT / "tests" / "data" / "search-queries.json"
LISTS = {"gaps": catalogue.list_gaps, "practices": catalogue.list_practices, "instruments": catalogue.list_instruments}
ENTRIES = {"gaps": catalogue.gaps, "practices": catalogue.practices, "instruments": catalogue.instruments}


def substring_search(entries, q: str) -> list[Any]:
    """The catalogue search before word forms: every query word a substring of the code, labels and texts."""
    def texts(e):
        parts = [e.code, *e.label.values()]
        more = (e.title, e.note) if isinstance(e, catalogue.Instrument) else (e.definition,)
        return " ".join(parts + [t for m in more for t in m.values()]).casefold()
    return [e for e in entries if all(word in texts(e) for word in q.casefold().split())]


def scores(found: list[str], expected: list[str]) -> tuple[float, float]:
    want = set(expected)
    recall = len(want & set(found)) / len(want)
    precision = len(want & set(found[:5])) / min(5, len(want))
    return recall, precision


def main() -> None:
    kb = load_kb(ROOT)
    queries = json.loads(QUERIES.read_text(encoding="utf-8"))
    for find in LISTS.values():
        find(kb)  # the entries, read once per KB version
    t0 = time.perf_counter()
    for find in LISTS.values():
        find(kb, q="x")  # the word index, built once per KB version
    build_ms = (time.perf_counter() - t0) * 1000
    rows: dict[str, dict[str, list[tuple[float, float]]]] = {"old": {}, "new": {}}
    times = []
    for query in queries:
        kind, q, lang = query["kind"], query["q"], query["lang"]
        old = [e.code for e in substring_search(ENTRIES[kind](kb), q)]
        t = time.perf_counter()
        new = [e.code for e in LISTS[kind](kb, q=q)]
        times.append((time.perf_counter() - t) * 1000)
        rows["old"].setdefault(lang, []).append(scores(old, query["expected"]))
        rows["new"].setdefault(lang, []).append(scores(new, query["expected"]))
    print(f"catalogue search: {len(queries)} queries "
          f"({', '.join(f'{len(v)} {k}' for k, v in sorted(rows['new'].items()))})")
    print(f"{'':24}{'recall':>8}{'P@5':>8}   (en recall, ru recall)")
    for name, label in (("old", "substring (before)"), ("new", "word search (after)")):
        every = [s for v in rows[name].values() for s in v]
        per_lang = ", ".join(f"{statistics.mean(r for r, _ in rows[name][lang]):.2f}" for lang in ("en", "ru"))
        print(f"{label:24}{statistics.mean(r for r, _ in every):8.2f}"
              f"{statistics.mean(p for _, p in every):8.2f}   ({per_lang})")
    print(f"one search: median {statistics.median(times):.2f} ms, max {max(times):.2f} ms; "
          f"building the three indexes: {build_ms:.0f} ms")


if __name__ == "__main__":
    main()
