"""Texts in the regional languages in forms: where they are stored, their draft marks and their script.

A regional text (kk, ky, tg, tk, uz) lives in kb/translations/<lang>.ttl beside its entity's draft mark
(`tip:draftTranslation "kk"`, a translation no expert has reviewed). A form shows the marks as one
checkbox per language; an expert unticks one to mark the translation reviewed. Text an expert types gets
no mark: it is reviewed by being written by an expert.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rdflib import Literal, URIRef

from tipkb.edit.descriptions import Description, LQuad, nt, parse_nt
from tipkb.edit.entity_types import EntityType
from tipkb.i18n import REGIONAL_LANGUAGES, script_mismatch
from tipkb.namespaces import GRAPH_IRI, TIP

DRAFTS = "draft_translations"  # the form value listing the languages whose texts stay marked as drafts
DRAFTS_SHOWN = "drafts-shown"  # sent by a form that shows the draft checkboxes (none ticked is then "none")
DRAFT = nt(TIP.draftTranslation)


def translation_graph(lang: str) -> str:
    """Return the graph (as N-Triples) of a regional language's texts: kb/translations/<lang>.ttl."""
    return nt(URIRef(f"{GRAPH_IRI}kb/translations/{lang}.ttl"))


def has_texts(etype: EntityType) -> bool:
    """Say whether a type's form has texts by language (and so the draft checkboxes)."""
    return any(f.kind == "text2" for f in etype.fields)


def draft_languages(desc: Description) -> list[str]:
    """Return the regional languages an entity's texts are marked as drafts in."""
    subject = nt(desc.iri)
    marks = {str(parse_nt(q[3])) for q in desc.quads if q[1] == subject and q[2] == DRAFT}
    return [lang for lang in REGIONAL_LANGUAGES if lang in marks]


def drafts_from_form(data: Mapping[str, list[str]]) -> list[str] | None:
    """Return the languages ticked as drafts in a submitted form (None when the form showed no checkboxes)."""
    if DRAFTS_SHOWN not in data:
        return None
    ticked = set(data.get("draft") or [])
    return [lang for lang in REGIONAL_LANGUAGES if lang in ticked]


def check_drafts(value: Any) -> None:
    """Raise ValueError unless a value lists regional languages."""
    if value is None:
        return
    if not isinstance(value, list) or not all(isinstance(v, str) and v in REGIONAL_LANGUAGES for v in value):
        raise ValueError(f"expected a list of regional languages ({', '.join(REGIONAL_LANGUAGES)})")


def script_errors(etype: EntityType, values: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    """Return, by field, the first regional text in the wrong script: (language, why) from script_mismatch."""
    found = {}
    for f in etype.fields:
        texts = values.get(f.name) if f.kind == "text2" else None
        for lang in REGIONAL_LANGUAGES if isinstance(texts, Mapping) else ():
            why = script_mismatch(texts.get(lang) or "", lang)
            if why and f.name not in found:
                found[f.name] = (lang, why)
    return found


def placed(quad: LQuad, term) -> LQuad:
    """Return a new quad of a form's text, moved to its language's translation file when it is regional."""
    if isinstance(term, Literal) and term.language in REGIONAL_LANGUAGES:
        return (translation_graph(term.language), *quad[1:])
    return quad


def draft_quads(subject: str, drafts: Iterable[str], texts: Iterable[LQuad]) -> set[LQuad]:
    """Return the draft marks to keep: the ticked languages in which the entity still has a text."""
    present = {parse_nt(q[3]).language for q in texts if q[1] == subject and q[3].startswith('"')}
    return {(translation_graph(lang), subject, DRAFT, nt(Literal(lang))) for lang in drafts if lang in present}


def merge_texts(etype: EntityType, current: Mapping[str, Any], sent: Mapping[str, Any]) -> dict[str, Any]:
    """Return sent values over current ones; a text field's languages left out of `sent` keep their text."""
    out = {**current, **sent}
    for f in etype.fields:
        if f.kind == "text2" and isinstance(sent.get(f.name), Mapping) and isinstance(current.get(f.name), Mapping):
            out[f.name] = {**current[f.name], **sent[f.name]}
    return out
