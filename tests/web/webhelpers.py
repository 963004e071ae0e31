"""Helpers for the web tests: register a user, start an assessment, read a form's CSRF token, serve an app."""

import re
import threading
from contextlib import contextmanager

from werkzeug.serving import make_server


def register(client, email="ana@ngo-a.org", organisation="NGO A", password="secret-pass"):
    """Register an NGO user (which logs it in) and return the response."""
    return client.post("/account/register", data={"email": email, "organisation": organisation,
                                                  "password": password, "confirm": password})


def start(client, country="KG", year=2025) -> int:
    """Start an assessment and return its id."""
    response = client.post("/assessments/", data={"country": country, "year": str(year)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/assessments/(\d+)/", response.location).group(1))


def csrf_token(page: str) -> str:
    """Return the page's CSRF token (a signed-in user's page has it in a meta tag, a form in a hidden field), or ""
    for a form of an app with CSRF protection off (a test app), which renders none."""
    found = re.search(r'name="csrf[-_]token"[^>]*? (?:content|value)="([^"]+)"', page)
    return found.group(1) if found else ""


@contextmanager
def serve(app):
    """Serve an app on 127.0.0.1 at a free port from threads (one per request) for the block; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
