"""Benchmark the PDF report of a full assessment on the shipped KB.

Run with `make bench`. For kb/examples/kz-2025.json it prints the median time of repeated runs of the
whole report (recommendations, scores, profile, HTML and PDF, as `tipkb report` and the web app do) next
to two baselines run in the same process: the same PDF with both parts laid out one after the other in
this process (no worker), and the same report rendered to HTML only. Target: a full report in under 2 s
on a 2-core machine. Timings on a shared machine drift by tens of percent from minute to minute: compare
the ratios, which are measured side by side.
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from pypdf import PdfReader  # noqa: E402

from tipkb.assess.answers import read_answers_file, validate_answers  # noqa: E402
from tipkb.assess.questionnaire import load_questionnaire  # noqa: E402
from tipkb.report import assessment_inputs, render_report_html, render_report_pdf  # noqa: E402
from tipkb.store.kb import load_kb  # noqa: E402

EXAMPLE = ROOT / "kb" / "examples" / "kz-2025.json"
BUDGET_S = 2.0
ROUNDS = 7


def main() -> None:
    kb = load_kb(ROOT)
    questionnaire = load_questionnaire(kb)
    answers = validate_answers(questionnaire, read_answers_file(EXAMPLE))

    def report(lang, render, **kwargs):
        def run():
            rs, options = assessment_inputs(kb, questionnaire, answers)
            return render(kb, rs, lang=lang, **options, **kwargs)
        return run

    print(f"\nPDF report of {EXAMPLE.name} on the shipped KB ({len(kb)} triples), median of {ROUNDS} "
          "rounds, the three ways taking turns")
    for lang in ("en", "ru"):
        ways = {"pdf": report(lang, render_report_pdf), "serial": report(lang, render_report_pdf, parallel=False),
                "html": report(lang, render_report_html)}
        results = {name: run() for name, run in ways.items()}  # warm: caches, fonts, the worker process
        times: dict[str, list[float]] = {name: [] for name in ways}
        for _ in range(ROUNDS):
            for name, run in ways.items():
                t0 = time.perf_counter()
                results[name] = run()
                times[name].append(time.perf_counter() - t0)
        pdf_s, serial_s, html_s = (statistics.median(times[n]) for n in ("pdf", "serial", "html"))
        pages = len(PdfReader(io.BytesIO(results["pdf"])).pages)
        verdict = "ok" if pdf_s < BUDGET_S else f"OVER the {BUDGET_S:g} s budget"
        print(f"  {lang}: full report to PDF (two parts side by side): {pdf_s * 1000:6.0f} ms  "
              f"({pages} pages, {len(results['pdf']) // 1024} KB; {verdict}; "
              f"fastest {min(times['pdf']) * 1000:.0f} ms)")
        print(f"      baseline, the same PDF laid out in one process:  {serial_s * 1000:6.0f} ms  "
              f"(side by side saves {1 - pdf_s / serial_s:.0%})")
        print(f"      baseline, HTML only:                            {html_s * 1000:6.0f} ms  "
              f"(PDF/HTML ratio {pdf_s / html_s:.0f}×)")


if __name__ == "__main__":
    main()
