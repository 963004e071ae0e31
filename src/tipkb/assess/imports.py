"""Read submissions exported from KoboToolbox or ODK Central and check each as an answers set of the questionnaire.

Sources (tests/data/imports/README.md says where each convention is documented): KoboToolbox XLSX/CSV
exports (group paths joined by '/', CSV often ';'-separated, `_uuid`, `_submission_time`, `_id`), the
KoboToolbox API's JSON (`results`), ODK Central's CSV export (group paths joined by '-', `meta-instanceID`,
`SubmissionDate`, `KEY`, `FormVersion`) and its OData JSON (`value`, nested groups, `__id`, `__system`).
A select_multiple answer is its codes separated by spaces. Every row is checked; nothing is kept unless
all rows pass (see tipkb.assess.imports_store).
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from tipkb.assess.answers import SCHEMA_ID, ValidatedAnswers, check_document
from tipkb.assess.problems import AnswerProblem
from tipkb.assess.questionnaire import NUMERIC_TYPES, Questionnaire
from tipkb.assess.xlsform import IDENTITY_FIELDS, VERSION_FIELD

MAX_SUBMISSIONS = 10_000  # rows in one file; more is refused before any is checked
# An XLSX is a zip: what it unpacks to is bounded too (a small file can unpack to gigabytes).
MAX_UNPACKED_BYTES = 128 * 1024 * 1024
MAX_BYTES = 8 * 1024 * 1024
LABELLED_COLUMNS = 3  # columns headed by question texts (and none by a code) that make a file a labels export
KEY_COLUMNS = ("_uuid", "meta/instanceID", "meta-instanceID", "instanceID", "KEY", "__id", "_id")
VERSION_COLUMNS = (VERSION_FIELD, "FormVersion", "__system/formVersion")
# ODK Central CSV and OData columns that describe the submission, not answers
ODK_META = frozenset({"SubmissionDate", "KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent",
                      "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits", "FormVersion",
                      "start", "end", "today", "deviceid", "instanceID", "instanceName", "uuid", "audit"})


_CODE = re.compile(r"^[A-Z]{2}[0-9]+$")


class ImportFormatError(ValueError):
    """The file is not an export tipkb reads (its message says why)."""


@dataclass(frozen=True)
class Submission:
    """One checked submission: its row (or record) number, its id in the source, and its answers."""

    row: int
    key: str | None
    answers: ValidatedAnswers


@dataclass(frozen=True)
class RowProblem:
    """A problem of one submission: row (or record) number, its id in the source, and the problem."""

    row: int
    key: str | None
    problem: AnswerProblem


@dataclass(frozen=True)
class ImportReport:
    """What a file holds: its source format, the valid submissions and every problem found, row by row."""

    source: str
    submissions: tuple[Submission, ...]
    problems: tuple[RowProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.submissions)


def read_import(questionnaire: Questionnaire, data: bytes, filename: str = "") -> ImportReport:
    """Read an export file's bytes (XLSX, CSV or JSON, told by content) and check every submission in it."""
    if len(data) > MAX_BYTES:
        raise ImportFormatError(f"{filename or 'file'}: larger than {MAX_BYTES // (1024 * 1024)} MB")
    if data[:4] == b"PK\x03\x04":
        source, records = "kobo-xlsx", _xlsx_records(data)
    elif data.lstrip()[:1] in (b"{", b"["):
        source, records = _json_records(data)
    else:
        source, records = _csv_records(data)
    return check_records(questionnaire, source, records)


