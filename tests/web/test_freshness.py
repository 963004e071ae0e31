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
