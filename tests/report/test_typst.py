"""The report typeset with Typst, read back: Cyrillic text, page numbers, contents, tags, and inert markup."""

import io
import re

import pytest

from .conftest import DAY, flat, read

pytestmark = pytest.mark.pdf

# Typst markup, a script tag and file access: all of it must print as typed and do nothing.
HOSTILE = r'#set page(width: 1cm) #read("/etc/passwd") [a] *b* _c_ $x$ \ <script>alert(1)</script> \#'


def _typeset(kb, questionnaire, answers, printed=None, **options):
    from tipkb.report import assessment_inputs
    from tipkb.report.typeset import typeset_report

    rs, inputs = assessment_inputs(kb, questionnaire, answers)
    if printed is not None:  # the answers printed differ from those scored: no question takes free text
        inputs["answers"] = printed
    return read(typeset_report(kb, rs, generated=DAY, **inputs, **options), rs)


@pytest.fixture(scope="session")
def typst_reports(shipped_kb, questionnaire, kz_answers):
    return {lang: _typeset(shipped_kb, questionnaire, kz_answers, lang=lang) for lang in ("en", "ru")}


@pytest.fixture(scope="session")
def hostile_report(shipped_kb, questionnaire, kz_answers):
    from dataclasses import replace

    first, second = questionnaire.questions[0].code, questionnaire.questions[1].code
    printed = replace(kz_answers, values=dict(kz_answers.values, **{second: HOSTILE}),
                      notes=dict(kz_answers.notes, **{first: HOSTILE}), organisation=HOSTILE)
    return _typeset(shipped_kb, questionnaire, kz_answers, printed, lang="en")


def test_russian_report_keeps_its_cyrillic(typst_reports):
    text = typst_reports["ru"].text
    assert "Торговля людьми: самооценка и рекомендации" in text
    assert "Партнёрство" in text and "«не знаю»" in text
    assert "Executive summary" not in text


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_page_after_the_cover_says_page_n_of_m(typst_reports, lang):
    report = typst_reports[lang]
    word, of = ("Page", "of") if lang == "en" else ("Страница", "из")
    total = len(report.pages)
    for n, page in enumerate(report.pages[1:], start=2):
        assert f"{word} {n} {of} {total}" in flat(page)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_contents_list_every_chapter_with_its_page(typst_reports, lang):
    from tipkb.report.words import words

    w = words(lang)
    cover = flat(typst_reports[lang].pages[0])
    chapters = [w["summary"], w["recs_by_pillar"], w["sources_cited"], w["legal"], w["annex"], w["methodology"]]
    for title in chapters:
        found = re.search(re.escape(title) + r"[ .]*\W*(\d+)", cover)
        assert found, title
        page = int(found.group(1))
        assert title in flat(typst_reports[lang].pages[page - 1])


def test_bookmarks_name_every_chapter(typst_reports):
    titles = [item.title for item in typst_reports["en"].reader().outline if not isinstance(item, list)]
    assert {"Executive summary", "Legal framework", "Annex: all answers", "Methodology"} <= set(titles)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_pdf_is_tagged_with_its_language_title_and_author(typst_reports, lang):
    import pikepdf

    with pikepdf.open(io.BytesIO(typst_reports[lang].pdf)) as pdf:
        assert bool(pdf.Root.MarkInfo.Marked) is True
        assert "/StructTreeRoot" in pdf.Root
        assert str(pdf.Root.Lang).startswith(lang)
        assert "Kazakhstan" in str(pdf.docinfo.Title) or "Казахстан" in str(pdf.docinfo.Title)
        assert str(pdf.docinfo.Author) == "Example NGO (illustrative)"


def test_sources_are_links_to_the_web(typst_reports):
    uris = {str(a.get("/A", {}).get("/URI", "")) for page in typst_reports["en"].reader().pages
            for a in (x.get_object() for x in page.get("/Annots", []))}
    assert any(u.startswith("https://www.state.gov/") for u in uris)


