"""The languages tipkb speaks and how a language-tagged text is chosen from its translations.

English and Russian are complete: every label and text of the KB and the interface has both. The region's
own languages (Kazakh, Kyrgyz, Tajik, Turkmen, Uzbek) may lack a text; it is then shown in the next language of
the language's fallback chain (Russian, then English), and the page marks it as shown in that language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

DEFAULT_LANGUAGE = "en"
REQUIRED_LANGUAGES = ("en", "ru")  # every label and text has these (SHACL checks it)
REGIONAL_LANGUAGES = ("kk", "ky", "tg", "tk", "uz")
LANGUAGES = REQUIRED_LANGUAGES + REGIONAL_LANGUAGES

# Each language in its own name, as the language switch shows it.
NATIVE_NAMES = {
    "en": "English",
    "ru": "Русский",
    "kk": "Қазақша",
    "ky": "Кыргызча",
    "tg": "Тоҷикӣ",
    "tk": "Türkmençe",
    "uz": "Oʻzbekcha",
}

# The script each language is written in here: Kazakh, Kyrgyz and Tajik in Cyrillic, Turkmen and Uzbek in Latin.
SCRIPTS = {"en": "Latn", "ru": "Cyrl", "kk": "Cyrl", "ky": "Cyrl", "tg": "Cyrl", "tk": "Latn", "uz": "Latn"}

# Where a text is missing, the languages tried in turn. Russian comes before English for the region's languages:
# more of their readers read Russian than English.
FALLBACKS = {
    "en": ("en",),
    "ru": ("ru", "en"),
    **{lang: (lang, "ru", "en") for lang in REGIONAL_LANGUAGES},
}

_CYRILLIC = re.compile(r"[\u0400-\u04FF\u0500-\u052F]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")


def chain(lang: str) -> tuple[str, ...]:
    """Return the languages tried in turn for a text in `lang` (an unknown language reads as English)."""
    return FALLBACKS.get(lang, FALLBACKS[DEFAULT_LANGUAGE])


def pick_with_language(texts: Mapping[str, str] | None, lang: str) -> tuple[str, str | None]:
    """Return the text for `lang` along its fallback chain, and the language it is in (None when it has none)."""
    if not texts:
        return "", None
    for candidate in chain(lang):
        if texts.get(candidate):
            return texts[candidate], candidate
    return next(((t, k) for k, t in texts.items() if t), ("", None))


def pick(texts: Mapping[str, str] | None, lang: str) -> str:
    """Return the text in `lang`, else along its fallback chain, else in any language it has ("" when it has none)."""
    return pick_with_language(texts, lang)[0]


def script_mismatch(text: str, lang: str) -> str | None:
    """Say why a text cannot be in `lang`'s script (e.g. Cyrillic letters in a text tagged uz), else None."""
    script = SCRIPTS.get(lang)
    if script == "Latn" and _CYRILLIC.search(text):
        return f"Cyrillic letters in a text tagged @{lang}, which is written in Latin script here"
    if script == "Cyrl" and lang != "ru" and _LATIN.search(text) and not _CYRILLIC.search(text):
        return f"no Cyrillic letter in a text tagged @{lang}, which is written in Cyrillic script"
    return None


# The package's own texts (report wording, problem messages, CSV headers…) are written in English and Russian in
# tables beside the code; the other languages come from one gettext catalogue per language, whose msgid is the
# English text: locale/<lang>/LC_MESSAGES/tipkb.po, read at first use (drafts, flagged fuzzy, included).
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
PACKAGE_DOMAIN = "tipkb"
# An English text with two meanings ("Evidence": the strength of a practice's evidence, or the files kept as
# evidence) has one entry per meaning, whose gettext context (msgctxt) is its Russian text; gettext's own key for it
# is the context, this separator and the English text.
CONTEXT_SEPARATOR = "\x04"


@lru_cache(maxsize=len(LANGUAGES))
def package_catalogue(lang: str) -> Mapping[str, str]:
    """Return the package's translations into `lang` by English text (empty when it has no catalogue)."""
    from babel.messages.pofile import read_po  # imported here: only a regional language needs it

    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{PACKAGE_DOMAIN}.po"
    if lang not in REGIONAL_LANGUAGES or not path.is_file():
        return MappingProxyType({})
    with path.open("rb") as po:
        catalogue = read_po(po, locale=lang)
    return MappingProxyType({(f"{m.context}{CONTEXT_SEPARATOR}{m.id}" if m.context else m.id): m.string
                             for m in catalogue if m.id and isinstance(m.id, str) and m.string})


@lru_cache(maxsize=len(LANGUAGES))
def package_drafts(lang: str) -> bool:
    """Tell whether the package's catalogue for `lang` still holds draft (fuzzy) translations."""
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{PACKAGE_DOMAIN}.po"
    return lang in REGIONAL_LANGUAGES and catalogue_has_drafts(path)


def catalogue_has_drafts(path: Path) -> bool:
    """Tell whether a gettext catalogue (.po) holds draft (fuzzy) translations; False when there is none."""
    from babel.messages.pofile import read_po  # imported here: only a regional language needs it

    if not path.is_file():
        return False
    with path.open("rb") as po:
        return any(m.id and m.fuzzy for m in read_po(po))


def localised_with_language(texts: Mapping[str, str] | None, lang: str) -> tuple[str, str | None]:
    """Return one of the package's texts in `lang` (its own, else the catalogue's translation of its English text,
    else along the fallback chain) and the language it is in."""
    if not texts:
        return "", None
    if texts.get(lang):
        return texts[lang], lang
    translated = None
    if lang in REGIONAL_LANGUAGES:
        catalogue, en = package_catalogue(lang), texts.get("en", "")
        translated = catalogue.get(f"{texts.get('ru', '')}{CONTEXT_SEPARATOR}{en}") or catalogue.get(en)
    if translated:
        return translated, lang
    return pick_with_language(texts, lang)


def localised(texts: Mapping[str, str] | None, lang: str) -> str:
    """Return one of the package's texts in `lang`, from its table, its catalogue or along the fallback chain."""
    return localised_with_language(texts, lang)[0]


def localised_words(table: Mapping[str, Mapping[str, str]], lang: str) -> dict[str, str]:
    """Return a {"en": {key: text}, "ru": {key: text}} table's texts in `lang`, each through `localised`."""
    return {key: localised({"en": text, "ru": table["ru"].get(key, "")}, lang) for key, text in table["en"].items()}


def mark_fallback(text: str, shown: str | None, lang: str) -> str:
    """Return a text followed by the code of its language ("… (RU)") when that is not `lang`, the one asked for."""
    return f"{text}\u00a0({shown.upper()})" if text and shown and shown != lang else text


def pick_marked(texts: Mapping[str, str] | None, lang: str) -> str:
    """Return the text in `lang` along its fallback chain, marked with its language's code when it is in another."""
    return mark_fallback(*pick_with_language(texts, lang), lang)
