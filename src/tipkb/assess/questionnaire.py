"""The self-assessment questionnaire read from the KB: sections, questions, options, signals and skip logic."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rdflib import Literal
from rdflib.namespace import XSD

from tipkb.errors import TipkbError
from tipkb.i18n import LANGUAGES
from tipkb.store.kb import KnowledgeBase
from tipkb.store.queries import packaged

ANSWER_TYPES = ("yes-partly-no", "number", "year", "single-choice", "multiple-choice", "free-text")
CHOICE_TYPES = ("yes-partly-no", "single-choice", "multiple-choice")
NUMERIC_TYPES = ("number", "year")
DONT_KNOW = "dont-know"
LANGS = LANGUAGES


class QuestionnaireError(TipkbError):
    """The KB holds no questionnaire of the requested version, or one that cannot be used."""


@dataclass(frozen=True)
class Signal:
    """A gap that an answer reveals, with its weight (0–1]."""

    gap: str
    weight: float


@dataclass(frozen=True)
class Option:
    """One allowed answer to a choice question; `score` is None for an unscored option such as "don't know"."""

    value: str
    iri: str
    score: float | None = None
    cap: float | None = None
    label: Mapping[str, str] = field(default_factory=dict)
    signals: tuple[Signal, ...] = ()
    order: int = 0


@dataclass(frozen=True)
class Condition:
    """A skip condition: the question is asked only if `question` is answered with one of `options`."""

    question: str
    options: frozenset[str]


@dataclass(frozen=True)
class Pillar:
    """One of the four pillars, as the questionnaire groups its questions."""

    code: str
    iri: str
    order: int
    label: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Section:
    """A thematic group of questions in one pillar; `id` is the IRI's local name without "section-"."""

    id: str
    iri: str
    pillar: str
    order: int
    label: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Question:
    """One question: where it sits, what it accepts, and what weak answers reveal."""

    code: str
    iri: str
    pillar: str
    section: str
    order: int
    answer_type: str
    text: Mapping[str, str] = field(default_factory=dict)
    help: Mapping[str, str] = field(default_factory=dict)
    options: tuple[Option, ...] = ()
    min_value: float | None = None
    max_value: float | None = None
    weak_below: float | None = None
    weak_above: float | None = None
    weak_years_before: int | None = None
    signals: tuple[Signal, ...] = ()
    conditions: tuple[Condition, ...] = ()
    frameworks: tuple[str, ...] = ()
    integer: bool = False

    def option(self, value: str) -> Option | None:
        """Return the option with this value, or None."""
        return next((o for o in self.options if o.value == value), None)

    @property
    def option_values(self) -> tuple[str, ...]:
        return tuple(o.value for o in self.options)

    def weak_below_in(self, year: int | None) -> float | None:
        """Return the lower weak threshold in an assessment of `year` (None if absent or if it needs a missing year)."""
        if self.weak_years_before is not None:
            return None if year is None else year - self.weak_years_before
        return self.weak_below

    def scorable_in(self, year: int | None) -> bool:
        """Say whether a numeric answer can be judged against a weak threshold in an assessment of `year`."""
        return self.weak_below_in(year) is not None or self.weak_above is not None

    def is_weak_number(self, value: float, year: int | None = None) -> bool:
        """Say whether a numeric answer is past one of the question's weak thresholds in an assessment of `year`.

        A year threshold is relative: with `tip:weakYearsBefore` N, a year before the assessment's year
        minus N is weak, and without the assessment's year it cannot be judged, so it is not weak.
        """
        below = self.weak_below_in(year)
        return ((below is not None and value < below)
                or (self.weak_above is not None and value > self.weak_above))


