"""Changesets: a save is validated and atomic, stale saves are refused, history reverts, changes survive restarts."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from rdflib import BNode, Literal, URIRef

from tipkb.edit.changesets import (
    ChangeConflictError,
    ChangeLog,
    ChangesetError,
    InvalidChangeError,
    StaleEditError,
)
from tipkb.edit.descriptions import ABSENT, nt, parse_nt
from tipkb.edit.entity_types import TYPES, entity_type
from tipkb.edit.forms import FormError, build_edit, form_values, retire_edit
from tipkb.edit.kbio import canonical_nquads
from tipkb.store.kb import load_kb

ROOT = Path(__file__).resolve().parents[2]
KB = "https://w3id.org/tipkb/kb/"
UNTOC = KB + "ratification-kz-untoc"
RATIFICATION = entity_type("ratification")


def dump(kb) -> bytes:
    """A canonical dump of the live KB: every quad as N-Quads, sorted, blank nodes named by content."""
    return canonical_nquads(kb)


@pytest.fixture
def db_url(database_url) -> str:
    """A fresh database: SQLite, and PostgreSQL too for the tests marked BOTH_DATABASES."""
    return database_url


# The tests of what the database does (order, locking, history, restarts) run on SQLite and on PostgreSQL.
BOTH_DATABASES = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def log(db_url):
    """A change log over a private copy of the shipped KB."""
    changelog = ChangeLog(load_kb(ROOT), db_url)
    yield changelog
    changelog.close()


def edit_untoc(log, author="ana@experts.org", base=None, **changes):
    desc = log.describe(UNTOC)
    values = {**form_values(desc, RATIFICATION), **changes}
    return log.submit([build_edit(log.kb, RATIFICATION, values, iri=UNTOC, base_version=base or desc.version)],
                      author=author, reason="checked against the official gazette")


@BOTH_DATABASES
def test_an_edit_is_one_changeset_with_author_reason_and_triples(log):
    cs = edit_untoc(log, date="2008-06-05")
    assert (cs.author, cs.reason, cs.status, cs.seq) == ("ana@experts.org", "checked against the official gazette",
                                                          "applied", 1)
    assert {(c.op, c.object) for c in cs.changes} == {
        ("remove", '"2008-06-04"^^<http://www.w3.org/2001/XMLSchema#date>'),
        ("add", '"2008-06-05"^^<http://www.w3.org/2001/XMLSchema#date>')}
    assert form_values(log.describe(UNTOC), RATIFICATION)["date"] == "2008-06-05"
    row = log.kb.select("SELECT ?r ?d WHERE { ?r <https://w3id.org/tipkb/ontology#date> ?d }", {"r": URIRef(UNTOC)})
    assert [str(r["d"]) for r in row] == ["2008-06-05"]


def test_an_invalid_edit_is_refused_naming_field_and_rule_and_the_kb_is_unchanged(log):
    before = dump(log.kb)
    with pytest.raises(InvalidChangeError) as err:
        edit_untoc(log, year="1800")
    [problem] = err.value.problems
    assert problem.path == "https://w3id.org/tipkb/ontology#year"
    assert problem.rule == "tsh:RatificationShape"
    assert "between 1900 and 2100" in problem.message
    assert dump(log.kb) == before
    assert log.history() == []


def test_a_form_value_that_cannot_be_read_names_its_field(log):
    with pytest.raises(FormError) as err:
        edit_untoc(log, date="4 June 2008", sources=["not a url"])
    assert set(err.value.errors) == {"date", "sources"}


def test_retiring_a_gap_that_facts_still_point_at_is_refused(log):
    gap = KB + "gap-definition-not-aligned"
    before = dump(log.kb)
    with pytest.raises(InvalidChangeError) as err:
        log.submit([retire_edit(gap, log.describe(gap).version)], author="a", reason="obsolete")
    focuses = {p.focus for p in err.value.problems}
    assert KB + "country-gap-kz-definition-misaligned" in focuses  # a documented gap would point at nothing
    assert dump(log.kb) == before


@BOTH_DATABASES
def test_a_save_based_on_a_stale_version_is_refused_and_names_the_other_change(log):
    base = log.describe(UNTOC).version
    first = edit_untoc(log, author="ana@experts.org", base=base, date="2008-06-05")
    with pytest.raises(StaleEditError) as err:
        edit_untoc(log, author="bo@experts.org", base=base, year="2009")
    assert [c.id for c in err.value.changesets] == [first.id]
    assert UNTOC in str(err.value)
    values = form_values(log.describe(UNTOC), RATIFICATION)
    assert (values["date"], values["year"]) == ("2008-06-05", "2008")  # the first edit stands, nothing merged
    assert len(log.history()) == 1


@BOTH_DATABASES
def test_creating_an_entity_that_someone_else_created_meanwhile_is_stale(log):
    values = {"country": KB + "country-kz", "instrument": KB + "instrument-untoc", "status": KB + "status-signed",
              "sources": ["https://treaties.un.org/"], "as_of": "2024"}
    edit = build_edit(log.kb, RATIFICATION, values, iri=None, base_version=ABSENT)
    assert edit.iri == URIRef(KB + "ratification-kz-untoc-2")
    log.submit([edit], author="a", reason="new record")
    with pytest.raises(StaleEditError):
        log.submit([edit], author="b", reason="same record")


def test_a_new_fact_goes_to_the_file_of_its_kind_and_country(log):
    values = {"country": KB + "country-kg", "report_year": "2030", "tier": KB + "tier-2",
              "sources": ["https://www.state.gov/"], "as_of": "2030"}
    edit = build_edit(log.kb, entity_type("tier-rating"), values, iri=None, base_version=ABSENT)
    assert edit.iri == URIRef(KB + "tier-rating-kg-2030")
    assert {q[0] for q in edit.quads} == {"<https://w3id.org/tipkb/graph/kb/situation/kg.ttl>"}


@BOTH_DATABASES
def test_revert_restores_the_previous_state_as_a_new_changeset(log):
    before, version = dump(log.kb), log.describe(UNTOC).version
    cs = edit_untoc(log, date="2008-06-05", note={"en": "Corrected.", "ru": "Исправлено."})
    undo = log.revert(cs.id, author="bo@experts.org", reason="the gazette was misread")
    assert (undo.reverts_id, log.get(cs.id).status, log.get(cs.id).reverted_by_id) == (cs.id, "reverted", undo.id)
    assert log.describe(UNTOC).version == version
    assert dump(log.kb) == before
    with pytest.raises(ChangeConflictError):
        log.revert(cs.id, author="c", reason="again")


def test_revert_is_refused_when_a_later_change_stands_in_the_way(log):
    first = edit_untoc(log, date="2008-06-05")
    second = edit_untoc(log, date="2008-06-06")
    with pytest.raises(ChangeConflictError, match=f"#{second.id}"):
        log.revert(first.id, author="c", reason="undo the first")
    log.revert(second.id, author="c", reason="undo the second")
    log.revert(first.id, author="c", reason="then the first")
    assert form_values(log.describe(UNTOC), RATIFICATION)["date"] == "2008-06-04"


def test_blank_node_structures_survive_retire_and_revert(log):
    question = KB + "q-pv01"  # carries a gap signal written as [ a tip:GapSignal ; … ]
    before, version = dump(log.kb), log.describe(question).version
    cs = log.submit([retire_edit(question, version)], author="a", reason="drop the question")
    assert any(c.subject.startswith("_:") for c in cs.changes)
    assert not log.describe(question).exists
    log.revert(cs.id, author="a", reason="keep it after all")
    assert log.describe(question).version == version
    assert dump(log.kb) == before


def test_versions_do_not_depend_on_blank_node_ids_of_a_load(log):
    again = ChangeLog(load_kb(ROOT), "sqlite://")
    for iri in (KB + "q-pv01", KB + "q-pv18-partly", UNTOC):
        assert again.describe(iri).version == log.describe(iri).version


@BOTH_DATABASES
def test_changes_survive_a_restart(log, db_url):
    edit_untoc(log, date="2008-06-05")
    retire = log.submit([retire_edit(KB + "q-pv01", log.describe(KB + "q-pv01").version)], author="a", reason="r")
    log.revert(retire.id, author="a", reason="r2")
    restarted = ChangeLog(load_kb(ROOT), db_url)
    assert restarted.sync() == 3
    assert dump(restarted.kb) == dump(log.kb)
    assert restarted.sync() == 0


@BOTH_DATABASES
def test_replaying_onto_a_store_that_already_has_the_changes_changes_nothing(log, db_url):
    edit_untoc(log, date="2008-06-05")
    log.submit([retire_edit(KB + "q-pv01", log.describe(KB + "q-pv01").version)], author="a", reason="r")
    before = dump(log.kb)
    log.seq = 0  # as after a restart over an on-disk store that kept the applied changes
    assert log.sync() == 2
    assert dump(log.kb) == before


@BOTH_DATABASES
def test_a_second_process_catches_up_and_its_stale_save_is_refused(log, db_url):
    other = ChangeLog(load_kb(ROOT), db_url)
    base = other.describe(UNTOC).version
    edit_untoc(log, date="2008-06-05")
    with pytest.raises(StaleEditError):
        edit_untoc(other, base=base, year="2009")  # catches up inside the save, then sees the conflict
    assert form_values(other.describe(UNTOC), RATIFICATION)["date"] == "2008-06-05"


@BOTH_DATABASES
def test_pending_changes_wait_for_approval(log):
    desc = log.describe(UNTOC)
    values = {**form_values(desc, RATIFICATION), "date": "2008-06-05"}
    cs = log.submit([build_edit(log.kb, RATIFICATION, values, iri=UNTOC, base_version=desc.version)],
                    author="new@experts.org", reason="first edit", pending=True)
    assert (cs.status, cs.seq, log.describe(UNTOC).version) == ("pending", None, desc.version)
    assert log.count_applied("new@experts.org") == 0
    approved = log.approve(cs.id, reviewer="admin@tipkb.org")
    assert (approved.status, approved.reviewer) == ("applied", "admin@tipkb.org")
    assert form_values(log.describe(UNTOC), RATIFICATION)["date"] == "2008-06-05"
    with pytest.raises(ChangesetError):
        log.reject(cs.id, reviewer="admin@tipkb.org")


@BOTH_DATABASES
def test_a_pending_change_overtaken_by_another_edit_cannot_be_approved(log):
    desc = log.describe(UNTOC)
    values = {**form_values(desc, RATIFICATION), "date": "2008-06-05"}
    pending = log.submit([build_edit(log.kb, RATIFICATION, values, iri=UNTOC, base_version=desc.version)],
                         author="new", reason="r", pending=True)
    edit_untoc(log, year="2009")
    with pytest.raises(StaleEditError):
        log.approve(pending.id, reviewer="admin")
    assert log.reject(pending.id, reviewer="admin").status == "rejected"


def test_an_edit_that_changes_nothing_and_one_without_reason_are_refused(log):
    with pytest.raises(ChangesetError, match="changes nothing"):
        edit_untoc(log)
    desc = log.describe(UNTOC)
    with pytest.raises(ChangesetError, match="reason"):
        log.submit([retire_edit(UNTOC, desc.version)], author="a", reason=" ")


CRASH = textwrap.dedent("""
    import os, sys
    from tipkb.edit.changesets import ChangeLog
    from tipkb.edit.forms import build_edit, form_values
    from tipkb.edit.entity_types import entity_type
    from tipkb.store.kb import load_kb

    def crash(self, session, head, seq):
        session.flush()  # the changeset's rows are written to the database file, not committed
        os._exit(3)

    ChangeLog._advance_head = crash
    log = ChangeLog(load_kb(sys.argv[1]), sys.argv[2])
    t, iri = entity_type("ratification"), "https://w3id.org/tipkb/kb/ratification-kz-untoc"
    d = log.describe(iri)
    values = {**form_values(d, t), "date": "2008-06-05"}
    log.submit([build_edit(log.kb, t, values, iri=iri, base_version=d.version)], author="a", reason="r")
