"""`tipkb kb export|import DIR`: the live KB in and out; `tipkb kb changes --since REV`: a release's changes."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tipkb.store.kb import load_kb

if TYPE_CHECKING:  # the commands import the database layer when they run, not when the parser is built
    from tipkb.edit.changesets import ChangeLog


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
    p = actions.add_parser("changes", help="the resources a release added, changed and removed since a git revision")
    p.add_argument("--since", required=True, metavar="REV", help="the git revision (tag, commit) to compare from")
    p.add_argument("--until", default=None, metavar="REV", help="the revision to compare to (default: the files now)")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_source_args(p)
    p.set_defaults(func=cmd_changes)


def _common(p: argparse.ArgumentParser, add_source_args) -> None:
    add_source_args(p)
    p.add_argument("--db", default=None,
                   help="database URL of the changesets (default: TIPKB_DATABASE_URL or the instance SQLite file)")


def _live(args) -> ChangeLog:
    import os

    from tipkb.db import default_url
    from tipkb.edit.changesets import ChangeLog

    kb = load_kb(args.root, kb=args.kb, backend=args.backend)
    log = ChangeLog(kb, args.db or os.environ.get("TIPKB_DATABASE_URL") or default_url())
    log.sync()
    return log


def cmd_export(args) -> int:
    from tipkb.edit.kbio import export_kb

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
    from tipkb.edit.changesets import InvalidChangeError
    from tipkb.edit.kbio import import_kb

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


def _checkout(folder: Path, rev: str, into: Path) -> Path:
    """Write the KB folder as it was at a git revision into `into`; raise TipkbError when git cannot."""
    import subprocess
    import tarfile

    from tipkb.errors import TipkbError

    top = subprocess.run(["git", "-C", str(folder), "rev-parse", "--show-toplevel"],
                         capture_output=True, text=True, check=False).stdout.strip()
    prefix = folder.relative_to(top).as_posix() if top else "."
    run = subprocess.run(["git", "-C", top or str(folder), "archive", "--format=tar", f"{rev}:{prefix}"],
                         capture_output=True, check=False)
    if run.returncode != 0:
        raise TipkbError(f"{folder}: git cannot give the KB at {rev!r}: {run.stderr.decode(errors='replace').strip()}")
    into.mkdir(parents=True, exist_ok=True)
    tar = into / "kb.tar"
    tar.write_bytes(run.stdout)
    with tarfile.open(tar) as archive:
        archive.extractall(into / "kb", filter="data")
    return into / "kb"


def cmd_changes(args) -> int:
    import json
    import tempfile
    from dataclasses import asdict

    from tipkb import paths
    from tipkb.checks.changes import CHANGE_KINDS, kb_changes

    folder = (args.kb or paths.kb_dir(args.root)).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        before = _checkout(folder, args.since, Path(tmp) / "before")
        after = _checkout(folder, args.until, Path(tmp) / "after") if args.until else folder
        changes = kb_changes(before, after)
    if args.json:
        print(json.dumps([asdict(c) for c in changes], ensure_ascii=False, indent=2))
        return 0
    counts = ", ".join(f"{sum(c.change == k for c in changes)} {k}" for k in CHANGE_KINDS)
    print(f"KB changes since {args.since} (to {args.until or 'the files now'}): {counts}")
    for kind in CHANGE_KINDS:
        rows = [c for c in changes if c.change == kind]
        if rows:
            print(kind)
        for c in rows:
            props = f"  ({', '.join(c.properties)})" if c.properties else ""
            print(f"  {c.kind or '-':<24} {c.name:<48} {c.file}{props}")
    return 0
