"""Languages: Flask-Babel for interface text, the page language chosen by ?lang=, the session, then the browser.

Names of codes (tiers, statuses, kinds…) are not interface text: the `label` filter takes them from the KB in the
page language. A text missing in the page language is taken along the language's fallback chain (Kazakh → Russian
→ English): interface text through the catalogues, KB text through the `t` filter, which marks it as shown in
another language.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from babel import Locale
from babel import dates as babel_dates
from babel.support import NullTranslations, Translations
from flask import Flask, Response, abort, current_app, g, request, session, url_for
from flask_babel import Babel, Domain, format_decimal, get_locale, gettext, to_user_timezone
from flask_babel import gettext as _
from markupsafe import Markup, escape

from tipkb.facts.labels import code_labels, label
from tipkb.i18n import LANGUAGES, NATIVE_NAMES, catalogue_has_drafts, chain, pick_with_language

from .kb import get_kb

babel = Babel()


class ChainedDomain(Domain):
    """The interface catalogues, each falling back along its language's chain (kk → ru) before the English msgid."""

    def get_translations(self) -> NullTranslations:
        translations = super().get_translations()
        if getattr(translations, "tipkb_chained", False) or not isinstance(translations, Translations):
            return translations
        lang = str(get_locale() or "en")
        for fallback in chain(lang)[1:]:
            if fallback == "en":  # the msgids are English
                break
            for dirname in self.translation_directories:
                translations.add_fallback(Translations.load(dirname, [fallback], self.domain[0]))
        translations.tipkb_chained = True
        return translations


def select_locale() -> str:
    """Return the page language: ?lang=, else the one remembered in the session, else the browser's best match."""
    languages = current_app.config["LANGUAGES"]
    asked = request.args.get("lang")
    if asked in languages:
        return asked
    if session.get("lang") in languages:
        return session["lang"]
    return request.accept_languages.best_match(languages) or languages[0]


def current_language() -> str:
    """Return the language of the current page ("en" or "ru"), worked out once per request."""
    lang = g.get("tipkb_lang")
    if lang is None:  # a results page asks about a thousand times
        lang = g.tipkb_lang = str(get_locale() or "en")
    return lang


class Picked(str):
    """A KB text picked for the page; shown in another language than the page's, it renders marked as such."""

    language: str | None = None
    page_language: str = "en"

    def __html__(self) -> str:
        if not self or self.language in (None, self.page_language):
            return str(escape(str(self)))
        return fallback_html(str(self), self.language, self.page_language)


def fallback_html(text: str, shown_in: str, page: str) -> str:
    """Return a text shown in a fallback language, tagged with its language and marked for the reader."""
    name = language_name(shown_in, page)
    note = gettext("Shown in %(language)s: no translation into this page's language yet", language=name)
    return str(Markup('<span class="fallback" lang="{0}">{1}</span><abbr class="fallback-mark" title="{2}">{0}</abbr>')
               .format(shown_in, text, note))


@functools.cache
def draft_interface(lang: str) -> bool:
    """Tell whether the interface catalogue of a language still holds draft (fuzzy) translations."""
    return catalogue_has_drafts(Path(__file__).parent / "translations" / lang / "LC_MESSAGES" / "messages.po")


def fallbacks_shown() -> int:
    """Return how many KB texts the page rendered so far showed in a fallback language."""
    return g.get("tipkb_fallbacks", 0)


_MARK = re.compile(r'<abbr class="fallback-mark"[^>]*>[^<]*</abbr>')


def plain_text(html: str) -> str:
    """Return rendered HTML as plain text without fallback marks, for a page title."""
    return Markup(_MARK.sub("", str(html))).striptags()


def language_name(code: str, in_language: str) -> str:
    """Return a language's name written in another language (Russian written in Kazakh: "орыс тілі")."""
    try:
        name = Locale.parse(in_language).languages.get(code) or NATIVE_NAMES.get(code, code)
        # Uzbek writes oʻ and gʻ with U+02BB; the locale data has a quotation mark (o‘zbek)
        return name.replace("\u2018", "\u02bb") if in_language == "uz" else name
    except (ValueError, LookupError):
        return NATIVE_NAMES.get(code, code)


def pick(texts: Mapping[str, str] | None, lang: str | None = None) -> Picked:
    """Return a language-tagged text in the page language, else along its fallback chain, marked if so."""
    page = lang or current_language()
    text, shown_in = pick_with_language(texts, page)
    picked = Picked(text)
    picked.language, picked.page_language = shown_in, page
    if shown_in not in (None, page):
        g.tipkb_fallbacks = g.get("tipkb_fallbacks", 0) + 1
    return picked


