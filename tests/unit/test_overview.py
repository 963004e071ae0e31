"""A country profile's summary and its disagreeing records folded into one row each."""

from tipkb.facts.overview import country_overview, fold_conflicts


def record(rid, other=None, **values):
    return {"id": rid, "conflicts_with": other, "sources": [f"https://example.org/{rid}"], **values}


def test_records_that_name_each_other_are_one_row_in_first_seen_order():
    rows = fold_conflicts([record("a"), record("b", "c"), record("d"), record("c", "b")])
    assert [[v["id"] for v in r["versions"]] for r in rows] == [["a"], ["b", "c"], ["d"]]
    assert [r["differ"] for r in rows] == [False, True, False]
    assert rows[1]["record"]["id"] == "b"


def test_a_record_named_by_others_only_gathers_them_all():
    rows = fold_conflicts([record("a"), record("b", "a"), record("c", "a")])
    assert len(rows) == 1 and {v["id"] for v in rows[0]["versions"]} == {"a", "b", "c"}


def test_summary_takes_the_latest_tier_and_figures_and_counts_party_instruments():
    profile = {
        "tip_tiers": [record("t1", report_year=2024, tier="2"), record("t2", report_year=2025, tier="2WL")],
        "statistics": [record("s1", report_year=2024, data_year=2023, indicator="convictions", value=4),
                       record("s2", "s3", report_year=2025, data_year=2024, indicator="convictions", value=0),
                       record("s3", "s2", report_year=2025, data_year=2024, indicator="convictions", value=2),
                       record("s4", report_year=2020, data_year=None, indicator="victims-identified", value=93)],
        "ratifications": [record("r1", instrument="palermo-protocol", status="acceded"),
                          record("r2", instrument="untoc", status="ratified"),
                          record("r3", instrument="ilo-c189", status="not-party")],
        "gaps": [{"gap": g} for g in ("a", "b", "b", "c", "d")],  # b documented by two reports
    }
    summary = country_overview(profile, instruments=12)["summary"]
    assert summary["tier"] == {"tier": "2WL", "report_year": 2025, "differ": False}
    assert summary["party_to"] == 2 and summary["instruments"] == 12
    assert [(f["indicator"], f["value"], f["differ"]) for f in summary["figures"]] == [
        ("victims-identified", 93, False), ("convictions", 0, True)]
    assert [g["gap"] for g in summary["key_gaps"]] == ["a", "b", "c"] and summary["gaps"] == 5  # each gap named once