def test_markup_in_organisation_note_and_answer_prints_verbatim(hostile_report, typst_reports):
    report = hostile_report
    visible = HOSTILE.replace(" ", "")
    text = report.text.replace(" ", "")
    assert text.count(visible) >= 3  # cover, the note and the answer
    assert "root:" not in report.text
    first = report.reader().pages[0].mediabox
    assert [float(x) for x in first] == [float(x) for x in typst_reports["en"].reader().pages[0].mediabox]
    assert len(report.pages) - len(typst_reports["en"].pages) in (0, 1)


def test_baseline_report_has_no_answers_annex(shipped_kb):
    from tipkb.report import baseline_inputs
    from tipkb.report.typeset import typeset_report

    rs, inputs = baseline_inputs(shipped_kb, "KZ")
    report = read(typeset_report(shipped_kb, rs, generated=DAY, lang="en", **inputs), rs)
    assert "country baseline" in report.text and "Legal framework" in report.text
    assert "Annex: all answers" not in report.text


def test_grouping_by_stakeholder_lists_every_recommendation(shipped_kb, questionnaire, kz_answers):
    report = _typeset(shipped_kb, questionnaire, kz_answers, lang="en", group_by="stakeholder")
    assert "Recommendations by stakeholder" in report.text
    assert [r.title["en"] for r in report.recommendations.items if flat(r.title["en"]) not in report.text] == []


def _link_targets(reader, page) -> set[int]:
    """Return the page indexes the internal links of one page lead to."""
    named = reader.named_destinations
    targets = set()
    for annot in (a.get_object() for a in page.get("/Annots", [])):
        dest = annot.get("/Dest")
        if dest is None:
            continue
        if isinstance(dest.get_object(), list):
            targets.add(reader.get_page_number(dest.get_object()[0].get_object()))
        else:
            targets.add(reader.get_destination_page_number(named[str(dest)]))
    return targets


def test_internal_links_lead_to_their_recommendation_and_answer(typst_reports):
    report = typst_reports["en"]
    reader = report.reader()
    pages = {name: reader.get_destination_page_number(dest) for name, dest in reader.named_destinations.items()}
    for rec in report.recommendations.items:
        assert flat(rec.title["en"])[:30] in flat(report.pages[pages[f"rec-{rec.practice_code}"]])
    cited_on = next(i for i, text in enumerate(report.pages) if "PT05 «" in text)
    annex = pages["annex"]
    answer_pages = [t for t in _link_targets(reader, reader.pages[cited_on]) if t >= annex]
    assert answer_pages and any("PT05" in report.pages[t] for t in answer_pages)
    assert pages["sources"] in _link_targets(reader, reader.pages[cited_on])


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_report_claims_pdf_ua_and_pdf_a(typst_reports, lang):
    import pikepdf

    with pikepdf.open(io.BytesIO(typst_reports[lang].pdf)) as pdf:
        meta = pdf.open_metadata()
        assert meta.get("pdfuaid:part") == "1" and meta.get("pdfaid:part") == "2"


def test_text_the_font_cannot_draw_still_gives_a_report(shipped_kb, questionnaire, kz_answers):
    from dataclasses import replace

    report = _typeset(shipped_kb, questionnaire, kz_answers, replace(kz_answers, organisation="NGO 🙂 Almaty"),
                      lang="en")
    assert "NGO" in report.text and "Almaty" in report.text


def test_pillar_chart_is_vector_with_its_labels_as_text(typst_reports):
    reader = typst_reports["en"].reader()
    images = [name for page in reader.pages for name, x in page["/Resources"].get("/XObject", {}).items()
              if x.get_object().get("/Subtype") == "/Image"]
    assert images == []
    summary = flat(typst_reports["en"].pages[1])
    assert re.search(r"Prevention \d+ [A-E] \d+/\d+ Protection \d+ [A-E] \d+/\d+ Prosecution \d+ [A-E] \d+/\d+ "
                     r"Partnership \d+ [A-E] \d+/\d+ 0 25 50 75 100", summary)
