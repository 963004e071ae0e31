"""The home page lists the KB's countries, in English or Russian."""


def test_home_lists_focus_countries(client):
    page = client.get("/").get_data(as_text=True)
    for name in ("Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan"):
        assert name in page
    assert "Türkiye" in page


def test_home_follows_accept_language(client):
    page = client.get("/", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="ru">' in page
    assert "Казахстан" in page and "Kazakhstan" not in page


def test_lang_parameter_overrides_browser(client):
    page = client.get("/?lang=en", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert "Kazakhstan" in page


def test_unknown_page_is_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
