"""The live KB in and out: export to Turtle files in the kb/ layout, import a release, serialize for download.

Export writes each KB file's named graph back to the file it came from (new entities went to a file
chosen by type when they were created). A file whose content did not change is copied byte for
byte, comments included, so a review diff shows only what experts changed. Import turns the
difference between the live KB and a folder of Turtle files into one validated changeset.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from tipkb.edit.changesets import ChangeLog, Changeset
from tipkb.edit.descriptions import LQuad, Triples, graph_quads, nt
from tipkb.edit.ops import Op
from tipkb.edit.tables import ADD, REMOVE
from tipkb.errors import TipkbError
from tipkb.namespaces import GRAPH_IRI, PREFIXES, graph_iri_for
from tipkb.store.kb import KnowledgeBase, check_syntax, parse_triples

KB_GRAPHS = GRAPH_IRI + "kb/"
DOWNLOAD_FORMATS = {  # name: (pyoxigraph format, media type, file extension)
    "turtle": (ox.RdfFormat.TURTLE, "text/turtle", "ttl"),
    "ntriples": (ox.RdfFormat.N_TRIPLES, "application/n-triples", "nt"),
    "jsonld": (ox.RdfFormat.JSON_LD, "application/ld+json", "jsonld"),
    "nquads": (ox.RdfFormat.N_QUADS, "application/n-quads", "nq"),
}


class ExportError(TipkbError):
    """The KB cannot be written to, or read from, the folder given."""


@dataclass
class ExportReport:
    """What an export did: files written from the live KB, files copied unchanged, stale files removed."""

    folder: Path
    written: list[str] = field(default_factory=list)
    copied: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def kb_graphs(kb: KnowledgeBase) -> list[URIRef]:
    """Return the named graphs holding KB files (not the ontology), sorted."""
    graphs = {q.graph_name.value for q in kb.ox_quads() if isinstance(q.graph_name, ox.NamedNode)}
    return sorted(URIRef(g) for g in graphs if g.startswith(KB_GRAPHS))


def _live_quads(kb: KnowledgeBase, g: URIRef) -> dict[LQuad, str]:
    return graph_quads(Triples(kb.graph_triples(g)), nt(g))


def _file_quads(path: Path, g: URIRef) -> dict[LQuad, str]:
    return graph_quads(Triples(parse_triples(path)), nt(g))


def export_kb(kb: KnowledgeBase, folder: Path, *, overwrite: bool = False, note: str = "",
              touched: set[str] | None = None) -> ExportReport:
    """Write the live KB's files into a folder laid out like kb/; refuse a non-empty folder unless `overwrite`.

    `touched` names the graphs changesets changed (ChangeLog.touched_graphs); the others are copied
    without comparing their content. None compares every file.
    """
    folder = Path(folder)
    report = ExportReport(folder)
    graphs = {str(g)[len(KB_GRAPHS):]: g for g in kb_graphs(kb)}
    existing = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.ttl")) if folder.exists() else []
    if existing and not overwrite:
        raise ExportError(f"{folder}: not empty ({len(existing)} Turtle files); pass --overwrite to replace them")
    base = {f.relpath.removeprefix("kb/"): f.path for f in kb.files if f.relpath.startswith("kb/")}
    for rel, g in sorted(graphs.items()):
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        source = base.get(rel)
        unchanged = source is not None and source.exists() and (
            (touched is not None and nt(g) not in touched)
            or _file_quads(source, g).keys() == _live_quads(kb, g).keys())
        if unchanged:
            if source.resolve() != target.resolve():
                shutil.copyfile(source, target)
            report.copied.append(rel)
            continue
        target.write_text(_turtle(kb, g, rel, note), encoding="utf-8")
        report.written.append(rel)
    for rel in existing:
        if rel not in graphs:
            (folder / rel).unlink()
            report.removed.append(rel)
    return report


def _turtle(kb: KnowledgeBase, g: URIRef, rel: str, note: str) -> str:
    graph = kb.graph_copy(g)
    header = (f"# kb/{rel}: written by `tipkb kb export` from the live KB{note}.\n"
              "# The original file's comments and layout are not kept for files changed in the editor.\n")
    return header + graph.serialize(format="turtle")


def import_kb(log: ChangeLog, folder: Path, *, author: str, reason: str) -> Changeset:
    """Make the live KB say exactly what a folder of Turtle files (a release in the kb/ layout) says.

    The difference becomes one changeset, validated like any other; raise KBLoadError naming the
    file and line of a syntax error, InvalidChangeError if the release breaks a shape or a QC rule.
    """
    folder = Path(folder)
    if (folder / "kb").is_dir():
        folder = folder / "kb"
    files = sorted(folder.rglob("*.ttl")) if folder.is_dir() else []
    if not files:
        raise ExportError(f"{folder}: no Turtle files to import")
    for path in files:
        check_syntax(path)
    touched = log.touched_graphs()
    base = {f.relpath: f.path for f in log.kb.files}
    wanted: dict[LQuad, str] = {}
    same: dict[str, tuple[Path, URIRef]] = {}  # graphs whose file is the loaded one, byte for byte, untouched
    for path in files:
        rel = "kb/" + path.relative_to(folder).as_posix()
        g = graph_iri_for(rel)
        if nt(g) not in touched and rel in base and base[rel].exists() \
                and base[rel].read_bytes() == path.read_bytes():
            same[nt(g)] = (path, g)
            continue
        found = _file_quads(path, g)
        orphans = [q for q, owner in found.items() if not owner]
        if orphans:
            raise ExportError(f"{path}: a blank node no IRI points at ({orphans[0][1]}); give it an IRI")
        wanted.update(found)

    def make_ops() -> list[Op]:
        for key in set(same) & log.touched_graphs():  # edited since we looked: compare after all
            wanted.update(_file_quads(*same.pop(key)))
        live: dict[LQuad, str] = {}
        for g in kb_graphs(log.kb):
            if nt(g) not in same:
                live.update(_live_quads(log.kb, g))
        removes = sorted(set(live) - set(wanted))
        adds = sorted(set(wanted) - set(live))
        return [(REMOVE, live[q], q) for q in removes] + [(ADD, wanted[q], q) for q in adds]

    return log.submit_ops(make_ops, author=author, reason=reason)


def serialize_kb(kb: KnowledgeBase, fmt: str) -> bytes:
    """Return the whole KB (ontology and knowledge) in a download format; N-Quads keeps one graph per file."""
    if fmt not in DOWNLOAD_FORMATS:
        raise ExportError(f"format {fmt!r}: choose one of {', '.join(DOWNLOAD_FORMATS)}")
    rdf_format = DOWNLOAD_FORMATS[fmt][0]
    store, quads = ox.Store(), kb.ox_quads()
    if rdf_format.supports_datasets:
        store.extend(quads)
        return store.dump(format=rdf_format)
    store.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)
    options = {"prefixes": {k: str(v) for k, v in PREFIXES.items()}} if rdf_format == ox.RdfFormat.TURTLE else {}
    return store.dump(format=rdf_format, from_graph=ox.DefaultGraph(), **options)



def canonical_nquads(kb: KnowledgeBase) -> bytes:
    """Return the KB as canonical N-Quads (W3C RDF Dataset Canonicalization, RDFC-1.0), lines sorted.

    Blank nodes get the same names after every reload, so two dumps compare byte for byte.
    """
    dataset = ox.Dataset(kb.ox_quads())
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return "".join(sorted(f"{q} .\n" for q in dataset)).encode("utf-8")


__all__ = ["DOWNLOAD_FORMATS", "ExportError", "ExportReport", "canonical_nquads", "export_kb", "import_kb", "kb_graphs",
           "serialize_kb"]
