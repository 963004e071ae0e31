"""Results that lead: next steps first, plain levels with a legend, reasons once each, "How we rank", the PDF form."""

import json
import re
from html import unescape
from pathlib import Path

import pytest

from tipkb.recommend.rules import rule_titles

from .webhelpers import register, start

EXAMPLE = json.loads((Path(__file__).resolve().parents[2] / "kb" / "examples" / "kg-2025.json").read_text())
pytestmark = pytest.mark.slow  # the example's recommendations are computed once for the module (about 3 s)
CARD = re.compile(r'<li class="rec" id="rec-([\w-]+)">(.*?)\n</li>', re.S)


def answer_all(client, aid: int, answers: dict) -> None:
    fields = [f for code, value in answers.items()
              for f in ([["shown", code]] + ([[f"q-{code}", v] for v in value] if isinstance(value, list)
                                             else [[f"q-{code}", str(value)]]))]
    assert client.post(f"/assessments/{aid}/autosave", json={"fields": fields}).status_code == 200


@pytest.fixture(scope="module")
def kg_app(shipped_kb, tmp_path_factory):
    """One app for the module whose NGO A has answered and submitted the Kyrgyzstan example (the pages only read)."""
    from webapp import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "test", "TIPKB_KB": shipped_kb, "WTF_CSRF_ENABLED": False,
                      "TIPKB_DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('next-steps') / 'tipkb.sqlite'}"})
    client = app.test_client()
    assert register(client).status_code == 302
    aid = start(client, "KG", 2025)
    answer_all(client, aid, EXAMPLE["answers"])
    assert client.post(f"/assessments/{aid}/submit").status_code == 302
    return app, client, aid


@pytest.fixture
def ngo_client(kg_app):
    return kg_app[1]


@pytest.fixture
def kg(kg_app):
    """The submitted Kyrgyzstan example's id."""
    return kg_app[2]


