"""Teams: organisation admins, and invitations to join an organisation by a one-time link.

- `app_user.org_admin`: the account may invite and remove members of its organisation; each
  organisation's oldest account becomes its admin now.
- `invitation`: an open invitation (the hash of its link's token, the invited email, the inviting
  admin, when it ends); it goes with its organisation and its inviter.

Revision ID: 20261203c_teams
Revises: 20261203b_rate_limits
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261203c_teams"
down_revision: str | None = "20261203b_rate_limits"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

app_user = sa.table("app_user", sa.column("id", sa.Integer), sa.column("organisation", sa.String),
                    sa.column("org_admin", sa.Boolean))


def upgrade() -> None:
    bind = op.get_bind()
    op.add_column("app_user", sa.Column("org_admin", sa.Boolean(), server_default=sa.false(), nullable=False))
    founders = bind.execute(sa.select(sa.func.min(app_user.c.id)).where(app_user.c.organisation.is_not(None))
                            .group_by(app_user.c.organisation)).scalars().all()
    if founders:
        bind.execute(app_user.update().where(app_user.c.id.in_(founders)).values(org_admin=True))
    op.create_table(
        "invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("invited_by", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name="fk_invitation_organisation_id_organisation", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["invited_by"], ["app_user.id"], name="fk_invitation_invited_by_app_user",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_invitation"),
        sa.UniqueConstraint("token_hash", name="uq_invitation_token_hash"),
    )
    op.create_index("ix_invitation_organisation_id", "invitation", ["organisation_id"])
    op.create_index("ix_invitation_invited_by", "invitation", ["invited_by"])


def downgrade() -> None:
    op.drop_index("ix_invitation_invited_by", table_name="invitation")
    op.drop_index("ix_invitation_organisation_id", table_name="invitation")
    op.drop_table("invitation")
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("org_admin")
