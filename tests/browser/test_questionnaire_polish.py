"""The questionnaire in a real browser: the error summary takes focus and leads to the field, the review page's
links open the question focused, an offline submit keeps the page and the answers, a draft is deleted after asking."""

import re

from playwright.sync_api import expect
from test_questionnaire_flow import register, start

SAVED = re.compile(r"^Saved at \d")


def test_error_summary_takes_focus_and_review_links_focus_the_question(page, live_server, artifacts):
    register(page, live_server)
    assessment = start(page)
    page.goto(f"{assessment}/sections/prot-identification")
    page.locator("#qq-PT01").get_by_label("Yes", exact=True).check()
    expect(page.locator("#autosave-status")).to_have_text(SAVED)
    page.locator("#in-PT20").fill("twenty")
    page.get_by_role("button", name="Save draft").click()  # the plain form: the server finds the error

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary.get_by_role("heading")).to_have_text("1 answer was not saved")
    expect(page.locator("#in-PT20")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#in-PT20")).to_have_accessible_description(re.compile("Enter a year as a whole number"))
    summary.get_by_role("link", name=re.compile("PT20")).click()
    expect(page.locator("#in-PT20")).to_be_focused()

    page.goto(f"{assessment}/review")
    height = page.evaluate("document.documentElement.scrollHeight")
    page.screenshot(path=str(artifacts / "review-en.png"), full_page=True)
    print(f"review page height at 1200 px: {height} px")
    todo = page.locator("section.to-look-at")
    expect(todo).to_contain_text(re.compile(r"\d+ questions unanswered"))
    todo.locator("summary", has_text="Identification").click()
    todo.get_by_role("link", name=re.compile("^PT02 ")).click()
    expect(page).to_have_url(re.compile(r"/sections/prot-identification#o-PT02-yes$"))
    expect(page.locator("#o-PT02-yes")).to_be_focused()  # the question's first choice, scrolled to


def test_an_offline_submit_keeps_the_page_and_the_answers(page, live_server):
    register(page, live_server)
    assessment = start(page)
    page.goto(f"{assessment}/sections/prot-identification")
    page.locator("#qq-PT01").get_by_label("No", exact=True).check()
    expect(page.locator("#autosave-status")).to_have_text(SAVED)

    page.context.set_offline(True)
    page.locator("#qq-PT02").get_by_label("Partly").check()
    expect(page.locator("#autosave-status")).to_contain_text("Not saved — offline")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("#autosave-status")).to_contain_text("You are offline, so nothing was sent")
    expect(page.locator("#autosave-status")).to_be_focused()
    expect(page).to_have_url(re.compile(r"/sections/prot-identification$"))  # the page stays
    expect(page.locator("#qq-PT02").get_by_label("Partly")).to_be_checked()
    kept = page.evaluate(f"window.localStorage.getItem('tipkb:pending:{assessment.rsplit('/', 1)[1]}')")
    assert '"q-PT02","partly"' in kept

    page.context.set_offline(False)  # the connection is back: the kept answers go
    expect(page.locator("#autosave-status")).to_have_text(SAVED)
    api = assessment.replace("/assessments/", "/api/assessments/")
    assert page.request.get(api).json()["document"]["answers"] == {"PT01": "no", "PT02": "partly"}

    page.goto(f"{assessment}/review")
    page.context.set_offline(True)
    page.get_by_role("button", name="Submit the assessment").click()
    expect(page.locator("#submit [role=status]")).to_contain_text("You are offline, so the assessment was not")
    expect(page).to_have_url(re.compile(r"/review$"))
    page.context.set_offline(False)
    assert page.request.get(api).json()["status"] == "draft"


def test_a_draft_is_deleted_after_confirming(page, live_server):
    register(page, live_server)
    start(page, "Kazakhstan", "2026")
    page.goto(f"{live_server}/assessments/")
    row = page.locator("tr", has_text="Kazakhstan 2026")
    expect(row).to_contain_text("Draft")
    row.get_by_role("link", name=re.compile("^Delete")).click()
    expect(page.get_by_role("heading", name="Delete this draft?")).to_be_visible()
    key = "tipkb:pending:" + re.search(r"/assessments/(\d+)/delete", page.url).group(1)
    page.evaluate("key => window.localStorage.setItem(key, '{}')", key)  # answers this browser still kept
    page.get_by_role("button", name="Delete the draft").click()
    expect(page).to_have_url(re.compile(r"/assessments/$"))
    expect(page.get_by_text(re.compile(r"The draft for Kazakhstan, 2026 \(No\. \d+\) was deleted"))).to_be_visible()
    expect(page.locator("tr", has_text="Kazakhstan 2026")).to_have_count(0)
    assert page.evaluate("key => window.localStorage.getItem(key)", key) is None  # forgotten with the draft
