"""Flask CLI commands: `flask --app webapp create-admin`."""

from __future__ import annotations

import os

import click
from flask import Flask
from flask.cli import with_appcontext

from tipkb import accounts

from .db import get_store

PROBLEMS = {("email", "invalid email"): "TIPKB_ADMIN_EMAIL is not a valid email address",
            ("password", "too short"): f"TIPKB_ADMIN_PASSWORD is too short: use at least {accounts.MIN_PASSWORD} "
                                       f"characters",
            ("password", "common"): "TIPKB_ADMIN_PASSWORD is one of the most common passwords: choose another",
            ("password", "email"): "TIPKB_ADMIN_PASSWORD must not be the email address"}


@click.command("create-admin")
@with_appcontext
def create_admin() -> None:
    """Make sure an admin account exists (TIPKB_ADMIN_EMAIL/TIPKB_ADMIN_PASSWORD, else a one-time password)."""
    try:
        email, once = accounts.ensure_admin(get_store().engine, os.environ.get("TIPKB_ADMIN_EMAIL"),
                                            os.environ.get("TIPKB_ADMIN_PASSWORD"))
    except accounts.AccountError as exc:  # exit 1 with the reason, not a traceback
        raise click.ClickException(PROBLEMS.get((exc.field, str(exc)), str(exc))) from None
    if once:
        click.echo(f"Created the first admin: {email}\nOne-time password (shown only now; change it at first login): "
                   f"{once}")
    else:
        click.echo(f"Admin account: {email}")


def init_app(app: Flask) -> None:
    """Register the commands."""
    app.cli.add_command(create_admin)
