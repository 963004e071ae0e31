"""Evidence: links and files that back an answer (or another subject) of an assessment.

`evidence` holds one row per link or file: the subject it backs (a question code, or a prefixed
id such as "followup:<practice-id>"), its title, the URL or the random name of the stored file,
the media type sniffed from its content, size, SHA-256, who added it and when. Rows go with their
assessment; the files themselves live outside the database.

Revision ID: 20261203e_evidence
Revises: 20261203d_assessment_title
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261203e_evidence"
down_revision: str | None = "20261203d_assessment_title"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("stored_name", sa.String(length=64), nullable=True),
        sa.Column("media_type", sa.String(length=100), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessment.id"], name="fk_evidence_assessment_id_assessment",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["uploaded_by"], ["app_user.id"], name="fk_evidence_uploaded_by_app_user",
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_evidence"),
    )
    op.create_index("ix_evidence_assessment_id_subject", "evidence", ["assessment_id", "subject"])


def downgrade() -> None:
    op.drop_index("ix_evidence_assessment_id_subject", table_name="evidence")
    op.drop_table("evidence")
