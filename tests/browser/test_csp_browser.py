"""The pages with scripts, charts and their own styles work under the strict content security policy, with no
violation in the browser's console (issue #14, weakness 10)."""

import re

import pytest
from playwright.sync_api import expect
from test_editor_browser import open_untoc_ratification  # the same user steps
from test_questionnaire_flow import register, saved, start

from tipkb import accounts

pytest.importorskip("tipkb.recommend.engine")


@pytest.fixture
def site(shipped_kb, tmp_path, serve_app):
    """Serve an app over the shipped KB (nothing here edits it) with an expert account."""
    from webapp import create_app
    from webapp.db import get_store

    app = create_app({"SECRET_KEY": "browser-test", "TIPKB_KB": shipped_kb,
                      "TIPKB_DATABASE_URL": f"sqlite:///{tmp_path / 'tipkb.sqlite'}"})
    with app.app_context():
        accounts.create(get_store().engine, "eva@experts.org", "expert-pass-1", role="expert")
    with serve_app(app) as url:
        yield url


def watch(page) -> list[str]:
    """Collect the console's CSP reports and the page's uncaught errors."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: problems.append(f"uncaught: {e}"))
    return problems


def style(page, selector: str, prop: str) -> str:
    return page.eval_on_selector(selector, f"e => getComputedStyle(e).{prop}")


def test_sparql_form_questionnaire_chart_and_editor_run_without_a_csp_violation(page, site):
    problems = watch(page)
    page.goto(f"{site}/sparql?lang=en")
    assert "monospace" in style(page, "#query", "fontFamily")  # the form's style comes from style.css
    page.get_by_role("button", name="Run the query").click()
    expect(page.locator("table.sparql-results")).to_contain_text("Kazakhstan")  # the results in the page
    page.locator("#query").fill("SELECT * WHERE {")
    page.get_by_role("button", name="Run the query").click()
    expect(page.get_by_role("alert")).to_contain_text("line 1, column")
    expect(page.locator("#query")).to_be_focused()  # sparql.js put the cursor where the error is

    register(page, site)
    assessment = start(page)
    page.goto(f"{assessment}/sections/prot-identification")
    expect(page.locator("#qq-PT20")).to_be_hidden()
    page.locator("#qq-PT01").get_by_label("Yes", exact=True).check()
    expect(page.locator("#qq-PT20")).to_be_visible()  # the questionnaire script runs: skip logic and autosave
    saved(page)
    page.goto(f"{assessment}/review")
    page.get_by_role("button", name="Submit the assessment").click()
    expect(page).to_have_url(re.compile(r"/results$"))
    expect(page.locator("figure svg").first).to_be_visible()  # the chart
    page.get_by_role("button", name="Log out").click()

    open_untoc_ratification(page, site, "eva@experts.org", "expert-pass-1")
    assert style(page, ".editor-form textarea", "boxSizing") == "border-box"  # editor.css is applied
    assert problems == []
