"""Store assessments (an organisation's answers for one country and year) with SQLAlchemy: draft → submitted.

Rules (docs/assessment.md): an organisation has at most one draft per country and year, and any
number of submitted ones; a submitted assessment is read-only and is revised through `copy`.

Writes are serialised: each runs in one transaction that takes the write lock first (SQLite:
`BEGIN IMMEDIATE`, waiting up to the busy timeout; PostgreSQL: `SELECT … FOR UPDATE` on the
assessment), so concurrent saves of one assessment apply one after another on fresh rows. A
collision that still gets through (a deadlock, a concurrent first insert) is retried a few times,
then reported as a ConflictError.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, joinedload, selectinload, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from tipkb.accounts import OrganisationRow
from tipkb.assess.answers import AnswerError, AnswerProblem, check_answers, identity_problems
from tipkb.assess.checked import CheckedContents
from tipkb.assess.migration import can_migrate
from tipkb.assess.questionnaire import Questionnaire
from tipkb.assess.rows import DRAFT, SUBMITTED, TITLE_LENGTH, AssessmentRow
from tipkb.assess.stored import migrate_row, row_contents, write_answers
from tipkb.db import aware as _aware
from tipkb.db import make_engine, upgrade
from tipkb.db import now as _now
from tipkb.errors import TipkbError

ATTEMPTS = 4  # tries of one write whose transaction collided with another (deadlock, concurrent first insert)
_TRANSIENT_STATES = {"40001", "40P01", "55P03"}  # PostgreSQL: serialisation failure, deadlock, lock not available
T = TypeVar("T")


class AssessmentError(TipkbError):
    """An assessment cannot be created, found or changed as asked."""


class AssessmentNotFound(AssessmentError):
    """No assessment has the given id."""


class ReadOnlyError(AssessmentError):
    """The assessment is submitted and can no longer change."""


class ConflictError(AssessmentError):
    """The change collides with another: a second draft, a save based on an older version, or a busy database."""


class OrganisationNotFound(AssessmentError):
    """No organisation has the given name (any more)."""


class _OrganisationMadeMeanwhile(AssessmentError):
    """Another transaction created the organisation between this one's look-up and its insert."""


@dataclass(frozen=True)
class Assessment:
    """One stored assessment; `problems` says what does not fit the store's questionnaire (e.g. another version).

    Answers stored for an older questionnaire version with a migration to the store's are shown migrated:
    `questionnaire_version` is then the store's and `migrated_from` the version they were stored with.
    """

    id: int
    organisation: str
    country: str
    year: int
    questionnaire_version: str
    status: str
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    version: int
    answers: Mapping[str, Any] = field(default_factory=dict)
    notes: Mapping[str, str] = field(default_factory=dict)
    problems: tuple[AnswerProblem, ...] = ()
    copied_from: int | None = None
    title: str | None = None
    migrated_from: str | None = None

    @property
    def read_only(self) -> bool:
        return self.status == SUBMITTED