def check_records(questionnaire: Questionnaire, source: str,
                  records: Iterable[tuple[int, Mapping[str, Any]]]) -> ImportReport:
    """Check flat records (row number, column path → value) as submissions; gather each row's problems."""
    submissions: list[Submission] = []
    problems: list[RowProblem] = []
    for count, (row, record) in enumerate(records, 1):
        if count == 1 and (labelled := label_headers(questionnaire, record)):
            return ImportReport(source, (), (RowProblem(0, None, AnswerProblem(
                "import-label-headers", field="file", params={"count": labelled})),))
        if count > MAX_SUBMISSIONS:
            raise ImportFormatError(f"more than {MAX_SUBMISSIONS} submissions in one file; split it")
        sub, found = _check_record(questionnaire, row, record)
        problems += found
        if sub is not None:
            submissions.append(sub)
    seen: dict[tuple[str, int], int] = {}
    for sub in submissions:  # one draft per country and year: two submissions for one would collide
        ident = (sub.answers.country, sub.answers.year)
        if ident in seen:
            problems.append(RowProblem(sub.row, sub.key, AnswerProblem(
                "import-duplicate", field="country", params={"country": ident[0], "year": ident[1],
                                                             "row": seen[ident]})))
        else:
            seen[ident] = sub.row
    if not submissions and not problems:
        problems.append(RowProblem(0, None, AnswerProblem("import-empty", field="file")))
    problems.sort(key=lambda p: p.row)
    return ImportReport(source, tuple(submissions), tuple(problems))


def label_headers(questionnaire: Questionnaire, columns: Iterable[str]) -> int:
    """Return how many columns are headed by a question's text when none is headed by a question's code, else 0.

    KoboToolbox exports with "Labels" as the header format head each column with the question's label (after its
    group's label and '/'), which no code matches; a label may itself hold '/', so every tail of a path is tried.
    """
    texts = {_folded(t) for q in questionnaire.questions for t in q.text.values()}
    labelled = 0
    for column in columns:
        leaf = _leaf(column)
        if leaf is not None and (questionnaire.question(leaf) is not None or leaf in IDENTITY_FIELDS):
            return 0
        parts = column.split("/")
        labelled += any(_folded("/".join(parts[i:])) in texts for i in range(len(parts)))
    return labelled if labelled >= LABELLED_COLUMNS else 0


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def _check_record(questionnaire: Questionnaire, row: int,
                  record: Mapping[str, Any]) -> tuple[Submission | None, list[RowProblem]]:
    leaves: dict[str, Any] = {}
    key = next((_text(record[c]) for c in KEY_COLUMNS if _text(record.get(c))), None)
    version = next((_text(record[c]) for c in VERSION_COLUMNS if _text(record.get(c))), None)
    for path, value in record.items():
        leaf = _leaf(path)
        if leaf is None or _text(value) == "":
            continue
        leaves.setdefault(leaf, value)
    found: list[RowProblem] = []
    version = _text(leaves.pop(VERSION_FIELD, None)) or version
    if not version:
        return None, [RowProblem(row, key, AnswerProblem("import-no-version", field="questionnaire",
                                                         params={"field": VERSION_FIELD}))]
    identity = {name: leaves.pop(name, None) for name in IDENTITY_FIELDS}
    for name, value in identity.items():
        if value is None:
            found.append(RowProblem(row, key, AnswerProblem("required", field=name)))
    year = _number(identity["year"]) if identity["year"] is not None else None
    older = version != questionnaire.version
    answers = {code: _value(questionnaire, code, value, older) for code, value in leaves.items()}
    document = {"schema": SCHEMA_ID, "questionnaire": version, "answers": answers,
                "country": _text(identity["country"]) or None, "year": year}
    check = check_document(questionnaire, document)
    found += [RowProblem(row, key, p) for p in check.problems]
    return (None if found else Submission(row, key, check.answers)), found


def _leaf(path: str) -> str | None:
    """Return the field name a column holds, or None for a column that describes the submission."""
    if path.startswith("_") or path in ODK_META or path.startswith(("meta/", "meta-", "formhub/", "__system")):
        return None
    parts = path.split("/") if "/" in path else path.split("-")
    if len(parts) >= 2 and _CODE.match(parts[-2]):  # 'group/PT03/donors': a select_multiple's per-option 0/1 column
        return None
    return parts[-1]


