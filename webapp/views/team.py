"""An organisation's team: its members and open invitations, inviting a colleague by link, removing a member."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from tipkb import accounts, teams

from .. import mail
from ..auth import current_user, login_required, sign_in
from ..db import get_store
from ..forms import InviteForm, JoinForm

bp = Blueprint("team", __name__, url_prefix="/account/team")


def _problem(exc: accounts.AccountError) -> str:
    return {("email", "invalid email"): _("Enter a valid email address."),
            ("member", "last org admin"): _("This is the organisation's last administrator: make another member "
                                            "its administrator first."),
            ("member", "not an ngo account"): _("This account is not an NGO user's: ask a tipkb administrator."),
            ("member", "no such member"): _("There is no such member in your organisation."),
            ("member", "no such invitation"): _("There is no such open invitation."),
            ("user", "not an organisation admin"): _("Only your organisation's administrators can do this."),
            ("password", "too short"): _("The password is too short."),
            ("password", "common"): _("This password is one of the most common ones: choose another."),
            ("password", "email"): _("The password must not be your email address."),
            ("email", "taken"): _("An account with this email already exists: log in with it, or ask the "
                                  "administrator who invited you to invite another address.")}.get(
        (exc.field, str(exc)), str(exc))


def _member_of_organisation() -> None:
    if current_user.role != "ngo" or not current_user.organisation:
        abort(403)


def _page(form: InviteForm, link: str | None = None, status: int = 200):
    engine = get_store().engine
    organisation = current_user.organisation
    invitations = teams.pending(engine, organisation) if current_user.org_admin else []
    return render_template("team/index.html", members=teams.members(engine, organisation), invitations=invitations,
                           form=form, link=link, mailed=mail.configured()), status


def invitation_mail(organisation: str, link: str) -> tuple[str, str]:
    """Return the subject and body of the mail that carries an invitation link."""
    return _("Join %(org)s on tipkb", org=organisation), _(
        "A colleague invites you to join %(org)s on tipkb, where your organisation answers its self-assessment "
        "and reads its recommendations.\n\nTo make your account, open this link within %(hours)s hours. "
        "It works once:\n\n%(link)s\n\nIf you do not know this organisation, ignore this message.",
        org=organisation, hours=teams.INVITATION_HOURS, link=link)


@bp.get("/")
@login_required
def index():
    _member_of_organisation()
    return _page(InviteForm(formdata=None))


@bp.post("/invite")
@login_required
def invite():
    _member_of_organisation()
    if not current_user.org_admin:
        abort(403)
    form = InviteForm()
    if not form.validate_on_submit():
        return _page(form, status=422)
    try:
        invitation, token = teams.invite(get_store().engine, current_app.secret_key, current_user.id, form.email.data)
    except accounts.AccountError as exc:
        form.email.errors.append(_problem(exc))
        return _page(form, status=422)
    link = mail.link("team.join", t=token)
    if mail.configured():
        mail.send(invitation.email, *invitation_mail(invitation.organisation, link))
    return _page(InviteForm(formdata=None), link=link)


def _acted(action, message: str, *args) -> object:
    _member_of_organisation()
    number = request.form.get("id", "")
    if not number.isdigit() or len(number) > 18:
        abort(400)
    try:
        action(get_store().engine, current_user.id, int(number), *args)
    except accounts.AccountError as exc:
        if exc.field == "user":
            abort(403)
        flash(_problem(exc), "error")
    else:
        flash(message, "success")
    return redirect(url_for("team.index"))


@bp.post("/remove")
@login_required
def remove():
    return _acted(teams.remove, _("The member is removed: their account is deleted and their sessions ended."))


@bp.post("/revoke")
@login_required
def revoke():
    return _acted(teams.revoke, _("The invitation is withdrawn: its link no longer works."))


@bp.post("/admin")
@login_required
def make_admin():
    admin = request.form.get("admin") == "1"
    return _acted(teams.set_org_admin, _("The member is now an administrator of the organisation.") if admin
                  else _("The member is no longer an administrator of the organisation."), admin)


@bp.route("/join", methods=["GET", "POST"])
def join():
    token = request.args.get("t", "")
    engine = get_store().engine
    invitation = teams.invitation(engine, current_app.secret_key, token)
    if invitation is None:
        return render_template("team/join.html", form=None, invitation=None), 410
    form, problem = JoinForm(), None
    if form.validate_on_submit():
        try:
            account = teams.accept(engine, current_app.secret_key, token, form.password.data)
        except accounts.AccountError as exc:
            if exc.field == "token":
                return render_template("team/join.html", form=None, invitation=None), 410
            if exc.field == "password":
                form.password.errors.append(_problem(exc))
            else:
                problem = _problem(exc)
        else:
            sign_in(account, remember=False)
            flash(_("Welcome! You are a member of %(org)s.", org=account.organisation), "success")
            return redirect(url_for("assessments.index"))
    status = 422 if form.errors or problem else 200
    return render_template("team/join.html", form=form, invitation=invitation, problem=problem), status
