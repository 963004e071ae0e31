"""Accounts: register (an NGO user with a new organisation), log in, log out, change the password."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from tipkb import accounts

from ..auth import current_user, login_required
from ..db import get_store
from ..forms import LoginForm, PasswordForm, RegisterForm
from ..users import User

bp = Blueprint("account", __name__, url_prefix="/account")


def _safe_next(default: str) -> str:
    target = request.args.get("next") or ""
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc and not parts.scheme:
        return target
    return default


def _messages() -> dict[tuple[str, str], str]:
    return {("email", "taken"): _("An account with this email already exists."),
            ("email", "invalid email"): _("Enter a valid email address."),
            ("organisation", "taken"): _("This organisation already has an account. Ask its members or an "
                                         "administrator to add you."),
            ("organisation", "required"): _("Name your organisation."),
            ("password", "too short"): _("The password is too short.")}


@bp.route("/register", methods=["GET", "POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            account = accounts.create(get_store().engine, form.email.data, form.password.data,
                                      organisation=form.organisation.data)
        except accounts.AccountError as exc:
            getattr(form, exc.field).errors.append(_messages().get((exc.field, str(exc)), str(exc)))
        else:
            login_user(User.of(account))
            flash(_("Welcome! Your account for %(org)s is ready.", org=account.organisation), "success")
            return redirect(_safe_next(url_for("assessments.index")))
    return render_template("account/register.html", form=form), 200 if not form.errors else 422


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        account = accounts.authenticate(get_store().engine, form.email.data, form.password.data)
        if account is None:
            form.password.errors.append(_("Wrong email or password."))
        else:
            login_user(User.of(account), remember=True)
            if account.must_change_password:
                flash(_("Choose a new password: the one you used works only once."), "info")
                return redirect(url_for("account.password", next=_safe_next(url_for("assessments.index"))))
            return redirect(_safe_next(url_for("assessments.index")))
    return render_template("account/login.html", form=form), 200 if not form.errors else 422


@bp.post("/logout")
def logout():
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("home.index"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        engine = get_store().engine
        if accounts.authenticate(engine, current_user.email, form.current.data) is None:
            form.current.errors.append(_("The current password is wrong."))
        else:
            accounts.set_password(engine, current_user.id, form.password.data)
            flash(_("Your password is changed."), "success")
            return redirect(_safe_next(url_for("assessments.index")))
    return render_template("account/password.html", form=form), 200 if not form.errors else 422
