"""Following up recommendations in a real browser: record statuses on the results page, start next year's assessment
from it, and see last year's statuses, the gaps closed and the recommendations implemented."""

import re

import pytest
from playwright.sync_api import expect
from test_results_browser import submitted_example  # the same user steps: register, answer, submit


@pytest.mark.slow
def test_statuses_carry_into_next_years_assessment_with_the_gaps_closed(page, live_server):
    results = submitted_example(page, live_server)
    page.get_by_role("link", name="Follow up the recommendations").click()
    items = page.locator("ol.followup-list > li")
    first, second = items.nth(0), items.nth(1).get_attribute("id").removeprefix("fu-")
    first_id, title = first.get_attribute("id"), first.locator("h3").inner_text().split(" ", 1)[1]
    first.locator("summary", has_text="Change the status").click()
    first.get_by_label("Status").select_option(label="Implemented")
    first.get_by_label("Date").fill("2026-03-01")
    first.get_by_label("Note").fill("Decree No. 7 of 1 March")
    first.get_by_role("button", name="Save the status").click()
    expect(page.locator("p.flash").first).to_contain_text("was saved")
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    api = results.replace("/assessments/", "/api/assessments/").removesuffix("/results")
    assert page.request.put(f"{api}/followups/{second}", data={"status": "rejected", "version": 0},
                            headers={"X-CSRFToken": token}).ok  # a colleague's script, through the API
    first = page.locator(f"#{first_id}")
    expect(first.locator(".fu-status")).to_have_text("Implemented")
    expect(first).to_contain_text("Decree No. 7 of 1 March")
    first.locator("summary", has_text="History").click()
    expect(first.locator(".fu-history")).to_contain_text("ana@ngo-a.org")

    page.goto(f"{live_server}/assessments/")
    page.get_by_role("link", name=re.compile("Start 2026 from these answers")).click()
    page.get_by_role("button", name="Start the 2026 draft").click()
    expect(page).to_have_url(re.compile(r"/last-year$"))
    expect(page.get_by_role("heading", name="Last year's recommendations")).to_be_visible()
    expect(page.locator(f"#ly-{first_id.removeprefix('fu-')}")).to_contain_text("Implemented")
    expect(page.locator("table")).to_contain_text("Rejected")

    draft = page.url.removesuffix("/last-year")
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    headers = {"X-CSRFToken": token, "Accept": "application/json"}
    assert page.request.post(f"{draft}/autosave", data={"fields": [["shown", "PT02"], ["q-PT02", "yes"]]},
                             headers=headers).ok  # an answer that closes a gap
    page.goto(f"{draft}/results")
    closed = page.locator("ul.closed-gaps li")
    assert closed.count() >= 1
    expect(page.locator("ul.implemented")).to_contain_text(title)
