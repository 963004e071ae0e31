"""The privacy page: who can see an organisation's assessments, what is logged, how to export and delete them."""

from __future__ import annotations

from flask import Blueprint, render_template

from tipkb import accounts, resets, teams

bp = Blueprint("privacy", __name__)


@bp.get("/privacy")
def index():
    return render_template("privacy/index.html", session_days=accounts.SESSION_DAYS,
                           one_time_hours=accounts.ONE_TIME_HOURS, reset_minutes=round(resets.RESET_HOURS * 60),
                           invitation_hours=teams.INVITATION_HOURS)
