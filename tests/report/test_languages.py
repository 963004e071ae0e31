"""The report and the blank questionnaire in the region's languages, read back: words, dates, fallback marks."""

import dataclasses
import io
import shutil
import subprocess

import pytest

from .conftest import DAY, flat


def _text(pdf: bytes) -> str:
    assert shutil.which("pdftotext"), "pdftotext is missing: install poppler-utils (make sysdeps)"
    return flat(subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode())


def _lang(pdf: bytes) -> str:
    from pypdf import PdfReader

    return str(PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"])


@pytest.mark.pdf
@pytest.mark.slow
def test_a_kazakh_report_is_worded_in_kazakh_and_marks_what_it_shows_in_russian(shipped_kb, questionnaire,
                                                                                 kz_answers):
    from tipkb.report import assessment_inputs, typeset_report

    rs, inputs = assessment_inputs(shipped_kb, questionnaire, kz_answers)
    first = rs.items[0]
    # the first recommendation's title as it stands before its Kazakh translation: English and Russian only
    untranslated = dataclasses.replace(first, title={lang: first.title[lang] for lang in ("en", "ru")})
    rs = dataclasses.replace(rs, items=[untranslated, *rs.items[1:]])
    pdf = typeset_report(shipped_kb, rs, generated=DAY, lang="kk", **inputs)
    text = _text(pdf)
    assert _lang(pdf) == "kk"  # Typst's text language: Kazakh, for screen readers and hyphenation
    # the report's own words from the package's Kazakh catalogue, the date as Babel writes it in Kazakh
    assert all(w in text for w in ("Қысқаша түйін", "Ең шұғыл бес ұсыным", "Бағыттар бойынша ұсынымдар",
                                   "Қосымша: барлық жауаптар", "2026 ж. 29 қараша"))
    assert "Краткое резюме" not in text and "Executive summary" not in text
    # a KB text without its Kazakh translation is shown in Russian and marked so, and the front matter says why
    assert f"{flat(first.title['ru'])} (RU)" in text
    assert "RU белгісі бар мәтіндер орыс тілінде берілген: олардың қазақ тіліне аудармасы әлі жоқ." in text
    # while the Kazakh wording is a draft, the front matter says so
    assert "Бұл құжаттың осы тілдегі мәтіні — сарапшылар әлі тексермеген жобалық аударма." in text
    assert "Методика (RU)" not in text  # the methodology chapter has its Kazakh text (test below)
    if first.title.get("kk"):  # where the KB has the Kazakh title, the report has it elsewhere, unmarked
        assert f"{flat(first.title['kk'])} (RU)" not in text


@pytest.mark.pdf
@pytest.mark.slow
def test_the_methodology_chapter_is_in_kazakh_and_uzbek_and_says_it_is_a_draft_translation(shipped_kb):
    from tipkb.report import baseline_inputs, typeset_report
    from tipkb.report.words import words

    rs, inputs = baseline_inputs(shipped_kb, "KZ")
    said = {  # the line under the heading, and a sentence of the chapter
        "kk": ("Бұл тарау — сарапшылар әлі тексермеген жобалық аударма.",
               "«Білмеймін» ешқашан нөл деп саналмайды. Мұндай жауаптар бөлек есептеледі"),
        "uz": ("Ushbu bob — ekspertlar hali tekshirmagan tarjima qoralamasi.",
               "«Bilmayman» hech qachon nol deb hisoblanmaydi. Bunday javoblar alohida hisobga olinadi"),
    }
    for lang, (draft, sentence) in said.items():
        text = _text(typeset_report(shipped_kb, rs, generated=DAY, lang=lang, **inputs))
        heading = words(lang)["methodology"]  # "Әдістеме", "Metodika": as the contents name it
        chapter = text[text.rindex(heading):]  # from the chapter's heading (the contents come first)
        assert chapter.startswith(f"{heading} {draft}")  # no "(RU)" after the heading: the draft line follows it
        assert sentence in chapter
        assert "Методика" not in chapter and "Methodology" not in chapter


@pytest.mark.pdf
@pytest.mark.slow
def test_the_blank_questionnaire_prints_in_uzbek(questionnaire):
    from tipkb.report.blank import blank_data, typeset_blank

    blank = typeset_blank(questionnaire, "uz")
    assert blank.warnings == ()
    text = _text(blank.pdf)
    assert _lang(blank.pdf) == "uz"
    assert all(w in text for w in ("CHOP ETISH UCHUN SOʻROVNOMA BLANKI", "Soʻrovnomani qanday toʻldirish kerak",
                                   "Bittasini belgilang", "Sahifa 1 / "))
    data = blank_data(questionnaire, "uz")
    questions = [q for p in data["pillars"] for s in p["sections"] for q in s["questions"]]
    assert len(questions) == len(questionnaire.questions)
    assert [q["code"] for q in questions if flat(q["text"]).replace("-", "") not in text.replace("-", "")] == []
    # every question is in Uzbek where the KB has it, else marked with the language it is shown in
    for q, shown in zip(questionnaire.questions, questions, strict=True):
        assert shown["text"] == q.text["uz"] if q.text.get("uz") else shown["text"] == f"{q.text['ru']}\u00a0(RU)"
    marked = any(q["text"].endswith("(RU)") for q in questions)
    draft = ["Ushbu hujjatning shu tildagi matni — ekspertlar hali tekshirmagan tarjima qoralamasi."]  # drafts still
    assert data["fallbacks"][:1] == draft and (data["fallbacks"][1:] != []) == marked
