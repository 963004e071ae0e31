"""Issue #18, item 4: an expert opens the freshness work queue, filters it and follows a row to the editor form."""

import re

import pytest
from playwright.sync_api import expect

from tipkb import accounts as users
from webapp.db import get_store


@pytest.fixture
def expert_server(shipped_kb, tmp_path, serve_app):
    """Serve an app over the shared KB (nothing is saved) with an expert account."""
    from webapp import create_app

    app = create_app({"SECRET_KEY": "browser-test", "TIPKB_KB": shipped_kb,
                      "TIPKB_DATABASE_URL": f"sqlite:///{tmp_path / 'tipkb.sqlite'}"})
    with app.app_context():
        users.create(get_store().engine, "ana@experts.org", "expert-pass", role="expert")
    with serve_app(app) as url:
        yield url


def open_editor(page, url: str) -> None:
    """Sign in as the expert and open the editor's front page."""
    page.goto(f"{url}/account/login?lang=en")
    page.get_by_label("Email").fill("ana@experts.org")
    page.get_by_label("Password").fill("expert-pass")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Edit the KB").click()


def test_an_expert_filters_the_freshness_queue_and_opens_a_fact_in_the_editor(page, expert_server, artifacts):
    open_editor(page, expert_server)
    page.get_by_role("link", name="Facts to check").click()

    expect(page.get_by_role("heading", name="Facts to check")).to_be_visible()
    page.get_by_label("Country").select_option("UZ")
    page.get_by_label("Kind of fact").select_option("ratification")
    page.get_by_label("Reason").select_option("conflict")
    page.get_by_role("button", name="Show").click()

    rows = page.locator("tbody tr")
    expect(rows.first).to_contain_text("in conflict with another record")
    for text in rows.all_inner_texts():
        assert "UZ" in text and "in conflict with another record" in text
    page.screenshot(path=str(artifacts / "freshness-queue.png"), full_page=True)

    page.get_by_role("link", name="ratification-uz-palermo-protocol", exact=True).click()
    expect(page).to_have_url(re.compile(r"/editor/ratification/ratification-uz-palermo-protocol/edit$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Edit:")
    expect(page.get_by_label("Sources")).to_be_visible()


def test_an_expert_opens_the_new_report_year_checklist_picks_a_year_and_starts_the_new_record(page, expert_server,
                                                                                            artifacts):
    open_editor(page, expert_server)
    page.get_by_role("link", name="New report year checklist").click()

    expect(page.get_by_role("heading", name="New report year checklist")).to_be_visible()
    page.get_by_label("Report year").select_option("2025")
    page.get_by_role("button", name="Show").click()
    kazakhstan = page.get_by_role("region", name="Kazakhstan (KZ)")
    expect(kazakhstan.locator("tbody tr").first).to_contain_text("recorded for 2025")  # the 2025 tier is in the KB
    page.screenshot(path=str(artifacts / "freshness-checklist.png"), full_page=True)

    page.get_by_label("Report year").select_option("2026")
    page.get_by_role("button", name="Show").click()
    tier = page.get_by_role("region", name="Kazakhstan (KZ)").locator("tbody tr").first
    expect(tier).to_contain_text("to update")
    tier.get_by_role("link", name="Add the 2026 record").click()
    expect(page).to_have_url(re.compile(r"/editor/tier-rating/new\?country=KZ$"))
    expect(page.get_by_label("Country")).to_have_value("https://w3id.org/tipkb/kb/country-kz")
