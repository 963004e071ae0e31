"""Fixtures for the questionnaire and assessment tests: a small hand-built questionnaire and a store over it."""

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "questionnaire"

# A complete set of answers to the test questionnaire; the expected scores are worked out in test_scoring.py.
FULL_ANSWERS = {
    "PV01": "dont-know", "PV02": 12,
    "PT01": "yes", "PT02": "no", "PT04": 2012,
    "PR01": "yes", "PR02": 10, "PR03": "never",
    "PA01": "yes", "PA02": "NGOs sit on the working group.", "PA03": "no",
}


@pytest.fixture(scope="session")
def questionnaire_kb_dir(tmp_path_factory) -> Path:
    """A KB folder with the answer-type and pillar vocabularies and the test questionnaire."""
    kb = tmp_path_factory.mktemp("questionnaire-kb")
    for name in ("answer-types.ttl", "pillars.ttl"):
        shutil.copy(ROOT / "kb" / "vocab" / name, kb / name)
    for path in DATA.glob("*.ttl"):
        shutil.copy(path, kb / path.name)
    return kb


@pytest.fixture(scope="session")
def questionnaire(questionnaire_kb_dir):
    """The test questionnaire (version 1.0, twelve questions over four pillars)."""
    from tipkb import load_kb, load_questionnaire

    return load_questionnaire(load_kb(ROOT, kb=questionnaire_kb_dir))


@pytest.fixture
def full_answers() -> dict:
    return dict(FULL_ANSWERS)


@pytest.fixture
def document(full_answers) -> dict:
    """A valid answers file for the test questionnaire."""
    return {"schema": "tipkb-answers/1", "questionnaire": "1.0", "country": "KG", "year": 2025,
            "organisation": "Example NGO", "answers": full_answers,
            "notes": {"PR01": "Article 124 of the Criminal Code"}}


@pytest.fixture
def db_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'assessments.sqlite'}"


@pytest.fixture
def store(questionnaire, db_url):
    """An assessment store in a fresh SQLite file, checked against the test questionnaire."""
    from tipkb import AssessmentStore

    with AssessmentStore(db_url, questionnaire=questionnaire) as s:
        yield s
