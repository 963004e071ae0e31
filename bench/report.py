"""Benchmark the PDF report of a full assessment on the shipped KB.

Run with `make bench`. For kb/examples/kz-2025.json it prints the median time of repeated runs of the
whole report (recommendations, scores, profile, HTML and PDF, as `tipkb report` and the web app do)
next to a baseline in the same process: the same report rendered to HTML only. Target: a full report
in under 2 s on a 2-core machine.
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

from tipkb.answers import read_answers_file, validate_answers  # noqa: E402
from tipkb.questionnaire import load_questionnaire  # noqa: E402
from tipkb.report import assessment_inputs, render_report_html, render_report_pdf  # noqa: E402
from tipkb.store import load_kb  # noqa: E402

EXAMPLE = ROOT / "kb" / "examples" / "kz-2025.json"
BUDGET_S = 2.0


def timed(fn, repeat: int) -> tuple[float, object]:
    result = fn()  # warm caches (vocabularies, rules, fonts), as a running server has them
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main() -> None:
    kb = load_kb(ROOT)
    questionnaire = load_questionnaire(kb)
    answers = validate_answers(questionnaire, read_answers_file(EXAMPLE))

    def report(render, lang):
        def run():
            rs, options = assessment_inputs(kb, questionnaire, answers)
            return render(kb, rs, lang=lang, **options)
        return run

    print(f"\nPDF report of {EXAMPLE.name} on the shipped KB ({len(kb)} triples)")
    for lang in ("en", "ru"):
        pdf_s, pdf = timed(report(render_report_pdf, lang), 5)
        html_s, html = timed(report(render_report_html, lang), 20)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        verdict = "ok" if pdf_s < BUDGET_S else f"OVER the {BUDGET_S:g} s budget"
        print(f"  {lang}: full report to PDF, median of 5:  {pdf_s * 1000:7.0f} ms  "
              f"({pages} pages, {len(pdf) // 1024} KB; {verdict})")
        print(f"      baseline, HTML only, median of 20: {html_s * 1000:7.0f} ms  "
              f"(PDF/HTML ratio {pdf_s / html_s:.0f}×)")


if __name__ == "__main__":
    main()
