"""Rule 40 tailors to the destinations of a country's migrants by what the KB records about them: a destination on
Tier 3 or the Watch List, or with a documented failure to identify or a habit of punishing victims, raises the
practices that protect migrants before departure, abroad and across borders, and the trace names that fact."""

import pytest
from rdflib import RDF, URIRef

from tipkb.assess.answers import ValidatedAnswers
from tipkb.assess.questionnaire import load_questionnaire
from tipkb.namespaces import TIP

KB = "https://w3id.org/tipkb/kb/"
# PT18 "no": no consular capacity (bp41 closes it); PR13 "no": cases need the victim's testimony (not a migrant gap)
ANSWERS = {"PT18": "no", "PR13": "no"}


@pytest.fixture(scope="module")
def tajikistan(shipped_kb):
    from tipkb.recommend.engine import recommend

    questionnaire = load_questionnaire(shipped_kb)
    return recommend(shipped_kb, answers=ValidatedAnswers(questionnaire.version, ANSWERS, {}, "TJ", 2025, "test"))


def destination_steps(rec):
    return [s for s in rec.trace if s.rule == "40-tailor-destinations"]


def test_a_consular_practice_is_raised_by_the_destinations_record_and_names_it(shipped_kb, tajikistan):
    repatriation = next(r for r in tajikistan.items if r.practice_code == "bp41")
    steps = destination_steps(repatriation)
    assert steps and repatriation.factors["tailoring"] >= 1.15
    facts = {s.iri: s for s in steps}
    assert {shipped_kb.dataset.value(URIRef(iri), RDF.type) for iri in facts} <= {TIP.TierRating, TIP.DocumentedGap}
    countries = [shipped_kb.dataset.value(URIRef(iri), TIP.country) for iri in facts]
    assert len(countries) == len(set(countries)), "one reason per destination"
    assert URIRef(KB + "country-tj") not in countries
    (russia,) = [s for s in steps if shipped_kb.dataset.value(URIRef(s.iri), TIP.country) == URIRef(KB + "country-ru")]
    assert russia.text["en"].startswith("Russia — ") and russia.text["ru"].startswith("Россия — ")
    assert all(s.sources for s in steps)


def test_a_practice_that_does_not_protect_migrants_is_not_raised_by_destinations(tajikistan):
    others = [r for r in tajikistan.items if r.practice_code in ("bp18", "bp11")]
    assert others and not any(destination_steps(r) for r in others)


def test_answers_alone_have_no_destinations_to_tailor_to(shipped_kb):
    from tipkb.recommend.engine import recommend

    questionnaire = load_questionnaire(shipped_kb)
    rs = recommend(shipped_kb, answers=ValidatedAnswers(questionnaire.version, ANSWERS, {}, None, 2025, "test"))
    assert rs.items and not any(destination_steps(r) for r in rs.items)
