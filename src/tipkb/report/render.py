"""Render the print report: Jinja2 print templates to HTML, and that HTML to PDF with WeasyPrint."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from .context import ReportError, report_context
from .recs import short_url

HERE = Path(__file__).resolve().parent
URL = re.compile(r"https?://[^\s<>\"';]+[^\s<>\"';.,)]")


def linkify(text: str | None) -> Markup:
    """Return text, HTML-escaped, with every web address made a link that prints as its host name."""
    if not text:
        return Markup("")
    out, last = [], 0
    for m in URL.finditer(text):
        out.append(escape(text[last:m.start()]))
        url = m.group(0)
        out.append(Markup('<a href="{0}">{1}</a>').format(url, short_url(url, 0)))
        last = m.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["linkify"] = linkify
    return env


@lru_cache(maxsize=1)
def _stylesheet() -> str:
    return (HERE / "report.css").read_text(encoding="utf-8")


def render_report_html(kb, recommendations, **options: Any) -> str:
    """Return the report as one self-contained HTML document for print (options: see report_context)."""
    context = report_context(kb, recommendations, **options)
    return _environment().get_template("report.html").render(css=Markup(_stylesheet()), **context)


def _no_fetch(url: str, *args, **kwargs):
    # The report embeds everything it shows; it never reaches out (no remote images, fonts or styles).
    raise ReportError(f"the report does not load external resources ({url})")


def render_report_pdf(kb, recommendations, **options: Any) -> bytes:
    """Return the report as an A4 PDF (fonts embedded, links clickable, charts as vectors)."""
    from weasyprint import HTML  # imported here: it is slow to import and only reports need it

    html = render_report_html(kb, recommendations, **options)
    return HTML(string=html, base_url=str(HERE), url_fetcher=_no_fetch).write_pdf()
