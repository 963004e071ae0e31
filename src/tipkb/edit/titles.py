"""The names people read for editable entities: their label, else one made from the fields that name them.

Most country facts (ratifications, tier ratings, statistics, routes…) have no `rdfs:label`; their
name joins the labels of the fields in the type's naming pattern (`ratification-{country}-{instrument}`
reads "Kazakhstan · United Nations Convention against …"), in the language asked for.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from tipkb.edit.descriptions import describe, nt, parse_nt
from tipkb.edit.entity_types import EntityType, type_for_class
from tipkb.edit.forms import form_values, options
from tipkb.i18n import pick
from tipkb.namespaces import KB_IRI
from tipkb.store.kb import KnowledgeBase

SEPARATOR = " · "


def choice_labels(kb: KnowledgeBase, cls: URIRef, lang: str) -> dict[str, str]:
    """Return {IRI: label in `lang`} of a class's members (cached per KB version)."""
    return kb.cached(f"edit-choice-labels {cls} {lang}", lambda: dict(options(kb, cls, lang)))


def entity_title(kb: KnowledgeBase, etype: EntityType, values: Mapping[str, Any], lang: str,
                 fallback: str = "") -> str:
    """Return an entity's name in `lang` from its form values; `fallback` when nothing names it."""
    label = values.get("label")
    if isinstance(label, Mapping) and pick(label, lang):
        return pick(label, lang)
    parts = [_part(kb, etype, name, values.get(name), lang) for name in re.findall(r"{(\w+)}", etype.mint)]
    return SEPARATOR.join(p for p in parts if p) or fallback


def title_of(kb: KnowledgeBase, iri: str, lang: str) -> str:
    """Return the name of any KB entity in `lang`: its label or an editable type's name, else its local name."""
    return kb.cached(f"edit-title {iri} {lang}", lambda: _title(kb, str(iri), lang))


def _title(kb: KnowledgeBase, iri: str, lang: str) -> str:
    desc = describe(kb.dataset, URIRef(iri))
    labels = [parse_nt(q[3]) for q in desc.quads if q[1] == nt(desc.iri) and q[2] == nt(RDFS.label)]
    fallback = pick({t.language: str(t) for t in labels if isinstance(t, Literal) and t.language}, lang)
    fallback = fallback or iri.removeprefix(KB_IRI)
    types = [parse_nt(q[3]) for q in desc.quads if q[1] == nt(desc.iri) and q[2] == nt(RDF.type)]
    etype = next((t for t in map(type_for_class, types) if t is not None), None)
    return entity_title(kb, etype, form_values(desc, etype), lang, fallback) if etype else fallback


def _part(kb: KnowledgeBase, etype: EntityType, name: str, value: Any, lang: str) -> str:
    f = etype.field(name)
    if f.kind == "text2":
        return pick(value, lang) if isinstance(value, Mapping) else ""
    if f.kind in ("ref", "refs") and f.range is not None:
        labels = choice_labels(kb, f.range, lang)
        iris = value if isinstance(value, list) else [value] if value else []
        return ", ".join(labels.get(i) or i.removeprefix(KB_IRI) for i in iris)
    return str(value or "")
