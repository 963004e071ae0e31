"""The NGO questionnaire: start an assessment, answer it section by section (form or autosave), review, submit."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from tipkb import AnswerError
from tipkb.assess.answers import check_answers
from tipkb.assess.storage import (
    Assessment,
    AssessmentError,
    AssessmentNotFound,
    ConflictError,
    OrganisationNotFound,
    ReadOnlyError,
)
from tipkb.facts.countries import FOCUS_CODES, list_countries

from .. import answer_form, evidence
from ..access import owned
from ..auth import current_user, login_required
from ..db import get_questionnaire, get_store
from ..forms import StartForm
from ..i18n import current_language
from ..kb import get_kb

bp = Blueprint("assessments", __name__, url_prefix="/assessments")
RETRY_AFTER = "3"  # seconds before the autosave script sends a change again that a busy database did not take


def _start_form() -> StartForm:
    form = StartForm()
    form.country.choices = [SelectChoice(c.code, c.label) for c in list_countries(get_kb(), current_language())
                            if c.code in FOCUS_CODES]
    if request.method == "GET" and request.args.get("country") in FOCUS_CODES:  # "Assess this country"
        form.country.data = request.args["country"]
    return form


def _index_page(form: StartForm, status: int = 200):
    mine = get_store().list_for_organisation(current_user.organisation) if current_user.organisation else []
    names = {c.code: c.label for c in list_countries(get_kb(), current_language())}
    questionnaire = get_questionnaire()
    rows = [(a, answer_form.progress(questionnaire, a.answers)) for a in mine]
    return render_template("assessments/index.html", rows=rows, form=form, names=names), status


@bp.get("/")
@login_required
def index():
    return _index_page(_start_form())


@bp.post("/")
@login_required
def start():
    if not current_user.organisation:
        abort(403)
    form = _start_form()
    if not form.validate_on_submit():
        return _index_page(form, 422)
    store = get_store()
    try:
        created = store.create(current_user.organisation, form.country.data, form.year.data, existing=True,
                               title=form.title.data)
    except OrganisationNotFound:  # deleted by a member while this request was on its way
        abort(404)
    except ConflictError:
        draft = next((a for a in store.list_for_organisation(current_user.organisation)
                      if a.status == "draft" and a.country == form.country.data and a.year == form.year.data), None)
        if draft is None:  # not a second draft: the database stayed busy with other changes
            flash(_busy(), "error")
            return redirect(url_for("assessments.index"))
        flash(_("You already have a draft for this country and year; here it is."), "info")
        return redirect(url_for("assessments.resume", assessment_id=draft.id))
    first = get_questionnaire().sections[0].id
    return redirect(url_for("assessments.section", assessment_id=created.id, section_id=first))


@bp.get("/<int:assessment_id>")
@login_required
def resume(assessment_id: int):
    assessment = owned(assessment_id)
    if assessment.read_only:
        return redirect(url_for("results.show", assessment_id=assessment_id))
    done = answer_form.progress(get_questionnaire(), assessment.answers).sections
    target = next((s.id for s in get_questionnaire().sections if done[s.id][1] < done[s.id][0]), None)
    if target is None:
        return redirect(url_for("assessments.review", assessment_id=assessment_id))
    return redirect(url_for("assessments.section", assessment_id=assessment_id, section_id=target))


def _country_name(code: str) -> str:
    return {c.code: c.label for c in list_countries(get_kb(), current_language())}.get(code, code)


def _neighbours(section_id: str) -> tuple[str | None, str | None]:
    ids = [s.id for s in get_questionnaire().sections]
    i = ids.index(section_id)
    return (ids[i - 1] if i > 0 else None), (ids[i + 1] if i + 1 < len(ids) else None)


def _render_section(assessment: Assessment, section_id: str, *, errors=None, raw=None, raw_notes=None,
                    bad_notes=(), status: int = 200):
    questionnaire = get_questionnaire()
    section = questionnaire.section(section_id)
    previous, following = _neighbours(section_id)
    values = {**assessment.answers, **(raw or {})}
    return render_template(
        "assessments/section.html", a=assessment, q=questionnaire, section=section,
        questions=questionnaire.questions_in(section_id), values=values,
        notes={**assessment.notes, **(raw_notes or {})}, bad_notes=bad_notes,
        asked=questionnaire.asked(assessment.answers), errors=errors or {},
        progress=answer_form.progress(questionnaire, assessment.answers), previous=previous, following=following,
        conditions=answer_form.conditions(questionnaire),
        country=_country_name(assessment.country),
        evidence=evidence.listing(assessment), evidence_limit=evidence.limit_text(),
    ), status


@bp.route("/<int:assessment_id>/sections/<section_id>", methods=["GET", "POST"])
@login_required
def section(assessment_id: int, section_id: str):
    assessment = owned(assessment_id)
    questionnaire = get_questionnaire()
    if questionnaire.section(section_id) is None:
        abort(404)
    if assessment.read_only:
        flash(_("This assessment is submitted and can no longer change."), "info")
        return redirect(url_for("assessments.review", assessment_id=assessment_id))
    if request.method == "GET":
        return _render_section(assessment, section_id)
    sub = answer_form.parse_fields(questionnaire, request.form)
    before = questionnaire.asked(assessment.answers)
    try:
        result = answer_form.save(get_store(), assessment, sub)
    except ReadOnlyError:
        flash(_("This assessment is submitted and can no longer change."), "info")
        return redirect(url_for("assessments.review", assessment_id=assessment_id))
    except AssessmentNotFound:
        abort(404)
    except AssessmentError as exc:
        flash(_busy() if isinstance(exc, ConflictError) else _unsaved(), "error")
        return _render_section(get_store().get(assessment_id), section_id, raw=sub.raw, status=409)
    if result.errors:
        raw = {c: sub.raw.get(c, sub.values.get(c)) for c in result.errors if c not in result.bad_notes}
        raw_notes = {c: sub.notes[c] for c in result.bad_notes if sub.notes.get(c)}
        return _render_section(result.assessment, section_id, errors=result.errors, raw=raw, raw_notes=raw_notes,
                               bad_notes=result.bad_notes, status=422)
    after = questionnaire.asked(result.assessment.answers)
    revealed = [x.code for x in questionnaire.questions_in(section_id)
                if after.get(x.code) and not before.get(x.code) and x.code not in result.assessment.answers]
    action = request.form.get("action", "next")
    previous, following = _neighbours(section_id)
    if revealed and action == "next":
        flash(_("Your answers opened more questions in this section."), "info")
        target = section_id
    else:
        target = {"next": following, "previous": previous}.get(action, section_id)
    if action == "next" and target is None:
        return redirect(url_for("assessments.review", assessment_id=assessment_id))
    flash(_("Saved."), "success")
    return redirect(url_for("assessments.section", assessment_id=assessment_id, section_id=target or section_id))


@bp.post("/<int:assessment_id>/autosave")
@login_required
def autosave(assessment_id: int):
    assessment = owned(assessment_id)
    if assessment.read_only:
        message = _("This assessment is submitted and can no longer change.")
        return jsonify({"error": "read-only", "message": message}), 409
    try:
        fields = answer_form.autosave_fields(_json_body())
    except answer_form.BadBody as exc:
        return jsonify({"error": "bad-body", "message": str(exc)}), 400
    questionnaire = get_questionnaire()
    sub = answer_form.parse_fields(questionnaire, fields)
    try:
        result = answer_form.save(get_store(), assessment, sub)
    except ReadOnlyError:
        message = _("This assessment is submitted and can no longer change.")
        return jsonify({"error": "read-only", "message": message}), 409
    except AssessmentNotFound:
        abort(404)
    except ConflictError:  # the page's script keeps the change and sends it again after Retry-After seconds
        return jsonify({"error": "busy", "message": _busy()}), 409, {"Retry-After": RETRY_AFTER}
    except AssessmentError:
        return jsonify({"error": "not-saved", "message": _unsaved()}), 409
    saved = result.assessment
    body = {"saved": sorted(set(sub.values) | set(sub.notes) - set(result.errors)), "errors": result.errors,
            "version": saved.version, "updated_at": saved.updated_at.isoformat(),
            "asked": questionnaire.asked(saved.answers),
            "progress": answer_form.progress(questionnaire, saved.answers).as_dict()}
    if result.errors:
        body["message"] = _("Some answers were not saved; see the messages by the questions.")
    return jsonify(body), 422 if result.errors else 200


def _json_body():
    try:
        return request.get_json(silent=True)
    except RecursionError:  # nested too deeply to parse: as malformed as any other bad body
        return None


def _busy() -> str:
    return _("Other changes to this assessment were being saved at the same moment; this one was not saved. "
             "Please try again.")


def _unsaved() -> str:
    return _("This assessment cannot change as asked (it may answer an older questionnaire); nothing was saved.")


@bp.get("/<int:assessment_id>/review")
@login_required
def review(assessment_id: int):
    return _render_review(owned(assessment_id))


def _render_review(assessment: Assessment, problems=(), status: int = 200):
    questionnaire = get_questionnaire()
    return render_template("assessments/review.html", a=assessment, q=questionnaire,
                           asked=questionnaire.asked(assessment.answers), country=_country_name(assessment.country),
                           progress=answer_form.progress(questionnaire, assessment.answers), problems=problems,
                           todo=answer_form.to_look_at(questionnaire, assessment.answers),
                           evidence=evidence.listing(assessment)), status


@bp.post("/<int:assessment_id>/submit")
@login_required
def submit(assessment_id: int):
    assessment = owned(assessment_id)
    try:
        get_store().submit(assessment_id, expected_version=int(request.form.get("version") or assessment.version))
    except ReadOnlyError:
        flash(_("This assessment is already submitted."), "info")
    except ConflictError:
        flash(_("Your answers changed while you reviewed them. Check them and submit again."), "info")
        return redirect(url_for("assessments.review", assessment_id=assessment_id))
    except (AssessmentError, AnswerError, ValueError) as exc:
        problems = [(p.question, answer_form.explain(p)) for p in getattr(exc, "problems", ())] or [(None, str(exc))]
        flash(_("The assessment could not be submitted."), "error")
        return _render_review(assessment, problems, 422)
    else:
        flash(_("Submitted. Here are your results."), "success")
    return redirect(url_for("results.show", assessment_id=assessment_id))


@bp.get("/<int:assessment_id>/copy")
@login_required
def confirm_copy(assessment_id: int):
    assessment = owned(assessment_id)
    if not assessment.read_only:
        flash(_("Only a submitted assessment can start a new one; continue this draft instead."), "info")
        return redirect(url_for("assessments.index"))
    year = _year_after(assessment)
    kept = check_answers(get_questionnaire(), assessment.answers, assessment.notes).answers
    draft = next((a for a in get_store().list_for_organisation(assessment.organisation)
                  if a.status == "draft" and a.country == assessment.country and a.year == year), None)
    return render_template("assessments/copy.html", a=assessment, year=year, kept=kept, draft=draft,
                           country=_country_name(assessment.country), questionnaire=get_questionnaire(),
                           evidence=evidence.evidence_store().copyable(assessment.id))


def _year_after(assessment: Assessment) -> int:
    try:
        return max(2000, min(2100, int(request.args.get("year", assessment.year + 1))))
    except ValueError:
        return assessment.year + 1


@bp.post("/<int:assessment_id>/copy")
@login_required
def copy(assessment_id: int):
    owned(assessment_id)
    try:
        year = int(request.form.get("year", ""))
        created = get_store().copy(assessment_id, year=year)
    except (ValueError, AssessmentError) as exc:
        flash(_("Could not start a revision: %(why)s", why=str(exc)), "error")
        return redirect(url_for("assessments.index"))
    try:
        evidence.evidence_store().copy_answers(assessment_id, created.id)  # links, and files as copies of their own
    except (ConflictError, OSError):
        flash(_("The evidence of the earlier answers could not be copied; add it again where needed."), "error")
    flash(_("A new draft starts from your earlier answers."), "success")
    return redirect(url_for("followup.last_year", assessment_id=created.id))  # opens with last year's statuses


@bp.post("/<int:assessment_id>/title")
@login_required
def rename(assessment_id: int):
    owned(assessment_id)
    try:
        get_store().rename(assessment_id, current_user.organisation, request.form.get("title", ""))
    except AssessmentNotFound:
        abort(404)
    except ConflictError:
        flash(_busy(), "error")
    except AssessmentError:
        flash(_("A title has at most 120 characters; it was not changed."), "error")
    else:
        flash(_("The title was saved."), "success")
    return redirect(url_for("assessments.review", assessment_id=assessment_id))


@bp.get("/<int:assessment_id>/delete")
@login_required
def confirm_delete(assessment_id: int):
    assessment = owned(assessment_id)
    if assessment.read_only:
        flash(_("A submitted assessment cannot be deleted here; deleting your organisation's data deletes it."),
              "info")
        return redirect(url_for("assessments.index"))
    return render_template("assessments/delete.html", a=assessment, country=_country_name(assessment.country),
                           progress=answer_form.progress(get_questionnaire(), assessment.answers))


@bp.post("/<int:assessment_id>/delete")
@login_required
def delete(assessment_id: int):
    assessment = owned(assessment_id)
    try:
        get_store().delete_draft(assessment_id, current_user.organisation)
    except AssessmentNotFound:
        abort(404)
    except ReadOnlyError:
        flash(_("A submitted assessment cannot be deleted here; deleting your organisation's data deletes it."),
              "error")
        return redirect(url_for("assessments.index"))
    except ConflictError:
        flash(_busy(), "error")
        return redirect(url_for("assessments.confirm_delete", assessment_id=assessment_id))
    evidence.evidence_store().prune()  # the draft's evidence rows went with it; now its files go
    flash(_("The draft for %(country)s, %(year)s (No. %(id)s) was deleted.", country=_country_name(assessment.country),
            year=assessment.year, id=assessment_id), "success")
    return redirect(url_for("assessments.index"))
