"""Follow-up of recommendations: statuses and values checked, every change kept with who and when, stale edits refused,
and the CSV export safe to open in a spreadsheet."""

import csv
import io
from datetime import date, datetime

import pytest

from tipkb.assess import followup_store
from tipkb.assess.evidence import Evidence
from tipkb.assess.followup import (
    CSV_COLUMNS,
    CSV_HEADERS,
    STATUSES,
    FollowUp,
    FollowUpError,
    StaleFollowUp,
    check_values,
    followup_csv,
)

KNOWN = {"practice-a", "practice-b"}


@pytest.fixture
def submitted(store, full_answers):
    draft = store.create("Example NGO", "KG", 2025)
    store.save_answers(draft.id, full_answers)
    return store.submit(draft.id)


def record(store, assessment_id, status, version, practice="practice-a", **values):
    return followup_store.record(store, assessment_id, practice, status, values.get("on"), values.get("note"),
                                 by=values.get("by", "ana@ngo-a.org"), expected_version=version, known=KNOWN)


def test_the_six_statuses_are_named_in_the_vocabulary(shipped_kb):
    from tipkb.facts.labels import code_labels

    named = code_labels(shipped_kb)["followup-statuses"]
    assert tuple(named) == STATUSES
    assert (named["in-progress"]["en"], named["in-progress"]["ru"]) == ("In progress", "Выполняется")


def test_values_are_checked_and_each_fault_names_its_field():
    assert check_values("raised", "2026-03-01", "  Letter to the\n ministry  ") == (
        "raised", date(2026, 3, 1), "Letter to the\nministry")
    assert check_values("implemented", "", "") == ("implemented", None, None)
    faults = [("done", None, None, "status"), ("raised", "1/3/2026", None, "date"), ("raised", "1999-12-31", None,
              "date"), ("raised", "2026-03-03", None, "date"), ("raised", None, "x" * 1001, "note")]
    for status, on, note, field in faults:
        with pytest.raises(FollowUpError) as caught:
            check_values(status, on, note, today=date(2026, 3, 1))
        assert caught.value.field == field, (status, on, note)


@pytest.mark.slow
def test_each_change_is_kept_with_who_when_and_the_status_before_and_after(store, submitted):
    first = record(store, submitted.id, "raised", 0, on="2026-02-10", note="Letter No. 12 to the ministry")
    assert (first.status, first.version, first.changed_by) == ("raised", 1, "ana@ngo-a.org")
    second = record(store, submitted.id, "accepted", 1, by="bo@ngo-a.org", on="2026-04-01")
    assert record(store, submitted.id, "accepted", 2, by="bo@ngo-a.org", on="2026-04-01") == second  # no change
    record(store, submitted.id, "rejected", 0, practice="practice-b")
    kept = followup_store.followups(store, submitted.id)
    assert {p: f.status for p, f in kept.items()} == {"practice-a": "accepted", "practice-b": "rejected"}
    assert (kept["practice-a"].note, kept["practice-a"].on, kept["practice-a"].version) == (None, date(2026, 4, 1), 2)
    changes = followup_store.history(store, submitted.id, "practice-a")
    assert [(c.old_status, c.new_status, c.changed_by) for c in changes] == [
        ("raised", "accepted", "bo@ngo-a.org"), (None, "raised", "ana@ngo-a.org")]
    assert changes[1].note == "Letter No. 12 to the ministry" and changes[0].changed_at >= changes[1].changed_at
    assert changes[0].changed_at.tzinfo is not None
    assert len(followup_store.history(store, submitted.id)) == 3


def test_a_stale_edit_is_refused_and_says_where_the_follow_up_stands(store, submitted):
    record(store, submitted.id, "raised", 0)
    record(store, submitted.id, "in-progress", 1, by="bo@ngo-a.org")  # a colleague, meanwhile
    with pytest.raises(StaleFollowUp) as caught:
        record(store, submitted.id, "implemented", 1)
    assert (caught.value.current.status, caught.value.current.version) == ("in-progress", 2)
    assert caught.value.current.changed_by == "bo@ngo-a.org"
    with pytest.raises(StaleFollowUp):  # a second first record of the same recommendation
        record(store, submitted.id, "accepted", 0)
    assert followup_store.followups(store, submitted.id)["practice-a"].status == "in-progress"
    assert len(followup_store.history(store, submitted.id)) == 2


def test_only_a_submitted_assessments_own_recommendations_are_followed_up(store, submitted):
    from tipkb.assess.storage import AssessmentNotFound

    draft = store.create("Example NGO", "KG", 2026)
    with pytest.raises(FollowUpError) as caught:
        record(store, draft.id, "raised", 0)
    assert caught.value.code == "not-submitted"
    with pytest.raises(FollowUpError) as caught:
        record(store, submitted.id, "raised", 0, practice="practice-z")
    assert caught.value.code == "practice-unknown"
    with pytest.raises(AssessmentNotFound):
        record(store, 999, "raised", 0)
    assert followup_store.followups(store, draft.id) == {} and followup_store.history(store, submitted.id) == []


