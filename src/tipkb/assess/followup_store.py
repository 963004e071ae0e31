"""Store the follow-up of an assessment's recommendations in the assessment database, every change kept in history.

A change is one write transaction of the assessment store (`AssessmentStore.writing`): the
assessment is locked, the follow-up's version compared with the one the caller read (a stale edit
raises StaleFollowUp), then the follow-up is written and the change appended to its history.
"""

from __future__ import annotations

from collections.abc import Container
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tipkb.assess.followup import PRACTICE_LENGTH, FollowUp, FollowUpChange, FollowUpError, StaleFollowUp, check_values
from tipkb.assess.rows import SUBMITTED, AssessmentRow, FollowUpChangeRow, FollowUpRow
from tipkb.assess.storage import AssessmentNotFound, AssessmentStore
from tipkb.db import aware, now

HISTORY_LIMIT = 1000  # changes returned at most for one assessment, newest first


def followups(store: AssessmentStore, assessment_id: int) -> dict[str, FollowUp]:
    """Return the recorded follow-up of each practice of an assessment (one query); unrecorded ones are absent."""
    with Session(store.engine) as session:
        rows = session.scalars(select(FollowUpRow).where(FollowUpRow.assessment_id == assessment_id)
                               .order_by(FollowUpRow.practice)).all()
        return {r.practice: _followup(r) for r in rows}


def implemented_in(store: AssessmentStore, assessment_id: int | None) -> tuple[str, ...]:
    """Return the practices recorded as implemented in an assessment, in code order (none for None).

    It sends its one query for None too, so that a page reads the same statements with or without an earlier
    assessment to compare with.
    """
    with Session(store.engine) as session:
        return tuple(session.scalars(select(FollowUpRow.practice).where(
            FollowUpRow.assessment_id == (assessment_id if assessment_id is not None else -1),
            FollowUpRow.status == "implemented").order_by(FollowUpRow.practice)))


def history(store: AssessmentStore, assessment_id: int, practice: str | None = None) -> list[FollowUpChange]:
    """Return the changes of an assessment's follow-up (of one practice if given), newest first (one query)."""
    query = select(FollowUpChangeRow).where(FollowUpChangeRow.assessment_id == assessment_id)
    if practice is not None:
        query = query.where(FollowUpChangeRow.practice == practice)
    with Session(store.engine) as session:
        rows = session.scalars(query.order_by(FollowUpChangeRow.id.desc()).limit(HISTORY_LIMIT)).all()
        return [FollowUpChange(r.practice, r.old_status, r.new_status, r.status_date, r.note, r.changed_by,
                               aware(r.changed_at)) for r in rows]


def record(store: AssessmentStore, assessment_id: int, practice: str, status: str, on: date | str | None,
           note: str | None, *, by: str, expected_version: int, known: Container[str]) -> FollowUp:
    """Record where a recommendation of a submitted assessment stands and keep the change; return the follow-up.

    `known` holds the practices the assessment recommends: another practice is refused unless it already
    has a follow-up (a KB change may drop it from the recommendations; its record stays). A change that
    changes nothing is not kept. Raises AssessmentNotFound, FollowUpError, or StaleFollowUp when the
    follow-up's version is not `expected_version` (0: nothing recorded yet).
    """
    status, on, note = check_values(status, on, note)

    def work(session: Session) -> FollowUp:
        assessment = session.get(AssessmentRow, assessment_id, with_for_update=True)
        if assessment is None:
            raise AssessmentNotFound(f"assessment {assessment_id}: no such assessment")
        if assessment.status != SUBMITTED:
            raise FollowUpError("not-submitted", f"assessment {assessment_id} is a draft: recommendations are "
                                "followed up once it is submitted", field="assessment")
        row = session.scalar(select(FollowUpRow).where(FollowUpRow.assessment_id == assessment_id,
                                                       FollowUpRow.practice == practice))
        if row is None and (practice not in known or len(practice) > PRACTICE_LENGTH):
            raise FollowUpError("practice-unknown", f"practice {practice!r} is not among this assessment's "
                                "recommendations", field="practice")
        current = _followup(row) if row is not None else FollowUp(practice)
        if current.version != expected_version:
            raise StaleFollowUp(current, expected_version)
        if row is not None and (row.status, row.status_date, row.note) == (status, on, note):
            return current
        moment = now()
        if row is None:
            row = FollowUpRow(assessment_id=assessment_id, practice=practice, version=0)
            session.add(row)
        old = current.status if current.version else None
        row.status, row.status_date, row.note = status, on, note
        row.version, row.changed_by, row.changed_at = current.version + 1, by, moment
        session.add(FollowUpChangeRow(assessment_id=assessment_id, practice=practice, old_status=old,
                                      new_status=status, status_date=on, note=note, changed_by=by,
                                      changed_at=moment))
        session.flush()
        return _followup(row)
    return store.writing(work)


def _followup(row: FollowUpRow) -> FollowUp:
    return FollowUp(row.practice, row.status, row.status_date, row.note, row.version, row.changed_by,
                    aware(row.changed_at))
