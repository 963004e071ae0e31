"""Interface translations: every string the code marks is in every catalogue (Russian reviewed, the region's
languages at least as drafts), and no translation loses a placeholder or is written in the wrong script."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tipkb.checks.translations import source_messages
from tipkb.i18n import REGIONAL_LANGUAGES, script_mismatch

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ROOT / "webapp" / "translations"
PO = CATALOGUES / "ru" / "LC_MESSAGES" / "messages.po"


def marked_strings() -> set:
    return set(source_messages(ROOT / "webapp"))


def test_every_interface_string_has_a_russian_translation():
    with PO.open("rb") as f:
        catalog = read_po(f)
    translated = {}
    for m in catalog:
        if m.id:
            key = m.id if isinstance(m.id, str) else m.id[0]
            ok = all(m.string) if isinstance(m.string, tuple) else bool(m.string)
            translated[key] = ok and not m.fuzzy
    missing = sorted(s for s in marked_strings() if not translated.get(s))
    assert missing == [], "run `make messages` and translate these in messages.po"


def read(lang: str):
    with (CATALOGUES / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f)


@pytest.mark.parametrize("lang", REGIONAL_LANGUAGES)
def test_every_interface_string_has_a_translation_in_each_regional_language(lang):
    catalog = read(lang)
    translated = {(m.id if isinstance(m.id, str) else m.id[0]) for m in catalog
                  if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string)}
    missing = sorted(marked_strings() - translated)
    assert missing == [], f"run `make messages` and translate these in {lang}'s messages.po (drafts are flagged fuzzy)"
    for m in catalog:
        for text in (m.string if isinstance(m.string, tuple) else (m.string,)) if m.id else ():
            if not text or text == m.id:  # a name kept as it is ("JSON API")
                continue
            problem = script_mismatch(re.sub(r"%\(\w+\)[sd]|<[^>]+>|&\w+;", "", text), lang)
            assert problem is None, f"{m.id!r}: {problem}"


@pytest.mark.parametrize("lang", ("ru", *REGIONAL_LANGUAGES))
def test_placeholders_survive_translation(lang):
    catalog = read(lang)
    for m in catalog:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        wanted = set(re.findall(r"%\(\w+\)[sd]", ids[0]))
        for s in strings:
            if not s:
                continue  # untranslated: the other test reports it
            assert set(re.findall(r"%\(\w+\)[sd]", s)) == wanted, m.id
