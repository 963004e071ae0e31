"""Print reports of recommendations: an assessment's, or a country's baseline, as one tagged PDF typeset with Typst."""

from tipkb.report.context import GROUPINGS, ReportError, report_context
from tipkb.report.inputs import assessment_inputs, baseline_inputs
from tipkb.report.typeset import typeset_report

__all__ = [
    "GROUPINGS",
    "ReportError",
    "assessment_inputs",
    "baseline_inputs",
    "report_context",
    "typeset_report",
]