def _value(questionnaire: Questionnaire, code: str, value: Any, older: bool = False) -> Any:
    """Return a cell as an answer value for the question's type (a submission to an older version keeps a single
    choice that is no option now as text: it may have been a select_one, which the migration carries over)."""
    question = questionnaire.question(code)
    if question is None:
        return _text(value)
    if question.answer_type == "multiple-choice":
        codes = _text(value).split()
        return codes[0] if older and len(codes) == 1 and codes[0] not in question.option_values else codes
    if question.answer_type in NUMERIC_TYPES:
        number = _number(value)
        return _text(value) if number is None else number
    return _text(value)


def _number(value: Any) -> int | float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() else value
    try:
        number = float(_text(value))
    except ValueError:
        return None
    return int(number) if number.is_integer() else number


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_records(data: bytes) -> tuple[str, Iterator[tuple[int, dict[str, str]]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFormatError("not UTF-8 text: export the CSV as UTF-8") from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise ImportFormatError(f"not readable as CSV ({exc})") from None
    if not header:
        raise ImportFormatError("the file is empty")
    odk = any(h in ("meta-instanceID", "KEY", "SubmissionDate") for h in header)
    source = "odk-csv" if odk else "kobo-csv"
    if not odk and not any(h in ("_uuid", "_submission_time", "_id") or "/" in h for h in header):
        raise ImportFormatError("not a KoboToolbox or ODK Central export: no _uuid, meta-instanceID or group "
                                "columns")

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            for number, cells in enumerate(reader, 2):
                if any(c.strip() for c in cells):
                    yield number, dict(zip(header, cells, strict=False))
        except csv.Error as exc:  # e.g. a field over the csv module's limit
            raise ImportFormatError(f"row {reader.line_num}: not readable as CSV ({exc})") from None
    return source, rows()


def _xlsx_records(data: bytes) -> Iterator[tuple[int, dict[str, Any]]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # Each member is read only up to the size it declares, so the declared sizes bound the unpacking.
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ImportFormatError("not a readable XLSX workbook (a damaged zip)") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFormatError(f"the workbook unpacks to more than {MAX_UNPACKED_BYTES // (1024 * 1024)} MB; "
                                "export fewer submissions per file")
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise ImportFormatError(f"not a readable XLSX workbook ({type(exc).__name__})") from None
    rows = sheet.iter_rows(values_only=True)
    header = [_text(h) for h in next(rows, ())]
    if not header:
        raise ImportFormatError("the workbook's first sheet is empty")

    def records() -> Iterator[tuple[int, dict[str, Any]]]:
        for number, cells in enumerate(rows, 2):
            if any(_text(c) for c in cells):
                yield number, dict(zip(header, cells, strict=False))
    return records()


def _json_records(data: bytes) -> tuple[str, list[tuple[int, dict[str, Any]]]]:
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ImportFormatError(f"not valid JSON ({exc})") from None
    if isinstance(parsed, Mapping) and isinstance(parsed.get("results"), list):
        source, items = "kobo-json", parsed["results"]
    elif isinstance(parsed, Mapping) and isinstance(parsed.get("value"), list):
        source, items = "odk-json", parsed["value"]
    elif isinstance(parsed, list):
        source, items = "kobo-json", parsed
    else:
        raise ImportFormatError("JSON without a 'results' (KoboToolbox) or 'value' (ODK Central OData) list")
    if not all(isinstance(i, Mapping) for i in items):
        raise ImportFormatError("each submission must be a JSON object")
    return source, [(n, dict(_flatten(item))) for n, item in enumerate(items, 1)]


def _flatten(item: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for name, value in item.items():
        path = f"{prefix}{name}"
        if isinstance(value, Mapping):
            yield from _flatten(value, f"{path}/")
        elif not isinstance(value, list):
            yield path, value
