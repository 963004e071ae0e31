"""The report model: grouping, reasons, wording and the HTML it renders (no PDF needed)."""

import re

import pytest

from tipkb.report import ReportError, assessment_inputs, render_report_html, report_context
from tipkb.report.recs import MAX_REASONS, MAX_TAILORING
from tipkb.report.render import linkify
from tipkb.report.words import WORDS, long_date, number

from .conftest import DAY


@pytest.fixture(scope="module")
def inputs(shipped_kb, questionnaire, kz_answers):
    return assessment_inputs(shipped_kb, questionnaire, kz_answers)


@pytest.mark.parametrize("group_by", ["pillar", "stakeholder"])
def test_each_recommendation_is_described_in_full_once(shipped_kb, inputs, group_by):
    rs, options = inputs
    context = report_context(shipped_kb, rs, group_by=group_by, **options)
    full = [e.rec.rank for g in context["groups"] for e in g.entries if e.full]
    assert sorted(full) == [r.rank for r in rs.items]
    attr = "pillars" if group_by == "pillar" else "stakeholders"
    for group in context["groups"]:  # every group lists all of its recommendations, most urgent first
        ranks = [e.rec.rank for e in group.entries]
        assert ranks == sorted(r.rank for r in rs.items if group.code in getattr(r, attr))


def test_grouping_by_stakeholder_names_the_stakeholders(shipped_kb, inputs):
    rs, options = inputs
    html = render_report_html(shipped_kb, rs, group_by="stakeholder", generated=DAY, **options)
    assert "Recommendations by stakeholder" in html and "Recommendations by pillar" not in html
    assert re.search(r'<h2 class="group">Law enforcement <span class="count">\(\d+\)</span></h2>', html)
    assert "described under “" in html  # a recommendation for several stakeholders is referred to, not repeated


def test_long_traces_are_shortened_to_named_answers(shipped_kb, inputs):
    rs, options = inputs
    context = report_context(shipped_kb, rs, **options)
    longest = max(context["views"], key=lambda v: len(v.more_questions))
    assert len(longest.reasons) <= MAX_REASONS + MAX_TAILORING + 1
    assert longest.more_questions and all(re.fullmatch(r"P[RTVA]\d\d", q) for q in longest.more_questions)


def test_priority_factors_recompute_the_priority(shipped_kb, inputs):
    rs, options = inputs
    context = report_context(shipped_kb, rs, **options)
    for view, rec in zip(context["views"], rs.items, strict=True):
        f = rec.factors
        assert abs(100 * f["need"] * f["quality"] * f["tailoring"] * f["urgency"] - rec.priority) < 0.6
        assert f"need {f['need']:g}" in view.factors


def test_answers_annex_covers_every_question(shipped_kb, inputs, questionnaire):
    rs, options = inputs
    annex = report_context(shipped_kb, rs, **options)["annex"]
    rows = {r["code"]: r for p in annex["pillars"] for s in p["sections"] for r in s["rows"]}
    assert set(rows) == {q.code for q in questionnaire.questions}
    assert rows["PR01"]["answer"] == "Partly" and rows["PR01"]["score"] == "0.5"
    assert rows["PR02"]["state"] == "dont-know" and rows["PR02"]["score"] == ""
    assert rows["PT23"]["answer"].count(";") == 1  # a multiple choice shows both options


def test_unknown_language_or_grouping_is_refused(shipped_kb, inputs):
    rs, options = inputs
    with pytest.raises(ReportError, match="lang"):
        report_context(shipped_kb, rs, lang="fr", **options)
    with pytest.raises(ReportError, match="group"):
        report_context(shipped_kb, rs, group_by="horizon", **options)


def test_english_and_russian_wording_match():
    assert set(WORDS["en"]) == set(WORDS["ru"])  # the names of codes come from the KB: tests/kb/test_labels.py
    placeholders = {k: re.findall(r"{\w+}", v) for k, v in WORDS["en"].items()}
    assert {k: sorted(v) for k, v in placeholders.items()} == \
        {k: sorted(re.findall(r"{\w+}", WORDS["ru"][k])) for k in placeholders}


def test_dates_and_numbers_follow_the_language():
    assert long_date("2001-07-04", "en") == "4 July 2001"
    assert long_date("2001-07-04", "ru") == "4 июля 2001 г."
    assert long_date("2021", "en") == "2021"
    assert number(217.25, "ru", 1) == "217,2" or number(217.25, "ru", 1) == "217,3"
    assert number(None, "en") == "—"


def test_notes_are_escaped_and_their_addresses_linked():
    html = str(linkify('See <b>this</b>: https://www.state.gov/reports/x/; and "more".'))
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert '<a href="https://www.state.gov/reports/x/">state.gov</a>;' in html


def test_answers_for_a_country_the_kb_does_not_know(shipped_kb, questionnaire, kz_answers):
    from dataclasses import replace

    rs, options = assessment_inputs(shipped_kb, questionnaire, replace(kz_answers, country="ZZ"))
    html = render_report_html(shipped_kb, rs, generated=DAY, **options)
    assert "The KB has no facts on country ZZ" in html
    assert '<p class="cover-country">ZZ</p>' in html
    assert 'id="legal"' not in html and 'href="#legal"' not in html  # no legal snapshot to show
    assert 'id="annex"' in html and rs.items


def test_sources_are_numbered_once_for_the_whole_report(shipped_kb, inputs):
    rs, options = inputs
    context = report_context(shipped_kb, rs, **options)
    refs, listed = context["refs"], context["references"]
    assert [link.number for link in listed] == list(range(1, len(listed) + 1))
    assert len({link.href for link in listed}) == len(listed)  # each address once
    for view, rec in zip(context["views"], rs.items, strict=True):
        assert set(rec.sources) <= set(view.sources) <= set(refs)  # the practice's own sources are cited too
        for reason in view.reasons:
            assert set(reason.sources) <= set(view.sources)
    html = render_report_html(shipped_kb, rs, generated=DAY, **options)
    first = context["groups"][0].entries[0].rec
    cited = ", ".join(str(refs[u]) for u in first.sources)
    assert f'<a href="#sources">Sources</a>: {cited}</p>' in html
    recommendations = html[html.index('id="recommendations"'):html.index('id="legal"')]  # with the list of sources
    assert recommendations.count(f'<a href="{listed[0].href}">') == 1  # listed once, however often it is cited
