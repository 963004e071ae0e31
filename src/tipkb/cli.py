"""The `tipkb` command: validate, query and describe the knowledge base."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import TipkbError
from .output import FORMATS, render_result
from .stats import compute_stats, format_stats
from .store import BACKENDS, DEFAULT_BACKEND, load_kb
from .validation import validate


def _add_source_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--root", type=Path,
                   help="data root holding ontology/ and kb/ (default: TIPKB_ROOT or the checkout)")
    p.add_argument("--kb", type=Path, help="KB folder to use instead of ROOT/kb")
    p.add_argument("--backend", choices=BACKENDS, default=DEFAULT_BACKEND, help="store backend (default: %(default)s)")


def _load(args):
    return load_kb(args.root, kb=args.kb, backend=args.backend)


def cmd_validate(args) -> int:
    report = validate(args.root, kb_dir=args.kb, owl=not args.no_owl)
    print(report.text(), file=sys.stdout if report.conforms else sys.stderr)
    return 0 if report.conforms else 1


def cmd_query(args) -> int:
    text = sys.stdin.read() if str(args.file) == "-" else Path(args.file).read_text(encoding="utf-8")
    result = _load(args).query(text)
    sys.stdout.write(render_result(result, args.format).rstrip("\n") + "\n")
    return 0


def cmd_stats(args) -> int:
    stats = compute_stats(_load(args))
    print(json.dumps(stats.as_dict(), indent=2, ensure_ascii=False) if args.json else format_stats(stats))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tipkb", description="Trafficking-in-persons policy knowledge base.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check syntax, SHACL shapes, QC queries and OWL consistency")
    _add_source_args(p)
    p.add_argument("--no-owl", action="store_true", help="skip the OWL reasoner (no Java needed)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("query", help="run a SPARQL query file (or - for standard input) over the KB")
    _add_source_args(p)
    p.add_argument("file", help="a .rq file, or - to read the query from standard input")
    p.add_argument("--format", choices=FORMATS, default="table", help="output of SELECT queries (default: table)")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("stats", help="counts per class, provenance and label coverage")
    _add_source_args(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_stats)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit status."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except TipkbError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
