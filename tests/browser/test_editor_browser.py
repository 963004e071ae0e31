"""An expert in a real browser: log in, change a ratification date with a source, see it on the country page, revert."""

import re

import pytest
from playwright.sync_api import expect

from tipkb import accounts as users
from webapp.db import get_store


@pytest.fixture
def editor_server(tmp_path, serve_app):
    """Serve an app over a private copy of the KB (the edit must not reach the shared one), with an expert account."""
    from webapp import create_app

    app = create_app({"SECRET_KEY": "browser-test", "TIPKB_STORE_PATH": ":memory:",
                      "TIPKB_DATABASE_URL": f"sqlite:///{tmp_path / 'tipkb.sqlite'}"})
    with app.app_context():
        users.create(get_store().engine, "ana@experts.org", "expert-pass", role="expert")
    with serve_app(app) as url:
        yield url


def untoc_row(page):
    return page.locator("tr", has=page.get_by_role(
        "link", name="United Nations Convention against Transnational Organized Crime", exact=True))


def open_untoc_ratification(page, site, email, password):
    """Log in as an expert and open the editor's form for Kazakhstan's UNTOC ratification."""
    page.goto(f"{site}/account/login?lang=en")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Edit the KB").click()
    page.get_by_role("link", name="Ratifications").click()
    page.get_by_label("Country").select_option("KZ")
    page.get_by_role("button", name="Show").click()
    page.locator("tr", has_text="ratification-kz-untoc").first.get_by_role("link", name="Edit").click()


def test_an_expert_edits_a_ratification_date_sees_it_and_reverts_it(page, editor_server, artifacts):
    open_untoc_ratification(page, editor_server, "ana@experts.org", "expert-pass")

    expect(page.get_by_label("Date", exact=True)).to_have_value("2008-06-04")
    page.get_by_label("Date", exact=True).fill("2008-06-05")
    sources = page.get_by_label("Sources")
    sources.fill(sources.input_value() + "\nhttps://adilet.zan.kz/rus/docs/Z080000040_")
    page.get_by_label("Reason for the change").fill("Date of the act as published in the official gazette")
    page.screenshot(path=str(artifacts / "editor-form.png"), full_page=True)
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(r"/countries/KZ"))
    expect(page.get_by_role("status")).to_contain_text("Saved as changeset #1")
    expect(untoc_row(page)).to_contain_text("5 June 2008")
    expect(untoc_row(page).locator('a[href="https://adilet.zan.kz/rus/docs/Z080000040_"]')).to_have_count(1)

    page.get_by_role("link", name="See or revert it").click()
    expect(page.get_by_role("heading", name=re.compile("Changeset #1"))).to_be_visible()
    expect(page.locator("table.diff")).to_contain_text("2008-06-05")
    page.get_by_label("Why revert it?").fill("The gazette date was misread")
    page.get_by_role("button", name="Revert this changeset").click()
    expect(page.get_by_role("heading", name=re.compile("Changeset #2"))).to_be_visible()
    page.screenshot(path=str(artifacts / "editor-revert.png"), full_page=True)

    page.goto(f"{editor_server}/countries/KZ?lang=en")
    expect(untoc_row(page)).to_contain_text("4 June 2008")
    expect(untoc_row(page).locator('a[href="https://adilet.zan.kz/rus/docs/Z080000040_"]')).to_have_count(0)


NRM = "/editor/best-practice/practice-national-referral-mechanism/edit?lang=en"


def log_in(page, site, email, password):
    page.goto(f"{site}/account/login?lang=en")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_two_choices_ticked_by_plain_clicks_while_filtering_are_both_kept(page, editor_server, artifacts):
    """Issue #16, item 6: a plain click on a choice of a several-choice list adds it and clears nothing."""
    log_in(page, editor_server, "ana@experts.org", "expert-pass")
    page.goto(editor_server + NRM)
    expect(page).to_have_title("Edit: Formal national referral mechanism — tipkb")
    gaps = page.get_by_role("group", name="Addresses gap")
    expect(gaps.get_by_role("checkbox", checked=True)).to_have_count(5)
    expect(gaps).to_contain_text("Chosen: 5")

    gaps.get_by_label("Find").fill("shelter")
    expect(gaps).to_contain_text("Shown: 2 of 72")
    expect(gaps.get_by_role("checkbox", name="State-imposed forced labour")).to_be_hidden()
    gaps.get_by_text("No shelter places for men", exact=True).click()  # a plain click on the label
    gaps.get_by_label("Find").fill("labour inspectors")
    expect(gaps.get_by_role("checkbox", name="No shelter places for men")).to_be_hidden()  # out of sight, still chosen
    expect(gaps.get_by_role("checkbox", name="No specialised shelter or care for child victims")).to_be_hidden()
    gaps.get_by_role("checkbox", name="Labour inspectors cannot make unannounced visits").click()
    gaps.get_by_label("Find").press("Enter")  # finds; does not send the form
    expect(gaps).to_contain_text("Chosen: 7")
    page.screenshot(path=str(artifacts / "editor-checklist.png"), full_page=True)

    page.get_by_label("Reason for the change").fill("Shelters for men and unannounced labour inspections")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Saved as changeset #1")
    page.goto(editor_server + NRM)
    ticked = page.get_by_role("group", name="Addresses gap").get_by_role("checkbox", checked=True)
    expect(ticked).to_have_count(7)
    for name in ("No shelter places for men", "Labour inspectors cannot make unannounced visits",
                 "No formally adopted national referral mechanism"):
        expect(page.get_by_role("checkbox", name=name)).to_be_checked()
