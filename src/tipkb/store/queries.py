"""Discover SPARQL files and read their headers (first comment line: intent; then id, title, source)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal

from tipkb.errors import QueryError

_HEADER = re.compile(r"^#\s*(id|title|source|intent|version)\s*:\s*(.+?)\s*$")
QUERY_DIR = Path(__file__).resolve().parent / "sparql"


@dataclass(frozen=True)
class QueryFile:
    """A SPARQL query read from a .rq file, with its header fields."""

    path: Path
    id: str
    title: str
    intent: str
    source: str
    text: str


def read_query(path: Path) -> QueryFile:
    """Read a .rq file; raise QueryError naming the file when its header lacks an intent line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise QueryError(f"{path}: cannot read query file: {exc.strerror}") from None
    lines = text.splitlines()
    if not lines or not lines[0].startswith("#"):
        raise QueryError(f"{path}: the first line must be a comment stating the query's intent")
    fields = {"intent": lines[0].lstrip("# ").strip()}
    for line in lines[1:]:
        if not line.startswith("#"):
            break
        m = _HEADER.match(line)
        if m:
            fields[m.group(1)] = m.group(2)
    stem = path.stem.removesuffix("-violation")
    return QueryFile(path, fields.get("id", stem), fields.get("title", stem), fields["intent"],
                     fields.get("source", ""), text)


def discover_queries(folder: Path, pattern: str = "*.rq") -> list[QueryFile]:
    """Read every query file of a folder, sorted by name."""
    return [read_query(p) for p in sorted(Path(folder).glob(pattern))]


def packaged(name: str, **constants: str) -> str:
    """Return the text of one of tipkb's own queries in src/tipkb/store/sparql/, each `$name` there a given string.

    A string written in as a constant is parsed once; Oxigraph compiles a bound regular expression again for
    every row it tests (the secondary-only warning: 15 s instead of 0.03 s).
    """
    text = read_query(QUERY_DIR / f"{name}.rq").text
    for key, value in constants.items():
        if f"${key}" not in text:
            raise QueryError(f"{name}.rq has no ${key} to write a constant in")
        text = re.sub(rf"\${key}\b", lambda _, v=value: Literal(v).n3(), text)
    return text
