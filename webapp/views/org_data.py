"""An organisation's data: download all of it as JSON, or delete the organisation with its accounts and assessments."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from tipkb import accounts
from tipkb.assess.organisation_data import OrganisationNotFound, delete_organisation, export_organisation

from ..auth import current_user, login_required, sign_out
from ..db import get_store
from ..evidence import evidence_store

bp = Blueprint("org_data", __name__, url_prefix="/account/data")


class DeleteOrganisationForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired()])
    organisation = StringField(_l("The organisation's name"), validators=[DataRequired(), Length(max=300)],
                               description=_l("Type it exactly as shown above, to confirm."))


def _entitled() -> bool:
    """Say whether the signed-in user may export and delete an organisation's data: an NGO user of one."""
    return current_user.role == "ngo" and bool(current_user.organisation)


@bp.get("/")
@login_required
def index():
    return render_template("org_data/index.html", entitled=_entitled(), form=DeleteOrganisationForm())


@bp.get("/export.json")
@login_required
def export():
    if not _entitled():
        abort(403)
    try:
        document = export_organisation(get_store(), current_user.organisation)
    except OrganisationNotFound:
        abort(404)
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    body = json.dumps(document, ensure_ascii=False, indent=1)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="tipkb-organisation-{stamp}.json"',
        "Cache-Control": "no-store"})


@bp.post("/delete")
@login_required
def delete():
    if not _entitled():
        abort(403)
    form = DeleteOrganisationForm()
    if form.validate_on_submit():
        engine = get_store().engine
        if not accounts.password_matches(engine, current_user.id, form.password.data):
            form.password.errors.append(_("The password is wrong."))
        elif form.organisation.data.strip() != current_user.organisation:
            form.organisation.errors.append(_("Type the organisation's name exactly as shown."))
        else:
            try:
                delete_organisation(get_store(), current_user.organisation)
            except OrganisationNotFound:
                abort(404)
            evidence_store().prune()  # the assessments' evidence rows went with them; now their files go
            sign_out()
            flash(_("Your organisation, its accounts and all its assessments are deleted."), "success")
            return redirect(url_for("home.index"))
    return render_template("org_data/index.html", entitled=True, form=form), 422
