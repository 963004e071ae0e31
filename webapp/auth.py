"""Sign-in and roles: Flask-Login setup, `sign_in`/`sign_out`, `login_required`, `role_required(*roles)`.

`current_user.role` is one of "ngo", "expert", "admin"; `current_user.organisation` names the NGO
whose assessments the user may see (None for experts and admins without one). A signed-in user is
one session kept in the database (tipkb.accounts): its cookies stop working when it is ended. Until
a one-time password is replaced, its session reaches only the change-password page and logout.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from flask import Flask, abort, jsonify, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_required, login_user, logout_user

from tipkb import accounts

from .db import get_store
from .users import User

__all__ = ["current_user", "init_app", "login_manager", "login_required", "role_required", "sign_in", "sign_out",
           "wants_json"]

login_manager = LoginManager()
login_manager.login_view = "account.login"
login_manager.login_message = _l("Please log in to see this page.")
login_manager.login_message_category = "info"
# What a session signed in with a one-time password may reach before the password is changed.
PASSWORD_CHANGE_ENDPOINTS = {"account.password", "account.logout", "static", "health.healthz"}


def init_app(app: Flask) -> None:
    """Attach Flask-Login to the app, cap the remember-me cookie's life, and hold back unchanged one-time passwords."""
    longest, asked = timedelta(days=accounts.SESSION_DAYS), app.config.get("REMEMBER_COOKIE_DURATION") or 0
    asked = timedelta(seconds=asked) if isinstance(asked, int | float) else asked
    app.config["REMEMBER_COOKIE_DURATION"] = min(asked or longest, longest)
    login_manager.init_app(app)
    app.before_request(_password_change_first)


@login_manager.user_loader
def _load(user_id: str) -> User | None:
    """Return the user of an open session from "<id>:<token>"; None signs the request out (ended, expired, old)."""
    number, _, token = (user_id or "").partition(":")
    if not number.isdigit() or not token:
        return None
    return User.of(accounts.session_account(get_store().engine, int(number), token), token)


def sign_in(account: accounts.Account, *, remember: bool = True) -> None:
    """Open a new session for the account and give this client its cookies (ending the session it replaces)."""
    if current_user.is_authenticated:
        accounts.end_session(get_store().engine, current_user.session_token)
    login_user(User.of(account, accounts.start_session(get_store().engine, account.id)), remember=remember)


def sign_out() -> None:
    """End the current session in the database and drop this client's cookies."""
    if current_user.is_authenticated:
        accounts.end_session(get_store().engine, current_user.session_token)
    logout_user()


def _password_change_first():
    if request.endpoint in PASSWORD_CHANGE_ENDPOINTS or not current_user.is_authenticated:
        return None
    if not current_user.must_change_password:
        return None
    if wants_json():
        return jsonify({"error": "password change required", "change": url_for("account.password")}), 403
    return redirect(url_for("account.password"))


def wants_json() -> bool:
    """Say whether the request expects JSON back (the API, or a script posting JSON)."""
    return (request.path.startswith("/api/") or request.is_json
            or request.accept_mimetypes.best == "application/json")


@login_manager.unauthorized_handler
def _unauthorized():
    if wants_json():
        return jsonify({"error": "login required", "login": url_for("account.login")}), 401
    return redirect(url_for("account.login", next=request.full_path if request.method == "GET" else request.path))


def role_required(*roles: str) -> Callable:
    """Let only signed-in users with one of these roles through: others get the login page or 403."""
    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapper
    return decorate
