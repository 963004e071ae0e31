"""What the typeset report says: the chosen recommendations, the cover's contact, the executive summary, no internals
in the main part, and question texts in full."""

import pytest

from .conftest import DAY, flat, read

pytestmark = pytest.mark.pdf

ONLY = (2, 5, 9)
# Markup characters of Typst and HTML, on three lines: printed as typed, line by line.
CONTACT = "Example NGO #1 [Almaty] *office*\n$x$ _y_ \\ <b>bold</b> — +7 700 000 00 00\nИнформация: info@example.kz"


def _typeset(kb, questionnaire, answers, **options):
    from tipkb.report import assessment_inputs, typeset_report

    rs, inputs = assessment_inputs(kb, questionnaire, answers)
    return read(typeset_report(kb, rs, generated=DAY, **inputs, **options), rs), inputs


@pytest.fixture(scope="session")
def content_reports(shipped_kb, questionnaire, kz_answers):
    return {lang: _typeset(shipped_kb, questionnaire, kz_answers, lang=lang)[0] for lang in ("en", "ru")}


@pytest.fixture(scope="session")
def selected_report(shipped_kb, questionnaire, kz_answers):
    return _typeset(shipped_kb, questionnaire, kz_answers, lang="en", only=list(ONLY), contact=CONTACT)[0]


def _bookmarks(report) -> list[tuple[str, int]]:
    """Return every bookmark's title with the index of its page, in document order."""
    reader = report.reader()
    found = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append((item.title, reader.get_destination_page_number(item)))

    walk(reader.outline)
    return found


def _page_of(report, title: str) -> int:
    return next(page for name, page in _bookmarks(report) if name == title)


def _main_part(report, lang: str) -> str:
    """Return the text of the pages before the methodology annex: cover, summary, recommendations, sources, annexes."""
    from tipkb.report.words import words

    return flat(" ".join(report.pages[:_page_of(report, words(lang)["methodology"])]))


def test_only_keeps_exactly_the_chosen_recommendations_with_their_ranks(selected_report):
    rs = selected_report.recommendations
    titles = {r.rank: r.title["en"] for r in rs.items}
    bookmarked = {name for name, _ in _bookmarks(selected_report)}
    for rank, title in titles.items():
        assert (f"{rank} {title}" in bookmarked) == (rank in ONLY), title
    text = selected_report.text
    assert f"{len(ONLY)} of {len(rs.items)} recommendations selected by the organisation" in text
    assert f"{len(ONLY)} recommendations, most urgent first" in text


def test_only_refuses_an_unknown_rank(shipped_kb, questionnaire, kz_answers):
    from tipkb.report import ReportError, assessment_inputs, report_context

    rs, inputs = assessment_inputs(shipped_kb, questionnaire, kz_answers)
    unknown = len(rs.items) + 1
    with pytest.raises(ReportError, match=rf"only: no recommendation numbered {unknown}\b"):
        report_context(shipped_kb, rs, only=[1, unknown], **inputs)


def test_contact_is_printed_on_the_cover_as_typed(selected_report):
    cover = selected_report.pages[0]
    for line in CONTACT.splitlines():
        assert line in cover


def test_contact_longer_than_500_characters_is_refused(shipped_kb, questionnaire, kz_answers):
    from tipkb.report import ReportError, assessment_inputs, report_context

    rs, inputs = assessment_inputs(shipped_kb, questionnaire, kz_answers)
    with pytest.raises(ReportError, match="contact: at most 500 characters"):
        report_context(shipped_kb, rs, contact="x" * 501, **inputs)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_executive_summary_names_the_weakest_pillar_and_who_is_asked(shipped_kb, questionnaire, kz_answers,
                                                                      content_reports, lang):
    from tipkb.assess.scoring import score_answers
    from tipkb.facts.labels import code_labels
    from tipkb.i18n import pick
    from tipkb.report.words import words

    report = content_reports[lang]
    w = words(lang)
    summary = flat(" ".join(report.pages[_page_of(report, w["summary"]):_page_of(report, w["recs_by_pillar"])]))
    scores = score_answers(questionnaire, kz_answers.values)
    weakest = min((p for p in questionnaire.pillars if scores.pillar(p.code).score is not None),
                  key=lambda p: scores.pillar(p.code).score)
    sentence = w["found_weakest"].split("{")[0]
    assert f"{sentence}{pick(weakest.label, lang)} (" in summary
    first = report.recommendations.items[0]
    who = pick(code_labels(shipped_kb)["stakeholders"][first.stakeholders[0]], lang)
    asked = summary.split(w["asked_of"], 1)[1]
    assert f"{who}: " in asked and pick(first.title, lang) in asked


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_no_rule_id_or_priority_formula_before_the_methodology(content_reports, lang):
    report = content_reports[lang]
    rules = {step.rule for r in report.recommendations.items for step in r.trace}
    assert rules  # the trace names the rules that fired
    main = _main_part(report, lang)
    method = flat(" ".join(report.pages[_page_of(report, "Methodology" if lang == "en" else "Методика"):]))
    formula = "priority = 100 ×" if lang == "en" else "приоритет = 100 ×"
    for rule in rules:
        assert rule not in main
        assert rule in method
    assert formula not in main.lower() and "= 100 ×" not in main
    assert formula in method.lower()


def test_a_long_question_is_printed_whole_in_the_annex_and_never_cut(questionnaire, content_reports):
    from tipkb.i18n import pick

    report = content_reports["en"]
    longest = max(questionnaire.questions, key=lambda q: len(pick(q.text, "en")))
    assert len(pick(longest.text, "en")) > 200
    annex = flat(" ".join(report.pages[_page_of(report, "Annex: all answers"):_page_of(report, "Methodology")]))
    assert flat(pick(longest.text, "en")) in annex
    assert "…»" not in report.text  # a question quoted in a reason is not shortened either


def test_pillar_chart_has_a_text_alternative(content_reports):
    report = content_reports["en"]
    alts = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, dict):
            if "/Alt" in node:
                alts.append(str(node["/Alt"]))
            if "/K" in node:
                walk(node["/K"])
        elif isinstance(node, list):
            for kid in node:
                walk(kid)

    walk(report.reader().trailer["/Root"]["/StructTreeRoot"])
    assert any(alt.startswith("Bar chart of the scores by pillar") and "Protection 57" in alt for alt in alts)


@pytest.mark.parametrize(("lang", "said"), [("en", "{f} of it when it comes from a fact on record"),
                                            ("ru", "из факта в базе знаний — с коэффициентом {f}")], ids=["en", "ru"])
def test_methodology_states_the_fact_factor_of_the_ranking(content_reports, lang, said):
    """The annex gives what a fact on record's evidence counts, read from the ranking's own constant."""
    from tipkb.recommend.explain import SOURCE_FACTOR
    from tipkb.report.words import number

    report = content_reports[lang]
    method = flat(" ".join(report.pages[_page_of(report, "Methodology" if lang == "en" else "Методика"):]))
    assert said.format(f=f"×{number(SOURCE_FACTOR['fact'], lang, 2)}") in flat(method.replace("\u00a0", " "))
