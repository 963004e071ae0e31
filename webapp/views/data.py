"""Open data out: the whole KB as Turtle, N-Triples, JSON-LD or N-Quads (one graph per source file)."""

from __future__ import annotations

import threading
from datetime import date

from flask import Blueprint, Response, abort, render_template

from tipkb.edit.kbio import DOWNLOAD_FORMATS, serialize_kb

from ..kb import get_kb

bp = Blueprint("data", __name__, url_prefix="/data")
EXTENSIONS = {ext: name for name, (_, _, ext) in DOWNLOAD_FORMATS.items()}
_lock = threading.Lock()


@bp.get("/")
def index():
    return render_template("data/index.html", formats=DOWNLOAD_FORMATS)


@bp.get("/tipkb.<ext>")
def download(ext: str):
    name = EXTENSIONS.get(ext)
    if name is None:
        abort(404)
    kb = get_kb()
    with _lock:  # one serialization per KB version and format, shared by concurrent downloads
        body = kb.cached(f"data-download-{name}", lambda: serialize_kb(kb, name))
    media = DOWNLOAD_FORMATS[name][1]
    filename = f"tipkb-{date.today().isoformat()}.{ext}"
    return Response(body, mimetype=media, headers={"Content-Disposition": f'attachment; filename="{filename}"',
                                                   "Access-Control-Allow-Origin": "*"})
