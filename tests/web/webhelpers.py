"""Helpers for the web tests: register a user, start an assessment, read a form's CSRF token."""

import re


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
