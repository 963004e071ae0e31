"""Details every page shares: dates per language, the favicon, fingerprinted and compressed static files."""

from datetime import UTC, date, datetime

import pytest


@pytest.mark.parametrize(("lang", "day", "moment"), [
    ("en", "3 December 2026", "3 December 2026, 14:05"),
    ("ru", "3 декабря 2026\u202fг.", "3 декабря 2026\u202fг., 14:05"),
])
def test_dates_are_written_the_way_of_the_page_language(app, lang, day, moment):
    from webapp.editing import when

    with app.test_request_context(f"/?lang={lang}"):
        fdate = app.jinja_env.filters["fdate"]
        assert fdate(date(2026, 12, 3)) == day
        assert fdate("2026-12-03") == day
        assert fdate(datetime(2026, 12, 3, 14, 5, tzinfo=UTC)) == day
        assert when(datetime(2026, 12, 3, 14, 5, tzinfo=UTC)) == moment
        assert fdate("2024") == "2024" and fdate(None) == "—"


def test_my_assessments_dates_follow_the_language(ngo_client):
    ngo_client.post("/assessments/", data={"country": "KZ", "year": "2026"})
    today = datetime.now(UTC).date()
    english = ngo_client.get("/assessments/?lang=en").get_data(as_text=True)
    russian = ngo_client.get("/assessments/?lang=ru").get_data(as_text=True)
    assert f"{today.day} {today:%B} {today.year}" in english
    months = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
              "ноября", "декабря")
    assert f"{today.day} {months[today.month - 1]} {today.year}\u202fг." in russian
