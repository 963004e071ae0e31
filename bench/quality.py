"""Measure how many of the experts' prioritised themes the top recommendations cover, against random practices.

Run with `make quality`. For every bench/quality/answers/<cc>-<year>.json with its experts file
(bench/quality/experts/<cc>-<year>.json; the format and how each file was made: bench/quality/README.md)
the engine runs twice: on the answers alone (no country facts) and with the country's KB facts. A theme
is covered by a top-N list when one of the N recommended practices addresses (tip:addressesGap) one of
the theme's gaps; a theme with no KB gap counts as uncovered and is listed apart. The baseline, computed
in the same run, is the exact expected coverage of N practices drawn at random, without replacement,
from the practices a run may recommend: for a theme that k of the P practices address,
1 − C(P−k, N) / C(P, N). Figures are printed per country-year, per country, for the tuning year
(2021), the held-out years (2022, 2023) and overall.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from math import comb
from pathlib import Path

from tipkb.assess.answers import ValidatedAnswers, check_document, read_answers_file
from tipkb.assess.questionnaire import QuestionnaireError, load_questionnaire
from tipkb.facts import catalogue
from tipkb.recommend.engine import recommend
from tipkb.store.kb import KnowledgeBase, load_kb

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "quality"
TOPS = (3, 5, 10)
MODES = ("answers", "facts")  # answers only; answers with the country's KB facts
TUNE_YEARS = frozenset({2021})  # the year the weights were tuned on; every other year is held out


class DataError(Exception):
    """A calibration file is missing, malformed or names a gap the KB does not have."""


@dataclass(frozen=True)
class Theme:
    """One prioritised recommendation of the experts and the KB gaps it asks to close."""

    rank: int
    summary: str
    gaps: frozenset[str]


@dataclass(frozen=True)
class Case:
    """One country-year: the answers an analyst gave and the experts' themes of that year."""

    name: str
    country: str
    year: int
    answers: ValidatedAnswers
    themes: tuple[Theme, ...]


@dataclass
class Tally:
    """Covered themes per top N, the expected random coverage per top N, and the number of themes."""

    themes: int = 0
    covered: dict[int, int] | None = None
    random: dict[int, float] | None = None

    def __post_init__(self):
        self.covered = self.covered or dict.fromkeys(TOPS, 0)
        self.random = self.random or dict.fromkeys(TOPS, 0.0)

    def add(self, other: Tally) -> None:
        """Add another tally's counts to this one."""
        self.themes += other.themes
        for n in TOPS:
            self.covered[n] += other.covered[n]
            self.random[n] += other.random[n]

    def share(self, n: int) -> float:
        """Return the share of themes the top n covered."""
        return self.covered[n] / self.themes if self.themes else 0.0

    def random_share(self, n: int) -> float:
        """Return the expected share of themes n random practices cover."""
        return self.random[n] / self.themes if self.themes else 0.0


def practice_gaps(kb: KnowledgeBase) -> dict[str, frozenset[str]]:
    """Return the gap codes each recommendable practice (one with a source) addresses, by practice code."""
    return {p.code: frozenset(g.code for g in p.gaps) for p in catalogue.practices(kb) if p.sources}


def load_cases(kb: KnowledgeBase, data: Path = DATA, only: Iterable[str] = ()) -> list[Case]:
    """Read every answers file that has an experts file; raise DataError naming the file at fault."""
    known = {g.code for g in catalogue.gaps(kb)}
    wanted = set(only)
    cases = []
    for path in sorted((data / "answers").glob("*.json")):
        if wanted and path.stem not in wanted:
            continue
        experts = data / "experts" / path.name
        if not experts.exists():
            print(f"{path.name}: no experts file yet, left out", file=sys.stderr)
            continue
        cases.append(_case(kb, path, experts, known))
    if wanted - {c.name for c in cases}:
        raise DataError(f"no answers and experts files for {', '.join(sorted(wanted - {c.name for c in cases}))}")
    return cases


def _case(kb: KnowledgeBase, path: Path, experts: Path, known: set[str]) -> Case:
    data = read_answers_file(path)
    try:
        questionnaire = load_questionnaire(kb, data.get("questionnaire"))
    except QuestionnaireError:
        questionnaire = load_questionnaire(kb)
    check = check_document(questionnaire, data)
    if check.problems:
        raise DataError(f"{path}: " + "; ".join(p.text("en") for p in check.problems))
    doc = json.loads(experts.read_text(encoding="utf-8"))
    themes = []
    for t in doc["themes"]:
        unknown = set(t.get("gaps", [])) - known
        if unknown:
            raise DataError(f"{experts}: theme {t.get('rank')} names gaps the KB lacks: {', '.join(sorted(unknown))}")
        themes.append(Theme(int(t["rank"]), str(t.get("summary", "")), frozenset(t.get("gaps", []))))
    country, year = str(doc["country"]).upper(), int(doc["year"])
    return Case(path.stem, country, year, check.answers, tuple(themes))


