"""The report model: grouping, reasons, wording and the data the Typst templates read (no PDF needed)."""

import re

import pytest

from tipkb.report import ReportError, assessment_inputs, report_context
from tipkb.report.recs import MAX_REASONS, MAX_TAILORING
from tipkb.report.typeset import note_parts, report_data
from tipkb.report.words import WORDS, long_date, number


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
    assert long_date("2001-07-04", "ru") == "4 июля 2001\u202fг."  # Babel's: a narrow no-break space keeps "г." on
    assert long_date("2001-07-04", "kk") == "2001\u202fж. 4 шілде"  # the line; Kazakh puts the year first
    assert long_date("2001-07-04", "uz") == "4-iyul, 2001"
    assert long_date("2021", "en") == "2021"
    assert number(217.25, "ru", 1) == "217,2" or number(217.25, "ru", 1) == "217,3"
    assert number(None, "en") == "—"
    assert (number(2.5, "tk", 1), number(2.5, "en", 1)) == ("2,5", "2.5")


def test_notes_are_split_into_text_and_links_by_their_host_name():
    parts = note_parts('See <b>this</b>: https://www.state.gov/reports/x/; and "more".')
    assert parts == [{"text": "See <b>this</b>: ", "href": None},
                     {"text": "state.gov", "href": "https://www.state.gov/reports/x/"},
                     {"text": '; and "more".', "href": None}]
    assert note_parts("") == [] and note_parts("https://example.org") == [{"text": "example.org",
                                                                          "href": "https://example.org"}]


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
    data = report_data(context)  # what the templates read: each citation by its number
    cited = [refs[u] for u in context["groups"][0].entries[0].rec.sources]
    assert data["groups"][0]["entries"][0]["rec"]["cites"] == cited
    assert [r["number"] for r in data["references"]] == list(range(1, len(listed) + 1))
