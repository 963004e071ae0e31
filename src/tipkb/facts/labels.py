"""The names users see for codes (statuses, tiers, indicators, kinds, states…), read from the KB's SKOS vocabularies.

Each `kb:scheme-<kind>` concept scheme in kb/vocab/ is one kind of code: its concepts' `tip:shortCode`
values are the codes and their `rdfs:label`s the names, e.g. `label(kb, "tiers", "2WL", "ru")`.
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import Literal

from tipkb.i18n import LANGUAGES, pick
from tipkb.namespaces import KB_IRI
from tipkb.store.kb import KnowledgeBase
from tipkb.store.queries import packaged

SCHEME_PREFIX = f"{KB_IRI}scheme-"
NO_CODE = "—"

Labels = dict[str, dict[str, dict[str, str]]]


def code_labels(kb: KnowledgeBase) -> Labels:
    """Return {kind: {code: {lang: name}}} for every coded concept, codes in vocabulary order (cached per KB)."""
    return kb.cached("code-labels", lambda: _read(kb))


def _read(kb: KnowledgeBase) -> Labels:
    found: dict[str, dict[str, tuple[int, dict[str, str]]]] = {}
    for r in kb.select(packaged("code-labels")):
        scheme = str(r["scheme"])
        if not scheme.startswith(SCHEME_PREFIX):
            continue
        kinds = found.setdefault(scheme.removeprefix(SCHEME_PREFIX), {})
        order = int(r["order"].toPython()) if "order" in r else 0
        _, texts = kinds.setdefault(str(r["code"]), (order, {}))
        text = r.get("label")
        if isinstance(text, Literal) and text.language in LANGUAGES:
            texts.setdefault(text.language, str(text))
    return {kind: {code: texts for code, (_, texts) in sorted(codes.items(), key=lambda c: (c[1][0], c[0]))}
            for kind, codes in sorted(found.items())}


def names(kb: KnowledgeBase, kind: str, lang: str) -> dict[str, str]:
    """Return {code: name} for one kind of code in one language (English where the language lacks one)."""
    return {code: pick(texts, lang) or code for code, texts in code_labels(kb).get(kind, {}).items()}


def label(kb: KnowledgeBase, kind: str, code: object, lang: str) -> str:
    """Return the name of a code in `lang`: the code itself when the KB does not name it, "—" for no code."""
    if code is None or code == "":
        return NO_CODE
    texts: Mapping[str, str] | None = code_labels(kb).get(kind, {}).get(str(code))
    return pick(texts, lang) or str(code)
