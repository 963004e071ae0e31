"""The PDF report read back: sections, every recommendation, Cyrillic text, fonts, page numbers, contents and links."""

import io
import re
import shutil
import subprocess

import pytest
from pypdf.generic import IndirectObject

from tipkb import __version__

from .conftest import DAY, flat, read

pytestmark = pytest.mark.pdf

SECTIONS = {
    "en": ["Executive summary", "Scores by pillar", "The five most urgent recommendations",
           "Recommendations by pillar", "Legal framework", "International instruments",
           "National laws, plans and mechanisms", "Annex: all answers", "Methodology",
           "Sources cited in the recommendations",
           "How the scores are computed", "How recommendations are chosen and ranked"],
    "ru": ["Краткое резюме", "Оценки по направлениям", "Пять самых срочных рекомендаций",
           "Рекомендации по направлениям", "Правовая база", "Международные договоры",
           "Национальные законы, планы и механизмы", "Приложение: все ответы", "Методика",
           "Источники, на которые ссылаются рекомендации",
           "Как рассчитываются оценки", "Как выбираются и упорядочиваются рекомендации"],
}
# The running header of every page but the cover: the country and the day the report was made.
HEADER = {"en": "Kazakhstan 29 November 2026", "ru": "Казахстан 29 ноября 2026 г."}


def _report(request, lang):
    return request.getfixturevalue(f"{lang}_report")


def _chapters(lang):
    """Return the chapter titles of an assessment's report grouped by pillar, in their order."""
    from tipkb.report.words import words

    w = words(lang)
    return [w["summary"], w["recs_by_pillar"], w["sources_cited"], w["legal"], w["annex"], w["methodology"]]


def _opening(report, lang, title):
    """Return the index of the page a chapter opens (its title first under the running header)."""
    return next(i for i, page in enumerate(report.pages) if flat(page).startswith(f"{HEADER[lang]} {title}"))


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_report_has_every_section(request, lang):
    report = _report(request, lang)
    missing = [s for s in SECTIONS[lang] if s not in report.text]
    assert missing == []


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_report_lists_every_recommendation_title(request, lang):
    report = _report(request, lang)
    titles = [r.title[lang] for r in report.recommendations.items]
    assert len(titles) >= 10
    assert [t for t in titles if flat(t) not in report.text] == []


def test_cover_names_country_organisation_year_and_versions(en_report, ru_report):
    cover = flat(en_report.pages[0])
    for expected in ("Kazakhstan (KZ)", "Example NGO (illustrative)", "Assessment year 2025", "29 November 2026",
                     "Country self-assessment on trafficking in persons, 1.1", f"tipkb {__version__}, ontology 0.1.0"):
        assert expected in cover
    cover_ru = flat(ru_report.pages[0])
    assert "Казахстан (KZ)" in cover_ru and "29 ноября 2026 г." in cover_ru and "Год оценки 2025" in cover_ru


def test_cyrillic_is_intact_in_the_russian_report(ru_report, questionnaire):
    text = ru_report.text
    assert "Торговля людьми: самооценка и рекомендации" in text
    assert "Официальный национальный механизм перенаправления" in text  # a practice title from the KB
    assert "Партнёрство" in text and "«не знаю»" in text  # ё and guillemets survive
    assert flat(questionnaire.question("PR01").text["ru"]) in text  # a question printed whole
    assert "Executive summary" not in text and "Recommendations by" not in text


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_font_is_embedded_dejavu(request, lang):
    fonts = {}
    for page in _report(request, lang).reader().pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts
    assert all("DejaVu" in name for name in fonts), sorted(fonts)