def code_label(code: Any, kind: str) -> str:
    """Return the name of a code of one kind (a kb/vocab concept scheme, e.g. "tiers") in the page language."""
    texts = code_labels(get_kb()).get(kind, {}).get(str(code)) if code not in (None, "") else None
    return pick(texts) or label(get_kb(), kind, code, current_language())


def switch_url(lang: str) -> str:
    """Return the current page's URL in another language (query arguments kept)."""
    args = {k: v for k, v in request.args.items() if k != "lang"}
    if request.url_rule is None:  # an error page: the same address, in the other language
        return f"{request.path}?{urlencode({**args, 'lang': lang})}"
    endpoint = request.endpoint if request.endpoint and request.url_rule \
        and "GET" in (request.url_rule.methods or ()) else "home.index"
    values = dict(request.view_args or {}) if endpoint == request.endpoint else {}
    return url_for(endpoint, **values, **args, lang=lang)


def _external_url(value: Any) -> str:
    """Return a source address fit for href: http(s) only, so a KB edit cannot smuggle in a javascript: link."""
    text = str(value or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else "#"


def _remember_language() -> None:
    asked = request.args.get("lang")
    if asked is not None and asked not in current_app.config["LANGUAGES"] and request.path.startswith("/api/"):
        abort(400, description=_("lang: %(value)s is not one of the languages %(languages)s.", value=asked[:20],
                                 languages=", ".join(current_app.config["LANGUAGES"])))
    if asked in current_app.config["LANGUAGES"] and session.get("lang") != asked:
        session["lang"] = asked
        session.permanent = True


# English dates are written day, month, year (3 December 2026), as in the PDF report and as our readers write them.
DATE_LOCALES = {"en": "en_GB"}


def date_text(value: Any, fmt: str = "long") -> str:
    """Return a date, a moment or an ISO date string in the page language ("3 December 2026", "3 декабря 2026 г.").

    `fmt` "datetime" adds the time of day in the user's time zone; years and other text come back unchanged.
    """
    if value is None or value == "":
        return "—"
    locale = DATE_LOCALES.get(current_language(), current_language())
    if isinstance(value, datetime):
        moment = to_user_timezone(value)
        day = babel_dates.format_date(moment.date(), "long" if fmt == "datetime" else fmt, locale=locale)
        if fmt != "datetime":
            return day
        time = babel_dates.format_time(moment, "short", locale=locale)
        return babel_dates.get_datetime_format("medium", locale=locale).replace("{1}", day).replace("{0}", time)
    if isinstance(value, date):
        return babel_dates.format_date(value, fmt, locale=locale)
    if isinstance(value, str) and len(value) == 10:
        try:
            return babel_dates.format_date(date.fromisoformat(value), fmt, locale=locale)
        except ValueError:
            return value
    return str(value)


def _number(value: Any, digits: int | None = None) -> str:
    if value is None:
        return "—"
    if digits is not None:
        return format_decimal(value, format="#,##0." + "0" * digits if digits else "#,##0")
    return format_decimal(value)


def _texts_in(value: Any, lang: str) -> Any:
    """Return a JSON value with each text-by-language object cut to the one text a reader of `lang` gets."""
    if isinstance(value, list):
        return [_texts_in(v, lang) for v in value]
    if not isinstance(value, dict):
        return value
    if value and "en" in value and set(value) <= set(LANGUAGES) and all(isinstance(v, str) for v in value.values()):
        text, shown_in = pick_with_language(value, lang)
        return {shown_in: text} if shown_in else {}
    return {k: _texts_in(v, lang) for k, v in value.items()}


def _api_language(response: Response) -> Response:
    """Cut the API's texts to one language when asked with ?lang=: its key says which language each text is in."""
    lang = request.args.get("lang")
    if lang in LANGUAGES and request.path.startswith("/api/") and response.is_json and not response.direct_passthrough:
        response.set_data(current_app.json.dumps(_texts_in(response.get_json(), lang)))
    return response


def init_app(app: Flask) -> None:
    """Attach Flask-Babel and the template helpers."""
    babel.init_app(app, locale_selector=select_locale)
    babel.domain_instance = ChainedDomain(domain=app.config.get("BABEL_DOMAIN", "messages"))
    app.before_request(_remember_language)
    app.after_request(_api_language)
    app.jinja_env.filters.update(t=pick, plain=plain_text, fdate=date_text, fnum=_number, url=_external_url,
                                 label=code_label)
    app.jinja_env.globals.update(switch_url=switch_url, native_names=NATIVE_NAMES, language_name=language_name,
                                 draft_interface=draft_interface, fallbacks_shown=fallbacks_shown)
    app.context_processor(lambda: {"lang": current_language()})
