"""Forms ↔ triples: read an entity into form values, turn submitted values into the entity's new description.

Form values are plain: a string per field, a list for ref lists and source URLs, and
{"en": …, "ru": …} for bilingual text. Submitted data is a mapping of field names to lists of
strings (bilingual fields arrive as `name.en` and `name.ru`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from tipkb.edit.descriptions import ABSENT, CONTROL_CHARS, Description, LQuad, describe, nt, parse_nt, term_key
from tipkb.edit.entity_types import EntityType, Field
from tipkb.edit.languages import DRAFTS, check_drafts, draft_languages, draft_quads, drafts_from_form, has_texts, placed
from tipkb.edit.ops import EntityEdit
from tipkb.errors import TipkbError
from tipkb.i18n import LANGUAGES, REGIONAL_LANGUAGES, REQUIRED_LANGUAGES, pick, script_mismatch
from tipkb.namespaces import GRAPH_IRI, KB_IRI, TIP
from tipkb.store.kb import KnowledgeBase
from tipkb.store.queries import packaged

_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`\x00-\x1f\x7f]+$")
_LOCAL = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_NAME = re.compile(r"^[A-Za-z0-9._-]+$")  # the local name of an existing entity (new ones follow _LOCAL)
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`\x00-\x1f\x7f]+$")
MAX_IRI = 2000  # characters; no IRI of the KB comes near


class FormError(TipkbError):
    """Submitted values cannot be turned into triples; `errors` maps each field at fault to what is wrong."""

    def __init__(self, errors: Mapping[str, str]):
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))


@dataclass(frozen=True)
class EntityRef:
    """An entity as listed in the editor: IRI, labels, country code and short code."""

    iri: str
    labels: dict[str, str]
    iso: str | None
    code: str | None

    @property
    def local_name(self) -> str:
        return self.iri.removeprefix(KB_IRI)


# --- reading --------------------------------------------------------------------------------

def form_values(desc: Description, etype: EntityType) -> dict[str, Any]:
    """Return the current values of an entity's form fields."""
    subject = nt(desc.iri)
    values: dict[str, Any] = {}
    for f in etype.fields:
        terms = [parse_nt(q[3]) for q in sorted(desc.quads) if q[1] == subject and q[2] == nt(f.path)]
        if f.kind == "text2":
            values[f.name] = {t.language: str(t) for t in terms if isinstance(t, Literal) and t.language}
        elif f.kind in ("refs", "urls"):
            values[f.name] = sorted(str(t) for t in terms)
        elif terms and isinstance(terms[0], Literal) and terms[0].datatype == XSD.decimal and "." not in terms[0]:
            values[f.name] = f"{terms[0]}.0"  # a decimal stays a decimal when the form is sent back
        else:
            values[f.name] = str(terms[0]) if terms else ""
    if has_texts(etype):
        values[DRAFTS] = draft_languages(desc)
    return values


def values_from_form(etype: EntityType, data: Mapping[str, list[str]]) -> dict[str, Any]:
    """Return form values from submitted data (lists of strings per name), trimmed."""
    values: dict[str, Any] = {}
    for f in etype.fields:
        if f.kind == "text2":
            values[f.name] = {lang: _first(data, f"{f.name}.{lang}") for lang in LANGUAGES}
        elif f.kind == "refs":
            values[f.name] = sorted({v.strip() for v in data.get(f.name, []) if v.strip()})
        elif f.kind == "urls":
            lines = "\n".join(data.get(f.name, [])).splitlines()
            values[f.name] = [u.strip() for u in lines if u.strip()]
        else:
            values[f.name] = _first(data, f.name)
    if has_texts(etype) and (drafts := drafts_from_form(data)) is not None:
        values[DRAFTS] = drafts
    return values


def values_from_json(etype: EntityType, values: Mapping[str, Any]) -> dict[str, Any]:
    """Return values sent as JSON read as the editor reads its form: trimmed, blank and repeated references dropped.

    Raise FormError naming each value that is not a field of the type or lacks its field's shape.
    """
    check_fields(etype, values)
    data: dict[str, list[str]] = {}
    if values.get(DRAFTS) is not None:
        data.update({"drafts-shown": ["1"], "draft": list(values[DRAFTS])})
    for f in etype.fields:
        value = values.get(f.name)
        if f.kind == "text2":
            data.update({f"{f.name}.{lang}": [text] for lang, text in (value or {}).items()})
        elif value is not None:
            data[f.name] = value if isinstance(value, list) else [value]
    return values_from_form(etype, data)