def test_page_count_is_sensible(en_report, ru_report, baseline_report):
    en, ru, base = len(en_report.pages), len(ru_report.pages), len(baseline_report.pages)
    assert 12 <= en <= 60 and 12 <= ru <= 60
    assert abs(ru - en) <= 8  # the same content in a wordier language
    assert 4 <= base < en


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_page_after_the_cover_says_page_n_of_m(request, lang):
    """One document, numbered throughout: the annexes continue the main part's numbers (they once restarted)."""
    report = _report(request, lang)
    word, of = ("Page", "of") if lang == "en" else ("Страница", "из")
    total = len(report.pages)
    footers = [re.findall(rf"{word} (\d+) {of} (\d+)", flat(page)) for page in report.pages]
    assert footers[0] == []  # the cover has no header or footer
    assert footers[1:] == [[(str(n), str(total))] for n in range(2, total + 1)]
    assert [flat(page).startswith(HEADER[lang]) for page in report.pages[1:]] == [True] * (total - 1)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_contents_list_every_chapter_with_its_page(request, lang):
    """The cover's contents name every chapter, the annexes too, each with the page its heading opens."""
    report = _report(request, lang)
    cover = flat(report.pages[0])
    listed = []
    for title in _chapters(lang):
        found = re.search(re.escape(title) + r" [ .]*(\d+)", cover)
        assert found, title
        page = int(found.group(1))
        listed.append(page)
        assert flat(report.pages[page - 1]).startswith(f"{HEADER[lang]} {title}"), (title, page)
    assert listed == sorted(listed) and listed[-1] < len(report.pages)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_bookmarks_name_every_chapter(request, lang):
    outline = _report(request, lang).reader().outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    assert [t for t in _chapters(lang) if t not in titles] == []


def _annotations(report):
    uris, internal = set(), 0
    for page in report.reader().pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object() if isinstance(annot, IndirectObject) else annot
            action = annot.get("/A")
            if action is not None and "/URI" in action:
                uris.add(str(action["/URI"]))
            elif "/Dest" in annot or (action is not None and action.get("/S") == "/GoTo"):
                internal += 1
    return uris, internal


def test_source_links_are_clickable(en_report):
    uris, internal = _annotations(en_report)
    for rec in en_report.recommendations.items:
        assert set(rec.sources) <= uris, rec.practice_code  # every practice's sources are links
    assert internal >= 5  # the contents and the summary link to the sections and recommendations


def test_sources_are_listed_once_in_their_chapter(en_report, shipped_kb, questionnaire, kz_answers):
    from tipkb.report import assessment_inputs, report_context

    rs, options = assessment_inputs(shipped_kb, questionnaire, kz_answers)
    listed = report_context(shipped_kb, rs, **options)["references"]
    first, last = (_opening(en_report, "en", t) for t in ("Sources cited in the recommendations", "Legal framework"))
    chapter = flat(" ".join(en_report.pages[first:last]))
    assert [n.number for n in listed if chapter.count(f"[{n.number}] ") != 1] == []


def _runs(page):
    """Return the text runs of a page with where each starts (x, y in PDF points)."""
    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            runs.append((tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5], text.strip()))

    page.extract_text(visitor_text=visit)
    return runs


def _internal_links(report):
    """Every internal link: the page it is on, what it names (the destination's name, or the first text under a
    link to a page position), and the page it leads to (None if its name leads nowhere)."""
    reader = report.reader()
    named = {name: reader.get_destination_page_number(dest) for name, dest in reader.named_destinations.items()}
    links = []
    for index, page in enumerate(reader.pages):
        runs = None
        for annot in (a.get_object() for a in page.get("/Annots") or []):
            dest = annot.get("/Dest")
            if dest is None:
                continue
            dest = dest.get_object()
            if not isinstance(dest, list):
                links.append((index, str(dest), named.get(str(dest))))
                continue
            runs = _runs(page) if runs is None else runs
            x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
            text = next((t for x, y, t in runs if x0 - 1 <= x < x1 and y0 <= y <= y1), "")
            links.append((index, text, reader.get_page_number(dest[0].get_object())))
    return links


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_internal_links_land_on_their_pages(request, lang):
    report = _report(request, lang)
    links = _internal_links(report)
    assert links and [link for link in links if link[2] is None] == []  # nothing dangles
    answers = {(text, target) for _, text, target in links if re.fullmatch(r"P[RTVA]\d\d", text)}
    assert len(answers) >= 10  # a reason's answer code leads to the annex page where that question is answered
    for code, target in answers:
        assert re.search(rf"(^|\s){code}\s", report.pages[target]), code
    cites = {(text, target) for _, text, target in links if text.isdigit()}
    assert len(cites) >= 10  # a citation's number leads to that source in the list of sources
    assert [n for n, target in cites if f"[{n}] " not in flat(report.pages[target])] == []
    contents = {name: target for page, name, target in links if page == 0}
    anchors = ["summary", "recommendations", "sources", "legal", "annex", "methodology"]
    for anchor, title in zip(anchors, _chapters(lang), strict=True):  # the cover's contents reach every chapter
        assert flat(report.pages[contents[anchor]]).startswith(f"{HEADER[lang]} {title}"), title
    reader = report.reader()
    for rec in report.recommendations.items:  # each recommendation is a destination, for links and bookmarks
        at = reader.get_destination_page_number(reader.named_destinations[f"rec-{rec.practice_code}"])
        assert flat(rec.title[lang])[:30] in flat(report.pages[at])


