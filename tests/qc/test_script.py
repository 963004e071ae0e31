"""The script check: ontology/qc/script-violation.rq and tipkb.i18n.script_mismatch agree, text by text."""

from pathlib import Path

import pyoxigraph as ox
import pytest

from tipkb.i18n import REGIONAL_LANGUAGES, script_mismatch

QUERY = (Path(__file__).parent.parent.parent / "ontology" / "qc" / "script-violation.rq").read_text(encoding="utf-8")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
CASES = [  # text, language, the start of the message (None: no violation)
    ("Sinov boʻshligʻi", "uz", None),
    ("Синов бўшлиғи", "uz", "Cyrillic letters in a text tagged @uz"),
    ("Sinov бўшлиғи", "uz", "Cyrillic letters in a text tagged @uz"),
    ("Test boşlugy", "tk", None),
    ("Тест", "tk", "Cyrillic letters in a text tagged @tk"),
    ("Сынақ олқылығы", "kk", None),
    ("ХОУ ILO туралы", "kk", None),
    ("Test oqylyk", "kk", "no Cyrillic letter in a text tagged @kk"),
    ("Боштук", "ky", None),
    ("Bostuk", "ky", "no Cyrillic letter in a text tagged @ky"),
    ("Камбудӣ", "tg", None),
    ("Kambudi", "tg", "no Cyrillic letter in a text tagged @tg"),
    ("2024", "tg", None),
    ("Test", "ru", None),
    ("Тест", "en", None),
]


@pytest.fixture(scope="module")
def found() -> dict[str, str]:
    store = ox.Store()
    for i, (text, lang, _) in enumerate(CASES):
        store.add(ox.Quad(ox.NamedNode(f"https://example.org/case-{i}"), LABEL, ox.Literal(text, language=lang)))
    return {row["focus"].value: row["message"].value for row in store.query(QUERY)}


@pytest.mark.parametrize(("i", "case"), list(enumerate(CASES)), ids=[f"{c[1]}:{c[0]}" for c in CASES])
def test_script_rule(i, case, found):
    text, lang, expected = case
    message = found.get(f"https://example.org/case-{i}")
    assert (message or "").startswith(expected or "") and (message is None) == (expected is None), message
    if lang in REGIONAL_LANGUAGES:  # the editor checks the regional languages' fields with the Python rule
        assert (script_mismatch(text, lang) or "")[:30] == (expected or "")[:30]