class AssessmentStore:
    """Assessments in a SQL database (SQLite by default, PostgreSQL by URL), checked against one questionnaire."""

    def __init__(self, url: str | None = None, *, questionnaire: Questionnaire):
        self.questionnaire = questionnaire
        self.engine = make_engine(url)  # default: the instance SQLite file
        upgrade(self.engine)
        self._session = sessionmaker(self.engine, expire_on_commit=False)
        self._checked = CheckedContents()

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> AssessmentStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- reading ------------------------------------------------------------------------------

    def get(self, assessment_id: int) -> Assessment:
        """Return one assessment with its answers (one query); raise AssessmentNotFound if there is none.

        A draft stored for an older questionnaire version is migrated to the store's version on opening.
        """
        with self._session() as session:
            row = self._row(session, assessment_id)
            if row.status != DRAFT or not self._migratable(row):
                return self._to_dataclass(row)

        def migrate(session: Session) -> Assessment:  # locked, then migrated if still a draft
            row = session.get(AssessmentRow, assessment_id, with_for_update=True)
            if row is not None and row.status == DRAFT:
                migrate_row(row, self.questionnaire.version)
            return self._to_dataclass(self._row(session, assessment_id))
        return self.writing(migrate)

    def list_for_organisation(self, organisation: str) -> list[Assessment]:
        """Return an organisation's assessments, newest year first, then newest created first (two queries)."""
        with self._session() as session:
            rows = session.scalars(select(AssessmentRow).join(OrganisationRow)
                                   .where(OrganisationRow.name == organisation.strip())
                                   .options(joinedload(AssessmentRow.organisation), selectinload(AssessmentRow.answers))
                                   .order_by(AssessmentRow.year.desc(), AssessmentRow.id.desc())).all()
            return [self._to_dataclass(r) for r in rows]

    def previous(self, assessment: Assessment) -> Assessment | None:
        """Return the organisation's latest submitted assessment of the same country made before this one (one query).

        Made before means an earlier year, or the same year and a lower id.
        """
        earlier = (select(AssessmentRow.id).join(OrganisationRow)
                   .where(OrganisationRow.name == assessment.organisation, AssessmentRow.country == assessment.country,
                          AssessmentRow.status == SUBMITTED,
                          or_(AssessmentRow.year < assessment.year,
                              and_(AssessmentRow.year == assessment.year, AssessmentRow.id < assessment.id)))
                   .order_by(AssessmentRow.year.desc(), AssessmentRow.id.desc()).limit(1).scalar_subquery())
        with self._session() as session:
            row = session.scalars(select(AssessmentRow).where(AssessmentRow.id == earlier).options(*_WHOLE)
                                  ).unique().one_or_none()
            return None if row is None else self._to_dataclass(row)

    # --- changing -----------------------------------------------------------------------------

    def create(self, organisation: str, country: str, year: int, *, existing: bool = False,
               title: str | None = None) -> Assessment:
        """Start an empty draft for the store's questionnaire; raise ConflictError if that draft already exists.

        The organisation's row is made on first use, unless `existing` (an account's organisation, made
        at registration): then a missing one, e.g. deleted a moment ago, raises OrganisationNotFound.
        """
        _check_identity(organisation, country, year)
        title = clean_title(title)
        try:
            return self._create(organisation.strip(), country, year, existing, title)
        except _OrganisationMadeMeanwhile:  # another request made it at the same moment: this time it is found
            return self._create(organisation.strip(), country, year, existing, title)

    def _create(self, organisation: str, country: str, year: int, existing: bool, title: str | None) -> Assessment:
        def work(session: Session) -> Assessment:
            org = self._organisation(session, organisation, existing=existing)
            row = self._new_row(session, org, country, year)
            row.title = title
            session.flush()
            return self._to_dataclass(row)
        return self.writing(work)

    def save_answers(self, assessment_id: int, answers: Mapping[str, Any], notes: Mapping[str, Any] | None = None,
                     *, expected_version: int | None = None, drop_unasked: bool = False) -> Assessment:
        """Merge answers (None clears one) and notes into a draft in one transaction; if invalid, raise, change nothing.

        Stored answers to questions that the new answers make skipped are removed. With `drop_unasked`,
        so are given answers to questions that the merged answers skip (as a form hides them), instead
        of being refused: the form and autosave decide skip logic on the stored answers of that moment.
        """
        def work(session: Session) -> Assessment:
            row = self._editable(session, assessment_id, expected_version)
            stored = {a.question: a for a in row.answers}
            values = {c: a.value for c, a in stored.items() if a.value is not None}
            values.update(answers)
            merged_notes = {c: a.note for c, a in stored.items() if a.note}
            merged_notes.update(notes or {})
            asked = self.questionnaire.asked({c: v for c, v in values.items() if v is not None})
            for code in list(values):  # answers that the change leaves unasked go (as a form hides them)
                if (drop_unasked or code not in answers) and not asked.get(code, False):
                    values.pop(code, None)
            check = check_answers(self.questionnaire, values, merged_notes)
            if check.problems:
                raise AnswerError(check.problems)
            write_answers(row, stored, check.answers.values, check.answers.notes)
            row.version += 1
            row.updated_at = _now()
            session.flush()
            return self._to_dataclass(row, checked=True)
        return self.writing(work)

    def submit(self, assessment_id: int, *, expected_version: int | None = None) -> Assessment:
        """Mark a draft submitted (read-only from then on); raise AnswerError if any stored answer is invalid."""
        def work(session: Session) -> Assessment:
            row = self._editable(session, assessment_id, expected_version)
            check = check_answers(self.questionnaire, {a.question: a.value for a in row.answers},
                                  {a.question: a.note for a in row.answers})
            if check.problems:
                raise AnswerError(check.problems)
            row.status, row.submitted_at = SUBMITTED, _now()
            row.updated_at = row.submitted_at
            row.version += 1
            session.flush()
            return self._to_dataclass(row, checked=True)
        return self.writing(work)

    def copy(self, assessment_id: int, *, year: int | None = None) -> Assessment:
        """Start a new draft from a submitted assessment (same year unless given), keeping the answers still valid."""
        def work(session: Session) -> Assessment:
            source = self._row(session, assessment_id)
            if source.status != SUBMITTED:
                raise AssessmentError(f"assessment {assessment_id} is a draft: edit it instead of copying it")
            target = source.year if year is None else year
            _check_identity(source.organisation.name, source.country, target)
            values, notes, _ = row_contents(source, self.questionnaire.version)
            check = check_answers(self.questionnaire, values, notes)
            row = self._new_row(session, source.organisation, source.country, target)
            row.copied_from = source.id
            write_answers(row, {}, check.answers.values, check.answers.notes)
            session.flush()
            return self._to_dataclass(row)
        return self.writing(work)

    def rename(self, assessment_id: int, organisation: str, title: str | None) -> Assessment:
        """Give an organisation's assessment (draft or submitted) a title, or none; its answers stay as they are."""
        title = clean_title(title)

        def work(session: Session) -> Assessment:
            row = session.get(AssessmentRow, assessment_id, with_for_update=True)  # answers load after: no outer join
            if row is None or row.organisation.name != (organisation or "").strip():
                raise AssessmentNotFound(f"assessment {assessment_id}: no such assessment")
            row.title = title
            session.flush()
            return self._to_dataclass(row)
        return self.writing(work)

    def delete_draft(self, assessment_id: int, organisation: str) -> None:
        """Delete an organisation's draft with its answers and notes, for good.

        Another organisation's assessment raises AssessmentNotFound, as a missing one does (no hint it
        exists); a submitted one raises ReadOnlyError (an organisation deletes those with all its data).
        """
        def work(session: Session) -> None:
            row = session.get(AssessmentRow, assessment_id, with_for_update=True)  # a save under way finishes first
            if row is None or row.organisation.name != (organisation or "").strip():
                raise AssessmentNotFound(f"assessment {assessment_id}: no such assessment")
            if row.status != DRAFT:
                raise ReadOnlyError(f"assessment {assessment_id} is submitted: it is deleted only with all the "
                                    "organisation's data")
            session.delete(row)
        self.writing(work)

    def writing(self, work: Callable[[Session], T]) -> T:
        """Run `work` in one write transaction that holds the write lock from its start; retry a collision.

        On SQLite the transaction begins IMMEDIATE (the database's write lock, waited for up to the
        busy timeout); on PostgreSQL `work` locks the rows it changes (`with_for_update`). A deadlock,
        a serialisation failure, a concurrent first insert or a lock wait that timed out rolls the
        transaction back and runs `work` again on fresh rows, up to ATTEMPTS times; then ConflictError.
        """
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with self._session.begin() as session:
                    if self.engine.dialect.name == "sqlite":
                        session.connection().exec_driver_sql("BEGIN IMMEDIATE")
                    return work(session)
            except (IntegrityError, OperationalError, StaleDataError) as exc:
                if not _collision(exc):
                    raise
                if attempt == ATTEMPTS:
                    raise ConflictError("the database was busy with other changes to the same data; nothing was "
                                        "saved, try again") from exc
                time.sleep(random.uniform(0.01, 0.05) * attempt)  # let the other writer finish, out of step
        raise AssertionError("unreachable")

    # --- helpers ------------------------------------------------------------------------------

    def _row(self, session: Session, assessment_id: int) -> AssessmentRow:
        row = session.get(AssessmentRow, assessment_id, options=_WHOLE)
        if row is None:
            raise AssessmentNotFound(f"assessment {assessment_id}: no such assessment")
        return row

    def _editable(self, session: Session, assessment_id: int, expected_version: int | None) -> AssessmentRow:
        row = session.get(AssessmentRow, assessment_id, with_for_update=True)
        if row is None:
            raise AssessmentNotFound(f"assessment {assessment_id}: no such assessment")
        if row.status != DRAFT:
            raise ReadOnlyError(f"assessment {assessment_id} is submitted and read-only; copy it to revise it")
        if expected_version is not None and row.version != expected_version:
            raise ConflictError(f"assessment {assessment_id} changed since it was read (version {row.version}, "
                                f"not {expected_version}); reload it and apply the change again")
        migrate_row(row, self.questionnaire.version)
        if row.questionnaire_version != self.questionnaire.version:
            raise AssessmentError(f"assessment {assessment_id} answers questionnaire {row.questionnaire_version}, "
                                  f"not {self.questionnaire.version}; copy it once submitted, or start a new one")
        return row

    def _migratable(self, row: AssessmentRow) -> bool:
        return can_migrate(row.questionnaire_version, self.questionnaire.version)

    def _organisation(self, session: Session, name: str, *, existing: bool = False) -> OrganisationRow:
        query = select(OrganisationRow).where(OrganisationRow.name == name)
        org = session.scalar(query.with_for_update(read=True) if existing else query)  # waits for a deletion
        if org is None and existing:
            raise OrganisationNotFound(f"organisation {name!r}: no such organisation")
        if org is None:
            org = OrganisationRow(name=name, created_at=_now())
            session.add(org)
            try:
                session.flush()
            except IntegrityError:
                raise _OrganisationMadeMeanwhile(name) from None
        return org

    def _new_row(self, session: Session, org: OrganisationRow, country: str, year: int) -> AssessmentRow:
        existing = session.scalar(select(AssessmentRow.id).where(
            AssessmentRow.organisation_id == org.id, AssessmentRow.country == country,
            AssessmentRow.year == year, AssessmentRow.status == DRAFT))
        if existing is not None:
            raise ConflictError(f"organisation {org.name!r} already has a draft for {country} {year} "
                                f"(assessment {existing}); resume it instead")
        now = _now()
        row = AssessmentRow(organisation=org, country=country, year=year, status=DRAFT, version=1,
                            questionnaire_version=self.questionnaire.version, created_at=now, updated_at=now)
        session.add(row)
        try:
            session.flush()
        except IntegrityError:
            raise ConflictError(f"organisation {org.name!r} already has a draft for {country} {year}") from None
        return row

    def _to_dataclass(self, row: AssessmentRow, *, checked: bool = False) -> Assessment:
        """Return a row as an Assessment; `checked` says its answers passed check_answers in this transaction.

        Its problems are worked out once per content (id, version) and questionnaire, not on every read.
        """
        values, notes, source = row_contents(row, self.questionnaire.version)
        version = self.questionnaire.version if source else row.questionnaire_version
        problems = self._checked.problems(self.questionnaire, (row.id, row.version, _aware(row.created_at)),
                                          version, values, notes, checked=checked)
        order = {q.code: i for i, q in enumerate(self.questionnaire.questions)}
        values = dict(sorted(values.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))
        return Assessment(row.id, row.organisation.name, row.country, row.year, version,
                          row.status, _aware(row.created_at), _aware(row.updated_at), _aware(row.submitted_at),
                          row.version, values, notes, problems, row.copied_from, row.title, source)