def _first(data: Mapping[str, list[str]], name: str) -> str:
    got = data.get(name) or [""]
    return (got[0] if isinstance(got, list) else str(got)).strip()


# --- writing --------------------------------------------------------------------------------

def field_terms(f: Field, value: Any) -> list:
    """Return the RDF terms a field's value stands for; raise ValueError saying what is wrong."""
    _check_shape(f, value)
    if f.kind == "text2":
        terms = [Literal(v, lang=lang) for lang, v in sorted((value or {}).items()) if v]
        if f.required and not all((value or {}).get(lang) for lang in REQUIRED_LANGUAGES):
            raise ValueError("required in English and in Russian")
        for t in terms:
            if t.language in REGIONAL_LANGUAGES and (why := script_mismatch(str(t), t.language)):
                raise ValueError(why)
        return terms
    items = value if isinstance(value, list) else ([value] if value else [])
    if f.required and not items:
        raise ValueError("required")
    return [_term(f, v) for v in items]


def is_iri(value: Any) -> bool:
    """Say whether a value is an absolute IRI without spaces, control characters or any of <>"{}|\\^`."""
    return isinstance(value, str) and len(value) <= MAX_IRI and bool(_IRI.match(value))


def _check_shape(f: Field, value: Any) -> None:
    """Raise ValueError unless a value has its field's shape: texts by language, a list of strings, or a string."""
    if value is None:
        return
    if f.kind == "text2":
        if not isinstance(value, Mapping) or not all(isinstance(v, str) for v in value.values()):
            raise ValueError('expected texts by language, e.g. {"en": "…", "ru": "…"}')
        if bad := sorted(k for k in value if k not in LANGUAGES):
            raise ValueError(f"{bad[0][:20]!r} is not a language of the KB ({', '.join(LANGUAGES)})")
        texts = list(value.values())
    elif f.kind in ("refs", "urls"):
        texts = [value] if isinstance(value, str) else value
        if not isinstance(texts, list) or not all(isinstance(v, str) for v in texts):
            raise ValueError("expected a list of strings")
    elif isinstance(value, str):
        texts = [value]
    else:
        raise ValueError("expected a string")
    if any(CONTROL_CHARS.search(t) for t in texts):
        raise ValueError("holds a control character")


def _term(f: Field, v: str):
    kind = f.kind
    if kind in ("ref", "refs"):
        if not (v.startswith(KB_IRI) and is_iri(v)):
            raise ValueError(f"{v!r} is not a resource of the KB")
        return URIRef(v)
    if kind == "urls":
        if not _URL.match(v):
            raise ValueError(f"{v!r} is not an http(s) URL")
        return URIRef(v)
    if kind == "date":
        return Literal(_date(v), datatype=XSD.date)
    if kind == "asof":
        if re.fullmatch(r"\d{4}", v):
            return Literal(v, datatype=XSD.gYear)
        return Literal(_date(v, "a year (YYYY) or a date (YYYY-MM-DD)"), datatype=XSD.date)
    if kind in ("year", "int"):
        if not re.fullmatch(r"-?\d+", v):
            raise ValueError(f"{v!r} is not a whole number")
        return Literal(str(int(v)), datatype=XSD.integer)
    if kind in ("decimal", "number"):
        try:
            number = Decimal(v.replace(",", "."))
        except InvalidOperation:
            raise ValueError(f"{v!r} is not a number") from None
        if kind == "number" and re.fullmatch(r"-?\d+", v):
            return Literal(str(int(number)), datatype=XSD.integer)
        return Literal(str(number), datatype=XSD.decimal)
    if kind == "bool":
        if v not in ("true", "false"):
            raise ValueError("choose yes or no")
        return Literal(v, datatype=XSD.boolean)
    if kind == "choice":
        if v not in f.choices:
            raise ValueError(f"choose one of {', '.join(f.choices)}")
        return Literal(v)
    return Literal(v)


def _date(v: str, what: str = "a date (YYYY-MM-DD)") -> str:
    try:
        return date.fromisoformat(v).isoformat()
    except ValueError:
        raise ValueError(f"{v!r} is not {what}") from None


