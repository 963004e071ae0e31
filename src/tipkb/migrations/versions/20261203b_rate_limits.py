"""Abuse limits: the `rate_limit` table, where every worker counts logins, registrations and queries together.

One row per limit key (a keyed hash, never the e-mail or address itself) and window: the count so
far and the moment the window ends, in seconds since the epoch. See tipkb/ratelimits.py.

Revision ID: 20261203b_rate_limits
Revises: 20261203a_account_security
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261203b_rate_limits"
down_revision: str | None = "20261203a_account_security"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rate_limit",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("expires", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_rate_limit"),
    )
    op.create_index("ix_rate_limit_expires", "rate_limit", ["expires"])


def downgrade() -> None:
    op.drop_index("ix_rate_limit_expires", table_name="rate_limit")
    op.drop_table("rate_limit")
