"""The languages tipkb speaks and how a language-tagged text is chosen from its translations."""

from __future__ import annotations

from collections.abc import Mapping

LANGUAGES = ("en", "ru")
DEFAULT_LANGUAGE = "en"


def pick(texts: Mapping[str, str] | None, lang: str) -> str:
    """Return the text in `lang`, else in English, else in any language it has ("" when it has none)."""
    if not texts:
        return ""
    return texts.get(lang) or texts.get(DEFAULT_LANGUAGE) or next((t for t in texts.values() if t), "")
