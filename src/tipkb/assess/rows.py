"""The assessment tables: one row per assessment (who, country, year, status) and one per answer given in it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tipkb.accounts import OrganisationRow
from tipkb.db import Base

DRAFT, SUBMITTED = "draft", "submitted"
TITLE_LENGTH = 120  # characters of an assessment's optional title


class AssessmentRow(Base):
    """One assessment: who, which country and year, which questionnaire version, and where it stands."""

    __tablename__ = "assessment"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    country: Mapped[str] = mapped_column(String(2))
    year: Mapped[int] = mapped_column(Integer)
    questionnaire_version: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default=DRAFT)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    copied_from: Mapped[int | None] = mapped_column(ForeignKey("assessment.id"), nullable=True)
    title: Mapped[str | None] = mapped_column(String(TITLE_LENGTH), nullable=True)
    organisation: Mapped[OrganisationRow] = relationship()
    answers: Mapped[list[AnswerRow]] = relationship(cascade="all, delete-orphan", order_by="AnswerRow.id")
    __table_args__ = (
        # The database enforces the one-draft rule too, so two web workers cannot both create one.
        Index("one_draft_per_organisation_country_year", "organisation_id", "country", "year", unique=True,
              sqlite_where=text("status = 'draft'"), postgresql_where=text("status = 'draft'")),
    )


class AnswerRow(Base):
    """The answer (a JSON value) and note given to one question in one assessment."""

    __tablename__ = "answer"
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    question: Mapped[str] = mapped_column(String(20))
    value: Mapped[Any] = mapped_column(JSON(none_as_null=True), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    __table_args__ = (UniqueConstraint("assessment_id", "question"),)


class EvidenceRow(Base):
    """A link or a stored file that backs one answer (or another subject) of an assessment."""

    __tablename__ = "evidence"
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    subject: Mapped[str] = mapped_column(String(120))  # a question code, or e.g. "followup:<practice-id>"
    kind: Mapped[str] = mapped_column(String(10))  # "link" or "file"
    title: Mapped[str] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    stored_name: Mapped[str | None] = mapped_column(String(64), nullable=True)
    media_type: Mapped[str | None] = mapped_column(String(100), nullable=True)
    size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (Index("ix_evidence_assessment_id_subject", "assessment_id", "subject"),)


class FollowUpRow(Base):
    """Where one recommendation (a practice) of a submitted assessment stands with the authorities."""

    __tablename__ = "followup"
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    practice: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))
    status_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    version: Mapped[int] = mapped_column(Integer)
    changed_by: Mapped[str] = mapped_column(String(320))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (UniqueConstraint("assessment_id", "practice"),)


class FollowUpChangeRow(Base):
    """One change of a recommendation's follow-up: who, when, the status before and after, the date and note."""

    __tablename__ = "followup_change"
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    practice: Mapped[str] = mapped_column(String(100))
    old_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    new_status: Mapped[str] = mapped_column(String(20))
    status_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    changed_by: Mapped[str] = mapped_column(String(320))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (Index("ix_followup_change_assessment_id_practice", "assessment_id", "practice"),)
