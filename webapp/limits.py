"""Abuse limits: failed sign-ins per account and per address, registrations and SPARQL queries, shared by all workers.

Flask-Limiter counts in the application database (tipkb.ratelimits, scheme `tipkb-db://`), so
every gunicorn worker and every app server sees the same counts. A limit that counts failures
only is tested before the view runs and counted after it: once it is reached, even the right
password is refused until the window ends. The limits are in `LIMITS`; `TIPKB_LIMITS` in the
config overrides any of them. See docs/decisions/20261203-abuse-limits.md.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user

from tipkb.ratelimits import SCHEME

from .auth import wants_json
from .db import get_store

EXTENSION = "tipkb_limiter"
LIMITS = {
    "login-account": "10 per 15 minutes",  # failed sign-ins for one e-mail address
    "login-address": "50 per 15 minutes",  # failed sign-ins from one client address (an office shares one)
    "password-account": "10 per 15 minutes",  # wrong passwords a signed-in user gives (password change, deletion)
    "register-address": "20 per hour",  # registration forms posted from one client address
    "sparql-address": "120 per minute",  # SPARQL queries from one client address
    "reset-account": "5 per hour",  # password reset links asked for one e-mail address
    "reset-address": "20 per hour",  # reset links asked for, reset and invitation forms posted, from one address
    "invite-user": "30 per hour",  # invitations one organisation admin makes
}


def client_address() -> str:
    """Return the limit key of the client's address (as the trusted proxies saw it)."""
    return f"address:{request.remote_addr or 'unknown'}"


def account_email() -> str:
    """Return the limit key of the e-mail address a sign-in form names."""
    return f"account:{(request.form.get('email') or '').strip().lower()}"


def signed_in_user() -> str:
    """Return the limit key of the signed-in user."""
    return f"user:{current_user.get_id()}"


def _failed(response: Response) -> bool:
    # A sign-in or password change that worked redirects; a refusal by a limit is no attempt of its own.
    return response.status_code >= 400 and response.status_code != 429


def _no_email() -> bool:
    return not (request.form.get("email") or "").strip()


def _sign_in_message() -> str:
    return _("Too many failed sign-ins for this account or from your network. Signing in is paused to stop "
             "password guessing; until the pause ends, even the right password is refused.")


def _password_message() -> str:
    return _("Too many wrong current passwords. Changing the password is paused for a while.")


def _delete_message() -> str:
    return _("Too many wrong passwords. Deleting the organisation is paused for a while.")


def _register_message() -> str:
    return _("Too many registrations from your network. Registering is paused for a while.")


def _reset_message() -> str:
    return _("Too many password reset requests for this address or from your network. Please wait a while.")


def _invite_message() -> str:
    return _("Too many invitations in a short time. Please wait a while.")


def _sparql_message() -> str:
    return _("Too many queries from your address. Please send fewer queries.")


@dataclass(frozen=True)
class Rule:
    """One limit on one endpoint: its name in LIMITS (rules of one name count together), whose count, and what."""

    endpoint: str
    name: str
    key: Callable[[], str]
    message: Callable[[], str]
    failures_only: bool = False
    methods: tuple[str, ...] = ("POST",)
    exempt_when: Callable[[], bool] | None = None


RULES = (
    Rule("account.login", "login-account", account_email, _sign_in_message, True, exempt_when=_no_email),
    Rule("account.login", "login-address", client_address, _sign_in_message, True),
    Rule("account.password", "password-account", signed_in_user, _password_message, True),
    Rule("org_data.delete", "password-account", signed_in_user, _delete_message, True),
    Rule("account.register", "register-address", client_address, _register_message),
    Rule("sparql.endpoint", "sparql-address", client_address, _sparql_message, methods=("GET", "POST")),
    Rule("account.forgot", "reset-account", account_email, _reset_message, exempt_when=_no_email),
    Rule("account.forgot", "reset-address", client_address, _reset_message),
    # Only refused links and passwords count: a whole office may join or reset from one address.
    Rule("account.reset", "reset-address", client_address, _reset_message, True),
    Rule("team.join", "reset-address", client_address, _reset_message, True),
    Rule("team.invite", "invite-user", signed_in_user, _invite_message),
)


def init_app(app: Flask) -> None:
    """Count the app's limits in its database; call it once the blueprints are registered."""
    limits = {**LIMITS, **app.config.get("TIPKB_LIMITS", {})}
    with app.app_context():
        engine = get_store().engine
    limiter = Limiter(client_address, storage_uri=f"{SCHEME}://",
                      storage_options={"engine": engine, "secret": app.config["SECRET_KEY"]},
                      strategy="fixed-window", key_prefix="tipkb",
                      in_memory_fallback_enabled=True)  # the database out of reach: count in this worker
    limiter.init_app(app)
    app.extensions[EXTENSION] = limiter
    for rule in RULES:
        view = app.view_functions.get(rule.endpoint)
        if view is None:
            continue
        # Counted under the limit's name, not the endpoint: rules of one name share one count.
        app.view_functions[rule.endpoint] = limiter.shared_limit(
            limits[rule.name], rule.name, key_func=rule.key, methods=list(rule.methods), error_message=rule.message,
            deduct_when=_failed if rule.failures_only else None, exempt_when=rule.exempt_when)(view)
    app.register_error_handler(RateLimitExceeded, too_many)


def too_many(error: RateLimitExceeded):
    """Answer a reached limit with 429, Retry-After and a message in the page language: JSON or a page."""
    limiter: Limiter = current_app.extensions[EXTENSION]
    reached = limiter.current_limit
    wait = max(1, math.ceil(reached.window.reset_time - time.time())) if reached is not None else 60
    minutes = math.ceil(wait / 60)
    retry = ngettext("Try again in %(num)d minute.", "Try again in %(num)d minutes.", minutes)
    headers = {"Retry-After": str(wait)}
    if request.blueprint == "sparql":  # a public CORS endpoint: a script on another site must be able to read why
        headers["Access-Control-Allow-Origin"] = "*"
    if wants_json() or _script():
        body = {"error": "too-many-requests", "message": f"{error.description} {retry}", "retry_after": wait}
        return jsonify(body), 429, headers
    return render_template("errors/429.html", reason=error.description, retry=retry), 429, headers


def _script() -> bool:
    """Say whether the client asked for something other than a page (a script's Accept header names no HTML)."""
    accept = request.accept_mimetypes
    return bool(accept) and accept.best_match(["text/html", "application/xhtml+xml"]) is None