def results(client, aid: int, query: str = "") -> str:
    response = client.get(f"/assessments/{aid}/results{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def section(page: str, heading: str) -> str:
    """Return the <section> a heading id opens."""
    start_at = page.index(f'id="{heading}"')
    return page[start_at:page.index("</section>", start_at)]


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_next_steps_come_first_with_who_acts_and_why_and_no_rule_id(ngo_client, kg, shipped_kb):
    page = results(ngo_client, kg)
    assert page.index('id="h-next"') < page.index('id="h-recs"') < page.index('id="h-scores"')
    cards = CARD.findall(section(page, "h-next"))
    assert len(cards) == 5
    assert [int(re.search(r'<span class="rank">(\d+)</span>', c).group(1)) for _, c in cards] == [1, 2, 3, 4, 5]
    for _, card in cards:
        assert re.search(r"Who acts:</span> \w", card)
        why = text(re.search(r'<p class="why">(.*?)</p>', card, re.S).group(1))
        assert re.fullmatch(r"Why: (Your answers and published sources|Your answers|Published sources) point to a "
                            r"(grave|serious|moderate|minor) gap: “[^”]+”\.", why), why
        assert re.search(r'class="level level-(urgent|high|medium|low)"', card)
    assert "Victims detained, fined, deported or prosecuted" in cards[0][1]
    for rule in rule_titles(shipped_kb):  # rule ids live on the "How we rank" page only
        assert rule not in page
    assert "priority 2" not in page and not re.search(r"\d/5</span>", page)  # no bare priority or "4/5"


def test_the_rest_are_collapsed_and_grouped_at_the_readers_choice(ngo_client, kg):
    by_pillar = section(results(ngo_client, kg), "h-recs")
    groups = re.findall(r'<details class="group">\s*<summary>([^<]+)', by_pillar)
    assert [g.strip() for g in groups] == ["Prevention", "Protection", "Prosecution", "Partnership"]
    assert "<details class=\"group\" open" not in by_pillar
    assert f'href="/assessments/{kg}/results?group=stakeholder#h-recs"' in by_pillar
    by_stakeholder = section(results(ngo_client, kg, "?group=stakeholder&pillar=protection"), "h-recs")
    summaries = [g.strip() for g in re.findall(r'<details class="group">\s*<summary>([^<]+)', by_stakeholder)]
    assert "NGOs and civil society" in summaries and "Prevention" not in summaries
    assert f'href="/assessments/{kg}/results?group=pillar&amp;pillar=protection#h-recs"' in by_stakeholder
    every = results(ngo_client, kg)
    described = CARD.findall(every)
    assert len(described) == len({code for code, _ in described}) == 26  # each in full once
    assert every.count('<details class="trace">') == len(described)


def test_regression_no_recommendation_repeats_a_trace_step(ngo_client, kg):
    page = results(ngo_client, kg)
    for code, card in CARD.findall(page):
        steps = [text(s) for s in re.findall(r'<li class="step step-\w+">(.*?)</li>', card, re.S)]
        assert steps and len(steps) == len(set(steps)), code
    shelters = "The Kyrgyz Republic had too few shelter places for trafficking victims"
    second = dict(CARD.findall(page))["bp08"]
    assert text(second).count(shelters) == 1  # four identical findings behind it


def test_legends_name_the_levels_and_the_ratings(ngo_client, kg):
    page = text(results(ngo_client, kg))
    assert "Urgency Urgent priority 150 or more · High urgency priority 80 to 149" in page
    assert "Low urgency priority below 40" in page
    assert "Gap severity grave (5/5) · serious (4/5) · moderate (3/5) · minor (1–2/5)" in page
    assert "Ratings: A 80 or more · B 60 to 79 · C 40 to 59 · D 20 to 39 · E below 20." in page
    ru = text(results(ngo_client, kg, "?lang=ru"))
    assert "Следующие шаги" in ru and "Кто действует:" in ru and "Срочно" in ru and "Рейтинги: A 80 и выше" in ru
    assert "Ваши ответы и опубликованные источники указывают на тяжёлый пробел: «" in ru


def test_how_we_rank_is_public_and_lists_the_formula_and_every_rule(client, shipped_kb):
    page = client.get("/how-we-rank").get_data(as_text=True)
    assert "priority = 100 × need × quality × tailoring × urgency" in page
    assert "strong evidence ×1.00" in page and "high effort ×0.80" in page and "at most +0.5" in page
    titles = rule_titles(shipped_kb)
    for rule, title in titles.items():
        assert f"<code>{rule}</code>" in page and title["en"].replace("'", "&#39;") in page
    ru = client.get("/how-we-rank?lang=ru").get_data(as_text=True)
    assert "приоритет = 100 × потребность × качество × адаптация × срочность" in ru
    assert "убедительная доказательная база ×1,00" in ru
    assert all(t["ru"] in ru for t in titles.values())


def test_each_card_links_to_how_we_rank(ngo_client, kg):
    page = results(ngo_client, kg)
    for _, card in CARD.findall(page):
        assert 'href="/how-we-rank"' in card


def test_report_form_fields_and_action(ngo_client, kg):
    form = section(results(ngo_client, kg), "h-report")
    assert f'<form method="get" action="/assessments/{kg}/report.pdf"' in form
    boxes = re.findall(r'<input type="checkbox" name="only" value="(\d+)" checked>', form)
    assert boxes == [str(n) for n in range(1, 27)]
    assert re.search(r'<textarea id="report-contact" name="contact" [^>]*maxlength="500"[^>]*>NGO A</textarea>', form)
    assert re.findall(r'name="lang" value="(\w+)"', form) == ["en", "ru"]
    assert re.findall(r'name="group" value="(\w+)"', form) == ["pillar", "stakeholder"]
    assert "<script" not in form and not re.search(r"<[^>]+\son\w+=", form)  # no inline script (CSP)


def test_report_form_keeps_the_whole_sets_ranks_when_the_page_is_filtered(ngo_client, kg):
    page = results(ngo_client, kg, "?stakeholder=ngos")
    shown = [int(n) for n in re.findall(r'<li class="rec" id="rec-[\w-]+">\s*<h3><span class="rank">(\d+)<', page)]
    assert shown[:5] == sorted(shown[:5]) and sorted(shown) != list(range(1, len(shown) + 1))  # not renumbered
    assert len(re.findall(r'name="only" value="\d+" checked', section(page, "h-report"))) == 26


def test_filters_matching_nothing_say_so_and_offer_every_recommendation(ngo_client, kg):
    page = section(results(ngo_client, kg, "?stakeholder=survivors&horizon=long&group=stakeholder&lang=en"), "h-next")
    assert "No recommendation matches these filters." in page and 'class="rec"' not in page
    assert f'href="/assessments/{kg}/results?group=stakeholder">Show all</a>' in page
