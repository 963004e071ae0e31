"""The expert editor: create, edit and retire entities through forms; history, diffs, revert, review.

Every URL here is for experts and admins only; saving is one validated changeset (docs/editing.md).
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape
from rdflib import URIRef

from tipkb.checks.translations import coverage
from tipkb.edit.changesets import (
    ChangeConflictError,
    ChangesetError,
    ChangesetNotFound,
    InvalidChangeError,
    StaleEditError,
)
from tipkb.edit.entity_types import GROUPS, TYPES, EntityType
from tipkb.edit.forms import (
    FormError,
    build_edit,
    editable_entity,
    form_values,
    list_entities,
    property_labels,
    retire_edit,
    values_from_form,
)
from tipkb.edit.languages import DRAFTS, script_errors
from tipkb.edit.reviewing import worklist
from tipkb.edit.titles import title_of
from tipkb.i18n import LANGUAGES, NATIVE_NAMES, REGIONAL_LANGUAGES, REQUIRED_LANGUAGES, SCRIPTS
from tipkb.namespaces import KB_IRI, TIP

from ..auth import login_manager, role_required
from ..changes import get_changelog
from ..editing import (
    AREA_NAMES,
    GROUP_NAMES,
    REVIEW_SETTING,
    STATUS_NAMES,
    TYPE_NAMES,
    diff_view,
    field_label,
    form_fields,
    needs_review,
    problems_by_field,
    review_threshold,
    short,
    when,
)
from ..i18n import current_language
from ..kb import get_kb

bp = Blueprint("editor", __name__, url_prefix="/editor")
EDITORS = ("expert", "admin")
MAX_PAGE = 100_000  # of 50 changesets each; a bigger number is refused before it reaches the database


@bp.before_request
def _editors_only():
    # Guards every URL of the blueprint, including ones added later.
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.role not in EDITORS:
        abort(403)
    return None


@bp.context_processor
def _names():
    return {"type_names": TYPE_NAMES, "group_names": GROUP_NAMES, "status_names": STATUS_NAMES, "short": short,
            "when": when, "title_of": _title, "native_names": NATIVE_NAMES,
            "required_languages": REQUIRED_LANGUAGES, "regional_languages": REGIONAL_LANGUAGES}


def _title(iri: str) -> str:
    """Return an entity's name in the page language (its label, or one made from its naming fields)."""
    return title_of(get_kb(), str(iri), current_language())


def _etype(key: str) -> EntityType:
    if key not in TYPES:
        abort(404)
    return TYPES[key]


def _entity(etype: EntityType, name: str) -> str:
    try:  # the same check as the changeset API's: a KB entity of this type, never an ontology term
        return str(editable_entity(get_kb(), etype, KB_IRI + name))
    except FormError:
        abort(404)


# --- browsing -------------------------------------------------------------------------------

@bp.get("/")
def index():
    log = get_changelog()
    groups = [(g, [t for t in TYPES.values() if t.group == g]) for g in GROUPS]
    pending = len(log.history(status="pending", limit=500)) if current_user.role == "admin" else 0
    return render_template("editor/index.html", groups=groups, recent=log.history(limit=10), pending=pending)


@bp.get("/<kind>/")
def entities(kind: str):
    etype = _etype(kind)
    country = (request.args.get("country") or "").upper()
    items = list_entities(get_kb(), etype)
    countries = sorted({i.iso for i in items if i.iso})
    if country:
        items = [i for i in items if i.iso == country]
    return render_template("editor/list.html", etype=etype, items=items, countries=countries, country=country)


@bp.get("/<kind>/<name>/history")
def entity_history(kind: str, name: str):
    etype = _etype(kind)
    iri = KB_IRI + name
    return render_template("editor/history.html", changesets=get_changelog().history(entity=iri, limit=200),
                           title=_("History of %(name)s", name=_title(iri)), etype=etype, name=name, iri=iri)


@bp.get("/history")
def history():
    page = _page_number()
    changesets = get_changelog().history(limit=51, offset=(page - 1) * 50)
    return render_template("editor/history.html", changesets=changesets[:50], title=_("History of the KB"),
                           page=page, more=len(changesets) > 50)


def _page_number() -> int:
    """Return ?page= (default 1); 400 unless it is a whole number from 1 to MAX_PAGE."""
    raw = request.args.get("page", "1")
    if not (raw.isascii() and raw.isdigit() and len(raw) <= len(str(MAX_PAGE)) and 1 <= int(raw) <= MAX_PAGE):
        abort(400, description=_("The page number must be a whole number from 1 to %(max)s.", max=MAX_PAGE))
    return int(raw)


