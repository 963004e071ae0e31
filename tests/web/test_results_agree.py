"""The results page, the API, the CLI and the PDF's inputs rank the same answers' recommendations in one order."""

import json
import re
from pathlib import Path

from tipkb.assess.answers import read_answers_file, validate_answers
from tipkb.assess.questionnaire import load_questionnaire
from tipkb.cli.main import main
from tipkb.report import assessment_inputs

from .webhelpers import start

EXAMPLE = Path(__file__).resolve().parents[2] / "kb" / "examples" / "kg-2025.json"


def on_page(page: str) -> list[str]:
    """Return the recommendations a results page describes, by the rank it shows (the rest are grouped apart)."""
    found = re.findall(r'<li class="rec" id="rec-([\w-]+)">\s*<h3><span class="rank">(\d+)</span>', page)
    return [code for code, _ in sorted(found, key=lambda f: int(f[1]))]


def answer_all(client, aid: int, answers: dict) -> None:
    fields = [f for code, value in answers.items()
              for f in ([["shown", code]] + ([[f"q-{code}", v] for v in value] if isinstance(value, list)
                                             else [[f"q-{code}", str(value)]]))]
    assert client.post(f"/assessments/{aid}/autosave", json={"fields": fields}).status_code == 200


def test_page_api_cli_and_report_agree_on_the_order(ngo_client, shipped_kb, capsys):
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    aid = start(ngo_client, document["country"], document["year"])
    answer_all(ngo_client, aid, document["answers"])

    page = ngo_client.get(f"/assessments/{aid}/results").get_data(as_text=True)
    shown = on_page(page)
    api = ngo_client.get(f"/api/assessments/{aid}/recommendations").json
    in_api = [r["practice"] for r in api["recommendations"]["recommendations"]]
    assert main(["recommend", "--answers", str(EXAMPLE), "--json"]) == 0
    in_cli = [r["practice"] for r in json.loads(capsys.readouterr().out)["recommendations"]]
    questionnaire = load_questionnaire(shipped_kb)
    rs, _ = assessment_inputs(shipped_kb, questionnaire, validate_answers(questionnaire, read_answers_file(EXAMPLE)))
    in_report = [r.practice_code for r in rs.items]

    assert len(shown) >= 5
    assert shown == in_api == in_cli == in_report


def test_filters_agree_between_page_and_api(ngo_client):
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    aid = start(ngo_client, document["country"], document["year"])
    answer_all(ngo_client, aid, document["answers"])
    query = "stakeholder=ngos&horizon=short"
    page = ngo_client.get(f"/assessments/{aid}/results?{query}").get_data(as_text=True)
    api = ngo_client.get(f"/api/assessments/{aid}/recommendations?{query}").json["recommendations"]
    assert api["recommendations"]
    assert on_page(page) == [r["practice"] for r in api["recommendations"]]
    assert api["filters"] == {"stakeholder": "ngos", "pillar": None, "horizon": "short", "top": None}