@dataclass(frozen=True)
class Questionnaire:
    """A versioned questionnaire: its pillars, sections and questions, each in display order."""

    version: str
    iri: str
    label: Mapping[str, str]
    pillars: tuple[Pillar, ...]
    sections: tuple[Section, ...]
    questions: tuple[Question, ...]

    def __post_init__(self):
        object.__setattr__(self, "_by_code", {q.code: q for q in self.questions})

    def question(self, code: str) -> Question | None:
        """Return the question with this code, or None."""
        return self._by_code.get(code)  # type: ignore[attr-defined]

    def section(self, section_id: str) -> Section | None:
        """Return the section with this id, or None."""
        return next((s for s in self.sections if s.id == section_id), None)

    def questions_in(self, section_id: str) -> list[Question]:
        """Return the questions of one section in order."""
        return [q for q in self.questions if q.section == section_id]

    def asked(self, answers: Mapping[str, Any]) -> dict[str, bool]:
        """Return, for every question code, whether skip logic asks it given these answers.

        A condition holds when its question is asked and answered with one of the required options
        (for a multiple-choice question: any chosen option); an unanswered or skipped controlling
        question makes its dependants skipped.
        """
        result: dict[str, bool] = {}
        visiting: set[str] = set()

        def visit(code: str) -> bool:
            if code in result:
                return result[code]
            q = self.question(code)
            if q is None or code in visiting:  # an unknown controller or a cycle never holds
                return False
            visiting.add(code)
            ok = all(visit(c.question) and _chosen(answers.get(c.question)) & c.options for c in q.conditions)
            visiting.discard(code)
            result[code] = ok
            return ok

        for q in self.questions:
            visit(q.code)
        return result


def _chosen(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, list | tuple):
        return {v for v in value if isinstance(v, str)}
    return set()


def load_questionnaire(kb: KnowledgeBase, version: str | None = None) -> Questionnaire:
    """Read a questionnaire (the highest version when none is given) from the KB; raise QuestionnaireError if absent."""
    found = _first_per(kb.select(packaged("questionnaire-versions")), "questionnaire")
    if not found:
        raise QuestionnaireError("the KB holds no tip:Questionnaire with a tip:version")
    if version is None:
        head = max(found, key=lambda r: _version_key(str(r["version"])))
    else:
        head = next((r for r in found if str(r["version"]) == str(version)), None)
        if head is None:
            known = ", ".join(sorted(str(r["version"]) for r in found))
            raise QuestionnaireError(f"questionnaire version {version!r} is not in the KB (it has: {known})")
    bind = {"questionnaire": head["questionnaire"]}
    pillars: dict[str, Pillar] = {}
    section_rows = _first_per(kb.select(packaged("questionnaire-sections"), bind), "section")
    sections = [_section(r, pillars) for r in section_rows]
    section_ids = {s.iri: s.id for s in sections}
    options: dict[str, list[dict]] = {}
    for r in _first_per(kb.select(packaged("questionnaire-options"), bind), "option"):
        options.setdefault(str(r["question"]), []).append(r)
    links: dict[str, list[dict]] = {}
    for r in kb.select(packaged("questionnaire-links"), bind):
        links.setdefault(str(r["question"]), []).append(r)
    questions = [_question(r, pillars, section_ids, options.get(str(r["question"]), []),
                           links.get(str(r["question"]), []))
                 for r in _first_per(kb.select(packaged("questionnaire-questions"), bind), "question")]
    pillar_order = {p.code: (p.order, p.code) for p in pillars.values()}
    sections.sort(key=lambda s: (pillar_order.get(s.pillar, (99, s.pillar)), s.order, s.id))
    position = {s.id: i for i, s in enumerate(sections)}
    questions.sort(key=lambda q: (position.get(q.section, len(position)), q.order, q.code))
    return Questionnaire(str(head["version"]), str(head["questionnaire"]), _labels(head, "label"),
                         tuple(sorted(pillars.values(), key=lambda p: (p.order, p.code))),
                         tuple(sections), tuple(questions))


def _version_key(version: str) -> tuple:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in version.split("."))


def _first_per(rows: list[dict], key: str) -> list[dict]:
    """Keep the first row per value of `key` (a second label in one language would repeat a row)."""
    seen: dict[str, dict] = {}
    for r in rows:
        seen.setdefault(str(r[key]), r)
    return list(seen.values())


