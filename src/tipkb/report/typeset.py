"""Typeset the print report with Typst: the report context goes to the templates as JSON data, never as markup."""

from __future__ import annotations

import atexit
import dataclasses
import json
import os
import queue
import re
import shutil
import stat
import tempfile
from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from tipkb.report.context import ReportError, report_context
from tipkb.report.recs import URL, short_url

HERE = Path(__file__).resolve().parent / "typst"
FONTS = "/usr/share/fonts/truetype/dejavu"
# Memory-backed where the host has it, so that an assessment's data never reaches a disk.
SCRATCH = Path("/dev/shm")
# A report folder's name carries its process's id, so that a worker starting later can tell the folder of a worker
# killed in the middle of a compile (its data file still there) from that of a worker still running.
PLACE_PREFIX = "tipkb-report-"
PLACE_NAME = re.compile(rf"{PLACE_PREFIX}(\d+)-[a-z0-9_]+")
# Archival (PDF/A-2a) and accessible (PDF/UA-1): fonts embedded, every text tagged, headings in order.
STANDARDS = ["a-2a", "ua-1"]
# Russian typesetting: a one- or two-letter word (и, в, на, не…) never ends a line; a no-break space ties it to the
# next word. Joined here, in the strings, not by a show rule over the whole body, which cost a fifth of a report.
# Applied to the data's JSON text, where a string opens with a quote and a line break is written \n: the word follows
# a space, "(", "«", a quote or \n. Two negative look-behinds of one class each, not a choice of two look-behinds: a
# Russian report's text went through in 8 ms instead of 40.
SHORT_WORD = re.compile(r'(?<![^\s(«"n])(?<![^\\]n)([А-ЯЁа-яё]{1,2}) ')
WARM_UP = '#set document(title: "tipkb")\n#set text(font: "DejaVu Sans", lang: "ru")\n= tipkb\nОтчёт, report: *1* _2_'


def _plain(value: Any) -> Any:
    # Dataclasses become objects, tuples lists, dates ISO strings: everything the JSON decoder of Typst reads back.
    if value is None or isinstance(value, str | int | float):  # most values: tested first (report_data 6 -> 4 ms)
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def note_parts(text: str) -> list[dict[str, str | None]]:
    """Split a note into plain runs and web addresses, each address to print as its host name and link."""
    parts: list[dict[str, str | None]] = []
    last = 0
    for m in URL.finditer(text or ""):
        parts.append({"text": text[last:m.start()], "href": None})
        parts.append({"text": short_url(m.group(0), 0), "href": m.group(0)})
        last = m.end()
    if text and last < len(text):
        parts.append({"text": text[last:], "href": None})
    return [p for p in parts if p["text"]]


def tie_short_words(text: str) -> str:
    """Return JSON text with each one- or two-letter Russian word joined to the next by a no-break space."""
    # Codes, anchors, addresses and keys have no Cyrillic word followed by a space, so the whole text can go through.
    return SHORT_WORD.sub("\\1\u00a0", text)


# The last parts tied: a new report mostly repeats the parts of one before it (another day changes the cover only).
_tied_part = lru_cache(maxsize=32)(tie_short_words)


def data_json(data: Mapping[str, Any]) -> str:
    """Return the report data as JSON text, Russian short words tied, part by part so that an unchanged part is not
    gone through again."""
    tie = _tied_part if data["lang"] == "ru" else str
    return "{" + ", ".join(f"{json.dumps(k)}: {tie(json.dumps(v, ensure_ascii=False))}" for k, v in data.items()) + "}"