@bp.get("/changesets/<int:cs_id>")
def changeset(cs_id: int):
    return _show_changeset(cs_id)


def _show_changeset(cs_id: int, *, error: str | None = None, problems=(), status: int = 200):
    try:
        cs = get_changelog().get(cs_id)
    except ChangesetNotFound:
        abort(404)
    return render_template("editor/changeset.html", cs=cs, diff=diff_view(cs), error=error,
                           problems=problems), status


# --- translations -----------------------------------------------------------------------------

@bp.get("/translations")
def translations():
    """Show translation coverage per language; with ?language=, the entries to translate or review in it."""
    code = request.args.get("language")
    if code is None:
        table = coverage(get_kb(), Path(current_app.root_path) / "translations")
        return render_template("editor/translations.html", table=table, area_names=AREA_NAMES, languages=LANGUAGES)
    if code not in LANGUAGES[1:]:
        abort(404)
    return render_template("editor/translation_list.html", code=code, areas=worklist(get_kb(), code),
                           area_names=AREA_NAMES, field_label=field_label, kb_prefix=KB_IRI,
                           property_labels=property_labels(get_kb()))


# --- editing --------------------------------------------------------------------------------

@bp.route("/<kind>/new", methods=["GET", "POST"])
def create(kind: str):
    etype = _etype(kind)
    if not etype.creatable:
        abort(404)
    if request.method == "POST":
        return _save(etype, None)
    values = {f.name: ({} if f.kind == "text2" else [] if f.kind in ("refs", "urls") else "") for f in etype.fields}
    if etype.country_field and request.args.get("country"):
        values[etype.country_field.name] = f"{KB_IRI}country-{request.args['country'].lower()}"
    return _form(etype, None, values, "")


@bp.route("/<kind>/<name>/edit", methods=["GET", "POST"])
def edit(kind: str, name: str):
    etype = _etype(kind)
    iri = _entity(etype, name)
    if request.method == "POST":
        return _save(etype, iri)
    desc = get_changelog().describe(iri)
    return _form(etype, iri, form_values(desc, etype), desc.version)


@bp.post("/<kind>/<name>/retire")
def retire(kind: str, name: str):
    etype = _etype(kind)
    iri = _entity(etype, name)
    reason = request.form.get("reason", "").strip()
    if not reason:
        flash(_("Say why the entity is retired."), "error")
        return redirect(url_for(".edit", kind=kind, name=name))
    try:
        cs = get_changelog().submit([retire_edit(iri, request.form.get("version", ""))], author=current_user.email,
                                    reason=reason, pending=needs_review())
    except StaleEditError as exc:
        return _conflict(etype, iri, form_values(get_changelog().describe(iri), etype), exc)
    except InvalidChangeError as exc:
        desc = get_changelog().describe(iri)
        return _form(etype, iri, form_values(desc, etype), desc.version, problems=exc.problems, status=422)
    _flash_saved(cs)
    return redirect(url_for(".entities", kind=kind))


def _save(etype: EntityType, iri: str | None):
    values = values_from_form(etype, request.form.to_dict(flat=False))
    version = request.form.get("version", "")
    reason = request.form.get("reason", "").strip()
    errors = {} if reason else {"reason": _("Say why you make this change.")}
    try:
        edit = build_edit(get_kb(), etype, values, iri=iri, base_version=version,
                          local_name=(request.form.get("local_name") or "").strip() or None)
    except FormError as exc:
        errors.update(exc.errors)
    if errors:
        return _form(etype, iri, values, version, errors={**errors, **_script_errors(etype, values)}, status=422)
    try:
        cs = get_changelog().submit([edit], author=current_user.email, reason=reason, pending=needs_review())
    except StaleEditError as exc:
        return _conflict(etype, iri, values, exc)
    except InvalidChangeError as exc:
        return _form(etype, iri, values, version, problems=exc.problems, status=422, iri_checked=str(edit.iri))
    except ChangesetError as exc:
        return _form(etype, iri, values, version, general=[str(exc)], status=422)
    _flash_saved(cs)
    return redirect(_after_save(etype, values))


def _script_errors(etype: EntityType, values: dict) -> dict[str, str]:
    """Word, in the page language, each text field's regional text written in the wrong script."""
    out = {}
    for name, (lang, _why) in script_errors(etype, values).items():  # the domain's words are English only
        if SCRIPTS[lang] == "Latn":
            out[name] = _("Cyrillic letters in the %(language)s text: it is written in Latin script here.",
                          language=NATIVE_NAMES[lang])
        else:
            out[name] = _("No Cyrillic letter in the %(language)s text: it is written in Cyrillic script.",
                          language=NATIVE_NAMES[lang])
    return out


