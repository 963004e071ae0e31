"""The database: migrations build the models' schema, every store connects alike, old databases are adopted."""

import subprocess
import sys
import textwrap
import time
from datetime import datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

import tipkb.accounts
import tipkb.assess.rows
import tipkb.edit.tables
import tipkb.ratelimits
import tipkb.teams
from tipkb import AssessmentStore, load_kb
from tipkb.cli.main import main
from tipkb.db import Base, DatabaseError, current, downgrade, head, make_engine, upgrade
from tipkb.edit.changesets import ChangeLog

ROOT = Path(__file__).resolve().parents[2]
TABLES = {"organisation", "app_user", "assessment", "answer", "changeset", "change", "kb_head", "editor_setting",
          "user_session", "rate_limit", "invitation", "evidence", "followup", "followup_change"}

# The schema that the create_all code of earlier releases made on SQLite, before accounts had `active`.
OLD_ASSESSMENTS = """
CREATE TABLE organisation (id INTEGER NOT NULL, name VARCHAR(300) NOT NULL, created_at DATETIME NOT NULL,
    PRIMARY KEY (id), UNIQUE (name));
CREATE TABLE assessment (id INTEGER NOT NULL, organisation_id INTEGER NOT NULL, country VARCHAR(2) NOT NULL,
    year INTEGER NOT NULL, questionnaire_version VARCHAR(40) NOT NULL, status VARCHAR(20) NOT NULL,
    created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL, submitted_at DATETIME, version INTEGER NOT NULL,
    copied_from INTEGER, PRIMARY KEY (id), FOREIGN KEY(organisation_id) REFERENCES organisation (id),
    FOREIGN KEY(copied_from) REFERENCES assessment (id));
CREATE INDEX ix_assessment_organisation_id ON assessment (organisation_id);
CREATE UNIQUE INDEX one_draft_per_organisation_country_year ON assessment (organisation_id, country, year)
    WHERE status = 'draft';
CREATE TABLE answer (id INTEGER NOT NULL, assessment_id INTEGER NOT NULL, question VARCHAR(20) NOT NULL, value JSON,
    note TEXT, PRIMARY KEY (id), UNIQUE (assessment_id, question),
    FOREIGN KEY(assessment_id) REFERENCES assessment (id) ON DELETE CASCADE);
INSERT INTO organisation VALUES (1, 'Example NGO', '2026-01-05 10:00:00');
INSERT INTO assessment VALUES (1, 1, 'KG', 2025, '1.0', 'draft', '2026-01-05 10:00:00', '2026-01-05 11:00:00', NULL,
    2, NULL);
INSERT INTO answer VALUES (1, 1, 'PR01', '"partly"', 'see Article 124');
"""
OLD_USERS = """
CREATE TABLE app_user (id INTEGER NOT NULL, email VARCHAR(320) NOT NULL, password_hash VARCHAR(300) NOT NULL,
    role VARCHAR(20) NOT NULL, organisation VARCHAR(300), must_change_password BOOLEAN NOT NULL,
    created_at DATETIME NOT NULL, PRIMARY KEY (id), UNIQUE (email));
"""
# The same after the ad-hoc ALTER TABLE (or create_all) of the release that added deactivation.
OLD_USERS_ACTIVE = OLD_USERS.replace("created_at DATETIME NOT NULL,",
                                     "created_at DATETIME NOT NULL, active BOOLEAN NOT NULL DEFAULT 1,")
OLD_CHANGESETS = """
CREATE TABLE changeset (id INTEGER NOT NULL, author VARCHAR(200) NOT NULL, created DATETIME NOT NULL,
    reason TEXT NOT NULL, status VARCHAR(20) NOT NULL, seq INTEGER, applied_at DATETIME, reviewer VARCHAR(200),
    reviewed_at DATETIME, reverts_id INTEGER, reverted_by_id INTEGER, base_versions JSON NOT NULL, PRIMARY KEY (id),
    UNIQUE (seq), FOREIGN KEY(reverts_id) REFERENCES changeset (id),
    FOREIGN KEY(reverted_by_id) REFERENCES changeset (id));
CREATE INDEX ix_changeset_status ON changeset (status);
CREATE TABLE kb_head (id INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (id));
CREATE TABLE editor_setting ("key" VARCHAR(100) NOT NULL, value TEXT NOT NULL, PRIMARY KEY ("key"));
CREATE TABLE change (id INTEGER NOT NULL, changeset_id INTEGER NOT NULL, op VARCHAR(6) NOT NULL,
    entity VARCHAR(500) NOT NULL, graph VARCHAR(500) NOT NULL, subject TEXT NOT NULL, predicate TEXT NOT NULL,
    object TEXT NOT NULL, PRIMARY KEY (id), FOREIGN KEY(changeset_id) REFERENCES changeset (id) ON DELETE CASCADE);
CREATE INDEX ix_change_changeset_id ON change (changeset_id);
CREATE INDEX ix_change_entity ON change (entity);
INSERT INTO changeset VALUES (1, 'ana@experts.org', '2026-01-06 09:00:00', 'fix a label', 'applied', 1,
    '2026-01-06 09:00:00', NULL, NULL, NULL, NULL, '{}');
INSERT INTO change VALUES (1, 1, 'add', 'https://w3id.org/tipkb/kb/x', '<https://w3id.org/tipkb/kb/x.ttl>',
    '<https://w3id.org/tipkb/kb/x>', '<http://www.w3.org/2000/01/rdf-schema#label>', '"X"@en');
INSERT INTO kb_head VALUES (1, 1);
"""


