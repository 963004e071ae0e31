"""Benchmark the read pages in-process with Flask's test client, against a trivial route in the same app.

Run with `make bench`. For each route: the median and p90 of N requests after warm-up, the ratio to a
trivial route measured the same way (which pays the same per-request costs: the session, the change-log
check), and the cold time: the first request after the KB changed (its derived values dropped).
Targets: country, catalogue, gap and practice pages ≤ 10 ms; a results page ≤ 30 ms, for an organisation
with one assessment and for one with twenty. A draft's results page is also timed on the first request
after each of several answer changes (its kept results stale).
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from tipkb.facts import catalogue  # noqa: E402
from tipkb.store.kb import load_kb  # noqa: E402
from webapp import create_app  # noqa: E402

N = 30
MANY = 20  # assessments of the second organisation
PAGE_TARGET_MS = 10
RESULTS_TARGET_MS = 30
EXAMPLE = ROOT / "kb" / "examples" / "kg-2025.json"


def timed(client, url: str) -> float:
    t0 = time.perf_counter()
    response = client.get(url)
    ms = (time.perf_counter() - t0) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    return ms


def measure(client, url: str, n: int = N) -> tuple[float, float]:
    for _ in range(3):  # warm up: templates compiled, derived values built
        timed(client, url)
    times = sorted(timed(client, url) for _ in range(n))
    return statistics.median(times), times[min(n - 1, int(n * 0.9))]


def submitted_assessment(client) -> int:
    """Register an NGO user, answer the example assessment, submit it, and return its id."""
    client.post("/account/register", data={"email": "bench@ngo.org", "organisation": "Bench NGO",
                                           "password": "secret-pass", "confirm": "secret-pass"})
    response = client.post("/assessments/", data={"country": "KG", "year": "2025"})
    aid = int(re.search(r"/assessments/(\d+)/", response.location).group(1))
    answer_example(client, aid)
    client.post(f"/assessments/{aid}/submit")
    return aid


def many_assessments(client) -> int:
    """Register a second organisation, submit MANY assessments of one country (a year each), return the last id."""
    client.post("/account/register", data={"email": "bench@many.org", "organisation": "Bench NGO with many",
                                           "password": "secret-pass", "confirm": "secret-pass"})
    for year in range(2025 - MANY + 1, 2026):
        response = client.post("/assessments/", data={"country": "KG", "year": str(year)})
        aid = int(re.search(r"/assessments/(\d+)/", response.location).group(1))
        answer_example(client, aid)
        if client.post(f"/assessments/{aid}/submit").status_code != 302:
            raise SystemExit(f"assessment {aid} of {year} was not submitted")
    return aid


def draft_assessment(client) -> int:
    """Start a draft for another country (the bench user's), answer it as the example, and return its id."""
    response = client.post("/assessments/", data={"country": "KZ", "year": "2025"})
    aid = int(re.search(r"/assessments/(\d+)/", response.location).group(1))
    answer_example(client, aid)
    return aid


def answer_example(client, aid: int) -> None:
    """Save the example assessment's answers into a draft."""
    answers = json.loads(EXAMPLE.read_text(encoding="utf-8"))["answers"]
    fields = [f for code, value in answers.items()
              for f in ([["shown", code]] + ([[f"q-{code}", v] for v in value] if isinstance(value, list)
                                             else [[f"q-{code}", str(value)]]))]
    client.post(f"/assessments/{aid}/autosave", json={"fields": fields})


def after_an_answer(client, aid: int, n: int = N // 2) -> tuple[float, float]:
    """Time a draft's results page on the first request after each of `n` answer changes."""
    url, times = f"/assessments/{aid}/results", []
    timed(client, url)
    for i in range(n):  # a new count each time: the kept results never fit
        client.post(f"/assessments/{aid}/autosave", json={"fields": [["shown", "PT04"], ["q-PT04", str(100 + i)]]})
        times.append(timed(client, url))
    times.sort()
    return statistics.median(times), times[min(n - 1, int(n * 0.9))]


def main() -> None:
    kb = load_kb(ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"TESTING": True, "SECRET_KEY": "bench", "TIPKB_KB": kb, "WTF_CSRF_ENABLED": False,
                          "TIPKB_DATABASE_URL": f"sqlite:///{Path(tmp) / 'bench.sqlite'}"})
        app.add_url_rule("/bench-trivial", "bench_trivial", lambda: "ok")
        client = app.test_client()
        aid = submitted_assessment(client)
        many = app.test_client()
        many_aid = many_assessments(many)
        gap, practice, instrument = (catalogue.gaps(kb)[0].code, catalogue.practices(kb)[0].code,
                                     catalogue.list_instruments(kb)[0].code)
        routes = [
            ("/countries/KZ", PAGE_TARGET_MS), ("/countries/KZ?lang=ru", PAGE_TARGET_MS),
            ("/countries/KZ/recommendations", None), ("/", None),
            ("/gaps", PAGE_TARGET_MS), ("/gaps?pillar=protection", PAGE_TARGET_MS), (f"/gaps/{gap}", PAGE_TARGET_MS),
            ("/practices", PAGE_TARGET_MS), (f"/practices/{practice}", PAGE_TARGET_MS),
            ("/instruments", PAGE_TARGET_MS), (f"/instruments/{instrument}", PAGE_TARGET_MS),
            ("/api/countries/KZ", PAGE_TARGET_MS), ("/api/gaps", None), ("/api/recommendations?country=KZ", None),
            (f"/assessments/{aid}/results", RESULTS_TARGET_MS),
            (f"/api/assessments/{aid}/recommendations", None),
        ]
        others = [(f"/assessments/{many_aid}/results", RESULTS_TARGET_MS, f"  (of {MANY})"),
                  (f"/api/assessments/{many_aid}/recommendations", None, f"  (of {MANY})")]
        client.get("/bench-trivial?lang=en")
        trivial, trivial_p90 = measure(client, "/bench-trivial", N * 3)
        print(f"\nRead pages, in-process test client, median and p90 of {N} after warm-up; "
              f"cold = first request after the KB changed")
        print(f"  {'route':42} {'median':>8} {'p90':>8} {'ratio':>7} {'cold':>8}")
        print(f"  {'baseline: trivial route':42} {trivial:6.2f}ms {trivial_p90:6.2f}ms {1:6.1f}×")
        for who, url, target, note in ([(client, *r, "") for r in routes] + [(many, *r) for r in others]):
            median, p90 = measure(who, url)
            kb.changed()
            cold = timed(who, url)
            mark = "" if target is None else ("  meets" if median <= target else "  MISSES") + f" ≤ {target} ms"
            print(f"  {url:42} {median:6.2f}ms {p90:6.2f}ms {median / trivial:6.1f}× {cold:6.1f}ms{mark}{note}")
        median, p90 = after_an_answer(client, draft_assessment(client))
        print(f"  {'a draft results page, an answer changed':42} {median:6.2f}ms {p90:6.2f}ms {median / trivial:6.1f}×")
        again, again_p90 = measure(client, "/bench-trivial", N * 3)
        print(f"  {'baseline again, after the pages':42} {again:6.2f}ms {again_p90:6.2f}ms {again / trivial:6.1f}×")
    kb.close()


if __name__ == "__main__":
    main()
