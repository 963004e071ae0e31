"""Evidence for the views: the store of the current app, an assessment's evidence, and refusals worded for people."""

from __future__ import annotations

import io
from pathlib import Path

from flask import Response, current_app, g, send_file
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from tipkb.assess.evidence import MAX_BYTES, TITLE_LENGTH, URL_LENGTH, Evidence, EvidenceError
from tipkb.assess.evidence_store import EvidenceNotFound, EvidenceStore
from tipkb.assess.storage import Assessment

from .db import get_store


def evidence_store() -> EvidenceStore:
    """Return the evidence of the current app's assessments (files in TIPKB_EVIDENCE_DIR, or the instance folder)."""
    config = current_app.config
    folder = config.get("TIPKB_EVIDENCE_DIR") or Path(current_app.instance_path) / "evidence"
    return EvidenceStore(get_store(), folder, max_bytes=int(config.get("TIPKB_EVIDENCE_MAX_BYTES") or MAX_BYTES))


def listing(assessment: Assessment) -> dict[str, tuple[Evidence, ...]]:
    """Return an assessment's evidence by question code (the caller has checked access)."""
    return evidence_store().listing(assessment.id)


def limit_text() -> str:
    """Return the size limit of one file as the pages say it ("8.0 MB")."""
    return size_text(evidence_store().max_bytes)


def size_text(n: int) -> str:
    """Word a number of bytes in MB, or in KB below a tenth of a MB."""
    return _("%(n)s MB", n=round(n / 1024 ** 2, 1)) if n >= 1024 ** 2 / 10 else _("%(n)s KB", n=-(-n // 1024))


def problem_text(e: EvidenceError) -> str:
    """Word why a link or file was not kept, in the page language."""
    if e.code == "size":
        return _("The file is larger than %(size)s.", size=size_text(e.params["limit"]))
    if e.code in ("type", "empty"):
        return _("This file is not a PDF, PNG, JPEG, DOCX, XLSX or ODT document (its content decides, not its "
                 "name).")
    if e.code == "url-long":
        return _("A web address can be at most %(n)s characters long.", n=URL_LENGTH)
    if e.code == "title-long":
        return _("A title can be at most %(n)s characters long.", n=TITLE_LENGTH)
    return _("A link must be a web address that starts with http:// or https://.")


def evidence_key(assessment: Assessment) -> tuple[int, ...]:
    """Return the ids of an assessment's evidence: a kept page that lists it is kept under them.

    The listing read for the key is kept for the rest of the request, so a page rebuilt under a new key lists the
    same evidence without reading it again (`keyed_listing`).
    """
    found = listing(assessment)
    g.setdefault("evidence_listings", {})[assessment.id] = found
    return tuple(e.id for items in found.values() for e in items)


def keyed_listing(assessment: Assessment) -> dict[str, tuple[Evidence, ...]]:
    """Return the listing this request read for the assessment's page key, or read it now."""
    kept = g.get("evidence_listings", {}).get(assessment.id)
    return kept if kept is not None else listing(assessment)


def attachment(item: Evidence, path: Path) -> Response:
    """Return a stored file as a download: its sniffed media type, never rendered inline, nothing run if opened."""
    # Read whole (a few MB at most): no file handle stays open with the response.
    response = send_file(io.BytesIO(path.read_bytes()), mimetype=item.media_type, as_attachment=True,
                         download_name=item.download_name(), conditional=False, etag=False, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"  # even if opened, nothing runs
    return response


def stored_file(assessment_id: int, evidence_id: int) -> Response | None:
    """Return one stored file of an assessment as a download, or None if it has no stored file of that id."""
    store = evidence_store()
    try:
        item = store.get(assessment_id, evidence_id)
        path = store.path(item)
    except EvidenceNotFound:
        return None
    return attachment(item, path)


def keep(assessment_id: int, subject: str, upload: FileStorage | None, url: str | None, title: str | None,
         user_id: int) -> Evidence | None:
    """Keep a file (or else a link) as evidence of `subject` and return it; None when neither is given.

    Raises EvidenceError for a file too large or of a type not accepted, or a bad link or title, and the store's
    ReadOnlyError, AssessmentNotFound and ConflictError.
    """
    store = evidence_store()
    if upload is not None and upload.filename:
        try:
            data = upload.stream.read(store.max_bytes + 1)  # one byte past the limit: the store refuses the size
        finally:
            upload.close()
        return store.add_file(assessment_id, subject, data, upload.filename, title, user_id=user_id)
    if (url or "").strip():
        return store.add_link(assessment_id, subject, url.strip(), title, user_id=user_id)
    return None