def differences(engine) -> list:
    """What Alembic's autogenerate finds between the database and the models (nothing, when they match)."""
    with engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), Base.metadata)


def constraint_names(engine) -> dict:
    """The names of each table's primary key, unique constraints, foreign keys and indexes."""
    schema = inspect(engine)
    return {t: (schema.get_pk_constraint(t)["name"], sorted(u["name"] for u in schema.get_unique_constraints(t)),
                sorted(f["name"] for f in schema.get_foreign_keys(t)), sorted(i["name"] for i in schema.get_indexes(t)))
            for t in sorted(TABLES)}


def old_database(path: Path, sql: str) -> str:
    """Make a database the way an earlier release left it (plain SQL, no alembic_version) and return its URL."""
    import sqlite3

    with sqlite3.connect(path) as connection:
        connection.executescript(sql)
    connection.close()
    return f"sqlite:///{path}"


def test_one_declarative_base_and_one_engine_factory_hold_every_table():
    assert set(Base.metadata.tables) == TABLES
    assert {m.class_.__module__ for m in Base.registry.mappers} == {
        tipkb.accounts.__name__, tipkb.assess.rows.__name__, tipkb.edit.tables.__name__,
        tipkb.ratelimits.__name__, tipkb.teams.__name__}
    sources = sorted((ROOT / "src").rglob("*.py")) + sorted((ROOT / "webapp").rglob("*.py"))
    for marker, where in (("DeclarativeBase", ["db.py"]), ("create_engine(", ["db.py"]), ("create_all(", [])):
        assert [p.name for p in sources if marker in p.read_text(encoding="utf-8")] == where, marker


def test_an_empty_database_migrates_to_the_models_with_named_constraints(any_empty_database_url):
    engine = make_engine(any_empty_database_url.replace("postgresql+psycopg:", "postgresql:"))
    assert engine.dialect.driver in ("pysqlite", "psycopg")  # a plain postgresql:// URL uses psycopg 3
    assert upgrade(engine) == head()
    assert differences(engine) == []
    schema = inspect(engine)
    assert set(schema.get_table_names()) == TABLES | {"alembic_version"}
    assert [u["name"] for u in schema.get_unique_constraints("answer")] == ["uq_answer_assessment_id_question"]
    assert {f["name"] for f in schema.get_foreign_keys("changeset")} == {
        "fk_changeset_reverts_id_changeset", "fk_changeset_reverted_by_id_changeset"}
    assert schema.get_pk_constraint("organisation")["name"] == "pk_organisation"
    assert upgrade(engine) == head()  # a second start changes nothing
    engine.dispose()


def pragmas(engine) -> dict:
    with engine.connect() as connection:
        return {name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("foreign_keys", "busy_timeout", "journal_mode", "synchronous")}


@pytest.mark.parametrize("file", [True, False], ids=["file", "memory"])
def test_assessments_changesets_and_accounts_connect_with_the_same_pragmas(tmp_path, questionnaire,
                                                                          questionnaire_kb_dir, file):
    url = f"sqlite:///{tmp_path / 'app.sqlite'}" if file else "sqlite://"
    kb = load_kb(ROOT, kb=questionnaire_kb_dir)
    with AssessmentStore(url, questionnaire=questionnaire) as store:
        log = ChangeLog(kb, url)
        tipkb.accounts.create(store.engine, "eva@ngo.org", "password-1", organisation="Example NGO")
        accounts_engine = make_engine(url)  # what the web app's account functions get is an engine of this factory
        expected = {"foreign_keys": 1, "busy_timeout": 30_000, "journal_mode": "wal" if file else "memory",
                    "synchronous": 2}
        assert pragmas(store.engine) == pragmas(log.engine) == pragmas(accounts_engine) == expected
        with log.engine.connect() as connection, pytest.raises(IntegrityError):  # the migration turned them back on
            connection.execute(text("INSERT INTO change (changeset_id, op, entity, graph, subject, predicate, object)"
                                    " VALUES (99, 'add', 'e', 'g', 's', 'p', 'o')"))
        log.close()
        accounts_engine.dispose()


