"""Translation coverage per language, as `tipkb stats` and the reviewers' page show it."""

from pathlib import Path

import pytest

from tipkb import load_kb
from tipkb.checks.translations import AREAS, coverage, interface_shares

ROOT = Path(__file__).resolve().parents[2]
KAZAKH = """@prefix tip: <https://w3id.org/tipkb/ontology#> .
@prefix kb: <https://w3id.org/tipkb/kb/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
kb:gap-test rdfs:label "Сынақ олқылығы"@kk ; skos:definition "Сынақ үшін."@kk ; tip:draftTranslation "kk" .
kb:practice-test rdfs:label "Сынақ тәжірибесі"@kk .
"""
PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Save"
msgstr "Сақтау"

#, fuzzy
msgid "Cancel"
msgstr "Болдырмау"

msgid "Edit"
msgstr ""
"""


@pytest.mark.slow
def test_shipped_kb_is_complete_in_english_and_russian(shipped_kb):
    table = coverage(shipped_kb, ROOT / "webapp" / "translations")
    assert list(table) == list(AREAS)
    for area, by_lang in table.items():
        assert by_lang["en"].total > 0 and by_lang["en"].percent == 100.0, area
        assert by_lang["ru"].percent == 100.0, area
        assert by_lang["en"].draft == by_lang["ru"].draft == 0, area
    assert table["catalogue"]["en"].total >= 600 and table["questionnaire"]["en"].total >= 400


def test_coverage_counts_present_and_draft_texts_and_a_language_without_a_file_is_zero(small_root, tmp_path):
    (small_root / "kb" / "kk.ttl").write_text(KAZAKH, encoding="utf-8")
    (tmp_path / "po" / "kk" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "po" / "kk" / "LC_MESSAGES" / "messages.po").write_text(PO, encoding="utf-8")
    table = coverage(load_kb(small_root), tmp_path / "po")
    catalogue = table["catalogue"]
    gap_and_practice = 4  # label and definition of each
    assert catalogue["kk"].present == 3 and catalogue["kk"].draft == 2
    assert catalogue["kk"].total == catalogue["en"].total >= gap_and_practice
    assert (catalogue["ky"].present, catalogue["ky"].percent) == (0, 0.0)
    ui = interface_shares(tmp_path / "po")
    assert (ui["en"].percent, ui["kk"].total, ui["kk"].present, ui["kk"].draft) == (100.0, 3, 2, 1)
    assert (ui["ky"].present, ui["ky"].percent) == (0, 0.0)
