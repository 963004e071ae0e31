"""The entity types an expert edits through forms: their class, fields and how a new one is named.

Fields name the properties a form manages; other properties of an entity (tip:conflictsWith,
gap signals, …) are kept as they are by every edit.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS

from tipkb.namespaces import TIP

KINDS = ("text2", "ref", "refs", "date", "year", "int", "decimal", "number", "string", "bool", "urls", "asof",
         "choice")


@dataclass(frozen=True)
class Field:
    """One form field: the property it writes, how its value is typed, and what it may point at."""

    name: str
    path: URIRef
    kind: str
    required: bool = False
    range: URIRef | None = None  # the class whose members a ref/refs field offers
    choices: tuple[str, ...] = ()
    slug_prefix: str = ""  # stripped from a referenced IRI's local name when naming a new entity


@dataclass(frozen=True)
class EntityType:
    """An editable kind of entity."""

    key: str
    cls: URIRef
    fields: tuple[Field, ...]
    mint: str  # local name of a new entity, with {field} placeholders ("": not created through a form)
    group: str  # "country" (a country's facts), "catalogue" or "questionnaire"
    sourced: bool = True

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def creatable(self) -> bool:
        return bool(self.mint)

    @property
    def country_field(self) -> Field | None:
        return next((f for f in self.fields if f.name in ("country", "origin")), None)


def _ref(name, prop, cls, required=True, prefix="", many=False) -> Field:
    return Field(name, TIP[prop], "refs" if many else "ref", required, TIP[cls], slug_prefix=prefix)


COUNTRY = _ref("country", "country", "Country", prefix="country-")
LABEL = Field("label", RDFS.label, "text2", True)
DEFINITION = Field("definition", SKOS.definition, "text2", True)
TEXT = Field("text", TIP.text, "text2", True)
NOTE = Field("note", TIP.note, "text2")
SOURCED = (
    Field("sources", DCTERMS.source, "urls", True),
    Field("as_of", TIP.asOf, "asof", True),
    Field("confidence", TIP.confidence, "choice", choices=("high", "medium", "low")),
    NOTE,
)


def _type(key, cls, fields, mint, group="country", sourced=True) -> EntityType:
    return EntityType(key, TIP[cls], tuple(fields) + (SOURCED if sourced else ()), mint, group, sourced)


TYPES: dict[str, EntityType] = {t.key: t for t in (
    _type("ratification", "Ratification", (
        COUNTRY, _ref("instrument", "instrument", "InternationalInstrument", prefix="instrument-"),
        _ref("status", "ratificationStatus", "RatificationStatus"),
        Field("date", TIP.date, "date"), Field("year", TIP.year, "year")),
        "ratification-{country}-{instrument}"),
    _type("national-law", "NationalLaw", (
        COUNTRY, LABEL, Field("law_number", TIP.lawNumber, "string"), Field("date", TIP.date, "date"),
        Field("year", TIP.year, "year")), "law-{country}-{year}-{label}"),
    _type("criminal-code", "CriminalCodeProvision", (
        COUNTRY, LABEL, Field("article", TIP.article, "string", True)), "cc-{country}-{article}"),
    _type("action-plan", "NationalActionPlan", (
        COUNTRY, LABEL, Field("start_year", TIP.startYear, "year", True), Field("end_year", TIP.endYear, "year"),
        Field("law_number", TIP.lawNumber, "string"), Field("date", TIP.date, "date")),
        "nap-{country}-{start_year}-{end_year}"),
    _type("referral-mechanism", "ReferralMechanism", (
        COUNTRY, LABEL, Field("law_number", TIP.lawNumber, "string"), Field("date", TIP.date, "date"),
        Field("year", TIP.year, "year")), "nrm-{country}-{year}"),
    _type("coordinating-body", "CoordinatingBody", (COUNTRY, LABEL), "body-{country}-{label}"),
    _type("tier-rating", "TierRating", (
        COUNTRY, Field("report_year", TIP.reportYear, "year", True), _ref("tier", "tier", "Tier")),
        "tier-rating-{country}-{report_year}"),
    _type("statistic", "StatisticObservation", (
        COUNTRY, _ref("indicator", "indicator", "Indicator", prefix="indicator-"),
        Field("report_year", TIP.reportYear, "year", True), Field("data_year", TIP.dataYear, "year"),
        Field("value", TIP.value, "number", True), Field("breakdown", TIP.breakdown, "text2")),
        "stat-{country}-{report_year}-{indicator}"),
    _type("route", "Route", (
        _ref("origin", "originCountry", "Country", prefix="country-"),
        _ref("destination", "destinationCountry", "Country", prefix="country-"),
        _ref("forms", "exploitationForm", "ExploitationForm", False, many=True)), "route-{origin}-{destination}"),
    _type("risk-group", "RiskGroupStatement", (
        COUNTRY, _ref("groups", "victimGroup", "VictimGroup", prefix="victim-group-", many=True), TEXT),
        "risk-{country}-{groups}"),
    _type("exploitation", "ExploitationStatement", (
        COUNTRY, _ref("forms", "exploitationForm", "ExploitationForm", prefix="exploitation-", many=True), TEXT),
        "exploitation-{country}-{forms}"),
    _type("documented-gap", "DocumentedGap", (
        COUNTRY, _ref("gap", "gap", "Gap", prefix="gap-"), TEXT), "country-gap-{country}-{gap}"),
    _type("practice-example", "PracticeExample", (
        _ref("practice", "practice", "BestPractice", prefix="practice-"), COUNTRY,
        Field("positive", TIP.isPositive, "bool", True), TEXT), "example-{practice}-{country}"),
    _type("gap", "Gap", (
        Field("code", TIP.shortCode, "string"), LABEL, DEFINITION, _ref("category", "gapCategory", "GapCategory"),
        Field("severity", TIP.severity, "int", True),
        _ref("frameworks", "derivedFromFramework", "FrameworkItem", many=True)), "gap-{label}", "catalogue"),
    _type("best-practice", "BestPractice", (
        Field("code", TIP.shortCode, "string", True), LABEL, DEFINITION,
        _ref("gaps", "addressesGap", "Gap", many=True), _ref("pillars", "pillar", "Pillar", many=True),
        _ref("stakeholders", "stakeholder", "Stakeholder", many=True),
        _ref("horizon", "timeHorizon", "TimeHorizon"), _ref("effort", "effort", "EffortLevel"),
        _ref("evidence", "evidenceLevel", "EvidenceLevel"),
        _ref("frameworks", "derivedFromFramework", "FrameworkItem", False, many=True)),
        "practice-{label}", "catalogue"),
    _type("question", "Question", (
        Field("code", TIP.shortCode, "string", True), LABEL, Field("help", TIP.help, "text2"),
        _ref("questionnaire", "inQuestionnaire", "Questionnaire"), _ref("section", "section", "QuestionSection"),
        _ref("pillar", "pillar", "Pillar"), _ref("answer_type", "answerType", "AnswerType"),
        Field("order", TIP.order, "int", True),
        _ref("frameworks", "derivedFromFramework", "FrameworkItem", many=True),
        Field("min_value", TIP.minValue, "int"), Field("max_value", TIP.maxValue, "int"),
        Field("weak_below", TIP.weakBelow, "int"), Field("weak_years_before", TIP.weakYearsBefore, "int")),
        "q-{code}", "questionnaire", sourced=False),
    _type("answer-option", "AnswerOption", (
        Field("value", TIP.optionValue, "string", True), LABEL, Field("score", TIP.score, "decimal"),
        Field("score_cap", TIP.scoreCap, "decimal"), Field("order", TIP.order, "int", True)),
        "", "questionnaire", sourced=False),  # options are created with their question, in Turtle
)}

GROUPS = ("country", "catalogue", "questionnaire")


def entity_type(key: str) -> EntityType:
    """Return the entity type with this key; raise KeyError for an unknown one."""
    return TYPES[key]


def type_for_class(cls: URIRef) -> EntityType | None:
    """Return the entity type editing members of a class, if any."""
    return next((t for t in TYPES.values() if t.cls == cls), None)
