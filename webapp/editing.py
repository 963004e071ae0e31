"""Helpers of the editor views: names of entity types and fields, form contexts, problems by field, diffs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS

from tipkb.edit.entity_types import EntityType
from tipkb.edit.forms import options, property_labels
from tipkb.edit.model import Changeset, readable_diff
from tipkb.edit.precheck import EditProblem
from tipkb.namespaces import PREFIXES, TIP

from .changes import get_changelog
from .i18n import current_language, date_text, pick
from .kb import get_kb

TYPE_NAMES = {
    "ratification": _l("Ratifications"), "national-law": _l("National laws"),
    "criminal-code": _l("Criminal-code provisions"), "action-plan": _l("National action plans"),
    "referral-mechanism": _l("Referral mechanisms"), "coordinating-body": _l("Coordinating bodies"),
    "tier-rating": _l("TIP tier ratings"), "statistic": _l("Statistics"), "route": _l("Trafficking routes"),
    "risk-group": _l("Groups at risk"), "exploitation": _l("Forms of exploitation present"),
    "documented-gap": _l("Documented gaps"), "practice-example": _l("Practice examples"),
    "gap": _l("Gaps (catalogue)"), "best-practice": _l("Best practices"), "question": _l("Questions"),
    "answer-option": _l("Answer options"),
}
GROUP_NAMES = {"country": _l("Country facts"), "catalogue": _l("Catalogue"), "questionnaire": _l("Questionnaire")}
AREA_NAMES = {"interface": _l("Interface"), "questionnaire": _l("Questionnaire"), "catalogue": _l("Catalogue"),
              "recommendations": _l("Recommendations"), "country-facts": _l("Country facts")}
FIELD_NAMES = {str(RDFS.label): _l("Name"), str(SKOS.definition): _l("Definition"), str(DCTERMS.source): _l("Sources"),
               str(TIP.asOf): _l("As of")}
HINTS = {"urls": _l("One URL per line; the original publisher's page first."),
         "asof": _l("The date the source describes: a year (YYYY) or a day (YYYY-MM-DD)."),
         "refs": _l("Tick every one that applies.")}
STATUS_NAMES = {"applied": _l("applied"), "pending": _l("waiting for review"), "rejected": _l("rejected"),
                "reverted": _l("reverted")}
LONG_TEXT = ("definition", "text", "note", "help", "breakdown")
REVIEW_SETTING = "review-threshold"


@dataclass
class FormField:
    """A field as the form template draws it."""

    name: str
    label: str
    kind: str
    required: bool
    value: Any
    options: list[tuple[str, str]] = field(default_factory=list)
    error: str | None = None
    long: bool = False
    hint: str = ""


def field_label(path: URIRef | str, labels: dict[str, dict[str, str]] | None = None) -> str:
    """Return a property's name in the page language (from the ontology, else a built-in one, else its IRI)."""
    key = str(path)
    if key in FIELD_NAMES:
        return str(FIELD_NAMES[key])
    labels = labels if labels is not None else property_labels(get_kb())
    name = pick(labels.get(key)) or short(key)
    return name[:1].upper() + name[1:]


def short(iri: str) -> str:
    """Return an IRI with the project's prefixes (kb:…, tip:…)."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(str(ns)):
            return f"{prefix}:{iri[len(str(ns)):]}"
    return iri


def form_fields(etype: EntityType, values: dict[str, Any], errors: dict[str, str]) -> list[FormField]:
    """Return the fields of an entity type's form with their values, choices and errors."""
    kb, lang, labels = get_kb(), current_language(), property_labels(get_kb())
    out = []
    for f in etype.fields:
        choices = options(kb, f.range, lang) if f.kind in ("ref", "refs") and f.range is not None else []
        out.append(FormField(f.name, field_label(f.path, labels), f.kind, f.required, values.get(f.name),
                             choices, errors.get(f.name), f.name in LONG_TEXT, str(HINTS.get(f.kind, ""))))
    return out


def problems_by_field(etype: EntityType, iri: str | None, problems: list[EditProblem]) -> tuple[dict, list]:
    """Split validation problems into those of the edited entity's fields and the others."""
    by_path = {str(f.path): f.name for f in etype.fields}
    fields: dict[str, str] = {}
    others: list[EditProblem] = []
    for p in problems:
        name = by_path.get(p.path or "") if p.focus == iri else None
        if name:
            text = f"{p.message} [{p.rule}]" if p.rule else p.message
            fields[name] = f"{fields[name]} {text}" if name in fields else text
        else:
            others.append(p)
    return fields, others


def diff_view(cs: Changeset) -> list[dict]:
    """Return a changeset's diff for a template: per entity, rows of property, removed and added values."""
    labels = property_labels(get_kb())
    return [{"entity": entity, "short": short(entity),
             "rows": [{"property": field_label(d.predicate, labels), "nested": not d.subject,
                       "removed": [short(v) for v in d.removed], "added": [short(v) for v in d.added]}
                      for d in diffs]}
            for entity, diffs in readable_diff(cs).items()]


def when(moment) -> str:
    """Return a moment as a date and time of day in the page language."""
    return date_text(moment, "datetime")


def review_threshold() -> int:
    """Return how many applied changes an expert needs before their changes apply without review (0: never)."""
    try:
        return max(0, int(get_changelog().setting(REVIEW_SETTING, "0")))
    except ValueError:
        return 0


def needs_review() -> bool:
    """Say whether the signed-in user's changes wait for an admin's approval."""
    threshold = review_threshold()
    return (current_user.role == "expert" and threshold > 0
            and get_changelog().count_applied(current_user.email) < threshold)
