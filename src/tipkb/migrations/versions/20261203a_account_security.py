"""Account security: one claim per organisation name, sessions that end, one-time passwords that expire.

- `organisation.name_key` (the name folded to lower case, spaces collapsed) is unique, so two
  registrations of one new organisation cannot both claim it; every organisation an account names
  gets its row now, and accounts take the row's spelling of the name.
- `app_user.password_expires_at`: when an admin-issued one-time password stops working (it also
  stops once it has signed in); the ones already issued get 72 hours from now.
- `user_session`: one row per signed-in session (a hash of its token), deleted at logout, at a
  password change and by "log out everywhere"; sessions made before this revision end.

Revision ID: 20261203a_account_security
Revises: 18c92a9a19d1
Create Date: 2026-12-03
"""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

from tipkb.db import DatabaseError

revision: str = "20261203a_account_security"
down_revision: str | None = "18c92a9a19d1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ONE_TIME_HOURS = 72  # frozen here: the rule as of this revision

organisation = sa.table("organisation", sa.column("id", sa.Integer), sa.column("name", sa.String),
                        sa.column("name_key", sa.String), sa.column("created_at", sa.DateTime(timezone=True)))
app_user = sa.table("app_user", sa.column("id", sa.Integer), sa.column("organisation", sa.String),
                    sa.column("must_change_password", sa.Boolean),
                    sa.column("password_expires_at", sa.DateTime(timezone=True)))


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def upgrade() -> None:
    bind = op.get_bind()
    moment = datetime.now(UTC)
    op.add_column("organisation", sa.Column("name_key", sa.String(length=300), nullable=True))
    keys: dict[str, str] = {}  # key -> the organisation's name
    for row_id, name in bind.execute(sa.select(organisation.c.id, organisation.c.name).order_by(organisation.c.id)):
        if _key(name) in keys:
            raise DatabaseError(f"organisations {keys[_key(name)]!r} and {name!r} differ only in case or spaces: "
                                f"rename one (table organisation, id {row_id}) before upgrading")
        keys[_key(name)] = name
        bind.execute(organisation.update().where(organisation.c.id == row_id).values(name_key=_key(name)))
    named = bind.execute(sa.select(app_user.c.organisation).where(app_user.c.organisation.is_not(None))
                         .distinct()).scalars().all()
    for name in sorted(named):
        if not name.strip():
            continue
        if _key(name) not in keys:  # an account that claimed a name but never stored an assessment
            keys[_key(name)] = " ".join(name.split())
            bind.execute(organisation.insert().values(name=keys[_key(name)], name_key=_key(name), created_at=moment))
        if keys[_key(name)] != name:
            bind.execute(app_user.update().where(app_user.c.organisation == name)
                         .values(organisation=keys[_key(name)]))
    with op.batch_alter_table("organisation") as batch:
        batch.alter_column("name_key", existing_type=sa.String(length=300), nullable=False)
        batch.create_unique_constraint("uq_organisation_name_key", ["name_key"])

    op.add_column("app_user", sa.Column("password_expires_at", sa.DateTime(timezone=True), nullable=True))
    bind.execute(app_user.update().where(app_user.c.must_change_password == sa.true())
                 .values(password_expires_at=moment + timedelta(hours=ONE_TIME_HOURS)))

    op.create_table(
        "user_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name="fk_user_session_user_id_app_user",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_user_session"),
        sa.UniqueConstraint("token_hash", name="uq_user_session_token_hash"),
    )
    op.create_index("ix_user_session_user_id", "user_session", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_user_session_user_id", table_name="user_session")
    op.drop_table("user_session")
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("password_expires_at")
    with op.batch_alter_table("organisation") as batch:
        batch.drop_constraint("uq_organisation_name_key", type_="unique")
        batch.drop_column("name_key")
