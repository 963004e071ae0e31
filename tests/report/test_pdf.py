"""The PDF report read back: sections, every recommendation, Cyrillic text, fonts, links, headers and page count."""

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
           "National laws, plans and mechanisms", "Annex: all answers", "Methodology", "Annexes",
           "Sources cited in the recommendations",
           "How the scores are computed", "How recommendations are chosen and ranked"],
    "ru": ["Краткое резюме", "Оценки по направлениям", "Пять самых срочных рекомендаций",
           "Рекомендации по направлениям", "Правовая база", "Международные договоры",
           "Национальные законы, планы и механизмы", "Приложение: все ответы", "Методика", "Приложения",
           "Источники, на которые ссылаются рекомендации",
           "Как рассчитываются оценки", "Как выбираются и упорядочиваются рекомендации"],
}


def _report(request, lang):
    return request.getfixturevalue(f"{lang}_report")


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
                     "Country self-assessment on trafficking in persons, 1.0", f"tipkb {__version__}, ontology 0.1.0"):
        assert expected in cover
    cover_ru = flat(ru_report.pages[0])
    assert "Казахстан (KZ)" in cover_ru and "29 ноября 2026 г." in cover_ru and "Год оценки 2025" in cover_ru


def test_cyrillic_is_intact_in_the_russian_report(ru_report, kz_answers, questionnaire):
    text = ru_report.text
    assert "Торговля людьми: самооценка и рекомендации" in text
    assert "Официальный национальный механизм перенаправления" in text  # a practice title from the KB
    assert "Партнёрство" in text and "«не знаю»" in text  # ё and guillemets survive
    question = questionnaire.question("PR01")
    assert flat(question.text["ru"]) in text
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


def _footers(report, word):
    found = [re.search(rf"{word} (\d+) (?:of|из) (\d+)", flat(page)) for page in report.pages]
    return [(int(m.group(1)), int(m.group(2))) if m else None for m in found]


def test_running_header_and_page_numbers(en_report, ru_report):
    second = flat(en_report.pages[1])
    assert "Kazakhstan" in second and "29 November 2026" in second
    assert "Page 1 of" not in flat(en_report.pages[0])  # the cover has no header or footer
    for report, page, annexes in ((en_report, "Page", "Annexes, page"),
                                  (ru_report, "Страница", "Приложения, страница")):
        main = _footers(report, f"(?<!, ){page}")
        extra = _footers(report, annexes)
        split = next(i for i, f in enumerate(extra) if f is not None) - 1  # the annexes' title page has no footer
        assert split > 2 and main[0] is None and extra[split] is None
        # the main part: pages 2..M of M; the annexes, numbered apart: 2..N of N; together, every page
        assert main[1:split] == [(n, split) for n in range(2, split + 1)]
        assert extra[split + 1:] == [(n, len(report.pages) - split) for n in range(2, len(report.pages) - split + 1)]
    annex_page = flat(ru_report.pages[-1])
    assert "Казахстан" in annex_page and "29 ноября 2026 г." in annex_page  # the header runs on in the annexes


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


def _internal_links(report):
    """Every internal link: the page it is on, the text under it, and the page it leads to (named destinations
    resolved; None if it leads nowhere)."""
    import pdfplumber
    from pdfminer.pdftypes import resolve1

    with pdfplumber.open(io.BytesIO(report.pdf)) as pdf:
        pages = {page.page_obj.pageid: page.page_number - 1 for page in pdf.pages}
        named = {name: pages.get(dest[0].objid) for name, dest in _named_destinations(pdf.doc)}
        links = []
        for page in pdf.pages:
            for annot in page.annots:
                dest = resolve1(annot["data"].get("Dest"))
                if dest is None:
                    continue
                if isinstance(dest, bytes | str):
                    target = named.get(dest.decode() if isinstance(dest, bytes) else dest)
                else:
                    target = pages.get(dest[0].objid)
                box = (annot["x0"], annot["top"], annot["x1"], annot["bottom"])
                text = page.crop(box).extract_text() or ""
                links.append((page.page_number - 1, text.strip(), target))
    return links


def _named_destinations(doc):
    from pdfminer.pdftypes import resolve1

    def walk(node):
        node = resolve1(node)
        names = resolve1(node.get("Names")) or []
        for i in range(0, len(names), 2):
            dest = resolve1(names[i + 1])
            yield names[i].decode(), resolve1(dest["D"]) if isinstance(dest, dict) else dest
        for kid in resolve1(node.get("Kids")) or []:
            yield from walk(kid)

    root = resolve1(doc.catalog.get("Names")) or {}
    if "Dests" in root:
        yield from walk(root["Dests"])


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_links_into_the_annexes_land_on_their_pages(request, lang):
    report = _report(request, lang)
    links = _internal_links(report)
    assert links and [link for link in links if link[2] is None] == []  # nothing dangles once the parts are joined
    answers = [(target, text) for _, text, target in links if re.fullmatch(r"P[RTVA]\d\d", text)]
    assert len(answers) >= 10  # a reason's answer code leads to the annex page where that question is answered
    for target, code in answers:
        assert re.search(rf"(^|\s){code}\s", report.pages[target]), code
    contents = {text: target for page, text, target in links if page == 0}
    heading = {"en": "Annex: all answers", "ru": "Приложение: все ответы"}[lang]
    assert flat(report.pages[contents[heading]]).find(heading) >= 0  # the cover's contents reach the annexes too


def test_bookmarks_cover_both_parts(en_report):
    def titles(items):
        for item in items:
            yield from titles(item) if isinstance(item, list) else [item.title]

    found = list(titles(en_report.reader().outline))
    for expected in ("Executive summary", "Recommendations by pillar", "Sources cited in the recommendations",
                     "Legal framework", "Annex: all answers", "Methodology"):
        assert expected in found


def test_chart_is_vector_on_the_summary_page(en_report):
    import pdfplumber

    with pdfplumber.open(io.BytesIO(en_report.pdf)) as pdf:
        page = pdf.pages[1]
        assert "Scores by pillar" in page.extract_text()
        assert len(page.rects) >= 4  # one bar per pillar, drawn as paths
        assert page.images == []


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


def test_a_lost_worker_costs_nothing_but_time(shipped_kb, questionnaire, kz_answers, en_report):
    """The annexes are laid out in a worker process; if it dies, the report is made here, the same as ever."""
    import os
    import signal

    from tipkb.report import assessment_inputs, render, render_report_pdf

    rs, inputs = assessment_inputs(shipped_kb, questionnaire, kz_answers)
    pool = render._worker_pool()
    assert pool is not None and pool.submit(os.getpid).result() != os.getpid()  # a process of its own
    for pid in list(pool._processes):
        os.kill(pid, signal.SIGKILL)
    again = read(render_report_pdf(shipped_kb, rs, generated=DAY, lang="en", **inputs), rs)
    serial = read(render_report_pdf(shipped_kb, rs, generated=DAY, lang="en", parallel=False, **inputs), rs)
    assert again.pages == en_report.pages == serial.pages
    assert render._worker_pool() is not pool  # a new worker for the next report
