"""Baseline: the tables of accounts, organisations, assessments and changesets.

A database made before migrations (by `create_all`, no alembic_version table) is adopted: the
tables it has are kept with their rows, the ones it lacks are created, and `app_user` gains the
`active` column if it predates it. An adopted table that lacks any other column is refused.

Revision ID: 18c92a9a19d1
Revises:
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tipkb.db import DatabaseError

revision: str = "18c92a9a19d1"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The schema as of this revision, frozen here: later model changes go into later revisions.
SCHEMA = sa.MetaData()

sa.Table(
    "organisation", SCHEMA,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("name", sa.String(length=300), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("id", name="pk_organisation"),
    sa.UniqueConstraint("name", name="uq_organisation_name"),
)
sa.Table(
    "app_user", SCHEMA,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("email", sa.String(length=320), nullable=False),
    sa.Column("password_hash", sa.String(length=300), nullable=False),
    sa.Column("role", sa.String(length=20), nullable=False),
    sa.Column("organisation", sa.String(length=300), nullable=True),
    sa.Column("must_change_password", sa.Boolean(), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.PrimaryKeyConstraint("id", name="pk_app_user"),
    sa.UniqueConstraint("email", name="uq_app_user_email"),
)
sa.Table(
    "assessment", SCHEMA,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("organisation_id", sa.Integer(), nullable=False),
    sa.Column("country", sa.String(length=2), nullable=False),
    sa.Column("year", sa.Integer(), nullable=False),
    sa.Column("questionnaire_version", sa.String(length=40), nullable=False),
    sa.Column("status", sa.String(length=20), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("version", sa.Integer(), nullable=False),
    sa.Column("copied_from", sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(["copied_from"], ["assessment.id"], name="fk_assessment_copied_from_assessment"),
    sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                            name="fk_assessment_organisation_id_organisation"),
    sa.PrimaryKeyConstraint("id", name="pk_assessment"),
    sa.Index("ix_assessment_organisation_id", "organisation_id"),
    sa.Index("one_draft_per_organisation_country_year", "organisation_id", "country", "year", unique=True,
             sqlite_where=sa.text("status = 'draft'"), postgresql_where=sa.text("status = 'draft'")),
)
sa.Table(
    "answer", SCHEMA,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("assessment_id", sa.Integer(), nullable=False),
    sa.Column("question", sa.String(length=20), nullable=False),
    sa.Column("value", sa.JSON(none_as_null=True), nullable=True),
    sa.Column("note", sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(["assessment_id"], ["assessment.id"], name="fk_answer_assessment_id_assessment",
                            ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name="pk_answer"),
    sa.UniqueConstraint("assessment_id", "question", name="uq_answer_assessment_id_question"),
)
sa.Table(
    "changeset", SCHEMA,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("author", sa.String(length=200), nullable=False),
    sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    sa.Column("reason", sa.Text(), nullable=False),
    sa.Column("status", sa.String(length=20), nullable=False),
    sa.Column("seq", sa.Integer(), nullable=True),
    sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("reviewer", sa.String(length=200), nullable=True),
    sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("reverts_id", sa.Integer(), nullable=True),
    sa.Column("reverted_by_id", sa.Integer(), nullable=True),
    sa.Column("base_versions", sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(["reverted_by_id"], ["changeset.id"], name="fk_changeset_reverted_by_id_changeset"),
    sa.ForeignKeyConstraint(["reverts_id"], ["changeset.id"], name="fk_changeset_reverts_id_changeset"),
    sa.PrimaryKeyConstraint("id", name="pk_changeset"),
    sa.UniqueConstraint("seq", name="uq_changeset_seq"),
    sa.Index("ix_changeset_status", "status"),
)
sa.Table(
    "change", SCHEMA,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("changeset_id", sa.Integer(), nullable=False),
    sa.Column("op", sa.String(length=6), nullable=False),
    sa.Column("entity", sa.String(length=500), nullable=False),
    sa.Column("graph", sa.String(length=500), nullable=False),
    sa.Column("subject", sa.Text(), nullable=False),
    sa.Column("predicate", sa.Text(), nullable=False),
    sa.Column("object", sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(["changeset_id"], ["changeset.id"], name="fk_change_changeset_id_changeset",
                            ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name="pk_change"),
    sa.Index("ix_change_changeset_id", "changeset_id"),
    sa.Index("ix_change_entity", "entity"),
)
sa.Table(
    "kb_head", SCHEMA,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("seq", sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint("id", name="pk_kb_head"),
)
sa.Table(
    "editor_setting", SCHEMA,
    sa.Column("key", sa.String(length=100), nullable=False),
    sa.Column("value", sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint("key", name="pk_editor_setting"),
)


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    existing = set(inspector.get_table_names())
    for table in SCHEMA.sorted_tables:
        if table.name not in existing:
            table.create(bind)  # with its indexes
            continue
        present = {c["name"] for c in inspector.get_columns(table.name)}
        if table.name == "app_user" and "active" not in present:  # accounts made before deactivation existed
            op.add_column("app_user", sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False))
            present.add("active")
        missing = [c.name for c in table.columns if c.name not in present]
        if missing:
            raise DatabaseError(f"table {table.name} lacks column(s) {', '.join(missing)}: it was not made by "
                                f"tipkb, or by a version older than the migrations know")
        if bind.dialect.name == "sqlite":  # rebuilt, so that its constraints carry the names later revisions use
            with op.batch_alter_table(table.name, recreate="always", copy_from=table):
                pass


def downgrade() -> None:
    for table in reversed(SCHEMA.sorted_tables):
        op.drop_table(table.name)
