"""Render the print report: Jinja2 print templates to HTML, and that HTML to PDF with WeasyPrint."""

from __future__ import annotations

import gc
import io
import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from tipkb.report.context import ReportError, report_context
from tipkb.report.recs import URL, short_url

HERE = Path(__file__).resolve().parent
LOG = logging.getLogger(__name__)
# A link from the main part of a PDF into its annexes; it becomes a link to a page when the two parts are joined.
PART_LINK = "tipkb-part:"
PX_TO_PT = 0.75  # CSS pixels to PDF points


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


def _html(context: dict[str, Any], part: str) -> str:
    # The report's contents say which chapters are annexes; the answered questions ("q-…") are in the annexes.
    annexed = {anchor for anchor, _, in_annexes in context["contents"] if in_annexes}

    def link(anchor: str) -> str:
        in_annexes = anchor in annexed or anchor.startswith("q-")
        return (PART_LINK if part == "main" and in_annexes else "#") + anchor

    return _environment().get_template("report.html").render(css=Markup(_stylesheet()), part=part, link=link,
                                                             **context)


def render_report_html(kb, recommendations, **options: Any) -> str:
    """Return the report as one self-contained HTML document for print (options: see report_context)."""
    return _html(report_context(kb, recommendations, **options), "all")


def _no_fetch(url: str, *args, **kwargs):
    # The report embeds everything it shows; it never reaches out (no remote images, fonts or styles).
    raise ReportError(f"the report does not load external resources ({url})")


@contextmanager
def _collector_paused():
    # WeasyPrint allocates hundreds of thousands of short-lived objects; each automatic collection they trigger
    # also walks everything else the process holds (a server holds the KB). One collection at the end instead.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def layout_part(html: str) -> tuple[bytes, dict[str, tuple[int, float, float]]]:
    """Lay out one part of the report with WeasyPrint; return its PDF and where each anchor is (page index and
    top-left corner in CSS pixels). Runs in the report worker process, or in-process."""
    from weasyprint import HTML  # imported here: it is slow to import and only reports need it

    with _collector_paused():
        document = HTML(string=html, base_url=str(HERE), url_fetcher=_no_fetch).render()
        anchors = {}
        for index, page in enumerate(document.pages):
            for name, (x, y, _, _) in page.anchors.items():
                anchors.setdefault(name, (index, x, y))
        return document.write_pdf(), anchors


def join_parts(main: bytes, annexes: bytes, anchors: dict[str, tuple[int, float, float]]) -> bytes:
    """Append the annexes' pages to the main part's and point the main part's links into the annexes at their
    pages. The annexes' bookmarks and named destinations (their own links) come along; metadata is the main
    part's."""
    import pikepdf  # qpdf: joining in C++ takes a few milliseconds, in pure Python a few hundred

    with pikepdf.open(io.BytesIO(main)) as pdf, pikepdf.open(io.BytesIO(annexes)) as extra:
        first = len(pdf.pages)
        pdf.add_pages_from(extra)  # with their named destinations and bookmarks
        for page in pdf.pages[:first]:
            for annot in page.obj.get("/Annots", []):
                uri = str(annot.get("/A", {}).get("/URI", ""))
                if not uri.startswith(PART_LINK):
                    continue
                del annot["/A"]
                target = anchors.get(uri[len(PART_LINK):])
                if target is None:  # nothing to point at: the link box stays, inert
                    continue
                index, x, y = target
                dest = pdf.pages[first + index]
                top = float(dest.mediabox[3])
                annot.Dest = pikepdf.Array([dest.obj, pikepdf.Name.XYZ, round(x * PX_TO_PT, 2),
                                            round(top - y * PX_TO_PT, 2), 0])
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


# The annexes are laid out in a worker process while this one lays out the main part: WeasyPrint's layout is
# pure Python, so a second core only helps from a second process. The worker starts on the first report and
# stays; TIPKB_REPORT_WORKER=0 lays out both parts here, one after the other (the same PDF, slower).
_worker: ProcessPoolExecutor | None = None
_worker_lock = threading.Lock()


def _exit_with_parent(parent: int) -> None:
    """In the worker: leave when the process that started it is gone (killed servers do not say goodbye)."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="report-worker-watch").start()


def _worker_pool() -> ProcessPoolExecutor | None:
    global _worker
    if os.environ.get("TIPKB_REPORT_WORKER", "1") == "0":
        return None
    with _worker_lock:
        if _worker is None:
            _worker = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                          initializer=_exit_with_parent, initargs=(os.getpid(),))
        return _worker


def _drop_worker() -> None:
    global _worker
    with _worker_lock:
        if _worker is not None:
            _worker.shutdown(wait=False, cancel_futures=True)
            _worker = None


def _forget_worker() -> None:
    # In a forked child (a gunicorn worker): the parent's pool is the parent's; the child starts its own.
    global _worker, _worker_lock
    _worker, _worker_lock = None, threading.Lock()


os.register_at_fork(after_in_child=_forget_worker)


def shutdown() -> None:
    """Stop this process's report worker, if it runs (a web worker calls this as it exits)."""
    _drop_worker()


def warm_up() -> None:
    """Start the report worker and load WeasyPrint and the fonts in it and here, without waiting: a server
    calls this on its first request so that the first report does not pay for it (about 2 s)."""
    pool = _worker_pool()
    if pool is not None:
        pool.submit(layout_part, "<p>tipkb</p>")
    threading.Thread(target=layout_part, args=("<p>tipkb</p>",), daemon=True, name="report-warm-up").start()


def render_report_pdf(kb, recommendations, *, parallel: bool = True, **options: Any) -> bytes:
    """Return the report as an A4 PDF (fonts embedded, links clickable, charts as vectors).

    The main part (cover, summary, recommendations, their sources) and the annexes (legal framework, answers,
    methodology) are laid out side by side, then joined; the annexes number their pages apart. `parallel=False`
    lays them out one after the other in this process."""
    context = report_context(kb, recommendations, **options)
    main_html, annex_html = _html(context, "main"), _html(context, "annexes")
    future: Future | None = None
    pool = _worker_pool() if parallel else None
    if pool is not None:
        try:
            future = pool.submit(layout_part, annex_html)
        except RuntimeError as e:  # the worker died or is shutting down: start afresh next time
            LOG.warning("report worker unavailable (%s); laying out the annexes here", e)
            _drop_worker()
    main_pdf, _ = layout_part(main_html)
    annexes = None
    if future is not None:
        try:
            annexes = future.result()
        except Exception as e:  # a crashed worker must not cost the user the report
            LOG.warning("report worker failed (%s); laying out the annexes here", e)
            _drop_worker()
    if annexes is None:
        annexes = layout_part(annex_html)
    return join_parts(main_pdf, *annexes)
