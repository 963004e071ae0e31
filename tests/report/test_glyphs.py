"""Every text of every language prints: the report's font has a glyph for each of its characters (issue #20)."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import ROOT, flat

# A document of texts by language, read from the JSON file beside it and printed as text, never evaluated; no
# hyphenation, so that pdftotext gives each word back whole.
TEMPLATE = """#let d = json("texts.json")
#set text(font: "DejaVu Sans", size: 6pt, hyphenate: false)
#set page(paper: "a4", margin: 8mm, columns: 2)
#set par(spacing: 0.5em)
#for (lang, texts) in d { set text(lang: lang); heading(lang); for t in texts { par(t) } }
"""
FACES = ("", "-Bold", "-Oblique")  # the faces the report and the blank questionnaire use
SAMPLE = 60  # texts looked for in the PDF's text, spread over each language


def _texts(kb) -> dict[str, list[tuple[str, str]]]:
    """Return, per regional language, every text there is to print in it with where it comes from: the KB's
    literals in that language, the package's catalogue and the interface's catalogue."""
    from babel.messages.pofile import read_po

    from tipkb.i18n import REGIONAL_LANGUAGES, package_catalogue

    found: dict[str, list[tuple[str, str]]] = {lang: [] for lang in REGIONAL_LANGUAGES}
    for quad in kb.ox_quads():
        lang = getattr(quad.object, "language", None)
        if lang in found:
            found[lang].append((f"KB {quad.subject} {quad.predicate}", quad.object.value))
    for lang, texts in found.items():
        texts += [(f"package catalogue: {en!r}", text) for en, text in package_catalogue(lang).items()]
        po = ROOT / "webapp" / "translations" / lang / "LC_MESSAGES" / "messages.po"
        if po.is_file():
            with po.open("rb") as f:
                for m in read_po(f, locale=lang):
                    for text in (m.string if isinstance(m.string, tuple) else (m.string,)):
                        if m.id and text:
                            texts.append((f"{po.relative_to(ROOT)}: {m.id!r}", text))
    return found


def _undrawable(found: dict[str, list[tuple[str, str]]]) -> list[str]:
    """Return, per character some face of the report's font lacks, its code point and the first text that uses it."""
    from fontTools.ttLib import TTFont

    from tipkb.report.typeset import FONTS

    maps = []
    for face in FACES:
        with TTFont(f"{FONTS}/DejaVuSans{face}.ttf", lazy=True) as font:
            maps.append(font.getBestCmap())
    missing: dict[str, str] = {}
    for lang, texts in found.items():
        for where, text in texts:
            for c in set(text) - set(missing):
                if c.isprintable() and not c.isspace() and any(ord(c) not in cmap for cmap in maps):
                    missing[c] = f"U+{ord(c):04X} {c!r} ({lang}) in {where}: {text[:80]!r}"
    return sorted(missing.values())


@pytest.mark.pdf
@pytest.mark.slow
def test_every_text_of_every_language_has_its_glyphs_in_the_report_font(shipped_kb, tmp_path):
    from tipkb.report.typeset import compiler

    found = _texts(shipped_kb)
    assert all(len(texts) > 200 for texts in found.values()), {lang: len(t) for lang, t in found.items()}
    # Typst draws a character no font has as an empty box and says nothing: each character is looked up in the
    # font's character map, in every face used
    assert _undrawable(found) == []
    # and the texts, typeset with the report's compiler and fonts, read back from the PDF as they were written
    typst, fonts = compiler()
    (tmp_path / "texts.typ").write_text(TEMPLATE, encoding="utf-8")
    (tmp_path / "texts.json").write_text(json.dumps({lang: [t for _, t in texts] for lang, texts in found.items()},
                                                    ensure_ascii=False), encoding="utf-8")
    pdf, warnings = typst.compile_with_warnings(str(tmp_path / "texts.typ"), root=str(tmp_path), font_paths=fonts)
    assert [str(getattr(w, "message", w)) for w in warnings] == []
    assert shutil.which("pdftotext"), "pdftotext is missing: install poppler-utils (make sysdeps)"
    extracted = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    # a word broken at its own hyphen comes back from pdftotext without the hyphen, or with it and a space, so
    # hyphens and the space after them are left out of both
    printed = _unhyphenated(extracted.decode("utf-8"))
    sample = [(lang, where, text) for lang, texts in found.items()
              for where, text in texts[::max(1, len(texts) // (SAMPLE // len(found)))]]
    assert len(sample) >= SAMPLE
    assert [(lang, where, text) for lang, where, text in sample
            if _unhyphenated(text).strip() not in printed] == []


def _unhyphenated(text: str) -> str:
    return re.sub(r"-\s*", "", flat(text))


def test_a_character_the_font_lacks_is_named_with_its_code_point_and_text():
    found = {"kk": [("KB kb:x rdfs:label", "Адам саудасы 字")]}  # a Chinese character: DejaVu Sans has none
    (problem,) = _undrawable(found)
    assert re.match(r"U\+5B57 '字' \(kk\) in KB kb:x rdfs:label: 'Адам саудасы 字'$", problem)
    assert _undrawable({"uz": [("here", "Oʻzbekcha gʻ ʼ — «»")]}) == []
    assert Path(ROOT / "webapp" / "translations").is_dir()
