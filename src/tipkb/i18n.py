"""The languages tipkb speaks and how a language-tagged text is chosen from its translations.

English and Russian are complete: every label and text of the KB and the interface has both. The region's
own languages (Kazakh, Kyrgyz, Tajik, Turkmen, Uzbek) may lack a text; it is then shown in the next language of
the language's fallback chain (Russian, then English), and the page marks it as shown in that language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

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