_WHOLE = (joinedload(AssessmentRow.organisation), joinedload(AssessmentRow.answers))  # a row in one query


def _collision(exc: Exception) -> bool:
    """Say whether a database error means another transaction got in the way (worth a retry), not a fault."""
    if isinstance(exc, StaleDataError):
        return True  # a row changed or went meanwhile
    orig = getattr(exc, "orig", None)
    if isinstance(exc, IntegrityError):  # a unique key taken meanwhile (another constraint is a fault)
        return getattr(orig, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(orig)
    return getattr(orig, "sqlstate", None) in _TRANSIENT_STATES or "database is locked" in str(orig)


def clean_title(title: str | None) -> str | None:
    """Return a title with its spaces tidied (None when blank); raise AssessmentError if it is too long."""
    text = " ".join("".join(c if c.isprintable() else " " for c in (title or "")).split())
    if len(text) > TITLE_LENGTH:
        raise AssessmentError(f"title: at most {TITLE_LENGTH} characters, not {len(text)}")
    return text or None


def _check_identity(organisation: str, country: str, year: int) -> None:
    fields = (("organisation", organisation), ("country", country), ("year", year))
    problems = [AnswerProblem("required", field=name) for name, value in fields if value is None]
    problems += identity_problems(organisation, country, year)
    if problems:
        raise AssessmentError("; ".join(p.text() for p in problems))
