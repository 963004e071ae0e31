"""An assessment's results are kept per content and KB version: a changed answer or an expert's changeset shows on
the next request, and a kept page is never served to another organisation, language or filter."""

import json
import re
from pathlib import Path

from tipkb.assess.answers import validate_answers
from tipkb.assess.questionnaire import load_questionnaire
from tipkb.edit.entity_types import entity_type
from tipkb.edit.forms import build_edit, form_values
from tipkb.recommend.results import KEPT, assessment_results, kept

from .webhelpers import register, start

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = json.loads((ROOT / "kb" / "examples" / "kg-2025.json").read_text(encoding="utf-8"))
GAP = "https://w3id.org/tipkb/kb/gap-victims-penalised"  # closed by bp03, the first recommendation for KG
OLD = "Victims detained, fined, deported or prosecuted"
NEW = {"en": "Victims punished for offences they were forced into",
       "ru": "Наказание пострадавших за вынужденные деяния"}


def answer(client, aid: int, answers: dict) -> None:
    fields = [f for code, value in answers.items()
              for f in ([["shown", code]] + ([[f"q-{code}", v] for v in value] if isinstance(value, list)
                                             else [[f"q-{code}", str(value)]]))]
    response = client.post(f"/assessments/{aid}/autosave", json={"fields": fields})
    assert response.status_code == 200, response.json


def results(client, aid: int, query: str = "") -> str:
    response = client.get(f"/assessments/{aid}/results{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def recs(page: str) -> list[str]:
    """Return the recommendations a results page describes, by the rank it shows."""
    found = re.findall(r'<li class="rec" id="rec-([\w-]+)">\s*<h3><span class="rank">(\d+)</span>', page)
    return [code for code, _ in sorted(found, key=lambda f: int(f[1]))]


def fresh(shipped_kb, answers: dict) -> list[str]:
    """Return the recommendations computed anew (nothing kept) for the example changed by `answers`."""
    questionnaire = load_questionnaire(shipped_kb)
    document = {**EXAMPLE, "answers": {**EXAMPLE["answers"], **answers}}
    rs = assessment_results(shipped_kb, questionnaire, None, validate_answers(questionnaire, document),
                            strict=False).recommendations
    return [r.practice_code for r in rs.items]


def test_a_changed_answer_shows_at_once_in_the_kept_results(ngo_client, shipped_kb):
    aid = start(ngo_client, "KG", 2025)
    answer(ngo_client, aid, EXAMPLE["answers"])
    first = results(ngo_client, aid)
    assert recs(results(ngo_client, aid)) == recs(first)  # the second time from what was kept
    assert "bp16" in recs(first) and recs(first) == fresh(shipped_kb, {})
    answer(ngo_client, aid, {"PR11": "yes"})  # closes the gap bp16 addresses
    changed = results(ngo_client, aid)
    assert "bp16" not in recs(changed) and recs(changed) == fresh(shipped_kb, {"PR11": "yes"})
    answer(ngo_client, aid, {"PR11": "partly"})
    assert recs(results(ngo_client, aid)) == recs(first)


def test_a_changeset_shows_at_once_in_the_kept_results(make_app):
    app = make_app(TIPKB_KB=None, TIPKB_STORE_PATH=":memory:")  # its own KB: the edit must not reach the shared one
    client = app.test_client()
    assert register(client).status_code == 302
    aid = start(client, "KG", 2025)
    answer(client, aid, EXAMPLE["answers"])
    assert OLD in results(client, aid) and OLD in results(client, aid)
    log = app.extensions["tipkb_changes"]
    kind = entity_type("gap")
    desc = log.describe(GAP)
    log.submit([build_edit(log.kb, kind, {**form_values(desc, kind), "label": NEW}, iri=GAP,
                           base_version=desc.version)], author="ana@experts.org", reason="wording agreed")
    page = results(client, aid)
    assert NEW["en"] in page and OLD not in page


def test_kept_results_are_never_served_to_another_organisation(ngo_client, other_client):
    mine = start(ngo_client, "KG", 2025)
    answer(ngo_client, mine, EXAMPLE["answers"])
    page = results(ngo_client, mine, "?lang=en")
    assert other_client.get(f"/assessments/{mine}/results").status_code == 404
    assert other_client.get(f"/assessments/{mine}/results?lang=ru").status_code == 404
    theirs = start(other_client, "KG", 2025)  # the same answers, another organisation's assessment
    answer(other_client, theirs, EXAMPLE["answers"])
    their_page = results(other_client, theirs, "?lang=en")  # the page language, as the one kept above
    assert recs(their_page) == recs(page)
    assert f"/assessments/{theirs}/report.pdf" in their_page and f"/assessments/{mine}/" not in their_page


def test_kept_results_are_kept_apart_by_language_and_filters(ngo_client):
    aid = start(ngo_client, "KG", 2025)
    answer(ngo_client, aid, EXAMPLE["answers"])
    en, ru = results(ngo_client, aid, "?lang=en"), results(ngo_client, aid, "?lang=ru")
    assert "Why this recommendation?" in en and "Почему эта рекомендация?" in ru
    assert "Why this recommendation?" not in ru
    assert "Why this recommendation?" in results(ngo_client, aid, "?lang=en")
    every = recs(results(ngo_client, aid))
    some = recs(results(ngo_client, aid, "?pillar=prosecution"))
    assert 0 < len(some) < len(every) and recs(results(ngo_client, aid)) == every


def test_the_kept_store_holds_the_newest_values_only(shipped_kb):
    built = []

    def build(i):
        built.append(i)
        return i

    for i in range(KEPT + 1):
        assert kept(shipped_kb, ("test-kept", i), lambda i=i: build(i)) == i
    assert kept(shipped_kb, ("test-kept", KEPT), lambda: build("again")) == KEPT  # kept
    assert kept(shipped_kb, ("test-kept", 0), lambda: build("again")) == "again"  # the oldest went
    assert built == [*range(KEPT + 1), "again"]
