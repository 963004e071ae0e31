"""Keep evidence: rows in the assessments' database, files in a folder outside the web root (one per assessment).

A file is stored under a random name (never the uploaded one) in `<folder>/<assessment id>/`, written
before its row is committed and removed again if the row is not. Evidence for an answer (a subject
without a colon, i.e. a question code) changes only while the assessment is a draft; a prefixed
subject (such as "followup:<practice-id>") may be added to a submitted assessment too. Deleting an
assessment deletes its rows with it (a foreign key cascade); `prune` then removes its folder. A draft made
from an earlier assessment gets copies of its answers' evidence (`copy_answers`): links as they are, files
as new stored files, so that removing one never removes the other's.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from tipkb.assess.evidence import (
    MAX_BYTES,
    Evidence,
    EvidenceError,
    check_link,
    check_size,
    check_subject,
    check_title,
    sniff,
)
from tipkb.assess.rows import DRAFT, AssessmentRow, EvidenceRow
from tipkb.assess.storage import AssessmentNotFound, AssessmentStore, ReadOnlyError
from tipkb.db import aware, now

__all__ = ["EvidenceError", "EvidenceNotFound", "EvidenceStore"]


class EvidenceNotFound(AssessmentNotFound):
    """No evidence of that id belongs to the assessment."""


class EvidenceStore:
    """The evidence of assessments in one AssessmentStore's database, with the files in `folder`."""

    def __init__(self, store: AssessmentStore, folder: Path | str, *, max_bytes: int = MAX_BYTES):
        self.store = store
        self.folder = Path(folder)
        self.max_bytes = max_bytes

    # --- reading ------------------------------------------------------------------------------

    def listing(self, assessment_id: int) -> dict[str, tuple[Evidence, ...]]:
        """Return an assessment's evidence by subject, oldest first."""
        return self.of_assessments([assessment_id]).get(assessment_id, {})

    def of_assessments(self, ids: Iterable[int]) -> dict[int, dict[str, tuple[Evidence, ...]]]:
        """Return the evidence of several assessments, by assessment id and subject, oldest first."""
        found: dict[int, dict[str, list[Evidence]]] = {}
        with Session(self.store.engine) as session:
            rows = session.scalars(select(EvidenceRow).where(EvidenceRow.assessment_id.in_(list(ids)))
                                   .order_by(EvidenceRow.id))
            for row in rows:
                found.setdefault(row.assessment_id, {}).setdefault(row.subject, []).append(_evidence(row))
        return {a: {s: tuple(items) for s, items in subjects.items()} for a, subjects in found.items()}

    def get(self, assessment_id: int, evidence_id: int) -> Evidence:
        """Return one piece of an assessment's evidence; EvidenceNotFound if it has none of that id."""
        with Session(self.store.engine) as session:
            row = session.get(EvidenceRow, evidence_id)
            if row is None or row.assessment_id != assessment_id:
                raise EvidenceNotFound(f"assessment {assessment_id}: no evidence {evidence_id}")
            return _evidence(row)

    def path(self, item: Evidence) -> Path:
        """Return where a stored file's content is (EvidenceNotFound for a link or a file gone missing)."""
        path = self.folder / str(item.assessment_id) / (item.stored_name or "")
        if not item.is_file or not item.stored_name or not path.is_file():
            raise EvidenceNotFound(f"assessment {item.assessment_id}: evidence {item.id} has no stored file")
        return path

    # --- writing ------------------------------------------------------------------------------

    def add_link(self, assessment_id: int, subject: str, url: str, title: str | None = None, *,
                 user_id: int | None = None) -> Evidence:
        """Keep a web address as evidence for `subject`; raise EvidenceError for a bad address or title."""
        url = check_link(url)
        title = check_title(title, url.split("://", 1)[1])
        return self._add(assessment_id, check_subject(subject), user_id, kind="link", title=title, url=url)

    def add_file(self, assessment_id: int, subject: str, data: bytes, filename: str = "", title: str | None = None,
                 *, user_id: int | None = None) -> Evidence:
        """Keep a file as evidence for `subject`; raise EvidenceError for a file too large or of a type not accepted."""
        check_size(len(data), self.max_bytes)
        media_type = sniff(data)
        title = check_title(title, Path(filename.replace("\\", "/")).name if filename else "")
        subject = check_subject(subject)
        name = secrets.token_hex(16)
        target = self.folder / str(assessment_id) / name
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write(data)
        try:
            return self._add(assessment_id, subject, user_id, kind="file", title=title, stored_name=name,
                             media_type=media_type, size=len(data), sha256=hashlib.sha256(data).hexdigest())
        except BaseException:
            target.unlink(missing_ok=True)  # no row, no file
            raise

    def remove(self, assessment_id: int, evidence_id: int) -> None:
        """Delete one piece of an assessment's evidence and its file."""
        def work(session: Session) -> str | None:
            assessment = self._locked(session, assessment_id)
            row = session.get(EvidenceRow, evidence_id)
            if row is None or row.assessment_id != assessment_id:
                raise EvidenceNotFound(f"assessment {assessment_id}: no evidence {evidence_id}")
            _check_open(assessment, row.subject)
            session.delete(row)
            return row.stored_name
        stored = self.store.writing(work)
        if stored:
            (self.folder / str(assessment_id) / stored).unlink(missing_ok=True)

    def copyable(self, assessment_id: int) -> list[Evidence]:
        """Return the evidence a draft made from this assessment gets: that of questions still asked, oldest first."""
        questionnaire = self.store.questionnaire
        return [e for subject, found in self.listing(assessment_id).items()
                if ":" not in subject and questionnaire.question(subject) is not None for e in found]

    def copy_answers(self, source_id: int, target_id: int) -> int:
        """Copy the answers' evidence of an assessment to the draft made from it (once); return how many were copied.

        Only evidence of questions still in the questionnaire goes (a follow-up's stays with its assessment); each
        file is copied to a new stored file, and a file gone missing from the folder is left out.
        """
        items = self.copyable(source_id)
        copies: list[tuple[Evidence, str | None]] = []
        written: list[Path] = []
        try:
            for item in items:
                if not item.is_file:
                    copies.append((item, None))
                    continue
                try:
                    source = self.path(item)
                except EvidenceNotFound:
                    continue
                name = secrets.token_hex(16)
                target = self.folder / str(target_id) / name
                target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                written.append(target)
                with os.fdopen(descriptor, "wb") as out, source.open("rb") as content:
                    shutil.copyfileobj(content, out)
                copies.append((item, name))

            def work(session: Session) -> int:
                draft = self._locked(session, target_id)
                if draft.copied_from != source_id or draft.status != DRAFT:
                    raise ReadOnlyError(f"assessment {target_id} is not a draft made from assessment {source_id}")
                if session.scalar(select(EvidenceRow.id).where(EvidenceRow.assessment_id == target_id).limit(1)):
                    return 0  # copied already (or evidence added since): nothing is copied twice
                for item, name in copies:
                    session.add(EvidenceRow(assessment_id=target_id, subject=item.subject, kind=item.kind,
                                            title=item.title, url=item.url, media_type=item.media_type,
                                            size=item.size, sha256=item.sha256, uploaded_by=item.uploaded_by,
                                            created_at=item.created_at, stored_name=name))
                return len(copies)
            copied = self.store.writing(work)
        except BaseException:
            for path in written:
                path.unlink(missing_ok=True)  # no rows, no files
            raise
        if not copied:
            for path in written:
                path.unlink(missing_ok=True)
        return copied

    def prune(self) -> int:
        """Remove the folders of assessments that no longer exist; return how many went."""
        if not self.folder.is_dir():
            return 0
        folders = {int(p.name): p for p in self.folder.iterdir() if p.is_dir() and p.name.isdigit()}
        if not folders:
            return 0
        with Session(self.store.engine) as session:
            alive = set(session.scalars(select(AssessmentRow.id).where(AssessmentRow.id.in_(list(folders)))))
        gone = [p for i, p in folders.items() if i not in alive]
        for path in gone:
            shutil.rmtree(path, ignore_errors=True)
        return len(gone)

    def _add(self, assessment_id: int, subject: str, user_id: int | None, **values) -> Evidence:
        def work(session: Session) -> Evidence:
            _check_open(self._locked(session, assessment_id), subject)
            row = EvidenceRow(assessment_id=assessment_id, subject=subject, uploaded_by=user_id, created_at=now(),
                              **values)
            session.add(row)
            session.flush()
            return _evidence(row)
        return self.store.writing(work)

    @staticmethod
    def _locked(session: Session, assessment_id: int) -> AssessmentRow:
        row = session.get(AssessmentRow, assessment_id, with_for_update=True)  # a deletion under way finishes first
        if row is None:
            raise AssessmentNotFound(f"assessment {assessment_id}: no such assessment")
        return row


def _check_open(assessment: AssessmentRow, subject: str) -> None:
    if ":" not in subject and assessment.status != DRAFT:
        raise ReadOnlyError(f"assessment {assessment.id} is submitted: the evidence of its answers can no longer "
                            "change")


def _evidence(row: EvidenceRow) -> Evidence:
    return Evidence(id=row.id, assessment_id=row.assessment_id, subject=row.subject, kind=row.kind, title=row.title,
                    created_at=aware(row.created_at), url=row.url, media_type=row.media_type, size=row.size,
                    sha256=row.sha256, uploaded_by=row.uploaded_by, stored_name=row.stored_name)

