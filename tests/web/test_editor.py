"""The expert editor: only experts and admins get in; saves are validated, versioned, reversible and durable."""

import re

import pytest

from tipkb import accounts as users
from tipkb.edit.kbio import canonical_nquads
from webapp.db import get_store
from webapp.kb import get_kb

from .webhelpers import register

KB = "https://w3id.org/tipkb/kb/"
UNTOC_EDIT = "/editor/ratification/ratification-kz-untoc/edit"
SAMPLE_ARGS = {"kind": "ratification", "name": "ratification-kz-untoc", "cs_id": 1, "decision": "approve"}


@pytest.fixture
def app(make_app):
    """The app over a private copy of the shipped KB (edits must not leak into the shared one)."""
    return make_app(TIPKB_KB=None, TIPKB_STORE_PATH=":memory:")


def login(app, email, role):
    with app.app_context():
        users.create(get_store().engine, email, "password-1", role=role)
    client = app.test_client()
    assert client.post("/account/login", data={"email": email, "password": "password-1"}).status_code == 302
    return client


@pytest.fixture
def expert(app):
    return login(app, "ana@experts.org", "expert")


@pytest.fixture
def admin(app):
    return login(app, "root@tipkb.org", "admin")


def version_of(page: str) -> str:
    return re.search(r'name="version" value="([^"]*)"', page).group(1)


