"""Open data out: the whole KB as Turtle, N-Triples, JSON-LD or N-Quads (one graph per source file)."""

from __future__ import annotations

import threading
from datetime import date

from flask import Blueprint, Response, abort, current_app, render_template

from tipkb.edit.kbio import DOWNLOAD_FORMATS, serialize_kb

from ..changes import kb_token
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
    token = kb_token()
    cache = current_app.extensions.setdefault("tipkb_downloads", {})
    with _lock:  # one serialization per state and format, shared by concurrent downloads
        if cache.get("token") != token:
            cache.clear()
            cache["token"] = token
        if name not in cache:
            cache[name] = serialize_kb(get_kb(), name)
        body = cache[name]
    media = DOWNLOAD_FORMATS[name][1]
    filename = f"tipkb-{date.today().isoformat()}.{ext}"
    return Response(body, mimetype=media, headers={"Content-Disposition": f'attachment; filename="{filename}"',
                                                   "Access-Control-Allow-Origin": "*"})
