"""Web fixtures: the app over the shared shipped KB (loaded once), accounts, and a started assessment."""

import pytest

from .webhelpers import register


@pytest.fixture
def make_app(shipped_kb, database_url):
    """Build an app over the shipped KB with a fresh database; keyword arguments override the config."""
    from webapp import create_app

    def build(**config):
        return create_app({"TESTING": True, "SECRET_KEY": "test", "TIPKB_KB": shipped_kb,
                           "TIPKB_DATABASE_URL": database_url,
                           "WTF_CSRF_ENABLED": False, **config})
    return build


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def ngo_client(client):
    """A client logged in as an NGO user of "NGO A"."""
    assert register(client).status_code == 302
    return client


@pytest.fixture
def other_client(app):
    """A second client, logged in as a user of another organisation, "NGO B"."""
    other = app.test_client()
    assert register(other, "bo@ngo-b.org", "NGO B").status_code == 302
    return other


@pytest.fixture
def expert(app):
    """A client logged in as an expert (a module may define its own `expert` to sign in another way)."""
    from tipkb import accounts
    from webapp.db import get_store

    with app.app_context():
        accounts.create(get_store().engine, "ana@experts.org", "password-1", role="expert")
    client = app.test_client()
    assert client.post("/account/login", data={"email": "ana@experts.org", "password": "password-1"}).status_code == 302
    return client