def _labels(row: Mapping[str, Any], prefix: str) -> dict[str, str]:
    return {lang: str(row[f"{prefix}_{lang}"]) for lang in LANGS if f"{prefix}_{lang}" in row}


def _num(term: Any) -> float | None:
    return None if term is None else float(term.toPython())


def _int(term: Any, default: int = 0) -> int:
    return default if term is None else int(term.toPython())


def _local(iri: str, prefix: str) -> str:
    name = iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return name.removeprefix(prefix)


def _pillar(row: Mapping[str, Any], pillars: dict[str, Pillar]) -> str:
    if "pillar" not in row:
        return ""
    known = next((p.code for p in pillars.values() if p.iri == str(row["pillar"])), None)
    if known is not None:
        return known
    code = str(row.get("pillar_code") or _local(str(row["pillar"]), "pillar-"))
    if code not in pillars:
        pillars[code] = Pillar(code, str(row["pillar"]), _int(row.get("pillar_order"), 99), _labels(row, "pillar"))
    return code


def _section(row: Mapping[str, Any], pillars: dict[str, Pillar]) -> Section:
    iri = str(row["section"])
    return Section(_local(iri, "section-"), iri, _pillar(row, pillars), _int(row.get("order")), _labels(row, "label"))


def _signals(rows: list[dict], owner: str) -> tuple[Signal, ...]:
    found = {(str(r["target"]), _num(r.get("weight")) or 1.0) for r in rows if str(r.get("owner")) == owner}
    return tuple(Signal(g, w) for g, w in sorted(found))


def _question(row: Mapping[str, Any], pillars: dict[str, Pillar], section_ids: Mapping[str, str],
              option_rows: list[dict], links: list[dict]) -> Question:
    iri = str(row["question"])
    options = tuple(sorted(
        (Option(str(o["value"]), str(o["option"]), _num(o.get("score")), _num(o.get("cap")), _labels(o, "label"),
                _signals(links, str(o["option"])), _int(o.get("order")))
         for o in option_rows),
        key=lambda o: (o.order, o.value)))
    conditions: dict[str, tuple[str, set[str]]] = {}
    for r in links:
        if "condition" in r:
            _, values = conditions.setdefault(str(r["condition"]), (str(r["on_code"]), set()))
            if "target" in r:
                values.add(str(r["target"]))
    bounds = [row.get(k) for k in ("min", "max", "weak_below", "weak_above") if row.get(k) is not None]
    answer_type = str(row.get("answer_type", ""))
    integer = answer_type == "year" or (answer_type == "number" and bool(bounds)
                                        and all(_is_integer(b) for b in bounds))
    section = row.get("section")
    return Question(
        code=str(row["code"]), iri=iri, pillar=_pillar(row, pillars),
        section=section_ids.get(str(section), _local(str(section), "section-")) if section is not None else "",
        order=_int(row.get("order")), answer_type=answer_type,
        text=_labels(row, "text"), help=_labels(row, "help"), options=options,
        min_value=_num(row.get("min")), max_value=_num(row.get("max")),
        weak_below=_num(row.get("weak_below")), weak_above=_num(row.get("weak_above")),
        weak_years_before=None if row.get("weak_years") is None else _int(row.get("weak_years")),
        signals=_signals(links, iri),
        conditions=tuple(Condition(q, frozenset(v)) for q, v in sorted(conditions.values(), key=lambda c: c[0])),
        frameworks=tuple(sorted({str(r["target"]) for r in links if "owner" not in r and "condition" not in r})),
        integer=integer,
    )


def _is_integer(term: Any) -> bool:
    if isinstance(term, Literal) and term.datatype in (XSD.integer, XSD.int, XSD.long, XSD.nonNegativeInteger):
        return True
    value = term.toPython() if isinstance(term, Literal) else term
    return isinstance(value, int)
