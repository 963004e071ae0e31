"""Issue #18, item 4: the experts' freshness view lists facts by age and source strength as a filtered work queue."""

import re
from html import unescape

import pytest


def rows(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [unescape(re.sub(r"<[^>]+>", " ", r)) for r in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


@pytest.mark.slow
def test_the_queue_filters_by_country_kind_and_reason_links_rows_to_the_editor_and_speaks_russian(expert):
    page = expert.get("/freshness/?lang=en&country=UZ&kind=ratification&reason=conflict").get_data(as_text=True)
    found = rows(page)
    assert found and all("UZ" in r and "in conflict with another record" in r for r in found)
    assert 'href="/editor/ratification/ratification-uz-palermo-protocol/edit"' in page
    assert "ratification-kz-" not in page
    assert expert.get("/editor/ratification/ratification-uz-palermo-protocol/edit").status_code == 200

    page = expert.get("/freshness/?lang=en&reason=secondary").get_data(as_text=True)
    assert "body-kg-state-migration-service" in page  # a news site only
    news_only = next(r for r in rows(page) if "body-kg-state-migration-service" in r)
    assert "no primary source (one source only)" in news_only
    assert "tier-rating-kz-2024" not in page  # the report itself
    assert "secondary: " in page

    page = expert.get("/freshness/?lang=ru&reason=conflict").get_data(as_text=True)
    assert "Факты для проверки" in page and "противоречит другой записи" in page
    assert "in conflict with another record" not in page

    # unknown filter values are ignored: the whole queue, not an error
    assert len(rows(expert.get("/freshness/?country=XX&kind=nope&reason=zzz").get_data(as_text=True))) > 100


FACTS = """@prefix tip: <https://w3id.org/tipkb/ontology#> .
@prefix kb:  <https://w3id.org/tipkb/kb/> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
kb:tier-rating-kz-2024 a tip:TierRating ; tip:country kb:country-kz ; tip:reportYear 2024 ; tip:tier kb:tier-2 ;
    dct:source <https://www.state.gov/reports/2024-trafficking-in-persons-report/kazakhstan/> ;
    tip:asOf "2024"^^xsd:gYear .
kb:tier-rating-kz-2025 a tip:TierRating ; tip:country kb:country-kz ; tip:reportYear 2025 ; tip:tier kb:tier-2 ;
    dct:source <https://www.state.gov/reports/2025-trafficking-in-persons-report/kazakhstan/> ;
    tip:asOf "2025"^^xsd:gYear .
kb:tier-rating-uz-2024 a tip:TierRating ; tip:country kb:country-uz ; tip:reportYear 2024 ; tip:tier kb:tier-2 ;
    dct:source <https://www.state.gov/reports/2024-trafficking-in-persons-report/uzbekistan/> ;
    tip:asOf "2024"^^xsd:gYear .
kb:stat-kz-2023-victims a tip:StatisticObservation ; tip:country kb:country-kz ;
    tip:indicator kb:indicator-victims-identified ; tip:reportYear 2023 ; tip:value 20 ; tip:asOf "2023"^^xsd:gYear ;
    dct:source <https://www.state.gov/reports/2023-trafficking-in-persons-report/kazakhstan/> .
kb:stat-kz-2024-victims a tip:StatisticObservation ; tip:country kb:country-kz ;
    tip:indicator kb:indicator-victims-identified ; tip:reportYear 2024 ; tip:value 24 ; tip:asOf "2024"^^xsd:gYear ;
    dct:source <https://www.state.gov/reports/2024-trafficking-in-persons-report/kazakhstan/> .
kb:stat-kz-2023-gsi a tip:StatisticObservation ; tip:country kb:country-kz ; tip:indicator kb:indicator-gsi-prevalence ;
    tip:reportYear 2023 ; tip:value 3 ; tip:asOf "2023"^^xsd:gYear ; dct:source <https://www.walkfree.org/gsi> .
kb:country-gap-kz-from-report a tip:DocumentedGap ; tip:country kb:country-kz ; tip:gap kb:gap-test ;
    dct:source <https://www.state.gov/reports/2023-trafficking-in-persons-report/kazakhstan/> ;
    tip:asOf "2023"^^xsd:gYear .
kb:country-gap-kz-from-news a tip:DocumentedGap ; tip:country kb:country-kz ; tip:gap kb:gap-test ;
    dct:source <https://24.kg/english/item> ; tip:asOf "2023"^^xsd:gYear .
"""


@pytest.fixture
def small_expert(make_app, small_root):
    """An expert client of an app over a small KB: tiers, figures and documented gaps of several years."""
    from tipkb import accounts
    from tipkb.store.kb import load_kb
    from webapp.db import get_store

    (small_root / "kb" / "facts.ttl").write_text(FACTS, encoding="utf-8")
    app = make_app(TIPKB_KB=load_kb(small_root))
    with app.app_context():
        accounts.create(get_store().engine, "ana@experts.org", "password-1", role="expert")
    client = app.test_client()
    assert client.post("/account/login", data={"email": "ana@experts.org", "password": "password-1"}).status_code == 302
    return client


@pytest.mark.slow
def test_old_lists_only_what_a_new_report_year_updates_not_history(small_expert):
    page = small_expert.get("/freshness/?lang=en&reason=old").get_data(as_text=True)
    listed = {r.split()[0] for r in rows(page)}
    # UZ has no 2025 tier; KZ's latest report figure is from 2024; the gap was drawn from the 2023 report
    assert listed == {"tier-rating-uz-2024", "stat-kz-2024-victims", "country-gap-kz-from-report"}
    assert all("not updated for the latest report year" in r for r in rows(page))
    # the other reasons stay: the news-only gap is still listed as resting on no primary source
    page = small_expert.get("/freshness/?lang=en&reason=secondary").get_data(as_text=True)
    assert "country-gap-kz-from-news" in page and "tier-rating-kz-2024" not in page
    assert "не обновлено по последнему году доклада" in small_expert.get("/freshness/?lang=ru").get_data(as_text=True)


def checklist_rows(page: str, country: str) -> list[str]:
    section = page.split(f'id="checklist-{country}"', 1)[1].split("</section>", 1)[0]
    return rows(section)


@pytest.mark.slow
def test_the_new_report_year_checklist_lists_per_country_what_the_report_updates_with_next_steps(small_expert):
    page = small_expert.get("/freshness/checklist?lang=en").get_data(as_text=True)  # the year after the latest, 2026
    assert "What the 2026 TIP report should update" in page
    kz = checklist_rows(page, "KZ")
    assert any("to update" in r and "Tier rating" in r and "tier-rating-kz-2025" in r for r in kz)
    figure = next(r for r in kz if "Figure: Victims identified" in r)
    assert "stat-kz-2024-victims" in figure and "2024" in figure  # the report's latest figure, not the 2023 one
    assert not any("Global Slavery Index" in r or "gsi" in r for r in kz)  # not a figure the TIP report gives
    assert any("country-gap-kz-from-report" in r for r in kz) and "country-gap-kz-from-news" not in page
    assert 'href="/editor/tier-rating/new?country=KZ"' in page and 'href="/editor/statistic/new?country=KZ"' in page
    assert 'href="/editor/documented-gap/country-gap-kz-from-report/edit"' in page
    assert "Add the 2026 record" in page and "3 to update of 3" in page

    page = small_expert.get("/freshness/checklist?lang=en&year=2025").get_data(as_text=True)
    assert any("recorded for 2025" in r and "tier-rating-kz-2025" in r for r in checklist_rows(page, "KZ"))
    assert any("to update" in r and "tier-rating-uz-2024" in r for r in checklist_rows(page, "UZ"))

    russian = small_expert.get("/freshness/checklist?lang=ru").get_data(as_text=True)
    assert "Перечень к новому докладу" in russian and "Добавить запись за 2026 год" in russian
    for year in ("2027", "1999", "20x6", "２０２６"):
        refused = small_expert.get(f"/freshness/checklist?lang=en&year={year}")
        assert refused.status_code == 400
        assert "The report year must be a year from 2001 to 2026." in refused.get_data(as_text=True)
    assert "/freshness/checklist" in small_expert.get("/freshness/?lang=en").get_data(as_text=True)
    assert "/freshness/checklist" in small_expert.get("/editor/?lang=en").get_data(as_text=True)
