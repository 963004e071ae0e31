"""Who may reach each route: the expected outcome per role for every rule and method of the app's URL map.

A route added to the app without a row here fails tests/web/test_route_matrix.py, naming the rule to add.
"""

ROLES = ("anonymous", "ngo_a", "ngo_b", "expert", "admin")

# Outcomes: "ok" the view runs (any answer but 401, 403, 404, 5xx or a redirect to the login page), "login"
# (a redirect to the login page, or 401 JSON), "forbidden" (403), "hidden" (403 or 404: no hint the thing exists).
POLICIES = {
    "public": dict.fromkeys(ROLES, "ok"),
    "signed-in": {"anonymous": "login", "ngo_a": "ok", "ngo_b": "ok", "expert": "ok", "admin": "ok"},
    "organisation": {"anonymous": "login", "ngo_a": "ok", "ngo_b": "ok", "expert": "forbidden", "admin": "forbidden"},
    "owner": {"anonymous": "login", "ngo_a": "ok", "ngo_b": "hidden", "expert": "hidden", "admin": "hidden"},
    "editor": {"anonymous": "login", "ngo_a": "forbidden", "ngo_b": "forbidden", "expert": "ok", "admin": "ok"},
    "admin": {"anonymous": "login", "ngo_a": "forbidden", "ngo_b": "forbidden", "expert": "forbidden", "admin": "ok"},
}

