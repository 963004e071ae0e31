"""The recommendation engine: three ways in, filters, determinism, traces, PROV-O and the command line."""

import json
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import PROV

from tipkb.assess.answers import read_answers_file, validate_answers
from tipkb.assess.questionnaire import load_questionnaire
from tipkb.cli.main import main
from tipkb.facts.profile import UnknownCountryError
from tipkb.namespaces import TIP
from tipkb.recommend.engine import recommend
from tipkb.recommend.model import RecommendError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "kb" / "examples"


@pytest.fixture(scope="module")
def questionnaire(shipped_kb):
    return load_questionnaire(shipped_kb)


@pytest.fixture(scope="module")
def kg_answers(questionnaire):
    return validate_answers(questionnaire, read_answers_file(EXAMPLES / "kg-2025.json"))


def test_assessment_uses_answers_and_country_facts(shipped_kb, kg_answers):
    rs = recommend(shipped_kb, answers=kg_answers)
    assert rs.country == "KG" and rs.used_answers and rs.used_country_facts
    kinds = {s.kind for r in rs.items for s in r.trace}
    assert {"answer", "fact"} <= kinds
    assert rs.urgency == 1.15  # Kyrgyzstan is on the Tier 2 Watch List in the 2025 report
    assert [r.rank for r in rs.items] == list(range(1, len(rs.items) + 1))
    assert [r.priority for r in rs.items] == sorted((r.priority for r in rs.items), reverse=True)


def test_country_alone_gives_a_baseline_from_facts(shipped_kb):
    rs = recommend(shipped_kb, country="tm")
    assert rs.items and not rs.used_answers and rs.used_country_facts
    # Turkmenistan's documented state-imposed forced labour puts independent harvest monitoring first.
    assert rs.items[0].practice_code == "bp29"
    assert all(s.kind != "answer" for r in rs.items for s in r.trace)


def test_answers_for_a_country_unknown_to_the_kb(shipped_kb, kg_answers):
    rs = recommend(shipped_kb, answers=replace(kg_answers, country="FR"))
    assert rs.items and rs.country is None and not rs.used_country_facts
    assert "answers alone" in rs.notes[0]["en"] and "только на ответах" in rs.notes[0]["ru"]
    assert all(s.kind == "answer" for r in rs.items for s in r.trace if s.kind in ("answer", "fact"))


def test_unknown_country_without_answers_is_an_error(shipped_kb):
    with pytest.raises(UnknownCountryError):
        recommend(shipped_kb, country="FR")
    with pytest.raises(RecommendError, match="give a country"):
        recommend(shipped_kb)


def test_filters_and_top(shipped_kb, kg_answers):
    full = recommend(shipped_kb, answers=kg_answers)
    police = recommend(shipped_kb, answers=kg_answers, stakeholder="law-enforcement")
    assert police.items and all("law-enforcement" in r.stakeholders for r in police.items)
    assert police.total < full.total
    assert [r.practice_code for r in police.items] == [r.practice_code for r in full.items
                                                        if "law-enforcement" in r.stakeholders]
    short = recommend(shipped_kb, answers=kg_answers, horizon="short", pillar="protection", top=3)
    assert len(short.items) <= 3
    assert all(r.horizon == "short" and "protection" in r.pillars for r in short.items)
    with pytest.raises(RecommendError, match="stakeholder 'police' is unknown"):
        recommend(shipped_kb, answers=kg_answers, stakeholder="police")


def test_same_input_same_output(shipped_kb, kg_answers):
    first = recommend(shipped_kb, answers=kg_answers).as_dict()
    assert recommend(shipped_kb, answers=kg_answers).as_dict() == first


def test_traces_cite_sources_for_facts(shipped_kb):
    rs = recommend(shipped_kb, country="KZ")
    facts = [s for r in rs.items for s in r.trace if s.kind == "fact"]
    assert facts and all(s.sources for s in facts)
    assert all(s.text.get("en") and s.text.get("ru") for r in rs.items for s in r.trace)


def test_prov_graph_links_recommendations_to_their_evidence(shipped_kb, kg_answers):
    rs = recommend(shipped_kb, answers=kg_answers, top=5)
    g = rs.prov_graph()
    recs = list(g.subjects(TIP.recommends, None))
    assert len(recs) == 5
    for rec in recs:
        assert list(g.objects(rec, PROV.wasDerivedFrom))
        assert (rec, PROV.wasGeneratedBy, None) in g
    assert (None, PROV.used, URIRef("https://w3id.org/tipkb/rules/10-answer-reveals-gap")) in g


def test_runs_leave_no_trace_in_the_store(shipped_kb, kg_answers):
    before = len(shipped_kb)
    recommend(shipped_kb, answers=kg_answers)
    recommend(shipped_kb, country="UZ")
    assert len(shipped_kb) == before


def test_cli_brief_json_and_errors(capsys):
    assert main(["recommend", "--answers", str(EXAMPLES / "tm-2025.json"), "--top", "2", "--lang", "ru"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Рекомендации для Туркменистан (TM)") and "1. " in out and "Почему:" in out
    assert main(["recommend", "--country", "KZ", "--json", "--top", "3"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["recommendations"]) == 3 and data["used_country_facts"] is True
    assert {"rank", "practice", "priority", "gaps", "trace", "sources", "factors"} <= set(data["recommendations"][0])
    assert main(["recommend"]) == 2
    assert "give --country" in capsys.readouterr().err


def test_cli_refuses_a_malformed_answers_file(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"schema": "tipkb-answers/1", "questionnaire": "1.0", "country": "KG",
                               "answers": {"PR01": "maybe"}}))
    assert main(["recommend", "--answers", str(bad)]) == 1
    assert "PR01" in capsys.readouterr().err
