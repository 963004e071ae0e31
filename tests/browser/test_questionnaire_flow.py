"""An NGO user in a real browser: register, answer, reload, submit, read recommendations, switch to Russian."""

import re

import pytest
from playwright.sync_api import expect

pytest.importorskip("tipkb.recommend.engine")


def register(page, base: str, email: str = "ana@ngo-a.org", organisation: str = "NGO A") -> None:
    page.goto(f"{base}/?lang=en")
    page.get_by_role("link", name="Register", exact=True).click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Organisation").fill(organisation)
    page.get_by_label("Password", exact=True).fill("secret-pass")
    page.get_by_label("Repeat the password").fill("secret-pass")
    page.get_by_role("button", name="Create the account").click()
    expect(page.get_by_role("heading", name="My assessments")).to_be_visible()


def start(page, country: str = "Kyrgyzstan", year: str = "2025") -> str:
    page.get_by_label("Country").select_option(label=country)
    page.get_by_label("Year assessed").fill(year)
    page.get_by_role("button", name="Start").click()
    expect(page).to_have_url(re.compile(r"/assessments/\d+/sections/prev-policy$"))
    return page.url.rsplit("/sections/", 1)[0]


def saved(page) -> None:
    expect(page.locator("#autosave-status")).to_have_text(re.compile(r"^Saved at \d"))


def test_register_answer_reload_submit_recommendations_in_two_languages(page, live_server, artifacts):
    register(page, live_server)
    assessment = start(page)
    page.goto(f"{assessment}/sections/prot-identification")
    pt20 = page.locator("#qq-PT20")
    expect(pt20).to_be_hidden()  # asked only when PT01 is "yes"
    page.locator("#qq-PT01").get_by_label("Yes", exact=True).check()
    expect(pt20).to_be_visible()  # skip logic applied live
    saved(page)
    page.get_by_label(re.compile("In which year were the referral mechanism")).fill("twenty")
    expect(page.locator("#err-PT20")).to_contain_text("Enter a year as a whole number")
    page.get_by_label(re.compile("In which year were the referral mechanism")).fill("2019")
    expect(page.locator("#err-PT20")).to_be_hidden()
    saved(page)
    page.locator("#qq-PT02").get_by_label("Partly").check()
    saved(page)
    expect(page.locator("#progress-text")).to_contain_text("3 of")

    page.reload()  # mid-way: everything is kept
    expect(page.locator("#qq-PT01").get_by_label("Yes", exact=True)).to_be_checked()
    expect(page.locator("#in-PT20")).to_have_value("2019")
    expect(page.locator("#qq-PT02").get_by_label("Partly")).to_be_checked()

    page.get_by_role("button", name="Save and continue").click()  # the plain form works alongside autosave
    expect(page).to_have_url(re.compile(r"/sections/prot-assistance$"))
    page.goto(f"{assessment}/review")
    expect(page.locator("#r-PT20 + dd")).to_have_text("2019")
    page.get_by_role("button", name="Submit the assessment").click()
    expect(page).to_have_url(re.compile(r"/results$"))
    expect(page.get_by_role("heading", name=re.compile("Results for Kyrgyzstan, 2025"))).to_be_visible()

    recs = page.locator("li.rec")
    assert recs.count() >= 3
    first = recs.first.locator("details.trace")
    expect(first.locator("ol")).to_be_hidden()
    first.locator("summary").click()
    expect(first.locator("ol")).to_be_visible()
    assert first.locator("li.step").count() >= 1
    page.screenshot(path=str(artifacts / "results-en.png"), full_page=True)

    page.get_by_role("link", name="Русский").click()
    expect(page.get_by_role("heading", name=re.compile("Результаты: Кыргызстан, 2025"))).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("li.rec")).to_have_count(recs.count())
    expect(page.locator("details.trace summary").first).to_have_text("Почему эта рекомендация?")
    page.screenshot(path=str(artifacts / "results-ru.png"), full_page=True)
    page.goto(f"{live_server}/gaps")  # the choice is remembered
    expect(page.get_by_role("heading", name="Пробелы", exact=True)).to_be_visible()


def test_answers_survive_an_ended_session(page, live_server):
    register(page, live_server)
    assessment = start(page)
    page.goto(f"{assessment}/sections/prot-identification")
    page.locator("#qq-PT01").get_by_label("No", exact=True).check()
    saved(page)
    page.context.clear_cookies()  # the session ends while the page stays open
    page.locator("#qq-PT02").get_by_label("Partly").check()
    expect(page.locator("#autosave-status")).to_contain_text("log in again")
    page.close()  # the tab is closed before anything reaches the server

    again = page.context.new_page()
    again.goto(f"{assessment}/sections/prot-identification")
    expect(again).to_have_url(re.compile(r"/account/login\?next="))
    again.get_by_label("Email").fill("ana@ngo-a.org")
    again.get_by_label("Password").fill("secret-pass")
    again.get_by_role("button", name="Log in").click()
    expect(again).to_have_url(re.compile(r"/sections/prot-identification$"))
    expect(again.locator("#autosave-status")).to_have_text(re.compile(r"^Saved at \d"))
    again.reload()
    expect(again.locator("#qq-PT02").get_by_label("Partly")).to_be_checked()
    expect(again.locator("#qq-PT01").get_by_label("No", exact=True)).to_be_checked()


def test_public_pages_render_in_both_languages(page, live_server, artifacts):
    page.goto(f"{live_server}/countries/KG?lang=en")
    expect(page.get_by_role("heading", name=re.compile("^Kyrgyzstan"))).to_be_visible()
    expect(page.locator("svg.chart").first).to_be_visible()
    page.screenshot(path=str(artifacts / "country-kg-en.png"), full_page=True)
    page.get_by_role("link", name="Русский").click()
    expect(page.get_by_role("heading", name=re.compile("^Кыргызстан"))).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.screenshot(path=str(artifacts / "country-kg-ru-phone.png"), full_page=False)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, "the page scrolls sideways on a phone"
    page.goto(f"{live_server}/?lang=en")
    page.keyboard.press("Tab")
    expect(page.locator("a.skip")).to_be_focused()
