"""Accounts in the browser: a password reset by e-mail end to end (a local SMTP catcher), a team invitation."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from web.mailcatcher import catch_mail, link_in, mail_config

from tipkb import accounts, resets
from tipkb.db import now

OLD, NEW = "the-old-password-1", "the-new-password-2"


@pytest.fixture
def mailing_site(shipped_kb, tmp_path, serve_app):
    """Serve an app (CSRF on) that mails through a local SMTP catcher, with an NGO account; yield (url, app, mail)."""
    from webapp import create_app
    from webapp.db import get_store

    with catch_mail() as catcher:
        app = create_app({"SECRET_KEY": "browser-test", "TIPKB_KB": shipped_kb,
                          "TIPKB_DATABASE_URL": f"sqlite:///{tmp_path / 'tipkb.sqlite'}",
                          **mail_config(catcher, "http://placeholder.invalid")})
        with app.app_context():
            accounts.create(get_store().engine, "ana@ngo-a.org", OLD, organisation="NGO A")
        with serve_app(app) as url:
            app.config["TIPKB_BASE_URL"] = url  # mailed links lead to the server the test started
            yield url, app, catcher


def log_in(page, url, email, password):
    page.goto(f"{url}/account/login?lang=en")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


@pytest.mark.slow
def test_password_reset_by_mail_end_to_end(page, mailing_site):
    url, app, catcher = mailing_site
    page.goto(f"{url}/account/login?lang=en")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("ana@ngo-a.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("status")).to_contain_text("If an account uses this address")

    link = link_in(catcher.wait_for("ana@ngo-a.org"))
    assert link.startswith(f"{url}/account/reset?t=")
    page.goto(link)
    expect(page.locator("main")).to_contain_text("ana@ngo-a.org")
    page.get_by_label("New password", exact=True).fill(NEW)
    page.get_by_label("Repeat the new password").fill(NEW)
    page.get_by_role("button", name="Set the password").click()
    expect(page).to_have_url(re.compile(r"/account/login$"))
    expect(page.locator("main")).to_contain_text("Your password is changed")

    log_in(page, url, "ana@ngo-a.org", OLD)
    expect(page.locator("#password-error")).to_contain_text("Wrong email or password")
    log_in(page, url, "ana@ngo-a.org", NEW)
    expect(page.get_by_role("heading", name="My assessments")).to_be_visible()

    response = page.goto(link)  # the link is spent
    assert response.status == 410
    expect(page.get_by_role("alert")).to_contain_text("no longer works")

    with app.app_context():
        from webapp.db import get_store

        _, token = resets.issue(get_store().engine, app.secret_key, "ana@ngo-a.org",
                                moment=now() - timedelta(hours=resets.RESET_HOURS, minutes=1))
    response = page.goto(f"{url}/account/reset?t={token}")  # a link past its hour
    assert response.status == 410
    expect(page.get_by_role("alert")).to_contain_text("no longer works")


@pytest.mark.slow
def test_team_invitation_join_and_removal(page, chromium, mailing_site):
    url, _, catcher = mailing_site
    log_in(page, url, "ana@ngo-a.org", OLD)
    page.get_by_role("link", name="Team", exact=True).click()
    page.get_by_label("Colleague's email").fill("bea@ngo-a.org")
    page.get_by_role("button", name="Make the invitation").click()
    shown = page.locator("#invitation-link").input_value()
    assert link_in(catcher.wait_for("bea@ngo-a.org")) == shown

    colleague = chromium.new_context(locale="en-GB", extra_http_headers={"Accept-Language": "en-GB,en;q=0.9"})
    try:
        other = colleague.new_page()
        other.goto(shown)
        expect(other.locator("main")).to_contain_text("You are invited to join NGO A as bea@ngo-a.org")
        other.get_by_label("Password", exact=True).fill(NEW)
        other.get_by_label("Repeat the password").fill(NEW)
        other.get_by_role("button", name="Make my account").click()
        expect(other.get_by_role("status").first).to_contain_text("You are a member of NGO A")

        page.reload()
        page.get_by_role("button", name="Remove bea@ngo-a.org").click()
        expect(page.get_by_role("status").first).to_contain_text("The member is removed")
        other.reload()
        expect(other).to_have_url(re.compile(r"/account/login"))
    finally:
        colleague.close()
