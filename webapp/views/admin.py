"""Administration: list accounts, change roles, add a user to an organisation, issue one-time passwords and password
reset links (admins)."""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from tipkb import accounts, resets, teams

from .. import mail
from ..auth import current_user, role_required
from ..db import get_store
from ..forms import NewUserForm, RoleForm

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _problem(exc: accounts.AccountError) -> str:
    return {("email", "invalid email"): _("Enter a valid email address."),
            ("email", "taken"): _("An account with this email already exists."),
            ("organisation", "required"): _("Name your organisation."),
            ("role", "last admin"): _("This is the last administrator: make another one first."),
            ("active", "last admin"): _("This is the last administrator: make another one first."),
            ("member", "last org admin"): _("This is the organisation's last administrator: make another member "
                                            "its administrator first."),
            ("member", "not an ngo account"): _("Only an NGO user of an organisation can be its administrator.")}.get(
        (exc.field, str(exc)), str(exc))


@bp.get("/users", endpoint="users")
@role_required("admin")
def users_page():
    return render_template("admin/users.html", accounts=accounts.list_all(get_store().engine), form=NewUserForm(),
                           role_form=RoleForm, once=None)


@bp.post("/users")
@role_required("admin")
def add_user():
    form = NewUserForm()
    once = None
    if form.validate_on_submit():
        once = secrets.token_urlsafe(12)
        try:
            accounts.create(get_store().engine, form.email.data, once, role=form.role.data,
                            organisation=form.organisation.data, new_organisation=False, must_change_password=True)
        except accounts.AccountError as exc:
            getattr(form, exc.field).errors.append(_problem(exc))
            once = None
    return render_template("admin/users.html", accounts=accounts.list_all(get_store().engine), form=form,
                           role_form=RoleForm, once=once, once_email=form.email.data), 200 if once else 422


@bp.post("/users/<int:user_id>/role")
@role_required("admin")
def set_role(user_id: int):
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        accounts.set_role(get_store().engine, user_id, form.role.data)
    except accounts.AccountError as exc:
        if exc.field == "user":
            abort(404)
        flash(_problem(exc), "error")
        return redirect(url_for("admin.users"))
    flash(_("Role changed."), "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/active")
@role_required("admin")
def set_active(user_id: int):
    active = request.form.get("active") == "1"
    if user_id == current_user.id and not active:
        flash(_("You cannot deactivate your own account."), "error")
        return redirect(url_for("admin.users"))
    try:
        accounts.set_active(get_store().engine, user_id, active)
    except accounts.AccountError as exc:
        if exc.field == "user":
            abort(404)
        flash(_problem(exc), "error")
        return redirect(url_for("admin.users"))
    flash(_("Account reactivated.") if active else _("Account deactivated."), "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/password")
@role_required("admin")
def one_time_password(user_id: int):
    engine = get_store().engine
    account = accounts.get(engine, user_id)
    if account is None:
        abort(404)
    once = accounts.issue_one_time_password(engine, user_id)
    return render_template("admin/users.html", accounts=accounts.list_all(engine), form=NewUserForm(formdata=None),
                           role_form=RoleForm, once=once, once_email=account.email, once_reissued=True,
                           one_time_hours=accounts.ONE_TIME_HOURS)


@bp.post("/users/<int:user_id>/reset-link")
@role_required("admin")
def reset_link(user_id: int):
    engine = get_store().engine
    try:
        account, token = resets.issue_for(engine, current_app.secret_key, user_id)
    except accounts.AccountError as exc:
        if exc.field == "user":
            abort(404)
        flash(_("This account is deactivated: reactivate it first."), "error")
        return redirect(url_for("admin.users"))
    return render_template("admin/users.html", accounts=accounts.list_all(engine), form=NewUserForm(formdata=None),
                           role_form=RoleForm, once=None, reset_email=account.email,
                           reset_link=mail.link("account.reset", t=token), reset_minutes=round(resets.RESET_HOURS * 60))


@bp.post("/users/<int:user_id>/org-admin")
@role_required("admin")
def org_admin(user_id: int):
    try:
        teams.grant(get_store().engine, user_id, request.form.get("admin") == "1")
    except accounts.AccountError as exc:
        if exc.field == "user":
            abort(404)
        flash(_problem(exc), "error")
        return redirect(url_for("admin.users"))
    flash(_("Organisation administrator changed."), "success")
    return redirect(url_for("admin.users"))
