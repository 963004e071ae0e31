"""The package's own texts and their catalogues: `python -m tipkb.cli.texts` brings each language's tipkb.po up to date.

The texts are written in English and Russian in tables beside the code that uses them; the catalogue of each of the
other languages (src/tipkb/locale/<lang>/LC_MESSAGES/tipkb.po) translates the English text, which is its msgid. An
update adds the new texts untranslated, with the Russian as a comment for the translator, keeps every translation
and its fuzzy (draft) flag, and drops texts the code no longer has.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

from tipkb.i18n import CONTEXT_SEPARATOR, LOCALE_DIR, PACKAGE_DOMAIN, REGIONAL_LANGUAGES


def _pairs(table: Mapping[str, Mapping[str, str]]) -> Iterator[tuple[str, str]]:
    """Yield (English, Russian) from a {"en": {key: text}, "ru": {key: text}} table."""
    for key, en in table["en"].items():
        yield en, table["ru"].get(key, "")


def package_texts() -> dict[str, tuple[str, str]]:
    """Return every text of the package's tables: {catalogue key: (Russian text, where it is written)}.

    The key is the English text; where one English text stands for two Russian ones (two meanings), each is keyed
    by its Russian text (the entry's gettext context), CONTEXT_SEPARATOR and the English text.
    """
    from tipkb.assess import followup, problems, xlsform
    from tipkb.cli import assessment_text, profile_text, recommend_text
    from tipkb.recommend import explain
    from tipkb.report import blank, charts, words

    found: dict[tuple[str, str], str] = {}

    def add(where: str, pairs) -> None:
        for en, ru in pairs:
            if en:
                found.setdefault((en, ru), where)

    add("tipkb/report/words.py", _pairs(words.WORDS))
    add("tipkb/report/blank.py", _pairs(blank.WORDS))
    add("tipkb/report/charts.py", ((t["en"], t["ru"]) for t in charts.WORDS.values()))
    add("tipkb/assess/problems.py", ((t["en"], t["ru"]) for t in (*problems.TEMPLATES.values(), problems._OR)))
    add("tipkb/assess/xlsform.py", ((t["en"], t["ru"]) for t in xlsform.WORDS.values()))
    add("tipkb/assess/followup.py", zip(followup.CSV_HEADERS["en"], followup.CSV_HEADERS["ru"], strict=True))
    add("tipkb/recommend/explain.py", [*explain.FACT_TEMPLATES.values(),
                                       *((t["en"], t["ru"]) for t in (*explain.NOTES.values(),
                                                                      explain.UNKNOWN_COUNTRY_NOTE, explain.ANSWERED))])
    for module in (assessment_text, profile_text, recommend_text):
        add(f"tipkb/cli/{Path(module.__file__).name}", _pairs(module.WORDS))
    meanings: dict[str, int] = {}
    for en, _ in found:
        meanings[en] = meanings.get(en, 0) + 1
    return {(f"{ru}{CONTEXT_SEPARATOR}{en}" if meanings[en] > 1 else en): (ru, where)
            for (en, ru), where in found.items()}


def catalogue_path(lang: str) -> Path:
    """Return where the package's catalogue for `lang` is kept."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{PACKAGE_DOMAIN}.po"


def update(lang: str) -> tuple[int, int]:
    """Bring the catalogue of `lang` up to date with the package's texts; return (texts, untranslated)."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    path = catalogue_path(lang)
    old = None
    if path.is_file():
        with path.open("rb") as f:
            old = read_po(f, locale=lang)
    # the dates of the catalogue kept, so that an update changes only the texts that changed
    dates = {"creation_date": old.creation_date, "revision_date": old.revision_date} if old is not None else {}
    new = Catalog(locale=lang, domain=PACKAGE_DOMAIN, project="tipkb", version=None, fuzzy=False, **dates,
                  header_comment=f"# The texts of the tipkb package in {lang}: msgid is the English text; a draft "
                                 "translation,\n# not yet reviewed, is flagged fuzzy. Updated by "
                                 "`python -m tipkb.cli.texts`.")
    missing = 0
    for key, (ru, where) in package_texts().items():
        context, _, en = key.rpartition(CONTEXT_SEPARATOR)
        kept = old.get(en, context=context or None) if old is not None else None
        string = kept.string if kept is not None else ""
        flags = set(kept.flags) if kept is not None and string else set()
        new.add(en, string, locations=[(where, 0)], flags=flags, auto_comments=[f"ru: {ru}"] if ru else [],
                context=context or None,
                user_comments=list(kept.user_comments) if kept is not None else [])
        missing += not string
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, new, width=120, omit_header=False, include_lineno=False, sort_output=False)
    return len(new), missing


def main(argv: list[str] | None = None) -> int:
    """Update the catalogues of the given languages (all regional languages by default) and say what is missing."""
    parser = argparse.ArgumentParser(prog="python -m tipkb.cli.texts", description=__doc__.splitlines()[0])
    parser.add_argument("langs", nargs="*", metavar="LANG",
                        help=f"one of {', '.join(REGIONAL_LANGUAGES)} (default: all)")
    langs = parser.parse_args(argv).langs or REGIONAL_LANGUAGES
    if unknown := [lang for lang in langs if lang not in REGIONAL_LANGUAGES]:
        parser.error(f"not a regional language: {', '.join(unknown)}")
    for lang in langs:
        total, missing = update(lang)
        print(f"{catalogue_path(lang)}: {total} texts, {missing} untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
