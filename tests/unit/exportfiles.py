"""Build KoboToolbox and ODK Central export files from the XForm that pyxform makes of our XLSForm."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from openpyxl import Workbook

KOBO_META = ("start", "end", "__version__", "meta/instanceID", "_id", "_uuid", "_submission_time",
             "_validation_status", "_notes", "_status", "_submitted_by", "_tags", "_index")
ODK_META = ("SubmitterID", "SubmitterName", "AttachmentsPresent", "AttachmentsExpected", "Status", "ReviewState",
            "DeviceID", "Edits", "FormVersion")


def xform(xlsform: Path) -> str:
    """Return the XForm of an XLSForm, failing on any pyxform warning."""
    from pyxform.xls2xform import convert

    result = convert(xlsform=str(xlsform))
    assert result.warnings == [], result.warnings
    return result.xform


def field_paths(xml: str) -> list[tuple[str, ...]]:
    """Return the path (groups, field) of each leaf of the XForm's primary instance, in form order."""
    root = ET.fromstring(xml)
    instance = next(e for e in root.iter() if e.tag.endswith("}instance") or e.tag == "instance")
    data = next(iter(instance))
    paths: list[tuple[str, ...]] = []

    def walk(element, prefix):
        children = list(element)
        if not children:
            paths.append((*prefix, element.tag.split("}")[-1]))
        for child in children:
            walk(child, (*prefix, element.tag.split("}")[-1]) if element is not data else prefix)
    walk(data, ())
    return paths


def _cell(value) -> str:
    return " ".join(value) if isinstance(value, list) else "" if value is None else str(value)


def kobo_rows(paths, submissions) -> tuple[list[str], list[list[str]]]:
    """Return KoboToolbox export columns ('/' group paths, then its _ columns) and one row per submission."""
    header = ["start", "end", *["/".join(p) for p in paths if p[0] != "meta"], "__version__", "meta/instanceID",
              "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by",
              "_tags", "_index"]
    rows = []
    for i, sub in enumerate(submissions, 1):
        uuid = f"5b1c{i:04d}-7a1e-4c1e-9f00-00000000{i:04d}"
        fields = {p[-1]: sub.get(p[-1]) for p in paths}
        rows.append(["2026-11-02T09:00:00.000+05:00", "2026-11-02T09:40:00.000+05:00",
                     *[_cell(fields[p[-1]]) for p in paths if p[0] != "meta"], "vRk3kXw2Jc2PqW7u",
                     f"uuid:{uuid}", str(1000 + i), uuid, "2026-11-02T04:41:12", "", "[]", "submitted_via_web",
                     "", "[]", str(i)])
    return header, rows


def odk_rows(paths, submissions) -> tuple[list[str], list[list[str]]]:
    """Return ODK Central CSV columns ('-' group paths, SubmissionDate first, KEY after) and rows."""
    header = ["SubmissionDate", *["-".join(p) for p in paths], "KEY", *ODK_META]
    rows = []
    for i, sub in enumerate(submissions, 1):
        key = f"uuid:0dc1{i:04d}-2b5e-4f4e-8c2a-00000000{i:04d}"
        fields = {**{p[-1]: sub.get(p[-1]) for p in paths}, "instanceID": key}
        rows.append(["2026-11-02T04:41:12.000Z", *[_cell(fields[p[-1]]) for p in paths], key,
                     "12", "field-team", "0", "0", "", "approved", "collect:X1", "0", sub.get("questionnaire_version")])
    return header, rows


def write_csv(path: Path, header, rows, delimiter=",") -> Path:
    """Write a header and rows as UTF-8 CSV."""
    buf = io.StringIO()
    out = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    out.writerow(header)
    out.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def write_xlsx(path: Path, header, rows) -> Path:
    """Write a header and rows as the first sheet of an XLSX workbook."""
    wb = Workbook()
    wb.active.append(header)
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def kobo_json(paths, submissions) -> dict:
    """Return a KoboToolbox API v2 data response: count, next, previous, results of flat '/' keyed records."""
    header, rows = kobo_rows(paths, submissions)
    results = [{k: v for k, v in zip(header, row, strict=True) if v != ""} for row in rows]
    for r in results:
        r["_id"] = int(r["_id"])
    return {"count": len(results), "next": None, "previous": None, "results": results}


def odk_json(paths, submissions) -> dict:
    """Return an ODK Central OData Submissions response: value holds nested groups, __id and __system."""
    value = []
    for i, sub in enumerate(submissions, 1):
        key = f"uuid:0dc1{i:04d}-2b5e-4f4e-8c2a-00000000{i:04d}"
        record: dict = {"__id": key, "__system": {"submissionDate": "2026-11-02T04:41:12.000Z",
                                                  "formVersion": sub.get("questionnaire_version"),
                                                  "reviewState": None, "status": None}}
        for p in paths:
            node = record
            for group in p[:-1]:
                node = node.setdefault(group, {})
            v = key if p[-1] == "instanceID" else sub.get(p[-1])
            node[p[-1]] = _cell(v) if isinstance(v, list) else v
        value.append(record)
    return {"@odata.context": "https://central.example/v1/projects/1/forms/tipkb.svc/$metadata#Submissions",
            "value": value}


def write_json(path: Path, data) -> Path:
    """Write data as JSON."""
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