@pytest.mark.parametrize("sql", [
    OLD_ASSESSMENTS + OLD_USERS + OLD_CHANGESETS,
    OLD_ASSESSMENTS + OLD_USERS_ACTIVE + OLD_CHANGESETS,
    OLD_CHANGESETS,  # made by `tipkb kb import` alone, before the web app ever ran
], ids=["before-active", "with-active", "changesets-only"])
def test_a_database_made_by_create_all_is_adopted_and_keeps_its_rows(tmp_path, questionnaire, sql):
    password = generate_password_hash("password-1")
    url = old_database(tmp_path / "old.sqlite", sql + (
        f"INSERT INTO app_user (id, email, password_hash, role, organisation, must_change_password, created_at) "
        f"VALUES (1, 'eva@ngo.org', '{password}', 'ngo', 'Example NGO', 0, '2026-01-05 10:00:00');"
        if "app_user" in sql else ""))
    engine, fresh = make_engine(url), make_engine("sqlite://")
    assert upgrade(engine) == head() == upgrade(fresh)
    assert differences(engine) == []
    assert constraint_names(engine) == constraint_names(fresh)  # so later revisions can name what they alter
    fresh.dispose()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT subject, object FROM change")).all() == [
            ("<https://w3id.org/tipkb/kb/x>", '"X"@en')]
        assert connection.execute(text("SELECT seq FROM kb_head")).scalar() == 1
    if "app_user" in sql:
        eva = tipkb.accounts.authenticate(engine, "eva@ngo.org", "password-1")
        assert (eva.id, eva.organisation, eva.is_active) == (1, "Example NGO", True)
        with AssessmentStore(url, questionnaire=questionnaire) as store:
            kept = store.get(1)
            assert (kept.organisation, kept.answers, kept.notes) == ("Example NGO", {"PR01": "partly"},
                                                                     {"PR01": "see Article 124"})
            assert kept.updated_at == datetime.fromisoformat("2026-01-05 11:00:00+00:00")
    engine.dispose()


def test_an_old_table_that_lacks_a_column_is_refused_and_nothing_changes(tmp_path):
    url = old_database(tmp_path / "odd.sqlite", "CREATE TABLE kb_head (id INTEGER NOT NULL, PRIMARY KEY (id));")
    with pytest.raises(DatabaseError, match="table kb_head lacks column\\(s\\) seq"):
        upgrade(url)
    engine = make_engine(url)
    assert inspect(engine).get_table_names() == ["kb_head"]  # the migration's transaction was rolled back
    engine.dispose()


def test_downgrade_to_base_and_upgrade_again(any_empty_database_url, questionnaire):
    url = any_empty_database_url
    with AssessmentStore(url, questionnaire=questionnaire) as store:
        store.create("Example NGO", "KG", 2025)
    engine = make_engine(url)
    assert downgrade(engine, "base") is None
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    assert upgrade(engine) == head()
    assert differences(engine) == []
    with engine.connect() as connection:
        assert current(connection) == head()
        assert connection.execute(text("SELECT count(*) FROM assessment")).scalar() == 0
    engine.dispose()


def test_workers_starting_together_on_a_new_database_all_get_it_migrated(tmp_path, any_empty_database_url):
    # Each process waits for the "go" file, so their migrations start at the same moment and contend.
    url, go = any_empty_database_url, tmp_path / "go"
    script = textwrap.dedent(f"""
        import pathlib, sys, time
        from tipkb.db import upgrade
        pathlib.Path(sys.argv[1]).touch()
        while not pathlib.Path({str(go)!r}).exists():
            time.sleep(0.005)
        print(upgrade({url!r}))
    """)
    ready = [tmp_path / f"ready-{i}" for i in range(3)]
    workers = [subprocess.Popen([sys.executable, "-c", script, str(r)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for r in ready]
    while not all(r.exists() for r in ready) and all(w.poll() is None for w in workers):
        time.sleep(0.01)
    go.touch()
    results = [w.communicate(timeout=120) for w in workers]
    assert [(w.returncode, out.strip()) for w, (out, _) in zip(workers, results, strict=True)] == [(0, head())] * 3, \
        [err for _, err in results]


def test_tipkb_db_upgrade_migrates_the_database_it_is_given(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    assert main(["db", "upgrade", "--db", url]) == 0
    assert capsys.readouterr().out == f"database at revision {head()} (the newest)\n"
    engine = make_engine(url)
    assert differences(engine) == []
    engine.dispose()
