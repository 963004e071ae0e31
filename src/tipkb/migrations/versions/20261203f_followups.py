"""Follow-up of recommendations: where each recommendation of a submitted assessment stands, and every change to it.

`followup` holds one row per assessment and practice (status, date, note, a version counter for
stale edits, who changed it last and when); `followup_change` keeps each change with the status
before and after. Both go with their assessment.

Revision ID: 20261203f_followups
Revises: 20261203e_evidence
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261203f_followups"
down_revision: str | None = "20261203e_evidence"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "followup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("practice", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_date", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changed_by", sa.String(length=320), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessment.id"], name="fk_followup_assessment_id_assessment",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_followup"),
        sa.UniqueConstraint("assessment_id", "practice", name="uq_followup_assessment_id_practice"),
    )
    op.create_table(
        "followup_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("practice", sa.String(length=100), nullable=False),
        sa.Column("old_status", sa.String(length=20), nullable=True),
        sa.Column("new_status", sa.String(length=20), nullable=False),
        sa.Column("status_date", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("changed_by", sa.String(length=320), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessment.id"],
                                name="fk_followup_change_assessment_id_assessment", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_followup_change"),
    )
    op.create_index("ix_followup_change_assessment_id_practice", "followup_change", ["assessment_id", "practice"])


def downgrade() -> None:
    op.drop_index("ix_followup_change_assessment_id_practice", table_name="followup_change")
    op.drop_table("followup_change")
    op.drop_table("followup")
