"""Outgoing mail over SMTP (password reset and invitation links), configured by the TIPKB_SMTP_* settings.

Without `TIPKB_SMTP_HOST` nothing is sent: an admin issues reset links and organisation admins copy
invitation links by hand. A message goes out from a thread, so a request that sends one takes as long
as one that does not (the forgot-password page does not tell which emails have accounts). Links in
mail are built on `TIPKB_BASE_URL`, never on the request's Host header, which a client chooses.
"""

from __future__ import annotations

import smtplib
import ssl
import threading
from email.message import EmailMessage
from typing import Any

from flask import Flask, current_app, url_for

from tipkb.errors import ConfigError

TIMEOUT = 20  # seconds to reach the SMTP server and hand a message over


def init_app(app: Flask) -> None:
    """Refuse a configuration that would send links on a host named by the client."""
    if app.config.get("TIPKB_SMTP_HOST") and not app.config.get("TIPKB_BASE_URL"):
        raise ConfigError("TIPKB_SMTP_HOST is set but TIPKB_BASE_URL is not: set it to the site's public address "
                          "(such as https://tipkb.example.org) so that mailed links lead there")


def configured() -> bool:
    """Say whether the app can send mail."""
    return bool(current_app.config.get("TIPKB_SMTP_HOST"))


def link(endpoint: str, **values: Any) -> str:
    """Return an absolute link to an endpoint on the configured public address (or this request's, without one)."""
    base = (current_app.config.get("TIPKB_BASE_URL") or "").rstrip("/")
    if not base:
        return url_for(endpoint, _external=True, **values)
    return base + url_for(endpoint, **values)


def send(to: str, subject: str, body: str) -> None:
    """Send a plain-text message from a thread; a failure is logged (without the message), never raised."""
    config = current_app.config
    settings = {key: config.get(f"TIPKB_SMTP_{key}") for key in ("HOST", "PORT", "USER", "PASSWORD", "FROM",
                                                                 "STARTTLS")}
    message = EmailMessage()
    message["From"] = settings["FROM"] or f"tipkb <noreply@{settings['HOST']}>"
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    logger = current_app.logger
    thread = threading.Thread(target=_deliver, args=(settings, message, logger), daemon=True)
    thread.start()


def _deliver(settings: dict[str, Any], message: EmailMessage, logger) -> None:
    try:
        with smtplib.SMTP(settings["HOST"], int(settings["PORT"] or 587), timeout=TIMEOUT) as smtp:
            if settings["STARTTLS"]:
                smtp.starttls(context=ssl.create_default_context())
            if settings["USER"]:
                smtp.login(settings["USER"], settings["PASSWORD"] or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        logger.error("mail to a user could not be sent: %s", type(exc).__name__)