def new_description(current: Description, etype: EntityType, values: Mapping[str, Any],
                    graph: URIRef) -> frozenset[LQuad]:
    """Return the entity's description with the form's fields replaced (other properties kept).

    Raise FormError naming every field whose value cannot be read.
    """
    subject = nt(current.iri)
    managed = {nt(f.path) for f in etype.fields} | ({nt(TIP.draftTranslation)} if DRAFTS in values else set())
    keep = {q for q in current.quads if not (q[1] == subject and q[2] in managed)}
    existing = {(q[2], q[3]): q for q in current.quads if q[1] == subject}
    home = current.graphs()[0] if current.exists else nt(graph)
    if not current.exists:
        keep.add((home, subject, nt(RDF.type), nt(etype.cls)))
    errors, added = {}, set()
    for f in etype.fields:
        try:
            terms = field_terms(f, values.get(f.name))
        except ValueError as exc:
            errors[f.name] = str(exc)
            continue
        for t in terms:
            key = (nt(f.path), term_key(t, {}))
            added.add(existing.get(key) or placed((home, subject, key[0], key[1]), t))
    if errors:
        raise FormError(errors)
    if DRAFTS in values:
        added |= {existing.get(q[2:]) or q for q in draft_quads(subject, values[DRAFTS] or [], keep | added)}
    return frozenset(keep | added)


def editable_entity(kb: KnowledgeBase, etype: EntityType, iri: Any) -> URIRef:
    """Return the IRI of an existing entity of the type that forms may edit; raise FormError on `iri` otherwise.

    Only entities of the KB's namespace qualify, never ontology terms or IRIs elsewhere, and only as members of
    the type's class: the editor and the changeset API both ask here.
    """
    if not isinstance(iri, str):
        raise FormError({"iri": "expected a string"})
    name = iri.removeprefix(KB_IRI)
    if name == iri or not _NAME.match(name):
        raise FormError({"iri": f"{iri[:200]!r} is not an entity of the KB (its IRI starts with {KB_IRI})"})
    ref = URIRef(iri)
    if (ref, RDF.type, etype.cls) not in kb.dataset:
        raise FormError({"iri": f"kb:{name} is not a {etype.key} of the KB"})
    return ref


def check_fields(etype: EntityType, values: Mapping[str, Any]) -> None:
    """Raise FormError naming every value that is not a field of the type or lacks its field's shape."""
    errors = {name: f"not a field of {etype.key} (fields: {', '.join(f.name for f in etype.fields)})"
              for name in values if name not in {f.name for f in etype.fields} and name != DRAFTS}
    try:
        check_drafts(values.get(DRAFTS))
    except ValueError as exc:
        errors[DRAFTS] = str(exc)
    for f in etype.fields:
        try:
            _check_shape(f, values.get(f.name))
        except ValueError as exc:
            errors[f.name] = str(exc)
    if errors:
        raise FormError(errors)


def build_edit(kb: KnowledgeBase, etype: EntityType, values: Mapping[str, Any], *, iri: str | None,
               base_version: str, local_name: str | None = None) -> EntityEdit:
    """Return the edit a submitted form asks for: of the entity `iri`, or of a new one when `iri` is None."""
    check_fields(etype, values)
    if iri is None:
        target = new_iri(kb, etype, values, local_name)
        current, graph, base_version = Description(target), home_graph(kb, etype, values), ABSENT
    else:
        current = describe(kb.dataset, editable_entity(kb, etype, iri))
        graph = URIRef(current.graphs()[0][1:-1]) if current.exists else home_graph(kb, etype, values)
    return EntityEdit(current.iri, base_version, new_description(current, etype, values, graph))


def retire_edit(iri: str, base_version: str) -> EntityEdit:
    """Return the edit that removes an entity's whole description."""
    return EntityEdit(URIRef(iri), base_version, frozenset())


# --- naming a new entity and choosing its file ------------------------------------------------

def slug(text: str, words: int = 6) -> str:
    """Return a lowercase, hyphenated ASCII slug of a text (at most `words` words)."""
    parts = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(parts[:words])


