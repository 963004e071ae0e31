"""Translation coverage per language: the interface catalogues and the KB's texts, present and still draft.

A KB text is one property (label, definition, text, note, help, breakdown, title) of one entity that has it in
English; it is present in a language with a literal in that language, and a draft there when the entity carries
`tip:draftTranslation "<lang>"`. Interface messages are those of webapp/translations/<lang>/LC_MESSAGES/
messages.po, a fuzzy one counting as a draft; English is the catalogues' source language, complete by definition.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tipkb.i18n import LANGUAGES
from tipkb.store.kb import KnowledgeBase
from tipkb.store.queries import packaged

AREAS = ("interface", "questionnaire", "catalogue", "recommendations", "country-facts")


@dataclass(frozen=True)
class Share:
    """Of `total` texts, how many exist in a language and how many of those are still drafts."""

    total: int
    present: int
    draft: int = 0

    @property
    def percent(self) -> float:
        return 100.0 if self.total == 0 else round(100.0 * self.present / self.total, 1)

    @property
    def draft_percent(self) -> float:
        return 0.0 if self.total == 0 else round(100.0 * self.draft / self.total, 1)

    def as_dict(self) -> dict:
        """Return a JSON-ready dict with both percentages."""
        return {"total": self.total, "present": self.present, "draft": self.draft, "percent": self.percent,
                "draft_percent": self.draft_percent}


@dataclass(frozen=True)
class KBText:
    """One text of the KB: its area, entity, class and property, the languages it has and those still drafts."""

    area: str
    entity: str
    cls: str
    prop: str
    languages: frozenset[str]
    drafts: frozenset[str]
    names: tuple[tuple[str, str], ...] = ()  # the entity's English and Russian labels, as (language, label)

    def state(self, lang: str) -> str:
        """Say whether the text is "missing", a "draft" or "reviewed" in a language."""
        if lang not in self.languages:
            return "missing"
        return "draft" if lang in self.drafts else "reviewed"


def kb_texts(kb: KnowledgeBase) -> list[KBText]:
    """Return every text a user reads from the KB, by area (cached per KB version)."""
    def build() -> list[KBText]:
        return [KBText(str(r["area"]), str(r["entity"]), str(r["class"]), str(r["prop"]),
                       frozenset(str(r["langs"]).split()), frozenset(str(r.get("drafts") or "").split()),
                       tuple((lang, str(r[f"name_{lang}"])) for lang in ("en", "ru") if r.get(f"name_{lang}")))
                for r in kb.select(packaged("translation-texts"))]
    return kb.cached("translation-texts", build)


def default_catalogues() -> Path | None:
    """Return the web app's translations folder, when the web app is installed beside tipkb."""
    spec = importlib.util.find_spec("webapp")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "translations"


def interface_shares(folder: Path | None) -> dict[str, Share]:
    """Return, per language, how many interface messages its catalogue translates and how many are fuzzy.

    The messages are those the web app's code and templates mark (beside `folder`), else those of the Russian
    catalogue; a message a catalogue lacks counts as missing in it, one no longer in the code is not counted.
    """
    from babel.messages.pofile import read_po

    done: dict[str, dict[str, bool]] = {}  # per language: translated message id -> fuzzy
    every: set[str] = set()
    for lang in LANGUAGES[1:]:
        path = folder / lang / "LC_MESSAGES" / "messages.po" if folder else None
        if path is not None and path.is_file():
            with path.open("rb") as f:
                catalog = read_po(f)
            done[lang] = {_key(m.id): m.fuzzy for m in catalog if m.id and _translated(m.string)}
            if lang == "ru" or "ru" not in done:
                every.update(_key(m.id) for m in catalog if m.id)
    if folder is not None and (folder.parent / "templates").is_dir():
        every = set(source_messages(folder.parent))
    done["en"] = dict.fromkeys(every, False)
    return {lang: Share(len(every), len(every & set(done.get(lang, {}))),
                        sum(fuzzy for key, fuzzy in done.get(lang, {}).items() if key in every)) for lang in LANGUAGES}


@lru_cache(maxsize=4)
def source_messages(webapp: Path) -> frozenset[str]:
    """Return the interface texts the web app's Python code and templates mark for translation (read once)."""
    from babel.messages.extract import extract_from_dir

    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
    found = extract_from_dir(webapp, [("**.py", "python"), ("templates/**.html", "jinja2")], keywords=keywords,
                             options_map={"templates/**.html": {}})
    return frozenset(_key(message) for _file, _line, message, _comments, _context in found)


def _key(message_id) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


def _translated(string) -> bool:
    return all(string) if isinstance(string, tuple | list) else bool(string)


def kb_shares(texts: list[KBText]) -> dict[str, dict[str, Share]]:
    """Return, per KB area and language, how many texts exist and how many are drafts."""
    out: dict[str, dict[str, Share]] = {}
    for area in AREAS[1:]:
        mine = [t for t in texts if t.area == area]
        out[area] = {lang: Share(len(mine), sum(lang in t.languages for t in mine),
                                 sum(t.state(lang) == "draft" for t in mine)) for lang in LANGUAGES}
    return out


def coverage(kb: KnowledgeBase, catalogues: Path | None = None) -> dict[str, dict[str, Share]]:
    """Return the coverage table: per area (interface first), per language, the share present and still draft."""
    folder = catalogues if catalogues is not None else default_catalogues()
    return {"interface": interface_shares(folder), **kb_shares(kb_texts(kb))}


def coverage_dict(table: dict[str, dict[str, Share]]) -> dict:
    """Return the coverage table as JSON-ready dicts."""
    return {area: {lang: share.as_dict() for lang, share in by_lang.items()} for area, by_lang in table.items()}


def format_coverage(table: dict[str, dict[str, Share]]) -> list[str]:
    """Return the coverage table as text lines: per area, each language's share present and share still draft."""
    out = ["", "Translations per language (present % / still draft %; drafts await an expert's review):",
           f"  {'':<16}" + "".join(f"{lang:>14}" for lang in LANGUAGES)]
    for area, by_lang in table.items():
        cells = "".join(f"{f'{s.percent:.0f}% / {s.draft_percent:.0f}%':>14}" for s in by_lang.values())
        out.append(f"  {area:<16}{cells}")
    return out
