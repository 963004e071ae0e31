"""Store the submissions of a checked import as an organisation's drafts, all in one transaction or none."""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from tipkb.accounts import OrganisationRow
from tipkb.assess.answers import AnswerError
from tipkb.assess.imports import ImportReport, RowProblem
from tipkb.assess.problems import AnswerProblem
from tipkb.assess.rows import DRAFT, AnswerRow, AssessmentRow
from tipkb.assess.storage import AssessmentStore, OrganisationNotFound
from tipkb.db import now as _now


class ImportRejected(AnswerError):
    """An import with problems: nothing was stored; `rows` lists each problem with its row."""

    def __init__(self, rows: tuple[RowProblem, ...]):
        super().__init__(r.problem for r in rows)
        self.rows = rows


def store_import(store: AssessmentStore, report: ImportReport, organisation: str, *,
                 existing: bool = False) -> list[int]:
    """Create one draft per submission for the organisation and return their ids; raise ImportRejected, storing none.

    The drafts are written in one transaction; a draft the organisation already has for a submission's
    country and year rejects the whole import. With `existing`, the organisation must exist (an account's).
    """
    if not report.ok:
        raise ImportRejected(report.problems)
    name = organisation.strip()

    def work(session: Session) -> list[int]:
        org = session.scalar(select(OrganisationRow).where(OrganisationRow.name == name).with_for_update(read=True))
        if org is None and existing:
            raise OrganisationNotFound(f"organisation {name!r}: no such organisation")
        if org is None:
            org = OrganisationRow(name=name, created_at=_now())
            session.add(org)
            session.flush()
        drafts = {tuple(r) for r in session.execute(select(AssessmentRow.country, AssessmentRow.year).where(
            AssessmentRow.organisation_id == org.id, AssessmentRow.status == DRAFT)).all()}
        taken = tuple(RowProblem(s.row, s.key, AnswerProblem(
            "import-draft-exists", field="country", params={"country": s.answers.country, "year": s.answers.year}))
            for s in report.submissions if (s.answers.country, s.answers.year) in drafts)
        if taken:
            raise ImportRejected(taken)
        now = _now()
        ids = list(session.scalars(  # bulk INSERTs: thousands of submissions are one statement per table
            insert(AssessmentRow).returning(AssessmentRow.id, sort_by_parameter_order=True),
            [{"organisation_id": org.id, "country": s.answers.country, "year": s.answers.year, "status": DRAFT,
              "version": 1, "questionnaire_version": store.questionnaire.version, "created_at": now,
              "updated_at": now} for s in report.submissions]))
        answers = [{"assessment_id": aid, "question": code, "value": s.answers.values.get(code),
                    "note": s.answers.notes.get(code)}  # one row per code with a value or a note, as write_answers
                   for aid, s in zip(ids, report.submissions, strict=True)
                   for code in {**s.answers.values, **s.answers.notes}]
        if answers:
            session.execute(insert(AnswerRow), answers)
        return ids
    return store.writing(work)