def ranking(kb: KnowledgeBase, case: Case, mode: str) -> list[str]:
    """Return the recommended practice codes in rank order, from the answers alone or with the country's facts."""
    answers = case.answers if mode == "facts" else replace(case.answers, country=None)
    return [r.practice_code for r in recommend(kb, answers=answers).items]


def random_coverage(theme: Theme, addressed: Mapping[str, frozenset[str]], n: int) -> float:
    """Return the probability that n practices drawn at random without replacement cover the theme."""
    total = len(addressed)
    k = sum(1 for gaps in addressed.values() if gaps & theme.gaps)
    n = min(n, total)
    return 1.0 - comb(total - k, n) / comb(total, n)


def measure(case: Case, order: list[str], addressed: Mapping[str, frozenset[str]]) -> Tally:
    """Return how many of the case's themes the top N of `order` cover, and the random expectation."""
    tally = Tally(themes=len(case.themes))
    for theme in case.themes:
        for n in TOPS:
            if any(addressed.get(code, frozenset()) & theme.gaps for code in order[:n]):
                tally.covered[n] += 1
            tally.random[n] += random_coverage(theme, addressed, n)
    return tally


def first_cover(theme: Theme, order: list[str], addressed: Mapping[str, frozenset[str]]) -> int | None:
    """Return the rank (1-based) of the first recommendation that covers the theme, or None."""
    return next((i + 1 for i, code in enumerate(order) if addressed.get(code, frozenset()) & theme.gaps), None)


def _row(label: str, tally: Tally) -> str:
    cells = [f"{label:<22}{tally.themes:>4}"]
    cells += [f"{tally.share(n):>5.0%}" for n in TOPS]
    cells += [f"{tally.random_share(n):>5.0%}" for n in TOPS]
    cells += [f"{tally.share(n) / tally.random_share(n):>5.1f}" if tally.random_share(n) else "    -" for n in TOPS]
    return " ".join(cells)


HEADER = (f"{'':<22}{'n':>4} " + " ".join(f"{'top' + str(n):>5}" for n in TOPS) + " "
          + " ".join(f"{'rnd' + str(n):>5}" for n in TOPS) + " " + " ".join(f"{'x' + str(n):>5}" for n in TOPS))


def report(kb: KnowledgeBase, cases: list[Case], verbose: bool = False) -> tuple[str, dict[str, Tally]]:
    """Return the printed report and the overall tally per mode ("answers", "facts")."""
    addressed = practice_gaps(kb)
    lines = ["Expert themes covered by the top 3/5/10 recommendations (top N), by N random practices "
             f"(rnd N, exact expectation over {len(addressed)} practices) and their ratio (x N)."]
    overall: dict[str, Tally] = {}
    for mode in MODES:
        title = "answers only (no country facts)" if mode == "answers" else "answers with country facts"
        lines += ["", f"== {title}", HEADER]
        per_country: dict[str, Tally] = {}
        tuned = "tuned (" + ", ".join(str(y) for y in sorted(TUNE_YEARS)) + ")"
        held = "held out (" + ", ".join(sorted({str(c.year) for c in cases if c.year not in TUNE_YEARS})) + ")"
        per_split = {tuned: Tally(), held: Tally()}
        total = Tally()
        missed = []
        for case in cases:
            order = ranking(kb, case, mode)
            tally = measure(case, order, addressed)
            lines.append(_row(case.name, tally))
            per_country.setdefault(case.country, Tally()).add(tally)
            per_split[tuned if case.year in TUNE_YEARS else held].add(tally)
            total.add(tally)
            for theme in case.themes:
                at = first_cover(theme, order, addressed)
                if theme.gaps and (at is None or at > 5):
                    missed.append(f"  {case.name} #{theme.rank} (first at {at or '-'}; gaps "
                                  f"{', '.join(sorted(theme.gaps))}): {theme.summary}")
        lines += ["-- per country"] + [_row(c, t) for c, t in sorted(per_country.items())]
        lines += ["-- per year"] + [_row(s, t) for s, t in per_split.items() if t.themes]
        lines.append(_row("overall", total))
        if verbose and missed:
            lines += ["-- themes with a KB gap not covered by the top 5"] + missed
        overall[mode] = total
    gapless = [f"  {c.name} #{t.rank}: {t.summary}" for c in cases for t in c.themes if not t.gaps]
    lines += ["", f"Themes with no KB gap (counted as uncovered): {len(gapless)}"] + gapless
    return "\n".join(lines), overall


def main(argv: list[str] | None = None) -> int:
    """Print the coverage report; exit 1 when a calibration file is malformed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="folder with answers/ and experts/")
    parser.add_argument("--only", nargs="*", default=[], help="country-years to measure, e.g. kz-2021")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the themes the top 5 miss")
    args = parser.parse_args(argv)
    kb = load_kb(ROOT)
    try:
        cases = load_cases(kb, args.data, args.only)
    except DataError as exc:
        print(exc, file=sys.stderr)
        return 1
    if not cases:
        print(f"no calibration cases under {args.data}", file=sys.stderr)
        return 1
    text, _ = report(kb, cases, args.verbose)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
