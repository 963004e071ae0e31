"""The blank questionnaire for printing, read back: every question, the cover's blanks, page numbers and fonts."""

import io
import json
import shutil
import subprocess

import pytest

from .conftest import flat


def _fonts(reader) -> dict[str, bool]:
    """Return each font the PDF uses and whether the font file is embedded."""
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return fonts


def _undrawable(text: str) -> set[str]:
    """Return the characters of a text that one of the DejaVu Sans faces the template uses cannot draw."""
    from fontTools.ttLib import TTFont

    from tipkb.report.typeset import FONTS

    faces = []
    for face in ("", "-Bold", "-Oblique"):
        with TTFont(f"{FONTS}/DejaVuSans{face}.ttf", lazy=True) as font:
            faces.append(font.getBestCmap())
    return {c for c in set(text) if c.isprintable() and c != " " and any(ord(c) not in cmap for cmap in faces)}


TITLES = {"en": ("Country self-assessment on trafficking in persons", "Blank questionnaire for printing"),
          "ru": ("Самооценка страны в сфере противодействия торговле людьми", "Бланк вопросника для печати")}


def _skip_pr20(questionnaire, lang) -> str:
    """Return the skip instruction after PR20 as a reader expects it, from the KB's labels of the options."""
    label = {o.value: o.label[lang] for o in questionnaire.question("PR20").options}
    if lang == "en":
        return (f"If you answered “{label['not-separable']}” or “{label['not-published']}” to PR20, skip PR06 and "
                "PR21.")
    return f"Если на вопрос PR20 вы ответили «{label['not-separable']}» или «{label['not-published']}», пропустите " \
           "PR06 и PR21."


@pytest.mark.pdf
@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_blank_questionnaire_prints_every_question_in_full(questionnaire, lang):
    from pypdf import PdfReader

    from tipkb.report.blank import blank_data, typeset_blank

    blank = typeset_blank(questionnaire, lang)
    reader = PdfReader(io.BytesIO(blank.pdf))
    # poppler's pdftotext reads the text back several times faster than pypdf; pages end with a form feed
    assert shutil.which("pdftotext"), "pdftotext is missing: install poppler-utils (make sysdeps)"
    extracted = subprocess.run(["pdftotext", "-", "-"], input=blank.pdf, capture_output=True, check=True).stdout
    pages = [flat(p) for p in extracted.decode("utf-8").split("\f")[:-1]]
    assert len(pages) == len(reader.pages)
    text = " ".join(pages)
    assert blank.warnings == ()  # no unknown font, no layout complaint
    # Typst draws a character no font has as an empty box, without a warning: every character printed must be in
    # each face used (regular, bold for the questions, oblique for "answer only if")
    assert _undrawable(json.dumps(blank_data(questionnaire, lang), ensure_ascii=False)) == set()
    assert len(pages) > 1
    assert [q.code for q in questionnaire.questions if f"{q.code} " not in text] == []
    assert [q.code for q in questionnaire.questions if flat(q.text[lang]) not in text] == []  # never cut
    # the help texts of questionnaire 1.1, those of year thresholds counted back from the assessment's year too
    assert [q.code for q in questionnaire.questions if q.help and flat(q.help[lang]) not in text] == []
    title, kind = TITLES[lang]
    assert title in pages[0] and kind.upper() in pages[0] and questionnaire.version in pages[0]
    page, of = ("Page", "of") if lang == "en" else ("Страница", "из")
    assert all(f"{page} {n} {of} {len(pages)}" in p for n, p in enumerate(pages, 1))
    assert flat(_skip_pr20(questionnaire, lang)) in text
    fonts = _fonts(reader)
    assert fonts and all(fonts.values()) and all("DejaVu" in name for name in fonts), fonts
    assert reader.metadata.title.startswith(title)


def test_skip_instructions_name_the_answers_that_skip_and_the_questions_skipped(questionnaire):
    from tipkb.report.blank import blank_data, skip_instructions

    skips = skip_instructions(questionnaire, "en")
    assert skips["PT19"] == ["If you answered “No” or “Don't know” to PT19, skip PT21."]
    assert skips["PR20"] == [_skip_pr20(questionnaire, "en")]
    assert "PR06" not in skips  # a question nothing depends on has no instruction
    questions = {q["code"]: q for p in blank_data(questionnaire, "ru")["pillars"] for s in p["sections"]
                 for q in s["questions"]}
    assert questions["PT21"]["only_if"] == "Отвечайте, только если на вопрос PT19 вы ответили «Да» или «Частично»."
    assert questions["PR06"]["dont_know"] and questions["PR06"]["hint"] == "Целое число от 0 до 100\u202f000"
    assert questions["PT23"]["hint"] == "Отметьте все подходящие" and not questions["PT23"]["dont_know"]