def _form(etype, iri, values, version, *, errors=None, problems=(), general=(), status=200, iri_checked=None):
    field_errors, others = problems_by_field(etype, iri_checked or iri, list(problems))
    field_errors.update(errors or {})
    return render_template("editor/form.html", etype=etype, iri=iri, version=version,
                           fields=form_fields(etype, values, field_errors), errors=field_errors, others=others,
                           general=list(general), reason=request.form.get("reason", ""),
                           local_name=request.form.get("local_name", ""), drafts=values.get(DRAFTS),
                           name=iri[len(KB_IRI):] if iri else None), status


def _conflict(etype, iri, values, exc: StaleEditError):
    """Refuse a stale save with 409: show what changed meanwhile, and the user's values to apply again."""
    current = get_changelog().describe(exc.iri)
    others = [(cs, diff_view(cs)) for cs in exc.changesets]
    return render_template("editor/conflict.html", etype=etype, iri=iri, version=current.version,
                           fields=form_fields(etype, values, {}), others=others, exists=current.exists,
                           reason=request.form.get("reason", ""), errors={}, drafts=values.get(DRAFTS),
                           name=iri[len(KB_IRI):] if iri else None), 409


def _flash_saved(cs) -> None:
    link = url_for(".changeset", cs_id=cs.id)
    if cs.status == "pending":
        flash(_("Saved as changeset #%(id)s; it waits for an administrator's review.", id=cs.id), "info")
    else:
        flash(Markup(f'{escape(_("Saved as changeset #%(id)s.", id=cs.id))} '
                     f'<a href="{escape(link)}">{escape(_("See or revert it"))}</a>'), "success")


def _after_save(etype: EntityType, values: dict) -> str:
    f = etype.country_field
    if f and values.get(f.name):
        code = get_kb().dataset.value(URIRef(values[f.name]), TIP.isoCode)
        if code:
            return url_for("countries.show", code=str(code))
    return url_for(".entities", kind=etype.key)


# --- revert and review ----------------------------------------------------------------------

@bp.post("/changesets/<int:cs_id>/revert")
def revert(cs_id: int):
    reason = request.form.get("reason", "").strip() or _("Revert of #%(id)s", id=cs_id)
    try:
        cs = get_changelog().revert(cs_id, author=current_user.email, reason=reason)
    except ChangesetNotFound:
        abort(404)
    except ChangeConflictError as exc:
        return _show_changeset(cs_id, error=str(exc), status=409)
    except InvalidChangeError as exc:
        return _show_changeset(cs_id, error=_("The revert was refused; nothing changed."), problems=exc.problems,
                               status=422)
    except ChangesetError as exc:
        return _show_changeset(cs_id, error=str(exc), status=422)
    flash(_("Changeset #%(old)s reverted by #%(new)s.", old=cs_id, new=cs.id), "success")
    return redirect(url_for(".changeset", cs_id=cs.id))


@bp.get("/review")
@role_required("admin")
def review():
    return render_template("editor/history.html", changesets=get_changelog().history(status="pending", limit=500),
                           title=_("Changes waiting for review"), review=True)


@bp.post("/changesets/<int:cs_id>/<any(approve, reject):decision>")
@role_required("admin")
def decide(cs_id: int, decision: str):
    log = get_changelog()
    try:
        if decision == "approve":
            log.approve(cs_id, reviewer=current_user.email)
            flash(_("Changeset #%(id)s approved and applied.", id=cs_id), "success")
        else:
            log.reject(cs_id, reviewer=current_user.email)
            flash(_("Changeset #%(id)s rejected.", id=cs_id), "info")
    except ChangesetNotFound:
        abort(404)
    except (StaleEditError, InvalidChangeError, ChangesetError) as exc:
        return _show_changeset(cs_id, error=str(exc), problems=getattr(exc, "problems", ()), status=409)
    return redirect(url_for(".review"))


@bp.route("/settings", methods=["GET", "POST"])
@role_required("admin")
def settings():
    if request.method == "POST":
        value = request.form.get("threshold", "0").strip()
        if not (value.isascii() and value.isdigit() and len(value) <= 6):  # int() takes no 4,300+ digits
            flash(_("Enter a whole number (0 turns review off)."), "error")
        else:
            get_changelog().set_setting(REVIEW_SETTING, str(int(value)))
            flash(_("Settings saved."), "success")
        return redirect(url_for(".settings"))
    return render_template("editor/settings.html", threshold=review_threshold())
