"""The report as Typst makes it: a tagged, archivable PDF in its language, and text that never runs as markup."""

import re

import pytest

from .conftest import flat, typeset

pytestmark = pytest.mark.pdf

# Typst markup and code, a script tag, file access and Cyrillic: all of it must print as typed and do nothing.
HOSTILE = (r'#set page(width: 1cm) #read("/etc/passwd") #import "x" #eval("1") [a] *b* _c_ $x$ \ \\ '
           r"<script>alert(1)</script> \# «Ёлка» — Привет")


@pytest.fixture(scope="session")
def hostile_report(shipped_kb, questionnaire, kz_answers):
    """A report whose organisation name, first note and second answer hold HOSTILE."""
    from dataclasses import replace

    first, second = questionnaire.questions[0].code, questionnaire.questions[1].code
    printed = replace(kz_answers, values=dict(kz_answers.values, **{second: HOSTILE}),
                      notes=dict(kz_answers.notes, **{first: HOSTILE}), organisation=HOSTILE)
    return typeset(shipped_kb, questionnaire, kz_answers, printed, lang="en")


def _root(report):
    return report.reader().trailer["/Root"]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_pdf_is_tagged_with_its_language_title_and_author(request, lang):
    report = request.getfixturevalue(f"{lang}_report")
    root, info = _root(report), report.reader().metadata
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
    assert str(root["/Lang"]) == lang
    assert info.title == {"en": "Trafficking in persons: self-assessment and recommendations — Kazakhstan",
                          "ru": "Торговля людьми: самооценка и рекомендации — Казахстан"}[lang]
    assert info.author == "Example NGO (illustrative)"


def _tags(node, found):
    node = node.get_object()
    if isinstance(node, dict):
        if "/S" in node:
            found.append(str(node["/S"]))
        if "/K" in node:
            _tags(node["/K"], found)
    elif isinstance(node, list):
        for kid in node:
            _tags(kid, found)
    return found


def test_structure_tree_has_a_heading_per_chapter_and_tagged_links(en_report):
    """A screen reader walks chapters by their headings and finds the contents, tables and links tagged."""
    tags = _tags(_root(en_report)["/StructTreeRoot"], [])
    outline = [item for item in en_report.reader().outline if not isinstance(item, list)]
    assert tags.count("/H1") == len(outline) == 6  # summary, recommendations, sources, legal, annex, methodology
    assert {"/TOC", "/Table", "/Figure", "/Link", "/H2", "/H3"} <= set(tags)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_report_claims_pdf_a_2a_and_pdf_ua_1(request, lang):
    metadata = _root(request.getfixturevalue(f"{lang}_report"))["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfaid:part>2<", metadata) and re.search(r"pdfaid:conformance>A<", metadata)
    assert re.search(r"pdfuaid:part>1<", metadata)


def test_markup_in_organisation_note_and_answer_prints_verbatim(hostile_report, en_report):
    """Regression guard for data reaching Typst as data: nothing typed by a user is ever evaluated."""
    report = hostile_report
    visible = HOSTILE.replace(" ", "")
    pages = [page.replace(" ", "").replace("\n", "") for page in report.pages]
    assert visible in pages[0]  # the cover's organisation
    assert sum(page.count(visible) for page in pages[1:]) >= 2  # the note and the answer in the annex
    assert "root:" not in report.text  # /etc/passwd was not read
    assert report.reader().metadata.author == HOSTILE
    first = report.reader().pages[0].mediabox  # `#set page(width: 1cm)` did not take effect
    assert [float(x) for x in first] == [float(x) for x in en_report.reader().pages[0].mediabox]
    assert len(report.pages) - len(en_report.pages) in (0, 1)


@pytest.mark.slow
def test_text_the_font_cannot_draw_still_gives_a_tagged_report(shipped_kb, questionnaire, kz_answers):
    """PDF/A refuses a glyph the font lacks (an emoji): the report then comes without the claim, still tagged."""
    from dataclasses import replace

    report = typeset(shipped_kb, questionnaire, kz_answers, replace(kz_answers, organisation="NGO 🙂 Almaty"),
                     lang="en")
    assert "NGO" in flat(report.pages[0]) and "Almaty" in flat(report.pages[0])
    root = _root(report)
    assert bool(root["/MarkInfo"]["/Marked"]) and str(root["/Lang"]) == "en"


def test_warm_up_typesets_with_the_report_fonts_and_standards():
    """A web worker warms up with this as it starts: it must pass the checks of PDF/A-2a and PDF/UA-1 too."""
    from tipkb.report.typeset import warm_up

    warm_up()