def test_chart_is_vector_with_its_labels_as_text(en_report):
    import pdfplumber

    at = en_report.page_with("Scores by pillar")
    with pdfplumber.open(io.BytesIO(en_report.pdf)) as pdf:
        assert len(pdf.pages[at].rects) >= 4  # one bar per pillar, drawn as paths
    images = [name for page in en_report.reader().pages for name, x in page["/Resources"].get("/XObject", {}).items()
              if x.get_object().get("/Subtype") == "/Image"]
    assert images == []
    chart = flat(en_report.pages[at])
    for pillar in ("Prevention", "Protection", "Prosecution", "Partnership"):  # each bar's label and score
        assert re.search(rf"{pillar} \d+", chart), pillar
    assert re.search(r"\b0 (25 )?50 (75 )?100\b", chart)  # the axis


def test_baseline_report_has_no_scores_or_answers(baseline_report):
    text = baseline_report.text
    assert "country baseline and recommendations" in text
    assert "baseline report built from the facts the knowledge base holds" in text
    for absent in ("Overall score", "Scores by pillar", "Annex: all answers", "questions answered", "Questionnaire",
                   "Assessment year"):
        assert absent not in text
    for present in ("Executive summary", "Legal framework", "Methodology", "The five most urgent recommendations"):
        assert present in text
    assert [r.title["en"] for r in baseline_report.recommendations.items if flat(r.title["en"]) not in text] == []


def test_grouping_by_stakeholder_names_each_group_and_describes_each_recommendation_once(stakeholder_report):
    text = stakeholder_report.text
    assert "Recommendations by stakeholder" in text and "Recommendations by pillar" not in text
    assert re.search(r"Law enforcement \(\d+\)", text)
    assert "described under “" in text  # a recommendation for several stakeholders is referred to, not repeated
    items = stakeholder_report.recommendations.items
    assert [r.title["en"] for r in items if flat(r.title["en"]) not in text] == []


@pytest.mark.slow
def test_answers_for_a_country_the_kb_does_not_know(shipped_kb, questionnaire, kz_answers):
    from dataclasses import replace

    from tipkb.report import assessment_inputs, typeset_report

    rs, options = assessment_inputs(shipped_kb, questionnaire, replace(kz_answers, country="ZZ"))
    report = read(typeset_report(shipped_kb, rs, generated=DAY, **options), rs)
    assert "The KB has no facts on country ZZ" in report.text
    assert "Country ZZ" in flat(report.pages[0])
    assert "Legal framework" not in flat(report.pages[0])  # no legal snapshot to show, nor a link to one
    assert [page for page in report.pages if flat(page).startswith("ZZ 29 November 2026 Legal framework")] == []
    assert "Annex: all answers" in report.text and rs.items


def test_first_page_renders_to_a_non_blank_png(en_report, tmp_path):
    from PIL import Image

    assert shutil.which("pdftoppm"), "pdftoppm is missing: install poppler-utils (make sysdeps)"
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(en_report.pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(tmp_path / "page")], check=True, timeout=60)
    with Image.open(tmp_path / "page.png") as image:
        grey = image.convert("L")
        width, height = grey.size
        dark = sum(grey.histogram()[:160])  # pixels darker than light grey
    assert (width, height) == (331, 468)  # A4 at 40 dpi
    assert dark > 0.005 * width * height  # title, country and facts are drawn
