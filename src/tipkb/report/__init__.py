"""Print reports of recommendations: an assessment's, or a country's baseline, as HTML for print and as PDF."""

from .context import GROUPINGS, ReportError, report_context
from .inputs import assessment_inputs, baseline_inputs
from .render import render_report_html, render_report_pdf

__all__ = [
    "GROUPINGS",
    "ReportError",
    "assessment_inputs",
    "baseline_inputs",
    "render_report_html",
    "render_report_pdf",
    "report_context",
]
