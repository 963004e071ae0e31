"""Benchmark the PDF report of a full assessment on the shipped KB, typeset with Typst.

Run with `make bench`. For kb/examples/kz-2025.json and each language it prints the median of repeated runs of

- a new report: each run typesets a report no run typeset before (another day on the cover, another
  organisation), as every download of a changed assessment does. Typst memoises its work per process and
  reuses the layout of every part whose content did not change, so typesetting the very same inputs again is
  quicker still: that figure is printed too. A report with a changed answer re-lays out more than a new date
  (the summary, the recommendations that moved, the annex rows): about 230 ms CPU in English and 320 in
  Russian at load 5.5, against 80 and 108 for the same report again;
- the baseline, run in the same process: building the report's data alone (report_context + report_data), so
  the ratio shows what typesetting costs on top;
- a kept report: the same report asked again from the per-worker store (tipkb.report.cache).

It also prints the first report of a fresh process (Typst and its fonts loading), with and without the warm-up a
web worker runs as it starts. Target (issue #15): a full report in at most 150 ms median. Timings on a shared
machine drift by tens of percent from minute to minute: compare the ratios, which are measured side by side.

Measured at commit 1e4fe8d against the templates before the speed work (91603eb), interleaved in one process,
load about 6, CPU time: a new report 519 -> 202 ms in English, 759 -> 281 ms in Russian (wall 1447 -> 536 and
1137 -> 531 ms). This script, run back to back before (91603eb) and after (a879099) at load about 2: a new report
416 -> 196 ms in English, 451 -> 180 ms in Russian, the same report again 76 -> 85 and 89 -> 102 ms; at load 6
536 and 578 ms after against 812 and 510 before (figures that loaded move by half from minute to minute).
See the "Speed" section of docs/decisions/20261203-typst-report.md.

Second round (chapters kept by Typst as whole blocks and blind to the cover's values, a faster Russian short-word
pattern; "Speed, second round" in the decision record): this script with the source before (e120a6f's parent) and
after, taking turns, twice, load 3-4, CPU time of a new report: 170 and 168 -> 114 and 118 ms in English, 239 and 240
-> 159 and 152 ms in Russian. On a quiet machine before: 139 ms (en) and 185 ms (ru) wall.

WeasyPrint is no longer a dependency, so it is not run here. Measured at commit d5b0ce8, a new report each
time, both engines taking turns in one process (two cores, load about 1.5): WeasyPrint 2054 ms (en, 26 pages)
and 2919 ms (ru, 29 pages) against Typst's 244 and 248 ms (8.4x and 11.8x); figures and the earlier
same-inputs comparison (bench/typeset.py) in docs/decisions/20261203-typst-report.md.
"""

from __future__ import annotations

import io
import os
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from pypdf import PdfReader  # noqa: E402

from tipkb.assess.answers import read_answers_file, validate_answers  # noqa: E402
from tipkb.assess.questionnaire import load_questionnaire  # noqa: E402
from tipkb.report import assessment_inputs, report_context, typeset_report  # noqa: E402
from tipkb.report.cache import kept_report  # noqa: E402
from tipkb.report.typeset import report_data, warm_up  # noqa: E402
from tipkb.store.kb import load_kb  # noqa: E402

EXAMPLE = ROOT / "kb" / "examples" / "kz-2025.json"
TARGET_MS = 150
ROUNDS = 7
DAY = date(2026, 1, 1)


def _ms(run) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = run()
    return (time.perf_counter() - t0) * 1000, out


def _cpu_ms(run) -> tuple[float, float]:
    """Return the wall and CPU milliseconds of one run (CPU time of the process, all its threads)."""
    c0, t0 = time.process_time(), time.perf_counter()
    run()
    return (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000


def _inputs():
    kb = load_kb(ROOT)
    questionnaire = load_questionnaire(kb)
    rs, options = assessment_inputs(kb, questionnaire, validate_answers(questionnaire, read_answers_file(EXAMPLE)))
    return kb, rs, options


def first_report(warm: bool) -> None:
    """In a child process: print the milliseconds of this process's first report (after the warm-up if `warm`)."""
    kb, rs, options = _inputs()
    report_context(kb, rs, **options)  # the KB's derived values, which a serving worker holds already
    if warm:
        warm_up()
    print(f"{_ms(lambda: typeset_report(kb, rs, lang='en', generated=DAY, **options))[0]:.0f}")


def _first_in_a_fresh_process(warm: bool) -> float:
    out = subprocess.run([sys.executable, __file__, "--first", "warm" if warm else "cold"], check=True,
                         capture_output=True, text=True).stdout
    return float(out.split()[-1])


def main() -> None:
    kb, rs, options = _inputs()
    runs = iter(range(10_000))

    def new(lang):  # a report no run typeset before: another day on the cover, another organisation
        n = next(runs)
        return typeset_report(kb, rs, lang=lang, generated=DAY + timedelta(days=n), organisation=f"NGO {n}",
                              **options)

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nPDF report of {EXAMPLE.name} on the shipped KB ({len(kb)} triples), median of {ROUNDS} rounds, "
          f"taking turns; load average {load} on {os.cpu_count()} cores")
    for lang in ("en", "ru"):
        ways = {"new": lambda lang=lang: new(lang),
                "same": lambda lang=lang: typeset_report(kb, rs, lang=lang, generated=DAY, **options),
                "data": lambda lang=lang: report_data(report_context(kb, rs, lang=lang, generated=DAY, **options)),
                "kept": lambda lang=lang: kept_report(kb, ("bench", lang), lambda: new(lang))}
        pdf = ways["same"]()  # a first run of each, outside the timings
        for name in ("data", "kept"):
            ways[name]()
        times: dict[str, list[float]] = {name: [] for name in ways}
        cpu: list[float] = []  # a new report's CPU time, which other work on the machine disturbs less than wall time
        for _ in range(ROUNDS):
            for name, run in ways.items():
                wall, used = _cpu_ms(run)
                times[name].append(wall)
                if name == "new":
                    cpu.append(used)
        new_ms, same_ms, data_ms, kept_ms = (statistics.median(times[n]) for n in ("new", "same", "data", "kept"))
        verdict = "meets" if new_ms <= TARGET_MS else "MISSES"
        print(f"  {lang}: a new report {new_ms:6.0f} ms  ({len(PdfReader(io.BytesIO(pdf)).pages)} pages, "
              f"{len(pdf) // 1024} KB; {verdict} the {TARGET_MS} ms target; fastest {min(times['new']):.0f} ms; "
              f"CPU {statistics.median(cpu):.0f} ms, fastest {min(cpu):.0f})")
        print(f"      the same report again (Typst's memo) {same_ms:6.0f} ms  "
              f"(a new one costs {new_ms / same_ms:.1f}×)")
        print(f"      baseline, the report's data alone   {data_ms:6.0f} ms  (typesetting adds "
              f"{new_ms - data_ms:.0f} ms: {new_ms / data_ms:.0f}× the data's time)")
        print(f"      a kept report, asked again           {kept_ms:6.2f} ms")
    cold, warm = (statistics.median(_first_in_a_fresh_process(w) for _ in range(3)) for w in (False, True))
    print(f"  the first report of a fresh process, median of 3: {cold:.0f} ms; after the worker's warm-up "
          f"{warm:.0f} ms ({warm / cold:.0%})")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--first"]:
        first_report(sys.argv[2] == "warm")
    else:
        main()