@pytest.mark.slow
def test_follow_ups_go_with_their_organisations_data(store, submitted):
    from tipkb.assess.organisation_data import delete_organisation, export_organisation

    record(store, submitted.id, "implemented", 0, note="Decree of 1 March")
    exported = export_organisation(store, "Example NGO")
    assert [r["status"] for r in exported["related"]["followup"]] == ["implemented"]
    assert [r["new_status"] for r in exported["related"]["followup_change"]] == ["implemented"]
    deleted = delete_organisation(store, "Example NGO")
    assert (deleted["followup"], deleted["followup_change"]) == (1, 1)


def test_the_csv_export_never_starts_a_cell_with_a_formula_character():
    rows = [(1, "=HYPERLINK(\"http://evil\")", FollowUp("p1", "raised", date(2026, 2, 1), "+1 ministry", 1,
                                                      "-ana@ngo-a.org")),
            (2, "@SUM(A1)", FollowUp("p2")), (3, "Train judges", FollowUp("p3", "implemented", note="\tdone"))]
    names = {"raised": "Передана органам власти", "not-raised": "Ещё не поднималась", "implemented": "Выполнена"}
    lines = list(csv.reader(io.StringIO(followup_csv(rows, names, "ru"))))
    assert lines[0][:3] == ["№", "Рекомендация", "Статус"]
    assert lines[1][:6] == ["1", "'=HYPERLINK(\"http://evil\")", "Передана органам власти", "2026-02-01",
                            "'+1 ministry", "'-ana@ngo-a.org"]
    assert lines[2][1:3] == ["'@SUM(A1)", "Ещё не поднималась"] and lines[3][4] == "'\tdone"
    assert all(not cell.startswith(("=", "+", "-", "@")) for line in lines for cell in line)


def test_the_csv_export_names_each_follow_ups_evidence_by_title_and_link_never_its_content():
    made = datetime(2026, 3, 1, 9, 0)
    evidence = {"p1": (Evidence(1, 7, "followup:p1", "link", "Decree No. 7", made, url="https://example.org/d7"),
                       Evidence(2, 7, "followup:p1", "file", "Letter", made, media_type="application/pdf", size=9,
                                stored_name="ab12")),
                "p2": (Evidence(3, 7, "followup:p2", "link", "=HYPERLINK(1)", made, url="https://example.org/x"),)}
    rows = [(1, "Train judges", FollowUp("p1", "raised")), (2, "Fund shelters", FollowUp("p2")),
            (3, "Hotline", FollowUp("p3"))]
    lines = list(csv.reader(io.StringIO(followup_csv(rows, {}, "en", evidence))))
    assert lines[0][7] == "Evidence"
    assert [line[7] for line in lines[1:]] == ["Decree No. 7 <https://example.org/d7>; Letter (PDF)",
                                               "'=HYPERLINK(1) <https://example.org/x>", ""]
    assert lines[0] == list(CSV_HEADERS["en"]) and len(CSV_HEADERS["ru"]) == len(CSV_COLUMNS) == 8


def test_implemented_lists_only_the_recommendations_carried_out(store, submitted):
    record(store, submitted.id, "implemented", 0)
    record(store, submitted.id, "in-progress", 0, practice="practice-b")
    assert followup_store.implemented_in(store, submitted.id) == ("practice-a",)
    assert followup_store.implemented_in(store, None) == ()


def test_the_comparison_names_the_gaps_closed_and_the_gaps_new_since_the_earlier_assessment(store, submitted):
    from tipkb.assess.comparison import compare

    later = {**submitted.answers, "PR03": "regularly", "PR01": "no"}
    changes = compare(store.questionnaire, submitted, later)
    assert changes.closed_gaps == ("https://w3id.org/tipkb/kb/gap-complicit-officials-not-prosecuted",)
    assert changes.new_gaps == ("https://w3id.org/tipkb/kb/gap-definition-not-aligned",)
    assert compare(store.questionnaire, submitted, submitted).closed_gaps == ()


@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_stale_edit_is_refused_on_postgresql_too(questionnaire, database_url, full_answers):
    from tipkb import AssessmentStore

    with AssessmentStore(database_url, questionnaire=questionnaire) as store:
        draft = store.create("Example NGO", "KG", 2025)
        store.save_answers(draft.id, full_answers)
        submitted = store.submit(draft.id)
        record(store, submitted.id, "raised", 0, on="2026-02-10")
        with pytest.raises(StaleFollowUp):
            record(store, submitted.id, "accepted", 0)
        assert record(store, submitted.id, "accepted", 1).version == 2
        assert [c.new_status for c in followup_store.history(store, submitted.id)] == ["accepted", "raised"]
