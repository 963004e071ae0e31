"""`tipkb kb export DIR` and `tipkb kb import DIR`: the live KB (files plus applied changesets) in and out."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path

from tipkb.db import default_url
from tipkb.edit.changesets import ChangeLog, InvalidChangeError
from tipkb.edit.kbio import export_kb, import_kb
from tipkb.store.kb import load_kb


def add_kb_commands(sub, add_source_args: Callable[[argparse.ArgumentParser], None]) -> None:
    """Register the `kb` command and its export and import subcommands."""
    kb = sub.add_parser("kb", help="export the live KB to Turtle files, or import a release")
    actions = kb.add_subparsers(dest="kb_command", required=True)
    p = actions.add_parser("export", help="write the live KB (files plus applied changesets) in the kb/ layout")
    p.add_argument("dir", type=Path, help="folder to write (laid out like kb/)")
    p.add_argument("--overwrite", action="store_true", help="replace the Turtle files already in DIR")
    _common(p, add_source_args)
    p.set_defaults(func=cmd_export)
    p = actions.add_parser("import", help="make the live KB match a folder of Turtle files, as one changeset")
    p.add_argument("dir", type=Path, help="a release: a folder laid out like kb/ (or holding kb/)")
    p.add_argument("--author", default=None, help="who imports (default: the login name)")
    p.add_argument("--reason", default=None, help="why (default: 'import of DIR')")
    _common(p, add_source_args)
    p.set_defaults(func=cmd_import)


def _common(p: argparse.ArgumentParser, add_source_args) -> None:
    add_source_args(p)
    p.add_argument("--db", default=None,
                   help="database URL of the changesets (default: TIPKB_DATABASE_URL or the instance SQLite file)")


def _live(args) -> ChangeLog:
    import os

    kb = load_kb(args.root, kb=args.kb, backend=args.backend)
    log = ChangeLog(kb, args.db or os.environ.get("TIPKB_DATABASE_URL") or default_url())
    log.sync()
    return log


def cmd_export(args) -> int:
    log = _live(args)
    report = export_kb(log.kb, args.dir, overwrite=args.overwrite, note=f" (changesets up to #{log.seq})",
                       touched=log.touched_graphs())
    print(f"{report.folder}: {len(report.written)} file(s) written from edits, {len(report.copied)} unchanged, "
          f"{len(report.removed)} removed")
    for rel in report.written:
        print(f"  written  {rel}")
    for rel in report.removed:
        print(f"  removed  {rel}")
    return 0


def cmd_import(args) -> int:
    log = _live(args)
    author = args.author or getpass.getuser()
    try:
        cs = import_kb(log, args.dir, author=author, reason=args.reason or f"import of {args.dir}")
    except InvalidChangeError as exc:
        print(f"{args.dir}: refused, the KB is unchanged; {len(exc.problems)} problem(s):", file=sys.stderr)
        for p in exc.problems:
            print(f"  {p.text()}", file=sys.stderr)
        return 1
    print(f"changeset #{cs.id}: {sum(c.op == 'add' for c in cs.changes)} triple(s) added, "
          f"{sum(c.op == 'remove' for c in cs.changes)} removed, {len(cs.entities)} entities")
    return 0