def new_iri(kb: KnowledgeBase, etype: EntityType, values: Mapping[str, Any], local_name: str | None = None) -> URIRef:
    """Name a new entity by the type's pattern (or as given); add -2, -3 … if the name is taken."""
    if not etype.creatable:
        raise FormError({"type": f"a new {etype.key} is not created through a form"})
    if local_name:
        if not isinstance(local_name, str) or not _LOCAL.match(local_name):
            raise FormError({"local_name": "use lowercase letters, digits and hyphens"})
        name = local_name
    else:
        missing, parts = [], {}
        for key in re.findall(r"{(\w+)}", etype.mint):
            part = _slug_part(etype.field(key), values.get(key))
            if not part:
                missing.append(key)
            parts[key] = part
        if missing:
            raise FormError({k: "needed to name the new entity" for k in missing})
        name = etype.mint.format(**parts)
    candidate, n = URIRef(KB_IRI + name), 1
    while describe(kb.dataset, candidate).exists:
        if local_name:
            raise FormError({"local_name": f"kb:{name} already exists"})
        n += 1
        candidate = URIRef(f"{KB_IRI}{name}-{n}")
    return candidate


def _slug_part(f: Field, value: Any) -> str:
    if f.kind == "text2":
        return slug((value or {}).get("en", ""))
    if isinstance(value, list):
        value = value[0] if value else ""
    value = (value or "").strip()
    if f.kind in ("ref", "refs"):
        local = value.removeprefix(KB_IRI)
        return local.removeprefix(f.slug_prefix) if local != value else ""
    return slug(value)


def home_graph(kb: KnowledgeBase, etype: EntityType, values: Mapping[str, Any]) -> URIRef:
    """Choose the file for a new entity: beside its kind for the same country, else where most of its kind are."""
    rows = kb.select(packaged("editor-files"), {"class": etype.cls})
    rows = [r for r in rows if str(r["g"]).startswith(GRAPH_IRI + "kb/")]
    iso = _iso(kb, values, etype)
    per_country = [r for r in rows if "iso" in r and _stem(r["g"]) == str(r["iso"]).lower()]
    if iso and per_country:
        folder = str(per_country[0]["g"]).rsplit("/", 1)[0]
        return URIRef(f"{folder}/{iso.lower()}.ttl")
    if rows:
        best = max(rows, key=lambda r: (int(r["n"]), str(r["g"])))
        return URIRef(str(best["g"]))
    return URIRef(f"{GRAPH_IRI}kb/{etype.key}s.ttl")


def _stem(g) -> str:
    return str(g).rsplit("/", 1)[-1].removesuffix(".ttl")


def _iso(kb: KnowledgeBase, values: Mapping[str, Any], etype: EntityType) -> str | None:
    f = etype.country_field
    if f is None or not values.get(f.name):
        return None
    code = kb.dataset.value(URIRef(values[f.name]), TIP.isoCode)
    return str(code) if code else None


# --- choices and listings -------------------------------------------------------------------

def options(kb: KnowledgeBase, cls: URIRef, lang: str = "en") -> list[tuple[str, str]]:
    """Return (IRI, label) of the members of a class, sorted by label, for a select box."""
    seen: dict[str, str] = {}
    for r in kb.select(packaged("editor-options"), {"class": cls}):
        texts = {code: str(r[f"label_{code}"]) for code in LANGUAGES if r.get(f"label_{code}")}
        label = pick(texts, lang) or r.get("code") or str(r["item"]).removeprefix(KB_IRI)
        seen.setdefault(str(r["item"]), str(label))
    return sorted(seen.items(), key=lambda kv: (kv[1].lower(), kv[0]))


def list_entities(kb: KnowledgeBase, etype: EntityType) -> list[EntityRef]:
    """Return the members of an entity type's class."""
    out: dict[str, EntityRef] = {}
    for r in kb.select(packaged("editor-entities"), {"class": etype.cls}):
        iri = str(r["item"])
        labels = {lang: str(r[f"label_{lang}"]) for lang in LANGUAGES if f"label_{lang}" in r}
        out.setdefault(iri, EntityRef(iri, labels, str(r["iso"]) if "iso" in r else None,
                                      str(r["code"]) if "code" in r else None))
    return list(out.values())


def property_labels(kb: KnowledgeBase) -> dict[str, dict[str, str]]:
    """Return the labels of the ontology's properties, by IRI."""
    return {str(r["property"]): {lang: str(r[f"label_{lang}"]) for lang in LANGUAGES if f"label_{lang}" in r}
            for r in kb.select(packaged("property-labels"))}
