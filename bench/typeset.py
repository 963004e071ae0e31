"""Benchmark the Typst report against the WeasyPrint one, from the same context, in one process.

Run with `.venv/bin/python bench/typeset.py`. For kb/examples/kz-2025.json and each language it prints the cold
time (the first report of the process: fonts and the typesetter load) and the median warm time of both engines,
and their ratios. Recommendations and scores are computed once, outside the timings: both engines build the
same context from them.
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
from tipkb.report import assessment_inputs, render_report_pdf  # noqa: E402
from tipkb.report.typeset import typeset_report  # noqa: E402
from tipkb.store.kb import load_kb  # noqa: E402

EXAMPLE = ROOT / "kb" / "examples" / "kz-2025.json"
ROUNDS = 5


def _timed(run):
    t0 = time.perf_counter()
    out = run()
    return time.perf_counter() - t0, out


def main() -> None:
    kb = load_kb(ROOT)
    questionnaire = load_questionnaire(kb)
    answers = validate_answers(questionnaire, read_answers_file(EXAMPLE))
    rs, options = assessment_inputs(kb, questionnaire, answers)
    engines = {"typst": lambda lang: typeset_report(kb, rs, lang=lang, **options),
               "weasyprint": lambda lang: render_report_pdf(kb, rs, lang=lang, **options)}
    print(f"\nPDF report of {EXAMPLE.name}, Typst against WeasyPrint (two parts side by side), "
          f"cold = first call in this process, warm = median of {ROUNDS}")
    cold: dict[str, float] = {}
    for name, engine in engines.items():  # the first call of each engine, English
        cold[name], _ = _timed(lambda: engine("en"))  # noqa: B023
    print(f"  cold: typst {cold['typst'] * 1000:.0f} ms, weasyprint {cold['weasyprint'] * 1000:.0f} ms "
          f"(ratio {cold['weasyprint'] / cold['typst']:.1f}×)")
    for lang in ("en", "ru"):
        times: dict[str, list[float]] = {name: [] for name in engines}
        pdfs: dict[str, bytes] = {}
        for _ in range(ROUNDS):
            for name, engine in engines.items():
                spent, pdfs[name] = _timed(lambda: engine(lang))  # noqa: B023
                times[name].append(spent)
        t, w = (statistics.median(times[n]) for n in ("typst", "weasyprint"))
        pages = {n: len(PdfReader(io.BytesIO(p)).pages) for n, p in pdfs.items()}
        print(f"  {lang} warm: typst {t * 1000:6.0f} ms ({pages['typst']} pages), weasyprint {w * 1000:6.0f} ms "
              f"({pages['weasyprint']} pages); Typst takes {t / w:.0%} of the time ({w / t:.1f}× faster)")


if __name__ == "__main__":
    main()
