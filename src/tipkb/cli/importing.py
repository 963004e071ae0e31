"""`tipkb assess --import FILE`: check a KoboToolbox or ODK Central export and store its submissions as drafts."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from tipkb.assess.answers import answers_document
from tipkb.assess.imports import MAX_BYTES, ImportFormatError, ImportReport, RowProblem, read_import
from tipkb.assess.imports_store import ImportRejected, store_import
from tipkb.assess.questionnaire import load_questionnaire
from tipkb.assess.storage import AssessmentStore


def row_text(row: RowProblem, lang: str = "en") -> str:
    """Return one problem of an import as a line naming its row (or record), submission id and question."""
    where = f"row {row.row}" if row.row else "file"
    key = f" ({row.key})" if row.key else ""
    return f"{where}{key}: {row.problem.text(lang)}"


def run_import(args, kb) -> int:
    """Check the export named by args.import_file; store drafts (or write answers files to --out); 1 on problems."""
    path = Path(args.import_file)
    if not (args.organisation or "").strip() and not args.out:
        print("error: --import needs --organisation NAME (or --out DIR to write answers files)", file=sys.stderr)
        return 2
    try:
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
        questionnaire = load_questionnaire(kb)
        report = read_import(questionnaire, data, path.name)
    except (OSError, ImportFormatError) as exc:
        print(f"error: {path}: {exc}", file=sys.stderr)
        return 2
    if not report.ok:
        return _refused(path, report.problems, args.lang)
    if args.out:
        return _write_files(report, Path(args.out), args.organisation)
    url = args.db or os.environ.get("TIPKB_DATABASE_URL")
    with AssessmentStore(url, questionnaire=questionnaire) as store:
        try:
            ids = store_import(store, report, args.organisation)
        except ImportRejected as exc:
            return _refused(path, exc.rows, args.lang)
    print(f"{path}: {len(ids)} submission(s) ({report.source}) stored as drafts of {args.organisation.strip()}: "
          f"assessments {', '.join(map(str, ids))}")
    return 0


def _refused(path: Path, rows, lang: str) -> int:
    print(f"{path}: {len(rows)} problem(s); nothing was imported", file=sys.stderr)
    for row in rows:
        print(f"  {row_text(row, lang)}", file=sys.stderr)
    return 1


def _write_files(report: ImportReport, folder: Path, organisation: str) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    for sub in report.submissions:
        document = {**answers_document(sub.answers), "organisation": (organisation or "").strip() or None}
        target = folder / f"{sub.answers.country.lower()}-{sub.answers.year}-row{sub.row}.json"
        target.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(report.submissions)} answers file(s) ({report.source}) to {folder}")
    return 0
