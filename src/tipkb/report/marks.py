"""KB text shown in a fallback language, marked as such: "Адам саудасы (RU)" in a Kazakh report without its translation.

A report or blank questionnaire is built inside `recording()`, which collects the languages that `marked` fell back
to, so that its front matter can say once what each mark means.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

from tipkb.i18n import mark_fallback, package_drafts, pick_with_language

_used: ContextVar[set[str] | None] = ContextVar("tipkb_report_fallbacks", default=None)


def marked(texts: Mapping[str, str] | None, lang: str) -> str:
    """Return a KB text in `lang` along its fallback chain, followed by "(RU)" or the like when it is in another."""
    text, shown = pick_with_language(texts, lang)
    if text and shown and shown != lang:
        fell_back(shown)
    return mark_fallback(text, shown, lang)


def fell_back(lang: str) -> None:
    """Record that something of the document being built is shown in `lang` (a whole chapter, say), and marked."""
    used = _used.get()
    if used is not None:
        used.add(lang)


@contextmanager
def recording() -> Iterator[set[str]]:
    """Collect, in the set it yields, the languages `marked` falls back to while the block runs."""
    found: set[str] = set()
    token = _used.set(found)
    try:
        yield found
    finally:
        _used.reset(token)


def fallback_notes(used: set[str], w: Mapping[str, str], lang: str) -> list[str]:
    """Return the front matter's notes on language: that the document's wording is a draft translation (while its
    catalogue has drafts), then one sentence per fallback language used, saying what its mark means."""
    draft = [w["draft_translation"]] if package_drafts(lang) else []
    order = sorted(used, key=("ru", "en").index)
    return draft + [w[f"fallback_{shown}"] for shown in order if f"fallback_{shown}" in w]
