"""Country profiles and baseline recommendations, in English and Russian."""

import re

import pytest

from .webhelpers import register


def test_profile_in_english(client):
    page = client.get("/countries/KG").get_data(as_text=True)
    assert "<h1>Kyrgyzstan" in page
    assert "TIP report tier" in page and "<svg" in page
    assert "Tier 2 Watch List" in page
    assert 'href="/instruments/palermo-protocol"' in page


def test_profile_in_russian_formats_dates_per_locale(client):
    page = client.get("/countries/KG?lang=ru").get_data(as_text=True)
    assert "<h1>Кыргызстан" in page and "Категория доклада TIP" in page and "Статистика" in page
    assert "TIP report tier" not in page and "Statistics" not in page
    assert "2 октября 2003\u202fг." in page  # the Palermo Protocol ratification date, written the Russian way
    english = client.get("/countries/KG?lang=en").get_data(as_text=True)
    assert "2 October 2003" in english and "Oct 2, 2003" not in english  # day, month, year as in the PDF


def test_unknown_country_is_404(client):
    assert client.get("/countries/XX").status_code == 404
    assert client.get("/countries/XX/recommendations").status_code == 404


def test_baseline_recommendations_with_filters_and_traces(client):
    pytest.importorskip("tipkb.recommend.engine")
    page = client.get("/countries/KG/recommendations").get_data(as_text=True)
    assert "Baseline recommendations for Kyrgyzstan" in page
    assert page.count('class="rec"') >= 5
    assert "<details class=\"trace\">" in page and "Why this recommendation?" in page
    protection = client.get("/countries/KG/recommendations?pillar=protection").get_data(as_text=True)
    assert 0 < protection.count('class="rec"') < page.count('class="rec"')
    assert '<option value="protection" selected>' in protection


def test_unknown_filter_values_are_ignored(client):
    pytest.importorskip("tipkb.recommend.engine")
    response = client.get("/countries/KG/recommendations?pillar=nonsense&horizon=%3Cscript%3E")
    assert response.status_code == 200
    assert "<script>" not in response.get_data(as_text=True)


def section(page: str, heading_id: str) -> str:
    """Return the HTML of the page's section labelled by the heading with this id."""
    start = page.index(f'<section aria-labelledby="{heading_id}">')
    return page[start:page.index("</section>", start)]


@pytest.mark.slow
def test_country_page_opens_with_a_summary_and_contents(client):
    page = client.get("/countries/KG?lang=en").get_data(as_text=True)
    glance = page[page.index('<section class="glance"'):page.index('<nav class="toc"')]
    assert page.index('<section class="glance"') < page.index('<nav class="toc"') < page.index('id="h-tiers"')
    assert "Tier 2 Watch List" in glance and "(TIP report 2025)" in glance
    assert "Party to 8 of 12" in glance  # instruments Kyrgyzstan ratified or acceded to, of those the KB tracks
    assert "Convictions: <strong>0</strong>" in glance and "Victims identified:" in glance
    assert glance.count('<a href="/gaps/') == 3 and "/gaps/victims-penalised" in glance
    contents = page[page.index('<nav class="toc"'):page.index("</nav>", page.index('<nav class="toc"'))]
    targets = re.findall(r'href="#(h-[a-z]+)"', contents)
    assert targets == ["h-tiers", "h-stats", "h-rat", "h-laws", "h-routes", "h-groups", "h-gaps"]
    assert all(f'<h2 id="{t}">' in page for t in targets)
    russian = client.get("/countries/KG?lang=ru").get_data(as_text=True)
    assert "Коротко" in russian and "Участник 8 из 12" in russian and "Содержание" in russian


@pytest.mark.slow
def test_records_whose_sources_differ_are_one_row_showing_both(client):
    stats = section(client.get("/countries/KG?lang=en").get_data(as_text=True), "h-stats")
    rows = re.findall(r"<tr[^>]*>.*?</tr>", stats, re.S)
    prosecutions_2020 = [r for r in rows if "Prosecutions" in r and "2022" in r and "2021" in r]
    assert len(prosecutions_2020) == 1, "the 2021 report's 0 and the 2022 report's 3 are one row"
    row = prosecutions_2020[0]
    assert 'class="differ"' in row and "<summary>Sources differ</summary>" in row
    assert ">2021 / 2022<" in row and ">0 / 3<" in row
    details = row[row.index("<details"):]
    assert "TIP report 2021: <strong>0</strong>" in details and "TIP report 2022: <strong>3</strong>" in details
    assert "2021-trafficking-in-persons-report/kyrgyz-republic" in details
    assert "2022-trafficking-in-persons-report/kyrgyz-republic" in details
    assert sum('class="differ"' in r for r in rows) == 2  # prosecutions and convictions; no other disagreement
    instruments = section(client.get("/countries/UZ?lang=ru").get_data(as_text=True), "h-rat")
    palermo = [r for r in re.findall(r"<tr[^>]*>.*?</tr>", instruments, re.S) if "/instruments/palermo-protocol" in r]
    assert len(palermo) == 1 and "Источники расходятся" in palermo[0]
    assert "https://www.uzdaily.uz/" in palermo[0] and "https://www.ohchr.org/" in palermo[0]


@pytest.mark.slow
def test_assess_this_country_leads_to_a_preset_start_form(client):
    page = client.get("/countries/TJ").get_data(as_text=True)
    assert '<a class="button" href="/assessments/?country=TJ#h-start">Assess this country</a>' in page
    visitor = client.get("/assessments/?country=TJ")
    assert visitor.status_code == 302 and "/account/login?next=" in visitor.location
    assert register(client).status_code == 302
    form = client.get("/assessments/?country=TJ").get_data(as_text=True)
    assert re.search(r'<option selected value="TJ">|<option value="TJ" selected>', form)
    turkey = client.get("/countries/TR")  # a destination in the KB, not a country NGOs assess here
    assert turkey.status_code == 200 and "Assess this country" not in turkey.get_data(as_text=True)
