"""Every page type passes axe-core with no critical or serious violation, in English and Russian, at 1280 and 390 px.

One server and one browser for the module, one context per role (anonymous, NGO user, expert, admin), one tab each.
Each page is checked in English at 1280 px and in Russian at 390 px (the longer language in the narrower layout);
the pages an NGO worker spends most time on (FULL) also in English at 390 and Russian at 1280, each narrowed from
1280 px so that the page's own resize handlers run (colour contrast: see CONTRAST). axe comes from the package's
own file and is run by Playwright's evaluation, which the page's Content Security Policy does not govern: the app's
CSP stays as strict as users get it.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

axe_package = pytest.importorskip("axe_playwright_python")

AXE_SOURCE = (Path(axe_package.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = json.loads((ROOT / "kb" / "examples" / "kg-2025.json").read_text())
BLOCKING = ("critical", "serious")
WIDTHS = (1280, 390)
LANGS = ("en", "ru")
# Colour contrast, the slowest rule (over half of axe's time), runs in English wide and in Russian narrow: the
# colours are the same in both languages, and these two cover both layouts.
CONTRAST = {("en", 1280), ("ru", 390)}
# Every page type in both languages and both widths, and these in every combination of the two.
FULL = {"country", "section-error", "review", "results"}
# A state of a page whose other states are checked in both layouts: English at 1280 px is enough.
WIDE_ENGLISH = {"import-problems"}
# axe cannot tell the colour behind text over a gradient and leaves such text unchecked: the scroll shadows of the
# table boxes would hide every table from the contrast check. Without them, the text shows on what is behind the box.
NO_SHADOWS = """() => document.querySelectorAll(".table-scroll, .table-wrap").forEach(box => {
  box.style.backgroundImage = "none"; })"""
PASSWORDS = {"ngo": "ngo-a-password-1", "expert": "expert-password-1", "admin": "admin-password-1"}
# The first disclosure of each kind opened (with those around it), so that what a reader unfolds (the rest of the
# results, a trace, a help text) is checked too; the others are the same template over other data.
OPEN_FIRST = """() => {
  const kinds = new Set();
  for (const d of document.querySelectorAll("details")) {
    if (kinds.has(d.className)) continue;
    kinds.add(d.className);
    for (let o = d; o; o = o.parentElement && o.parentElement.closest("details")) o.open = true;
  }
  return new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
}"""
EMAILS = {"ngo": "ana@ngo-a.org", "expert": "eva@experts.org", "admin": "ada@admins.org"}


def send(fields: dict, button: str | None = None):
    """An action: fill the fields (selector → value; True ticks a box) and send their form (by the button that
    `button` selects, else its first)."""
    def act(page):
        for selector, value in fields.items():
            page.check(selector) if value is True else page.fill(selector, value)
        form = page.locator(f"form:has({next(iter(fields))})")
        with page.expect_navigation():
            form.locator(button or "[type=submit]").first.click()
    return act


def upload(content: bytes):
    """An action: send the import form a CSV file of this content."""
    def act(page):
        page.set_input_files("input[type=file]", files=[{"name": "answers.csv", "mimeType": "text/csv",
                                                          "buffer": content}])
        with page.expect_navigation():
            page.locator("form:has(input[type=file]) [type=submit]").first.click()
    return act


# A KoboToolbox CSV export with a wrong option, an unknown question and another questionnaire version.
PROBLEMS = (b"assessment/country,assessment/year,assessment/questionnaire_version,prot_identification/PT01,"
            b"prot_identification/ZZ99,_uuid\nKG,2025,1.1,maybe,x,uuid-1\nKZ,2025,0.9,yes,,uuid-2\n")


@dataclass(frozen=True)
class Check:
    """A page to check: who looks at it, its path (formatted with the site's ids), its status, an action first."""

    role: str
    name: str
    path: str
    status: int = 200
    act: Callable | None = None

    def __str__(self):
        return self.name


LABELS_QUERY = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 30"
CHECKS = [
    Check("anonymous", "home", "/"),
    Check("anonymous", "gaps", "/gaps"),
    Check("anonymous", "gaps-search", "/gaps?q=приюты"),
    Check("anonymous", "gap", "/gaps/{gap}"),
    Check("anonymous", "practices", "/practices"),
    Check("anonymous", "practice", "/practices/{practice}"),
    Check("anonymous", "instruments", "/instruments"),
    Check("anonymous", "instrument", "/instruments/{instrument}"),
    Check("anonymous", "country", "/countries/KG"),
    Check("anonymous", "country-recommendations", "/countries/KG/recommendations"),
    Check("anonymous", "how-we-rank", "/how-we-rank"),
    Check("anonymous", "data", "/data/"),
    Check("anonymous", "sparql", "/sparql"),
    Check("anonymous", "sparql-table", "/sparql", act=send({"#query": LABELS_QUERY})),
    Check("anonymous", "sparql-error", "/sparql", act=send({"#query": "SELECT ?s WHERE { ?s ?p }"})),
    Check("anonymous", "privacy", "/privacy"),
    Check("anonymous", "login", "/account/login"),
    Check("anonymous", "login-error", "/account/login", act=send({"#email": "nobody@ngo-x.org", "#password": "wrong"})),
    Check("anonymous", "register", "/account/register"),
    Check("anonymous", "register-error", "/account/register", act=send({"#email": "not-an-address"})),
    Check("anonymous", "forgot-password", "/account/forgot"),
    Check("anonymous", "reset-link-spent", "/account/reset", status=410),
    Check("anonymous", "not-found", "/no-such-page", status=404),
    Check("ngo", "my-assessments", "/assessments/"),
    Check("ngo", "start-error", "/assessments/", act=send({"#year": "1800"})),
    Check("ngo", "section", "/assessments/{draft}/sections/prot-assistance"),  # a link and a file as evidence
    Check("ngo", "section-error", "/assessments/{draft}/sections/prot-identification",
          act=send({"#qq-PT01 input[value=yes]": True, "#in-PT20": "twenty"}, button="[value=stay]")),
    Check("ngo", "review", "/assessments/{draft}/review"),
    Check("ngo", "import", "/assessments/import"),
    Check("ngo", "import-error", "/assessments/import", act=upload(b"name,value\nnot,an export\n")),
    Check("ngo", "import-problems", "/assessments/import", act=upload(PROBLEMS)),
    Check("ngo", "results", "/assessments/{submitted}/results"),  # with the follow-up board: a status, its history
    Check("ngo", "last-year", "/assessments/{next_year}/last-year"),
    Check("ngo", "results-by-stakeholder", "/assessments/{submitted}/results?group=stakeholder"),
    Check("ngo", "copy", "/assessments/{submitted}/copy"),
    Check("ngo", "delete-draft", "/assessments/{draft}/delete"),
    Check("ngo", "account", "/account/password"),
    Check("ngo", "account-error", "/account/password", act=send({"#current": "wrong-password-0"})),
    Check("ngo", "data-rights", "/account/data/"),
    Check("ngo", "team", "/account/team/"),
    Check("ngo", "forbidden", "/editor/", status=403),
    Check("expert", "editor", "/editor/"),
    Check("expert", "editor-list", "/editor/best-practice/"),
    Check("expert", "editor-form", "/editor/best-practice/{practice_name}/edit"),
    Check("expert", "editor-new", "/editor/ratification/new"),
    Check("expert", "editor-new-error", "/editor/ratification/new", act=send({"#f-date": "not a date"})),
    Check("expert", "editor-history", "/editor/history"),
    Check("expert", "entity-history", "/editor/ratification/{ratification}/history"),
    Check("expert", "changeset", "/editor/changesets/1"),
    Check("expert", "freshness", "/freshness/?country=UZ"),  # one country: the same template, a tenth of the rows
    Check("expert", "checklist", "/freshness/checklist"),
    Check("admin", "users", "/admin/users"),
    Check("admin", "users-error", "/admin/users", act=send({"#email": "not-an-address"})),
    Check("admin", "editor-review", "/editor/review"),
    Check("admin", "pending-changeset", "/editor/changesets/2"),
    Check("admin", "editor-settings", "/editor/settings"),
]
RATIFICATION = "ratification-kz-untoc"


@dataclass(frozen=True)
class Site:
    url: str
    ids: dict


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Serve the app (CSRF on, its own copy of the KB) with an NGO user, an expert and an admin, a submitted
    assessment with a follow-up (two statuses and a link), a draft with evidence, and next year's draft."""
    from web.webhelpers import serve

    from tipkb import accounts
    from tipkb.assess import followup_store
    from webapp import create_app
    from webapp.db import get_questionnaire, get_store
    from webapp.evidence import evidence_store
    from webapp.followups import SUBJECT, recommended

    db = tmp_path_factory.mktemp("axe") / "tipkb.sqlite"
    app = create_app({"SECRET_KEY": "browser-test", "TIPKB_STORE_PATH": ":memory:",
                      "TIPKB_DATABASE_URL": f"sqlite:///{db}", "TIPKB_EVIDENCE_DIR": str(db.parent / "evidence")})
    with app.test_request_context():
        store = get_store()
        accounts.create(store.engine, EMAILS["ngo"], PASSWORDS["ngo"], organisation="NGO A")
        for role in ("expert", "admin"):
            accounts.create(store.engine, EMAILS[role], PASSWORDS[role], role=role)
        submitted = store.create("NGO A", "KG", 2025)
        store.save_answers(submitted.id, EXAMPLE["answers"])
        submitted = store.submit(submitted.id)
        draft = store.create("NGO A", "KZ", 2026)  # a part answered, as the form and autosave keep it
        store.save_answers(draft.id, dict(list(EXAMPLE["answers"].items())[:8]), drop_unasked=True)
        evidence = evidence_store()
        code = get_questionnaire().questions_in("prot-assistance")[0].code
        evidence.add_link(draft.id, code, "https://example.org/shelter-report", "Shelter report 2025")
        evidence.add_file(draft.id, code, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "minutes.pdf")
        codes = [r.practice_code for r in recommended(submitted)]
        for version, status in enumerate(("raised", "accepted")):
            followup_store.record(store, submitted.id, codes[0], status, "2026-02-01", "Met the ministry",
                                  by=EMAILS["ngo"], expected_version=version, known=codes)
        evidence.add_link(submitted.id, SUBJECT + codes[0], "https://example.org/decree-7", "Decree No. 7")
        next_year = store.copy(submitted.id, year=2026)
    client = app.test_client()
    first = {kind: client.get(f"/api/{kind}s").get_json()[0] for kind in ("gap", "practice", "instrument")}
    ids = {**{kind: item["code"] for kind, item in first.items()}, "ratification": RATIFICATION,
           "practice_name": first["practice"]["iri"].rsplit("/", 1)[1], "submitted": submitted.id, "draft": draft.id,
           "next_year": next_year.id}
    with serve(app) as url:
        yield Site(url, ids)


def edit_ratification(page, url, date):
    """Change the UNTOC ratification's date in the editor, as an expert."""
    page.goto(f"{url}/editor/ratification/{RATIFICATION}/edit?lang=en")
    page.fill("#f-date", date)
    page.get_by_label("Reason for the change").fill("The date as published in the official gazette")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()


@pytest.fixture(scope="module")
def tabs(chromium, site):
    """One signed-in context and tab per role (the anonymous one signed in as no one); the expert's first change is
    applied (changeset 1), the second waits for review (changeset 2)."""
    contexts, tabs = [], {}
    for role in ("anonymous", *PASSWORDS):
        context = chromium.new_context(locale="en-GB", viewport={"width": WIDTHS[0], "height": 900})
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = tabs[role] = context.new_page()
        if role != "anonymous":
            page.goto(f"{site.url}/account/login?lang=en")
            send({"#email": EMAILS[role], "#password": PASSWORDS[role]})(page)
            assert "/account/login" not in page.url, f"{role} could not log in"
    edit_ratification(tabs["expert"], site.url, "2008-06-05")
    tabs["admin"].goto(f"{site.url}/editor/settings?lang=en")
    send({"#threshold": "5"})(tabs["admin"])
    edit_ratification(tabs["expert"], site.url, "2008-06-06")
    tabs["admin"].goto(f"{site.url}/editor/review?lang=en")
    assert tabs["admin"].locator('main a[href="/editor/changesets/2"]').count(), "changeset 2 is not waiting for review"
    yield tabs
    for context in contexts:
        context.close()


def blocking_violations(page, contrast: bool) -> list[dict]:
    """Run axe-core on the page as it stands (colour contrast only if asked); return its critical and serious
    violations."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    if contrast:
        page.evaluate(NO_SHADOWS)
    options = {"resultTypes": ["violations"], "rules": {"color-contrast": {"enabled": contrast}}}
    result = page.evaluate("options => axe.run(document, options)", options)
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def describe(found: list[tuple[str, int, dict]]) -> str:
    """Word the violations one by one: language, width, rule id, impact, then each node's target and failure."""
    lines = []
    for lang, width, v in found:
        lines.append(f"[{lang} {width}px] {v['id']} ({v['impact']}): {v['help']}")
        lines += [f"    {' '.join(map(str, node['target']))}: "
                  f"{((node.get('failureSummary') or '').strip().splitlines() or [''])[-1].strip()}"
                  for node in v["nodes"][:8]]
        if len(v["nodes"]) > 8:
            lines.append(f"    … and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


@pytest.mark.slow
@pytest.mark.parametrize("check", CHECKS, ids=str)
def test_no_critical_or_serious_axe_violation(tabs, site, check):
    page = tabs[check.role]
    found = []
    for lang in LANGS[:1] if check.name in WIDE_ENGLISH else LANGS:
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        path = check.path.format(**site.ids)
        response = page.goto(f"{site.url}{path}{'&' if '?' in path else '?'}lang={lang}")
        assert response.status == check.status, f"{check.name}: {response.status}"
        if check.act:
            check.act(page)
        page.evaluate(OPEN_FIRST)
        for width in WIDTHS:
            if check.name not in FULL and (lang, width) not in CONTRAST:
                continue
            if width != WIDTHS[0]:
                page.set_viewport_size({"width": width, "height": 844})
                page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
            found += [(lang, width, v) for v in blocking_violations(page, (lang, width) in CONTRAST)]
    assert not found, f"{check.name}: axe finds critical or serious violations\n{describe(found)}"