ROUTES = {  # (method, rule): policy
    ("GET", "/"): "public",
    ("GET", "/healthz"): "public",
    ("GET", "/static/<path:filename>"): "public",
    ("GET", "/favicon.ico"): "public",
    # catalogues, country pages and downloads: public
    ("GET", "/countries/<code>"): "public",
    ("GET", "/countries/<code>/recommendations"): "public",
    ("GET", "/countries/<code>/report.pdf"): "public",
    ("GET", "/how-we-rank"): "public",
    ("GET", "/gaps"): "public",
    ("GET", "/gaps/<code>"): "public",
    ("GET", "/practices"): "public",
    ("GET", "/practices/<code>"): "public",
    ("GET", "/instruments"): "public",
    ("GET", "/instruments/<code>"): "public",
    ("GET", "/data/"): "public",
    ("GET", "/data/tipkb.<ext>"): "public",
    ("GET", "/sparql"): "public",
    ("POST", "/sparql"): "public",
    # accounts
    ("GET", "/account/login"): "public",
    ("POST", "/account/login"): "public",
    ("GET", "/account/register"): "public",
    ("POST", "/account/register"): "public",
    ("POST", "/account/logout"): "public",
    ("POST", "/account/logout-everywhere"): "signed-in",
    ("GET", "/account/password"): "signed-in",
    ("POST", "/account/password"): "signed-in",
    ("GET", "/account/data/"): "signed-in",  # the page; only NGO users are offered the export and deletion
    ("GET", "/account/data/export.json"): "organisation",  # the signed-in user's own organisation only
    ("POST", "/account/data/delete"): "organisation",
    ("GET", "/account/forgot"): "public",
    ("POST", "/account/forgot"): "public",
    ("GET", "/account/reset"): "public",  # 410 without a valid link
    ("POST", "/account/reset"): "public",
    ("GET", "/account/team/"): "organisation",  # the signed-in user's own organisation only
    ("POST", "/account/team/invite"): "organisation",
    ("POST", "/account/team/remove"): "organisation",  # 400 without a member's id
    ("POST", "/account/team/revoke"): "organisation",
    ("POST", "/account/team/admin"): "organisation",
    ("GET", "/account/team/join"): "public",  # 410 without a valid link
    ("POST", "/account/team/join"): "public",
    ("GET", "/privacy"): "public",
    # administration
    ("GET", "/admin/users"): "admin",
    ("POST", "/admin/users"): "admin",
    ("POST", "/admin/users/<int:user_id>/role"): "admin",
    ("POST", "/admin/users/<int:user_id>/active"): "admin",
    ("POST", "/admin/users/<int:user_id>/password"): "admin",
    ("POST", "/admin/users/<int:user_id>/reset-link"): "admin",
    ("POST", "/admin/users/<int:user_id>/org-admin"): "admin",  # a flash for an account of no organisation
    # an organisation's assessments: its own users only
    ("GET", "/assessments/"): "signed-in",
    ("POST", "/assessments/"): "organisation",
    ("GET", "/assessments/import"): "organisation",
    ("POST", "/assessments/import"): "organisation",
    ("GET", "/questionnaire.xlsx"): "public",
    ("GET", "/questionnaire.pdf"): "public",
    ("GET", "/assessments/<int:assessment_id>"): "owner",
    ("GET", "/assessments/<int:assessment_id>/sections/<section_id>"): "owner",
    ("POST", "/assessments/<int:assessment_id>/sections/<section_id>"): "owner",
    ("POST", "/assessments/<int:assessment_id>/autosave"): "owner",
    ("GET", "/assessments/<int:assessment_id>/review"): "owner",
    ("POST", "/assessments/<int:assessment_id>/submit"): "owner",
    ("POST", "/assessments/<int:assessment_id>/copy"): "owner",
    ("GET", "/assessments/<int:assessment_id>/copy"): "owner",  # the confirmation step
    ("GET", "/assessments/<int:assessment_id>/delete"): "owner",
    ("POST", "/assessments/<int:assessment_id>/delete"): "owner",
    ("POST", "/assessments/<int:assessment_id>/title"): "owner",
    ("GET", "/assessments/<int:assessment_id>/results"): "owner",
    ("GET", "/assessments/<int:assessment_id>/report.pdf"): "owner",
    ("POST", "/assessments/<int:assessment_id>/evidence"): "owner",  # 400 without a question
    ("GET", "/assessments/<int:assessment_id>/evidence/<int:evidence_id>"): "owner",  # a stored file, as an attachment
    ("POST", "/assessments/<int:assessment_id>/evidence/<int:evidence_id>/delete"): "owner",
    ("GET", "/assessments/<int:assessment_id>/followup/<code>"): "owner",  # a draft's: back to its results
    ("POST", "/assessments/<int:assessment_id>/followup/<code>"): "owner",
    ("POST", "/assessments/<int:assessment_id>/followup/<code>/evidence"): "owner",
    ("POST", "/assessments/<int:assessment_id>/followup/<code>/evidence/<int:evidence_id>/delete"): "owner",
    ("GET", "/assessments/<int:assessment_id>/followup.csv"): "owner",
    ("GET", "/assessments/<int:assessment_id>/last-year"): "owner",  # a draft not copied: to its questionnaire
    # the editor: experts and admins; reviewing and settings: admins
    ("GET", "/editor/"): "editor",
    ("GET", "/editor/<kind>/"): "editor",
    ("GET", "/editor/<kind>/new"): "editor",
    ("POST", "/editor/<kind>/new"): "editor",
    ("GET", "/editor/<kind>/<name>/edit"): "editor",
    ("POST", "/editor/<kind>/<name>/edit"): "editor",
    ("GET", "/editor/<kind>/<name>/history"): "editor",
    ("POST", "/editor/<kind>/<name>/retire"): "editor",
    ("GET", "/editor/history"): "editor",
    ("GET", "/editor/translations"): "editor",  # coverage per language; ?language= lists what to translate
    ("GET", "/editor/changesets/<int:cs_id>"): "editor",
    ("POST", "/editor/changesets/<int:cs_id>/revert"): "editor",
    ("POST", "/editor/changesets/<int:cs_id>/<any(approve, reject):decision>"): "admin",
    ("GET", "/editor/review"): "admin",
    ("GET", "/editor/settings"): "admin",
    ("GET", "/freshness/"): "editor",  # the experts' work queue of facts to check
    ("GET", "/freshness/checklist"): "editor",  # what a new TIP report year should update
    ("POST", "/editor/settings"): "admin",
    # the API: KB reads public, assessments their organisation's, changesets experts'
    ("GET", "/api/openapi.json"): "public",
    ("GET", "/api/countries"): "public",
    ("GET", "/api/countries/<code>"): "public",
    ("GET", "/api/gaps"): "public",
    ("GET", "/api/gaps/<code>"): "public",
    ("GET", "/api/practices"): "public",
    ("GET", "/api/practices/<code>"): "public",
    ("GET", "/api/instruments"): "public",
    ("GET", "/api/instruments/<code>"): "public",
    ("GET", "/api/questionnaire"): "public",
    ("GET", "/api/recommendations"): "public",
    ("GET", "/api/assessments"): "signed-in",
    ("POST", "/api/assessments/import"): "organisation",  # 400 without a file
    ("GET", "/api/assessments/<int:assessment_id>"): "owner",
    ("GET", "/api/assessments/<int:assessment_id>/recommendations"): "owner",
    ("GET", "/api/assessments/<int:assessment_id>/followups"): "owner",
    ("GET", "/api/assessments/<int:assessment_id>/followups/<code>"): "owner",  # a draft's: 409
    ("PUT", "/api/assessments/<int:assessment_id>/followups/<code>"): "owner",  # 400 without a body
    ("GET", "/api/assessments/<int:assessment_id>/followup-history"): "owner",
    ("GET", "/api/assessments/<int:assessment_id>/followups.csv"): "owner",
    ("GET", "/api/assessments/<int:assessment_id>/evidence"): "owner",
    ("POST", "/api/assessments/<int:assessment_id>/evidence"): "owner",  # 400 without a subject
    ("DELETE", "/api/assessments/<int:assessment_id>/evidence/<int:item_id>"): "owner",  # the second evidence, a link
    ("GET", "/api/assessments/<int:assessment_id>/evidence/<int:evidence_id>/file"): "owner",
    ("GET", "/api/changesets/"): "editor",
    ("POST", "/api/changesets/"): "editor",
    ("GET", "/api/changesets/<int:cs_id>"): "editor",
    ("GET", "/api/changesets/entity"): "editor",
    ("POST", "/api/changesets/<int:cs_id>/revert"): "editor",
}

# Requests that end the session or remove data run after all others, in this order.
LAST = ("/assessments/<int:assessment_id>/delete", "/account/data/delete", "/account/logout-everywhere",
        "/account/logout")