def field(page: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', page).group(1)


def untoc_form(client, **changes) -> dict:
    """The ratification form as the browser would send it, with changes."""
    page = client.get(UNTOC_EDIT).get_data(as_text=True)
    form = {"version": version_of(page), "reason": "checked against the official gazette",
            "country": KB + "country-kz", "instrument": KB + "instrument-untoc", "status": KB + "status-ratified",
            "date": field(page, "date"), "year": field(page, "year"), "as_of": field(page, "as_of"),
            "confidence": "high",
            "sources": "https://zakonpravo.kz/en/zakony/zakon-o-ratifikatsii-konventsii-organizatsii-obedinennyh-"
                       "natsiy-protiv-transnatsionalnoy-organizovannoy-prestupnosti",
            "note.en": re.search(r'name="note.en"[^>]*>([^<]*)<', page).group(1),
            "note.ru": re.search(r'name="note.ru"[^>]*>([^<]*)<', page).group(1)}
    form.update(changes)
    return form


def edit_urls(app):
    """Every URL of the editor and the changeset API, with the methods it answers."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in ("editor", "changes_api"):
            args = {k: SAMPLE_ARGS[k] for k in rule.arguments}
            with app.test_request_context():
                from flask import url_for
                url = url_for(rule.endpoint, **args)
            for method in sorted(rule.methods & {"GET", "POST"}):
                yield method, url


def test_anonymous_visitors_and_ngo_users_reach_no_edit_url_or_changeset_api(app, client):
    urls = list(edit_urls(app))
    assert len(urls) >= 15
    for method, url in urls:
        response = client.open(url, method=method)
        assert response.status_code in (302, 401), (method, url, response.status_code)
        if response.status_code == 302:
            assert "/account/login" in response.location
    assert register(client).status_code == 302  # now signed in as an NGO user
    for method, url in urls:
        assert client.open(url, method=method).status_code == 403, (method, url)


def test_experts_do_not_reach_admin_pages(app, expert):
    for url in ("/editor/review", "/editor/settings"):
        assert expert.get(url).status_code == 403


def test_an_expert_edits_a_ratification_and_the_country_page_shows_it(app, expert):
    form = untoc_form(expert, date="2008-06-05", sources="https://adilet.zan.kz/rus/docs/Z080000040_")
    response = expert.post(UNTOC_EDIT, data=form)
    assert response.status_code == 302 and response.location.endswith("/countries/KZ")
    page = expert.get(response.location).get_data(as_text=True)
    assert "Saved as changeset #1" in page
    assert "https://adilet.zan.kz/rus/docs/Z080000040_" in page
    assert "5 June 2008" in page


def test_an_invalid_edit_is_refused_naming_field_and_rule_and_the_kb_is_unchanged(app, expert):
    with app.app_context():
        before = canonical_nquads(get_kb())
    response = expert.post(UNTOC_EDIT, data=untoc_form(expert, year="1800"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The change was refused; nothing was saved." in page
    assert re.search(r'id="f-year-error">[^<]*between 1900 and 2100[^<]*\[tsh:RatificationShape\]', page)
    response = expert.post(UNTOC_EDIT, data=untoc_form(expert, sources="", as_of=""))
    assert response.status_code == 422 and 'id="f-sources-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert canonical_nquads(get_kb()) == before
    assert expert.get("/api/changesets/").json == []


def test_the_second_of_two_experts_editing_one_version_gets_409_and_loses_nothing(app, expert):
    other = login(app, "bo@experts.org", "expert")
    form_a = untoc_form(expert, date="2008-06-05")
    form_b = untoc_form(other, year="2009", reason="year of entry into force")
    assert form_a["version"] == form_b["version"]
    assert expert.post(UNTOC_EDIT, data=form_a).status_code == 302
    response = other.post(UNTOC_EDIT, data=form_b)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Changeset #1 by ana@experts.org" in page and "2008-06-05" in page  # the other person's change
    assert 'value="2009"' in page and "year of entry into force" in page  # my values, kept
    assert version_of(page) != form_b["version"]
    form = untoc_form(expert)
    assert (form["date"], form["year"]) == ("2008-06-05", "2008")  # nothing merged silently
    resubmit = {**form_b, "date": "2008-06-05", "version": version_of(page)}
    assert other.post(UNTOC_EDIT, data=resubmit).status_code == 302


def test_edit_history_and_revert_restore_the_previous_state(app, expert):
    with app.app_context():
        before = canonical_nquads(get_kb())
    expert.post(UNTOC_EDIT, data=untoc_form(expert, date="2008-06-05"))
    history = expert.get("/editor/ratification/ratification-kz-untoc/history").get_data(as_text=True)
    assert "#1" in history and "checked against the official gazette" in history and "ana@experts.org" in history
    diff = expert.get("/editor/changesets/1").get_data(as_text=True)
    assert "2008-06-04" in diff and "2008-06-05" in diff
    response = expert.post("/editor/changesets/1/revert", data={"reason": "misread the gazette"})
    assert response.status_code == 302 and response.location.endswith("/editor/changesets/2")
    with app.app_context():
        assert canonical_nquads(get_kb()) == before
    page = expert.get("/editor/history").get_data(as_text=True)
    assert "reverted" in page and "misread the gazette" in page
    assert expert.post("/editor/changesets/1/revert", data={"reason": "again"}).status_code == 409


def test_changes_survive_an_app_restart(make_app, app, expert):
    expert.post(UNTOC_EDIT, data=untoc_form(expert, date="2008-06-05"))
    with app.app_context():
        after = canonical_nquads(get_kb())
    restarted = make_app(TIPKB_KB=None, TIPKB_STORE_PATH=":memory:")  # same database, KB loaded from the files
    with restarted.app_context():
        assert canonical_nquads(get_kb()) == after
    assert "2008-06-05" in restarted.test_client().get("/api/countries/KZ").get_data(as_text=True)


def test_a_new_expert_waits_for_review_when_an_admin_asks_for_it(app, expert, admin):
    assert admin.post("/editor/settings", data={"threshold": "1"}).status_code == 302
    response = expert.post(UNTOC_EDIT, data=untoc_form(expert, date="2008-06-05"))
    assert "waits for an administrator" in expert.get(response.location).get_data(as_text=True)
    assert untoc_form(expert)["date"] == "2008-06-04"  # not applied yet
    assert "#1" in admin.get("/editor/review").get_data(as_text=True)
    assert admin.post("/editor/changesets/1/approve").status_code == 302
    assert untoc_form(expert)["date"] == "2008-06-05"
    response = expert.post(UNTOC_EDIT, data=untoc_form(expert, year="2009"))  # one approved change: trusted now
    assert "waits" not in expert.get(response.location).get_data(as_text=True)


def test_a_referenced_entity_cannot_be_retired(app, expert):
    page = expert.get("/editor/gap/gap-definition-not-aligned/edit").get_data(as_text=True)
    response = expert.post("/editor/gap/gap-definition-not-aligned/retire",
                           data={"version": version_of(page), "reason": "obsolete"})
    assert response.status_code == 422
    assert "country-gap-kz-definition-misaligned" in response.get_data(as_text=True)


def test_a_new_fact_is_created_in_its_country_file(app, expert):
    form = {"version": "", "reason": "2030 report", "country": KB + "country-tj", "report_year": "2030",
            "tier": KB + "tier-2", "sources": "https://www.state.gov/reports/2030/", "as_of": "2030"}
    assert expert.post("/editor/tier-rating/new", data=form).status_code == 302
    cs = expert.get("/api/changesets/1").json
    assert cs["entities"] == [KB + "tier-rating-tj-2030"]
    assert {c["graph"] for c in cs["changes"]} == {"<https://w3id.org/tipkb/graph/kb/situation/tj.ttl>"}


def test_the_changeset_api_reports_stale_and_invalid_edits(app, expert):
    iri = KB + "ratification-kz-untoc"
    version = expert.get("/api/changesets/entity", query_string={"iri": iri}).json["version"]
    edit = {"type": "ratification", "iri": iri, "version": version, "values": {"year": "2009"}, "reason": "api"}
    created = expert.post("/api/changesets/", json=edit)
    assert created.status_code == 201 and created.json["diff"][iri][0]["added"] == ["2009"]
    stale = expert.post("/api/changesets/", json={**edit, "values": {"year": "2010"}})
    assert stale.status_code == 409 and stale.json["changesets"][0]["id"] == created.json["id"]
    current = stale.json["current_version"]
    invalid = expert.post("/api/changesets/", json={**edit, "version": current, "values": {"year": "1800"}})
    assert invalid.status_code == 422 and invalid.json["problems"][0]["rule"] == "tsh:RatificationShape"


def form_data(page: str, action_part: str) -> dict:
    """What a browser would submit for the first form whose action contains `action_part`."""
    from html.parser import HTMLParser

    class Form(HTMLParser):
        def __init__(self):
            super().__init__()
            self.data, self.inside, self.select, self.textarea = {}, False, None, None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "form":
                self.inside = action_part in (a.get("action") or "") and not self.data
            elif self.inside and tag == "input" and a.get("name"):
                if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                    return  # an unticked box sends nothing
                self.data.setdefault(a["name"], []).append(a.get("value", ""))
            elif self.inside and tag == "select":
                self.select = a["name"]
            elif self.inside and tag == "option" and self.select and "selected" in a:
                self.data.setdefault(self.select, []).append(a["value"])
            elif self.inside and tag == "textarea":
                self.textarea = a["name"]
                self.data[self.textarea] = [""]

        def handle_endtag(self, tag):
            if tag == "form":
                self.inside = False
            elif tag == "select":
                self.select = None
            elif tag == "textarea":
                self.textarea = None

        def handle_data(self, text):
            if self.textarea:
                self.data[self.textarea][0] += text

    parser = Form()
    parser.feed(page)
    return parser.data


def test_an_edited_question_reaches_the_questionnaire_that_ngo_users_answer(app, expert):
    form = form_data(expert.get("/editor/question/q-pv01/edit").get_data(as_text=True), "/q-pv01/edit")
    form.update({"label.en": ["When does the current national action plan end?"], "reason": ["shorter wording"]})
    response = expert.post("/editor/question/q-pv01/edit", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert [c["predicate"] for c in expert.get("/api/changesets/1").json["changes"]] == [
        "<http://www.w3.org/2000/01/rdf-schema#label>"] * 2  # the form kept every other value as it was
    ngo = app.test_client()
    register(ngo)
    started = ngo.post("/assessments/", data={"country": "KG", "year": "2025"})
    assert "When does the current national action plan end?" in ngo.get(started.location).get_data(as_text=True)
