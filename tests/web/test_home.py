"""The home page: the five countries at a glance, languages chosen by browser, switch and memory; error pages."""


def test_home_shows_the_five_countries_with_tier_and_key_gaps(client):
    page = client.get("/").get_data(as_text=True)
    for name in ("Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan"):
        assert name in page
    assert "Tier 2 Watch List" in page and "Key gaps" in page
    assert 'href="/gaps/victims-penalised"' in page  # a key gap of Kyrgyzstan, linked to its catalogue page
    assert "Türkiye" in page  # destination countries are listed too


def test_home_follows_accept_language(client):
    page = client.get("/", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="ru">' in page
    assert "Казахстан" in page and "Kazakhstan" not in page
    assert "Основные пробелы" in page and "Key gaps" not in page


def test_lang_parameter_overrides_browser(client):
    page = client.get("/?lang=en", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert "Kazakhstan" in page


def test_the_chosen_language_is_remembered_on_later_pages(client):
    client.get("/?lang=ru", headers={"Accept-Language": "en"})
    page = client.get("/gaps", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="ru">' in page and "Пробелы" in page
    switch = client.get("/gaps?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in switch


def test_language_switch_keeps_the_page_and_its_filters(client):
    page = client.get("/practices?pillar=protection").get_data(as_text=True)
    assert 'href="/practices?pillar=protection&amp;lang=ru"' in page


def test_unknown_page_is_404_in_both_languages(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
    ru = client.get("/no-such-page", headers={"Accept-Language": "ru"})
    assert ru.status_code == 404 and "Страница не найдена" in ru.get_data(as_text=True)


def test_server_error_page_in_russian(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom", headers={"Accept-Language": "ru"})
    assert response.status_code == 500
    assert "Что-то пошло не так" in response.get_data(as_text=True)


def test_pages_have_a_skip_link_and_labelled_navigation(client):
    page = client.get("/").get_data(as_text=True)
    assert 'class="skip" href="#content"' in page and 'id="content"' in page
    assert 'aria-label="Language"' in page and 'aria-label="Main"' in page


def test_the_language_switch_on_an_error_page_keeps_the_address(client):
    page = client.get("/no-such-page?x=1").get_data(as_text=True)
    assert 'href="/no-such-page?x=1&amp;lang=ru"' in page


def test_source_links_accept_only_web_addresses(app):
    with app.test_request_context("/"):
        url = app.jinja_env.filters["url"]
        assert url("https://www.state.gov/x") == "https://www.state.gov/x"
        assert url("javascript:alert(1)") == "#" and url(None) == "#"
