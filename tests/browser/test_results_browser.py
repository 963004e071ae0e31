"""The results page in a real browser: next steps first, each reason once, a readable chart on a phone, the PDF form."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytest.importorskip("tipkb.recommend.engine")

EXAMPLE = json.loads((Path(__file__).resolve().parents[2] / "kb" / "examples" / "kg-2025.json").read_text())


def submitted_example(page, base: str) -> str:
    """Register NGO A, answer the Kyrgyzstan example (as autosave sends it) and submit it; return its results URL."""
    page.goto(f"{base}/account/register?lang=en")
    page.get_by_label("Email").fill("ana@ngo-a.org")
    page.get_by_label("Organisation").fill("NGO A")
    page.get_by_label("Password", exact=True).fill("secret-pass")
    page.get_by_label("Repeat the password").fill("secret-pass")
    page.get_by_role("button", name="Create the account").click()
    page.get_by_label("Country").select_option(label="Kyrgyzstan")
    page.get_by_label("Year assessed").fill("2025")
    page.get_by_role("button", name="Start").click()
    expect(page).to_have_url(re.compile(r"/assessments/\d+/sections/"))
    assessment = page.url.split("/sections/", 1)[0]
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    fields = [f for code, value in EXAMPLE["answers"].items()
              for f in ([["shown", code]] + ([[f"q-{code}", v] for v in value] if isinstance(value, list)
                                             else [[f"q-{code}", str(value)]]))]
    headers = {"X-CSRFToken": token, "Accept": "application/json"}
    assert page.request.post(f"{assessment}/autosave", data={"fields": fields}, headers=headers).ok
    page.goto(f"{assessment}/review")
    page.get_by_role("button", name="Submit the assessment").click()
    expect(page).to_have_url(re.compile(r"/results$"))
    return page.url


@pytest.mark.slow
def test_next_steps_lead_and_no_trace_repeats_a_step(page, live_server, artifacts):
    url = submitted_example(page, live_server)
    steps = page.locator("section.next-steps li.rec")
    expect(steps).to_have_count(5)
    for i in range(5):
        card = steps.nth(i)
        expect(card.locator(".rank")).to_have_text(str(i + 1))
        expect(card.locator(".lede")).to_contain_text("Who acts:")
        expect(card.locator("p.why")).to_have_text(re.compile(r"^Why: .+ point to a \w+ gap: “.+”\.$"))
    rest = page.locator("details.group li.rec")
    assert rest.count() == 21
    expect(rest.first).to_be_hidden()  # the rest start collapsed

    second = steps.nth(1).locator("details.trace")
    second.locator("summary").click()
    texts = second.locator("li.step").all_inner_texts()
    assert len(texts) >= 5 and len(texts) == len(set(texts))
    expect(second).to_contain_text("How we rank")
    expect(second).not_to_contain_text("43-tailor-documented-absence")

    page.get_by_role("link", name="by stakeholder").click()  # a plain link: works without script
    expect(page).to_have_url(re.compile(r"group=stakeholder"))
    expect(page.locator("details.group > summary").first).to_contain_text("Policymakers")
    page.locator("details.group > summary").first.click()
    expect(page.locator("details.group").first.locator("li.rec").first).to_be_visible()

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url + "?lang=ru")
    sizes = page.eval_on_selector_all(
        ".pchart-label, .pchart-value, .pchart-ticks span",
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert sizes and min(sizes) >= 12
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(page.locator("section.next-steps li.rec").first).to_contain_text("Кто действует:")
    page.screenshot(path=str(artifacts / "results-next-steps-ru-390.png"), full_page=True)


@pytest.mark.slow
@pytest.mark.pdf
def test_the_report_form_downloads_the_chosen_recommendations(page, live_server):
    submitted_example(page, live_server)
    form = page.locator("form.report-form")
    form.locator("details.choose > summary").click()
    second = form.locator('input[name="only"][value="2"]')
    expect(second).to_be_checked()  # all are in by default
    second.uncheck()
    form.get_by_label("Organisation name and contact, for the cover").fill("NGO A\nBishkek, +996 555 000 000")
    form.get_by_label("Русский").check()
    form.get_by_label("by stakeholder").check()
    with page.expect_download() as download:
        form.get_by_role("button", name="Download the PDF report").click()
    got = download.value
    assert re.search(r"/report\.pdf\?only=1&only=3&.*contact=NGO\+A%0D%0ABishkek.*&lang=ru&group=stakeholder$",
                     got.url), got.url
    assert Path(got.path()).read_bytes().startswith(b"%PDF")
