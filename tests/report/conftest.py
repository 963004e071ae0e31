"""Report fixtures: each report is typeset once per session and read back with pypdf."""

import io
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "kb" / "examples" / "kz-2025.json"
DAY = date(2026, 11, 29)


@dataclass
class Report:
    """A typeset report: its bytes, the recommendation set behind it, and its text page by page."""

    pdf: bytes
    recommendations: object
    pages: list[str]

    @property
    def text(self) -> str:
        """All pages' text with whitespace collapsed, so a title wrapped over two lines is found."""
        return flat(" ".join(self.pages))

    def reader(self):
        from pypdf import PdfReader

        return PdfReader(io.BytesIO(self.pdf))

    def page_with(self, text: str) -> int:
        """Return the index of the first page whose text holds `text` (whitespace collapsed)."""
        return next(i for i, page in enumerate(self.pages) if text in flat(page))


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def read(pdf: bytes, recommendations) -> Report:
    from pypdf import PdfReader

    return Report(pdf, recommendations, [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages])


@pytest.fixture(scope="session")
def questionnaire(shipped_kb):
    from tipkb import load_questionnaire

    return load_questionnaire(shipped_kb)


@pytest.fixture(scope="session")
def kz_answers(questionnaire):
    from tipkb import validate_answers

    return validate_answers(questionnaire, json.loads(EXAMPLE.read_text(encoding="utf-8")))


def typeset(kb, questionnaire, answers, printed=None, **options) -> Report:
    """Typeset the report of `answers`; `printed` replaces the answers the report prints (not those it scores)."""
    from tipkb.report import assessment_inputs, typeset_report

    rs, inputs = assessment_inputs(kb, questionnaire, answers)
    if printed is not None:  # no question takes free text, so text the scoring would refuse goes in here
        inputs["answers"] = printed
    return read(typeset_report(kb, rs, generated=DAY, **inputs, **options), rs)


@pytest.fixture(scope="session")
def en_report(shipped_kb, questionnaire, kz_answers) -> Report:
    return typeset(shipped_kb, questionnaire, kz_answers, lang="en")


@pytest.fixture(scope="session")
def ru_report(shipped_kb, questionnaire, kz_answers) -> Report:
    return typeset(shipped_kb, questionnaire, kz_answers, lang="ru")


@pytest.fixture(scope="session")
def stakeholder_report(shipped_kb, questionnaire, kz_answers) -> Report:
    return typeset(shipped_kb, questionnaire, kz_answers, lang="en", group_by="stakeholder")


@pytest.fixture(scope="session")
def baseline_report(shipped_kb) -> Report:
    from tipkb.report import baseline_inputs, typeset_report

    rs, inputs = baseline_inputs(shipped_kb, "KZ")
    return read(typeset_report(shipped_kb, rs, generated=DAY, lang="en", **inputs), rs)
