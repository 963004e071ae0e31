"""Assessments get an optional title, so that an organisation tells apart two of one country and year.

Revision ID: 20261203d_assessment_title
Revises: 20261203c_teams
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261203d_assessment_title"
down_revision: str | None = "20261203c_teams"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("assessment", sa.Column("title", sa.String(length=120), nullable=True))


def downgrade() -> None:
    op.drop_column("assessment", "title")  # SQLite 3.35+ drops a column in place (no batch copy of the table)
