"""Security headers on every response, no-store on private ones, and safe flags on every cookie.

The content security policy allows scripts and styles from our own origin only: templates carry no
inline script, no `style=` attribute and no `on…=` handler (tests/web/test_templates_csp.py keeps it so).
Private answers (anything for a signed-in user, and the account, assessment, admin and editor pages)
say `Cache-Control: no-store`, so no browser or proxy keeps a copy of an NGO's assessment.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request, session
from flask_login import current_user

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    # same-origin, not no-referrer: Flask-WTF checks the Referer of forms posted over HTTPS.
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}
HSTS = "max-age=31536000"  # a year; only sent when served over HTTPS (TIPKB_HTTPS)
PRIVATE_PREFIXES = ("/account", "/assessments", "/admin", "/editor")
NO_STORE = "no-store"


def init_app(app: Flask) -> None:
    """Add the security headers, the private-page cache rule and the cookie flags to every response."""
    app.after_request(_secure_response)


def is_private(response: Response) -> bool:
    """Say whether a response may carry private data: a signed-in user's, a private area's, or one setting a cookie."""
    if request.endpoint == "static":
        return False
    if request.path.startswith(PRIVATE_PREFIXES) or "Set-Cookie" in response.headers:
        return True
    if session.modified or (session and current_app.session_interface.should_set_cookie(current_app, session)):
        return True  # Flask sets (or clears) the session cookie after this hook
    return bool(current_user and current_user.is_authenticated)


def _secure_response(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    https = current_app.config["TIPKB_HTTPS"]
    if https:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    if is_private(response):
        response.headers["Cache-Control"] = NO_STORE
        response.headers.pop("Expires", None)
    cookies = response.headers.getlist("Set-Cookie")
    if cookies:
        response.headers.setlist("Set-Cookie", [cookie_flags(c, https=https) for c in cookies])
    return response


def cookie_flags(cookie: str, *, https: bool) -> str:
    """Return a Set-Cookie value with HttpOnly and SameSite=Lax, and Secure when served over HTTPS, added if missing."""
    flags = {part.strip().split("=", 1)[0].lower() for part in cookie.split(";")[1:]}
    extra = [flag for flag, needed in (("HttpOnly", True), ("SameSite=Lax", True), ("Secure", https))
             if needed and flag.split("=", 1)[0].lower() not in flags]
    return "; ".join([cookie, *extra]) if extra else cookie