def _only(value: Mapping[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: value[k] for k in keys}


def _fields(value: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: _plain(getattr(value, k)) for k in keys}


# What the templates print of each part, and nothing else: every byte of JSON is parsed by Typst for each report.
COVER = ("country", "country_code", "organisation", "year", "status", "generated", "questionnaire", "kb", "contact")
LISTED = ("rank", "anchor", "title")  # a recommendation in the top five, or listed again in a second group
FULL = (*LISTED, "description", "horizon", "effort", "evidence", "pillars", "stakeholders", "gaps", "more_questions",
        "more_reasons")
PRIORITY = ("rank", "title", "priority", "factors")  # the methodology's table of priorities
ROW = ("code", "text", "answer", "state", "state_label", "score", "evidence")  # a question of the answers annex
PRINTED = ("lang", "w", "baseline", "group_by", "basis", "notes", "urgency", "summary", "brief", "total", "selected",
           "legal", "method", "method_lang", "rules", "references", "followups", "fallbacks")


def report_data(context: Mapping[str, Any]) -> dict[str, Any]:
    """Return what the report templates print as JSON-safe data, with the citations numbered per recommendation."""
    refs = context["refs"]
    data = _plain({k: context[k] for k in PRINTED})
    data["cover"] = _only(context["cover"], COVER)
    data["top"] = [_fields(v, ("horizon", *LISTED)) for v in context["top"]]
    data["views"] = [_fields(v, PRIORITY) for v in context["views"]]
    data["groups"] = []
    for group in context["groups"]:
        entries = []
        for entry in group.entries:
            rec = entry.rec
            shown = _fields(rec, FULL if entry.full else LISTED)
            if entry.full:
                shown["cites"] = [refs[u] for u in rec.sources if u in refs]
                shown["reasons"] = [{"kind_label": r.kind_label, "question": r.question, "text": r.text,
                                     "cites": [refs[u] for u in r.sources if u in refs]} for r in rec.reasons]
            entries.append({"rec": shown, "full": entry.full, "described_in": entry.described_in})
        data["groups"].append({"label": group.label, "entries": entries})
    annex = context["annex"]
    data["annex"] = annex and {"version": annex["version"], "pillars": [
        {"label": p["label"], "sections": [
            {"label": s["label"], "rows": [{**_only(r, ROW), "note_parts": note_parts(r["note"])} for r in s["rows"]]}
            for s in p["sections"]]} for p in annex["pillars"]]}
    return data


@lru_cache(maxsize=1)
def compiler():
    import typst  # imported here: only reports need it

    # The fonts are found once per process (a search per report costs tens of milliseconds); DejaVu only, not the
    # fonts built into Typst either, so the output does not depend on the host or on the Typst release.
    return typst, typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[FONTS])


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # no signal sent: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_stale_places() -> list[Path]:
    """Remove this user's report folders whose process no longer runs, with any data file left in them."""
    scratch = SCRATCH if SCRATCH.is_dir() else Path(tempfile.gettempdir())
    removed = []
    for place in scratch.glob(f"{PLACE_PREFIX}*"):
        found = PLACE_NAME.fullmatch(place.name)
        try:
            info = place.lstat()  # a link is not followed, so only a real folder of ours is ever removed
        except FileNotFoundError:
            continue
        if not found or not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or _running(int(found[1])):
            continue
        shutil.rmtree(place, ignore_errors=True)
        removed.append(place)
    return removed


def warm_up() -> None:
    """Remove report folders left by killed workers, then load Typst and the fonts and typeset a one-line document,
    so that the first report does not pay for it."""
    remove_stale_places()
    typst, fonts = compiler()
    typst.compile(WARM_UP.encode(), font_paths=fonts, pdf_standards=STANDARDS)


_places: queue.SimpleQueue[Path] = queue.SimpleQueue()


def _place() -> Path:
    """Return a private folder holding a copy of the templates, free for one report at a time."""
    try:
        return _places.get_nowait()
    except queue.Empty:
        pass
    place = Path(tempfile.mkdtemp(prefix=f"{PLACE_PREFIX}{os.getpid()}-", dir=SCRATCH if SCRATCH.is_dir() else None))
    atexit.register(shutil.rmtree, place, ignore_errors=True)
    for template in HERE.glob("*.typ"):
        shutil.copyfile(template, place / template.name)  # not a link: Typst wants its input inside the root
    return place


def _typeset(data: Mapping[str, Any]) -> bytes:
    # The data goes to a file of the same name each time, not into sys.inputs: any change to sys.inputs, and any
    # other path, makes Typst forget all the layout it keeps per process, which a new report can otherwise reuse
    # for every part that did not change. The file lives for the one compile, in a folder only this user can read.
    typst, fonts = compiler()
    place = _place()
    source, data_file = str(place / "report.typ"), place / "data.json"
    arguments = {"root": str(place), "font_paths": fonts, "pdf_tags": True}
    try:
        data_file.write_text(data_json(data), encoding="utf-8")
        try:
            return typst.compile(source, pdf_standards=STANDARDS, **arguments)
        except typst.TypstError:
            # PDF/A and PDF/UA refuse text the font cannot draw (an emoji in a note, say): the user still gets the
            # report, tagged, with a blank where the glyph would be, rather than an error.
            pass
        try:
            return typst.compile(source, **arguments)
        except typst.TypstError as e:  # a template fault, never the data's: the data is only ever printed
            raise ReportError(f"{HERE / 'report.typ'}: {e}") from e
    finally:
        data_file.unlink(missing_ok=True)
        _places.put(place)


def typeset_report(kb, recommendations, **options: Any) -> bytes:
    """Return the report as one tagged A4 PDF (PDF/A-2a, PDF/UA-1) typeset with Typst (options: see report_context)."""
    return _typeset(report_data(report_context(kb, recommendations, **options)))