""")


@BOTH_DATABASES
def test_a_crash_in_the_middle_of_a_save_leaves_the_old_state(log, db_url):
    before = dump(log.kb)
    done = subprocess.run([sys.executable, "-c", CRASH, str(ROOT), db_url], capture_output=True, timeout=120)
    assert done.returncode == 3, done.stderr.decode()
    restarted = ChangeLog(load_kb(ROOT), db_url)
    assert restarted.sync() == 0
    assert restarted.history() == []
    assert dump(restarted.kb) == before


@BOTH_DATABASES
def test_a_crash_after_the_commit_is_repaired_by_replay(log, db_url, monkeypatch):
    def lost(*_args, **_kwargs):
        raise KeyboardInterrupt  # the process dies before the store is updated

    monkeypatch.setattr(log, "_apply_live", lost)
    with pytest.raises(KeyboardInterrupt):
        edit_untoc(log, date="2008-06-05")
    restarted = ChangeLog(load_kb(ROOT), db_url)
    assert restarted.sync() == 1
    assert form_values(restarted.describe(UNTOC), RATIFICATION)["date"] == "2008-06-05"


@pytest.mark.parametrize("term", [
    URIRef("https://example.org/a?b=c#d"), BNode("c123"), Literal("plain"), Literal("x", lang="ru"),
    Literal('quote " backslash \\ newline \n tab \t «ё»', lang="en"), Literal("2008", datatype=URIRef(
        "http://www.w3.org/2001/XMLSchema#gYear")),
])
def test_stored_terms_read_back_unchanged(term):
    assert parse_nt(nt(term)) == term
    assert "\n" not in nt(term)


@pytest.mark.parametrize("kind", sorted(TYPES))
def test_a_form_saved_unchanged_keeps_every_triple_of_every_entity(shipped_kb, kind):
    from tipkb.edit.descriptions import describe
    from tipkb.edit.forms import list_entities

    etype = entity_type(kind)
    entities = list_entities(shipped_kb, etype)
    assert entities, f"no {kind} in the shipped KB"
    for ref in entities:
        desc = describe(shipped_kb.dataset, URIRef(ref.iri))
        edit = build_edit(shipped_kb, etype, form_values(desc, etype), iri=ref.iri, base_version=desc.version)
        assert edit.quads == frozenset(desc.quads), ref.iri
