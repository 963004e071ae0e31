"""The calibration harness (bench/quality.py) measures the ranking on the committed calibration data."""

import importlib.util
import json
import sys
from itertools import combinations
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
CASE = "tm-2021"  # one committed country-year keeps the test quick


@pytest.fixture(scope="module")
def quality():
    spec = importlib.util.spec_from_file_location("quality", ROOT / "bench" / "quality.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("quality", module)  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_the_harness_prints_coverage_of_a_committed_country_year(shipped_kb, quality):
    cases = quality.load_cases(shipped_kb, quality.DATA, [CASE])
    themes = json.loads((quality.DATA / "experts" / f"{CASE}.json").read_text(encoding="utf-8"))["themes"]
    text, overall = quality.report(shipped_kb, cases)
    assert text.count(f"\n{CASE} ") == 2  # one row per mode: answers only, with country facts
    for mode in ("answers", "facts"):
        tally = overall[mode]
        assert tally.themes == len(themes)
        assert [tally.share(n) for n in (3, 5, 10)] == sorted(tally.share(n) for n in (3, 5, 10))
        assert 0 < tally.random_share(3) < tally.random_share(5) < tally.random_share(10) < 1
        assert tally.share(5) >= 2 * tally.random_share(5)


def test_a_theme_counts_as_covered_when_a_top_practice_addresses_one_of_its_gaps(quality):
    addressed = {"p1": frozenset({"a"}), "p2": frozenset({"b", "c"}), "p3": frozenset({"d"})}
    themes = (quality.Theme(1, "b or d", frozenset({"b", "d"})), quality.Theme(2, "a", frozenset({"a"})),
              quality.Theme(3, "not in the KB", frozenset()))
    case = quality.Case("xx-2021", "XX", 2021, None, themes)
    tally = quality.measure(case, ["p3", "p1", "p2"], addressed)
    assert tally.covered == {3: 2, 5: 2, 10: 2}
    assert quality.measure(case, ["p2"], addressed).covered == {3: 1, 5: 1, 10: 1}


def test_the_random_baseline_is_the_exact_expectation(quality):
    addressed = {f"p{i}": frozenset({"g"} if i < 3 else {f"x{i}"}) for i in range(12)}
    theme = quality.Theme(1, "g", frozenset({"g"}))
    for n in (3, 5, 10):
        draws = list(combinations(addressed, n))
        hits = sum(any("g" in addressed[p] for p in draw) for draw in draws)
        assert quality.random_coverage(theme, addressed, n) == pytest.approx(hits / len(draws))


@pytest.mark.slow
def test_a_theme_naming_a_gap_the_kb_lacks_is_refused(shipped_kb, quality, tmp_path):
    (tmp_path / "answers").mkdir()
    (tmp_path / "experts").mkdir()
    (tmp_path / "answers" / f"{CASE}.json").write_text(
        (quality.DATA / "answers" / f"{CASE}.json").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "experts" / f"{CASE}.json").write_text(json.dumps(
        {"country": "TM", "year": 2021, "themes": [{"rank": 1, "summary": "x", "gaps": ["no-such-gap"]}]}))
    with pytest.raises(quality.DataError, match="no-such-gap"):
        quality.load_cases(shipped_kb, tmp_path)
