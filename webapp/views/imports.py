"""Offline collection: the questionnaire as an XLSForm and as a blank PDF, and an NGO's upload of a KoboToolbox or ODK
Central export."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired

from tipkb.assess.imports import MAX_BYTES, ImportFormatError, read_import
from tipkb.assess.imports_store import ImportRejected, store_import
from tipkb.assess.problems import message
from tipkb.assess.storage import ConflictError, OrganisationNotFound
from tipkb.assess.xlsform import write_xlsform
from tipkb.i18n import LANGUAGES
from tipkb.report.blank import typeset_blank

from ..auth import current_user, login_required
from ..db import get_questionnaire, get_store
from ..i18n import current_language
from ..kb import get_kb

bp = Blueprint("imports", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(FlaskForm):
    export = FileField(_l("Export file (XLSX, CSV or JSON)"), validators=[FileRequired(_l("Choose a file to import."))],
                       description=_l("From KoboToolbox (XLS, CSV or API JSON export, with XML values and headers) "
                                      "or ODK Central (CSV or OData JSON)."))


@bp.get("/questionnaire.xlsx")
def xlsform():
    questionnaire = get_questionnaire()
    with tempfile.TemporaryDirectory() as folder:
        body = write_xlsform(questionnaire, Path(folder) / "form.xlsx").read_bytes()
    name = f"tipkb-questionnaire-{questionnaire.version}.xlsx"
    return Response(body, mimetype=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/questionnaire.pdf")
def blank_pdf():
    """Send the blank questionnaire in ?lang= (default: the page language), typeset once per version and language."""
    lang = request.args.get("lang") or current_language()
    if lang not in LANGUAGES:
        abort(400, description=_("The questionnaire's language (lang) must be one of %(languages)s.",
                                 languages=", ".join(LANGUAGES)))
    questionnaire = get_questionnaire()
    # kept with the KB's derived values: the worker typesets each version and language once
    body = get_kb().cached(f"questionnaire-pdf:{questionnaire.version}:{lang}",
                           lambda: typeset_blank(questionnaire, lang).pdf)
    name = f"tipkb-questionnaire-{questionnaire.version}-{lang}.pdf"
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "public, max-age=300"})


def _page(form: ImportForm, rows=(), status: int = 200, error: str | None = None):
    lang = current_language()
    if rows and all(r.row == 0 for r in rows):  # a problem of the whole file (no submissions, label headers)
        text = "; ".join(message(r.problem, lang) for r in rows)
        error, rows = text[:1].upper() + text[1:] + ".", ()
    problems = [(r.row, r.key, r.problem.question or r.problem.field, message(r.problem, lang)) for r in rows]
    return render_template("imports/upload.html", form=form, problems=problems, error=error,
                           limit=round(MAX_BYTES / 1024 ** 2, 1)), status


@bp.route("/assessments/import", methods=["GET", "POST"])
@login_required
def upload():
    if not current_user.organisation:
        abort(403)
    form = ImportForm()
    if not form.validate_on_submit():
        return _page(form, status=422 if form.is_submitted() else 200)
    upload_file = form.export.data
    try:
        data = upload_file.stream.read(MAX_BYTES + 1)
    finally:
        upload_file.close()  # a large upload is spooled to a temporary file: let it go now
    if len(data) > MAX_BYTES:
        return _page(form, status=413, error=_("The file is larger than %(n)s MB.", n=round(MAX_BYTES / 1024 ** 2, 1)))
    try:
        report = read_import(get_questionnaire(), data, upload_file.filename or "")
        ids = store_import(get_store(), report, current_user.organisation, existing=True)
    except ImportFormatError:
        return _page(form, status=422, error=_("This file is not a KoboToolbox or ODK Central export of the tipkb "
                                               "questionnaire."))
    except ImportRejected as exc:
        return _page(form, exc.rows, status=422)
    except OrganisationNotFound:
        abort(404)
    except ConflictError:
        return _page(form, status=503, error=_("The database is busy; nothing was imported. Try again."))
    flash(_("%(n)s submissions imported as drafts.", n=len(ids)), "success")
    return redirect(url_for("assessments.index"))


def _refused(status: int, error: str, text: str, rows=()):
    lang = current_language()
    body = {"error": error, "message": text}
    if rows:
        body["rows"] = [{"row": r.row or None, "submission": r.key, "question": r.problem.question,
                         "field": r.problem.field, "code": r.problem.code, "message": message(r.problem, lang)}
                        for r in rows]
    return jsonify(body), status


def _sent_file() -> bytes | None:
    """Return the export a request sends (the multipart field `export`, else the whole body), cut past the limit."""
    if request.mimetype == "multipart/form-data":
        sent = request.files.get("export")
        if sent is None:
            return None
        try:
            return sent.stream.read(MAX_BYTES + 1)
        finally:
            sent.close()
    # the body as read (a JSON body was read by the input guard already); the site's request limit bounds it
    return request.get_data(cache=True) or None


@bp.post("/api/assessments/import")
@login_required
def api_import():
    """Import an export as the organisation's drafts: 201 with their ids, or 422 with every problem row by row."""
    if not current_user.organisation:
        abort(403)
    data = _sent_file()
    if data is None:
        return jsonify({"error": "bad-request", "message": "export: required", "fields": {
            "export": _("Send the export file as the multipart field export, or as the request body.")}}), 400
    if len(data) > MAX_BYTES:
        return _refused(413, "too-large", _("The file is larger than %(n)s MB.", n=round(MAX_BYTES / 1024 ** 2, 1)))
    try:
        report = read_import(get_questionnaire(), data)
        ids = store_import(get_store(), report, current_user.organisation, existing=True)
    except ImportFormatError:
        return _refused(422, "not-an-export", _("This file is not a KoboToolbox or ODK Central export of the tipkb "
                                                "questionnaire."))
    except ImportRejected as exc:
        return _refused(422, "invalid", _("%(n)s problems; nothing was imported.", n=len(exc.rows)), exc.rows)
    except OrganisationNotFound:
        abort(403)
    except ConflictError:
        return _refused(503, "database-busy", _("The database is busy; nothing was imported. Try again."))
    return jsonify({"source": report.source, "imported": len(ids), "assessments": [
        {"id": i, "country": s.answers.country, "year": s.answers.year, "status": "draft", "row": s.row,
         "submission": s.key} for i, s in zip(ids, report.submissions, strict=True)]}), 201
