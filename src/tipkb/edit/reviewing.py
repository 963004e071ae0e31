"""The reviewers' worklist: per language, the entities whose texts are missing or still drafts, with their form."""

from __future__ import annotations

from dataclasses import dataclass

from tipkb.checks.translations import AREAS, kb_texts
from tipkb.edit.entity_types import TYPES
from tipkb.store.kb import KnowledgeBase
from tipkb.store.queries import packaged


@dataclass(frozen=True)
class WorkItem:
    """An entity with texts to translate or review in one language, and the editor type that edits it (if any)."""

    area: str
    entity: str
    names: dict[str, str]
    kind: str | None
    missing: tuple[str, ...]  # property IRIs without a text in the language
    draft: bool  # its texts in the language are drafts no expert has reviewed


def editor_kinds(kb: KnowledgeBase) -> dict[str, str]:
    """Return, by IRI, the editor type of every entity a form edits (cached per KB version)."""
    def build() -> dict[str, str]:
        by_class = {str(t.cls): t.key for t in TYPES.values()}
        kinds: dict[str, str] = {}
        for r in kb.select(packaged("editor-entities")):
            if str(r["class"]) in by_class:
                kinds.setdefault(str(r["item"]), by_class[str(r["class"])])
        return kinds
    return kb.cached("editor-kinds", build)


def worklist(kb: KnowledgeBase, lang: str) -> dict[str, list[WorkItem]]:
    """Return, per KB area, the entities whose texts in `lang` are missing or drafts: missing ones first."""
    kinds = editor_kinds(kb)
    found: dict[tuple[str, str], dict] = {}
    for t in kb_texts(kb):
        state = t.state(lang)
        if state == "reviewed":
            continue
        item = found.setdefault((t.area, t.entity), {"names": dict(t.names), "missing": [], "draft": False})
        if state == "missing":
            item["missing"].append(t.prop)
        else:
            item["draft"] = True
    out: dict[str, list[WorkItem]] = {area: [] for area in AREAS[1:]}
    for (area, entity), item in found.items():
        out[area].append(WorkItem(area, entity, item["names"], kinds.get(entity), tuple(sorted(item["missing"])),
                                  item["draft"]))
    for items in out.values():
        items.sort(key=lambda w: (not w.missing, w.kind is None, (w.names.get("en") or w.entity).lower()))
    return out
