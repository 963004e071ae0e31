"""Print reports of recommendations: an assessment's, or a country's baseline, as HTML for print and as PDF."""

from tipkb.report.context import GROUPINGS, ReportError, report_context
from tipkb.report.inputs import assessment_inputs, baseline_inputs
from tipkb.report.render import render_report_html, render_report_pdf
from tipkb.report.typeset import typeset_report

__all__ = [
    "GROUPINGS",
    "ReportError",
    "assessment_inputs",
    "baseline_inputs",
    "render_report_html",
    "render_report_pdf",
    "report_context",
    "typeset_report",
]
