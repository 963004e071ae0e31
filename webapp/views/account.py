"""Accounts: register (an NGO user with a new organisation), log in, log out here or everywhere, change or reset
a password."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from tipkb import accounts, resets

from .. import mail
from ..auth import current_user, login_required, sign_in, sign_out
from ..db import get_store
from ..forms import ForgotForm, LoginForm, NewPasswordForm, PasswordForm, RegisterForm

bp = Blueprint("account", __name__, url_prefix="/account")


def _safe_next(default: str) -> str:
    target = request.args.get("next") or ""
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc and not parts.scheme:
        return target
    return default


def _messages() -> dict[tuple[str, str], str]:
    # A taken email and a taken organisation get one message, so that neither can be probed on its own.
    taken = _("No account can be made with this email and organisation. If you or your organisation already "
              "use tipkb, log in, or ask your organisation's administrator to add you.")
    return {("email", "taken"): taken, ("organisation", "taken"): taken,
            ("email", "invalid email"): _("Enter a valid email address."),
            ("organisation", "required"): _("Name your organisation."),
            ("password", "too short"): _("The password is too short."),
            ("password", "common"): _("This password is one of the most common ones: choose another."),
            ("password", "email"): _("The password must not be your email address.")}


def _field_error(form, exc: accounts.AccountError) -> None:
    field = "email" if str(exc) == "taken" else exc.field
    getattr(form, field).errors.append(_messages().get((exc.field, str(exc)), str(exc)))


def reset_mail(email: str, link: str) -> tuple[str, str]:
    """Return the subject and body of the mail that carries a password reset link."""
    return _("Reset your tipkb password"), _(
        "Someone, probably you, asked to reset the password of the tipkb account %(email)s.\n\n"
        "To choose a new password, open this link within %(minutes)s minutes. It works once:\n\n%(link)s\n\n"
        "If you did not ask for this, ignore this message: your password stays as it is.",
        email=email, minutes=round(resets.RESET_HOURS * 60), link=link)


@bp.route("/register", methods=["GET", "POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            account = accounts.create(get_store().engine, form.email.data, form.password.data,
                                      organisation=form.organisation.data)
        except accounts.AccountError as exc:
            _field_error(form, exc)
        else:
            sign_in(account, remember=False)
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
            sign_in(account)
            if account.must_change_password:
                flash(_("Choose a new password: the one you used works only once."), "info")
                return redirect(url_for("account.password", next=_safe_next(url_for("assessments.index"))))
            return redirect(_safe_next(url_for("assessments.index")))
    return render_template("account/login.html", form=form), 200 if not form.errors else 422


@bp.post("/logout")
def logout():
    sign_out()
    flash(_("You are logged out."), "info")
    return redirect(url_for("home.index"))


@bp.post("/logout-everywhere")
@login_required
def logout_everywhere():
    accounts.end_sessions(get_store().engine, current_user.id)
    sign_out()
    flash(_("You are logged out on every device."), "info")
    return redirect(url_for("home.index"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        engine = get_store().engine
        if not accounts.password_matches(engine, current_user.id, form.current.data):
            form.current.errors.append(_("The current password is wrong."))
        else:
            try:
                accounts.set_password(engine, current_user.id, form.password.data)  # ends every session
            except accounts.AccountError as exc:
                _field_error(form, exc)
            else:
                sign_in(accounts.get(engine, current_user.id))  # this device goes on in a new session
                flash(_("Your password is changed. You are logged out on your other devices."), "success")
                return redirect(_safe_next(url_for("assessments.index")))
    return render_template("account/password.html", form=form), 200 if not form.errors else 422


@bp.route("/forgot", methods=["GET", "POST"])
def forgot():
    form = ForgotForm()
    if form.validate_on_submit():
        if mail.configured():
            issued = resets.issue(get_store().engine, current_app.secret_key, form.email.data)
            if issued is not None:
                account, token = issued
                mail.send(account.email, *reset_mail(account.email, mail.link("account.reset", t=token)))
        # The same answer whether or not the address has an account: the page does not tell who uses tipkb.
        return render_template("account/forgot.html", form=form, sent=True)
    return render_template("account/forgot.html", form=form, sent=False), 200 if not form.errors else 422


@bp.route("/reset", methods=["GET", "POST"])
def reset():
    token = request.args.get("t", "")
    engine = get_store().engine
    account = resets.check(engine, current_app.secret_key, token)
    if account is None:
        return render_template("account/reset.html", form=None, account=None), 410
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            resets.reset(engine, current_app.secret_key, token, form.password.data)  # ends every session
        except accounts.AccountError as exc:
            if exc.field == "token":
                return render_template("account/reset.html", form=None, account=None), 410
            _field_error(form, exc)
        else:
            sign_out()
            flash(_("Your password is changed and every session of this account is ended. Log in with the new "
                    "password."), "success")
            return redirect(url_for("account.login"))
    return render_template("account/reset.html", form=form, account=account), 200 if not form.errors else 422
