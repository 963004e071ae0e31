"""Sign-in and roles: Flask-Login setup, `login_required`, `role_required(*roles)` and `current_user`.

`current_user.role` is one of "ngo", "expert", "admin"; `current_user.organisation` names the NGO
whose assessments the user may see (None for experts and admins without one).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, abort, jsonify, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_required

from tipkb import accounts

from .db import get_store
from .users import User

__all__ = ["current_user", "init_app", "login_manager", "login_required", "role_required", "wants_json"]

login_manager = LoginManager()
login_manager.login_view = "account.login"
login_manager.login_message = _l("Please log in to see this page.")
login_manager.login_message_category = "info"


def init_app(app: Flask) -> None:
    """Attach Flask-Login to the app."""
    login_manager.init_app(app)


@login_manager.user_loader
def _load(user_id: str) -> User | None:
    try:
        account = User.of(accounts.get(get_store().engine, int(user_id)))
    except ValueError:
        return None
    return account if account is not None and account.is_active else None  # a deactivated user is signed out


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
