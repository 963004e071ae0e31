"""Languages: Flask-Babel for interface text, the page language chosen by ?lang=, the session, then the browser.

Names of codes (tiers, statuses, kinds…) are not interface text: the `label` filter takes them from the KB in the
page language.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from babel import dates as babel_dates
from flask import Flask, current_app, g, request, session, url_for
from flask_babel import Babel, format_decimal, get_locale, to_user_timezone

from tipkb.facts.labels import label
from tipkb.i18n import pick as pick_text

from .kb import get_kb

babel = Babel()


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


def pick(texts: Mapping[str, str] | None, lang: str | None = None) -> str:
    """Return a language-tagged text in the page language, else English, else any."""
    return pick_text(texts, lang or current_language())


def code_label(code: Any, kind: str) -> str:
    """Return the name of a code of one kind (a kb/vocab concept scheme, e.g. "tiers") in the page language."""
    return label(get_kb(), kind, code, current_language())


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


def init_app(app: Flask) -> None:
    """Attach Flask-Babel and the template helpers."""
    babel.init_app(app, locale_selector=select_locale)
    app.before_request(_remember_language)
    app.jinja_env.filters.update(t=pick, fdate=date_text, fnum=_number, url=_external_url, label=code_label)
    app.jinja_env.globals.update(switch_url=switch_url)
    app.context_processor(lambda: {"lang": current_language()})
