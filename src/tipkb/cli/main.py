"""The `tipkb` command: validate, query and describe the knowledge base."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from tipkb.checks.stats import compute_stats, format_stats
from tipkb.checks.validation import validate
from tipkb.cli.output import FORMATS, render_result
from tipkb.errors import TipkbError
from tipkb.i18n import LANGUAGES
from tipkb.store.kb import BACKENDS, DEFAULT_BACKEND, load_kb


def _add_source_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--root", type=Path,
                   help="data root holding ontology/ and kb/ (default: TIPKB_ROOT or the checkout)")
    p.add_argument("--kb", type=Path, help="KB folder to use instead of ROOT/kb")
    p.add_argument("--backend", choices=BACKENDS, default=DEFAULT_BACKEND, help="store backend (default: %(default)s)")


MAX_QUERY_NESTING = 100  # levels of brackets in a query file; real queries nest a handful


class InvalidInput(TipkbError):
    """An input file is unreadable or invalid; its problems are already worded, one per line."""


def _load(args):
    return load_kb(args.root, kb=args.kb, backend=args.backend)


def _nesting(text: str) -> int:
    """Return how deep the brackets of a query nest, outside its strings and comments."""
    depth = deepest = 0
    quote, escaped, comment = "", False, False
    for ch in text:
        if comment:
            comment = ch != "\n"
        elif quote:
            escaped, quote = (not escaped and ch == "\\"), ("" if ch == quote and not escaped else quote)
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            comment = True
        elif ch in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "})]":
            depth -= 1
    return deepest


def _read_text(path: str) -> str:
    """Return a text file's content, or standard input's for "-"; InvalidInput when it is not UTF-8."""
    try:
        return sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{'standard input' if path == '-' else path}: not UTF-8 text "
                           f"(byte {exc.start} cannot be read)") from None


def cmd_validate(args) -> int:
    report = validate(args.root, kb_dir=args.kb, owl=not args.no_owl)
    print(report.text(), file=sys.stdout if report.conforms else sys.stderr)
    if report.warnings:
        print(report.warnings_text(), file=sys.stderr)
    return 0 if report.conforms else 1


def cmd_query(args) -> int:
    text = _read_text(str(args.file))
    if (depth := _nesting(text)) > MAX_QUERY_NESTING:  # the SPARQL parser overflows its stack (a crash) near 3,000
        raise InvalidInput(f"{args.file}: the query nests brackets {depth} levels deep; at most "
                           f"{MAX_QUERY_NESTING} are accepted")
    result = _load(args).query(text)
    sys.stdout.write(render_result(result, args.format).rstrip("\n") + "\n")
    return 0


def cmd_stats(args) -> int:
    stats = compute_stats(_load(args))
    print(json.dumps(stats.as_dict(), indent=2, ensure_ascii=False) if args.json else format_stats(stats))
    return 0


def cmd_checklist(args) -> int:
    from tipkb.checks.checklist import report_year_checklist
    from tipkb.cli.checklist_text import format_checklist

    sys.stdout.write(format_checklist(args.report_year, report_year_checklist(_load(args), args.report_year)))
    return 0


def cmd_questionnaire(args) -> int:
    from tipkb.assess.questionnaire import load_questionnaire
    from tipkb.assess.xlsform import write_xlsform
    from tipkb.cli.assessment_text import format_questionnaire

    questionnaire = load_questionnaire(_load(args), args.version)
    if args.xlsform:
        print(f"wrote {write_xlsform(questionnaire, args.xlsform)}")
        return 0
    if args.pdf:
        from tipkb.report.blank import typeset_blank
        args.pdf.write_bytes(typeset_blank(questionnaire, args.lang).pdf)
        print(f"wrote {args.pdf}")
        return 0
    sys.stdout.write(format_questionnaire(questionnaire, args.lang))
    return 0


def _read_answers(path, lang="en"):
    """Read an answers file as JSON, before the KB is loaded; InvalidInput (in `lang`) when it cannot be read."""
    from tipkb.assess.answers import AnswerError, read_answers_file

    try:
        return read_answers_file(path)
    except AnswerError as exc:
        raise InvalidInput("\n".join(p.text(lang) for p in exc.problems)) from None


def _checked_answers(kb, path, data, lang="en"):
    """Check a read answers file; print its problems (in `lang`) and return None when it is invalid.

    The file is checked against the questionnaire version it names when the KB has it; otherwise against
    the newest, which reports the version mismatch as a problem.
    """
    from tipkb.assess.answers import check_document
    from tipkb.assess.questionnaire import QuestionnaireError, load_questionnaire

    wanted = data.get("questionnaire") if isinstance(data, dict) else None
    try:
        questionnaire = load_questionnaire(kb, wanted if isinstance(wanted, str) else None)
    except QuestionnaireError:
        questionnaire = load_questionnaire(kb)
    check = check_document(questionnaire, data)
    if check.problems:
        print(f"{path}: {len(check.problems)} problem(s)", file=sys.stderr)
        print("\n".join(f"  {p.text(lang)}" for p in check.problems), file=sys.stderr)
        return None
    return questionnaire, check.answers


def cmd_assess(args) -> int:
    from tipkb.cli.assessment_text import format_scores
    from tipkb.recommend.results import assessment_results

    if args.import_file:
        from tipkb.cli.importing import run_import

        return run_import(args, _load(args))
    if args.file is None or args.organisation or args.out:
        raise InvalidInput("give an answers file, or --import FILE --organisation NAME")
    data = _read_answers(args.file, args.lang)
    kb = _load(args)
    checked = _checked_answers(kb, args.file, data, args.lang)
    if checked is None:
        return 1
    questionnaire, answers = checked
    results = assessment_results(kb, questionnaire, None, answers)
    scores, gaps = results.scores, results.gaps
    if args.json:
        print(json.dumps({"file": str(args.file), "scores": scores.as_dict(),
                          "gaps": [g._asdict() for g in gaps]}, indent=2, ensure_ascii=False))
    else:
        a = answers
        print(f"{args.file}: {a.organisation or '(no organisation)'}, {a.country or '(no country)'} "
              f"{a.year or ''}, questionnaire {a.questionnaire}"
              f"{f' (migrated from {a.migrated_from})' if a.migrated_from else ''}\n")
        sys.stdout.write(format_scores(scores, gaps, questionnaire, args.lang))
    return 0


def cmd_recommend(args) -> int:
    from tipkb.cli.recommend_text import format_brief
    from tipkb.recommend.engine import recommend
    from tipkb.recommend.results import assessment_results

    if args.country is None and args.answers is None:
        print("error: give --country, --answers, or both", file=sys.stderr)
        return 2
    data = None if args.answers is None else _read_answers(args.answers, args.lang)
    kb = _load(args)
    filters = {"stakeholder": args.stakeholder, "pillar": args.pillar, "horizon": args.horizon, "top": args.top}
    if args.answers is None:
        rs = recommend(kb, country=args.country, **filters)
    else:
        checked = _checked_answers(kb, args.answers, data, args.lang)
        if checked is None:
            return 1
        questionnaire, answers = checked
        rs = assessment_results(kb, questionnaire, args.country, answers, **filters).recommendations
    if args.prov:
        sys.stdout.write(rs.prov_graph().serialize(format="turtle"))
    elif args.json:
        print(json.dumps(rs.as_dict(), indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(format_brief(kb, rs, args.lang))
    return 0


def cmd_country(args) -> int:
    from tipkb.cli.profile_text import format_profile
    from tipkb.facts.profile import country_profile

    kb = _load(args)
    profile = country_profile(kb, args.code)
    print(json.dumps(profile, indent=2, ensure_ascii=False) if args.json else format_profile(kb, profile, args.lang))
    return 0


def cmd_db_upgrade(args) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from tipkb.db import default_url, upgrade

    url = args.db or os.environ.get("TIPKB_DATABASE_URL") or default_url()
    try:
        revision = upgrade(url)
    except SQLAlchemyError as exc:
        print(f"error: {exc.__class__.__name__}: {getattr(exc, 'orig', None) or exc}", file=sys.stderr)
        return 2
    except ModuleNotFoundError as exc:
        print(f"error: the driver for this database is not installed ({exc})", file=sys.stderr)
        return 2
    print(f"database at revision {revision} (the newest)")
    return 0


def cmd_report(args) -> int:
    from tipkb.recommend.results import assessment_results
    from tipkb.report import baseline_inputs, typeset_report
    from tipkb.report.inputs import report_options
    from tipkb.report.options import ChoiceError, check_ranks, clean_contact, parse_ranks

    if args.answers is None and args.country is None:
        print("error: give an answers file, --country, or both", file=sys.stderr)
        return 2
    try:
        only, contact = parse_ranks(args.only), clean_contact(args.contact)
    except ChoiceError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    data = None if args.answers is None else _read_answers(args.answers, args.lang)
    kb = _load(args)
    if args.answers is None:
        rs, options = baseline_inputs(kb, args.country)
    else:
        checked = _checked_answers(kb, args.answers, data, args.lang)
        if checked is None:
            return 1
        questionnaire, answers = checked
        results = assessment_results(kb, questionnaire, args.country, answers)
        rs, options = results.recommendations, report_options(kb, results)
    try:
        check_ranks(only, (r.rank for r in rs.items))
    except ChoiceError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    out = typeset_report(kb, rs, lang=args.lang, group_by=args.group, only=only, contact=contact, **options)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(out)
    kind = "baseline report" if args.answers is None else "report"
    count = len(only) if only else len(rs.items)
    print(f"wrote {args.output}: {kind}, {count} recommendations, {args.output.stat().st_size // 1024} KB")
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

    p = sub.add_parser("recommend", help="ranked, explained recommendations for a country and/or an answers file")
    _add_source_args(p)
    p.add_argument("--country", help="ISO code; default: the answers file's country")
    p.add_argument("--answers", type=Path, help="an answers file (JSON, schema docs/answers.schema.json)")
    p.add_argument("--stakeholder", help="only practices this stakeholder acts on (e.g. law-enforcement)")
    p.add_argument("--pillar", choices=("prevention", "protection", "prosecution", "partnership"))
    p.add_argument("--horizon", choices=("short", "medium", "long"))
    p.add_argument("--top", type=int, help="show the N most urgent")
    p.add_argument("--lang", choices=LANGUAGES, default="en")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print JSON (schema: docs/recommendations.md)")
    out.add_argument("--prov", action="store_true", help="print the recommendations and traces as PROV-O Turtle")
    p.set_defaults(func=cmd_recommend)

    p = sub.add_parser("country", help="print a country's profile (ratifications, laws, tiers, statistics, gaps)")
    _add_source_args(p)
    p.add_argument("code", help="ISO 3166-1 alpha-2 code, e.g. KZ")
    p.add_argument("--json", action="store_true", help="print the profile as JSON (schema: docs/country-profile.md)")
    p.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the plain-text brief")
    p.set_defaults(func=cmd_country)

    p = sub.add_parser("stats", help="counts per class, provenance and label coverage")
    _add_source_args(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("checklist", help="what a new TIP report year should update, per focus country")
    _add_source_args(p)
    p.add_argument("--report-year", type=int, required=True, help="the new report's year, e.g. 2026")
    p.set_defaults(func=cmd_checklist)

    p = sub.add_parser("questionnaire", help="print the self-assessment questionnaire, or write it as an XLSForm")
    _add_source_args(p)
    p.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the texts (default: en)")
    p.add_argument("--version", help="questionnaire version (default: the highest in the KB)")
    p.add_argument("--xlsform", type=Path, metavar="OUT.xlsx", help="write an XLSForm workbook instead of printing")
    p.add_argument("--pdf", type=Path, metavar="OUT.pdf", help="write the blank questionnaire for printing (A4 PDF)")
    p.set_defaults(func=cmd_questionnaire)

    p = sub.add_parser("assess", help="validate an answers file and print scores, completeness and revealed gaps")
    _add_source_args(p)
    p.add_argument("file", type=Path, nargs="?", help="an answers file (JSON, format tipkb-answers/1)")
    p.add_argument("--lang", choices=LANGUAGES, default="en", help="language of pillar names (default: en)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--import", dest="import_file", type=Path, metavar="EXPORT",
                   help="import a KoboToolbox or ODK Central export (XLSX, CSV, JSON) as drafts, all rows or none")
    p.add_argument("--organisation", help="with --import: the organisation whose drafts the submissions become")
    p.add_argument("--db", default=None, help="with --import: database URL (default: TIPKB_DATABASE_URL or the "
                                              "instance SQLite file)")
    p.add_argument("--out", type=Path, metavar="DIR", help="with --import: write answers files here instead")
    p.set_defaults(func=cmd_assess)

    from tipkb.cli.kb import add_kb_commands

    add_kb_commands(sub, _add_source_args)

    p = sub.add_parser("db", help="manage the application database (accounts, assessments, changesets)")
    db_actions = p.add_subparsers(dest="db_command", required=True)
    p = db_actions.add_parser("upgrade", help="bring the database to the newest schema (after installing a release)")
    p.add_argument("--db", default=None,
                   help="database URL (default: TIPKB_DATABASE_URL or the instance SQLite file)")
    p.set_defaults(func=cmd_db_upgrade)

    p = sub.add_parser("report", help="write an assessment's recommendations (or a country baseline) as a PDF report")
    _add_source_args(p)
    p.add_argument("answers", type=Path, nargs="?",
                   help="an answers file (JSON, format tipkb-answers/1); without it, a baseline from KB facts")
    p.add_argument("--country", help="ISO code; default: the answers file's country (required without answers)")
    p.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the report (default: en)")
    p.add_argument("--group", choices=("pillar", "stakeholder"), default="pillar",
                   help="group the recommendations by pillar or by stakeholder (default: pillar)")
    p.add_argument("--only", metavar="1,2,5", help="include only the recommendations of these ranks (default: all)")
    p.add_argument("--contact", metavar="TEXT", help="the organisation's name and contact for the cover "
                                                     "(at most 500 characters)")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.pdf", help="file to write")
    p.set_defaults(func=cmd_report)
    return parser


def _one_line(message: str, limit: int = 300) -> str:
    """Return a message on one line, cut at `limit` characters (a parser's list of expected tokens runs long)."""
    line = " ".join(message.split())
    return line if len(line) <= limit else line[:limit - 1] + "…"


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit status."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except InvalidInput as exc:
        print(exc, file=sys.stderr)
        return 1
    except TipkbError as exc:
        print(f"error: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 2
    except (RecursionError, ValueError) as exc:  # an input no check above foresaw: still one line, no traceback
        if os.environ.get("TIPKB_DEBUG") == "1":
            raise
        print(f"error: cannot read the input ({exc.__class__.__name__}: {_one_line(str(exc), 200)}); "
              "TIPKB_DEBUG=1 shows where", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
