"""Static files under names that carry a hash of their content, cached for a year and sent gzip- or brotli-compressed.

At start the app writes each file of webapp/static once to <instance>/static as `style.<hash>.css`, beside its
`.gz` and `.br` copies; `url_for('static', filename='style.css')` gives that name, and WhiteNoise, in front of the
app, serves it as immutable with the security headers of every page. The plain names still answer, cached for an
hour, and so does /favicon.ico. The debug server (`make dev`) serves the sources as Flask does, so edits show at once.
"""

from __future__ import annotations

import gzip
import hashlib
import os
from pathlib import Path
from typing import Any

from flask import Flask
from whitenoise import WhiteNoise

from .security import HEADERS, HSTS

try:  # WhiteNoise's `brotli` extra; without it, gzip only
    import brotli
except ImportError:  # pragma: no cover - the extra is a dependency
    brotli = None

IMMUTABLE = "public, max-age=31536000, immutable"
PLAIN_MAX_AGE = 3600  # seconds a file under its plain name (no hash) may be kept
COMPRESSIBLE = {".css", ".js", ".svg", ".ico", ".json", ".txt", ".map", ".html"}
_manifests: dict[tuple, dict[str, str]] = {}  # per process: (folders, files' sizes and times) -> manifest


def hashed_name(name: str, content: bytes) -> str:
    """Return a file name with the first 12 hex digits of the content's SHA-256 before its extension."""
    digest = hashlib.sha256(content).hexdigest()[:12]
    stem, dot, ext = name.rpartition(".")
    return f"{stem}.{digest}.{ext}" if dot and "/" not in ext else f"{name}.{digest}"


def build(source: Path, target: Path) -> dict[str, str]:
    """Write each file of `source` to `target` under its hashed name with its compressed copies; return the names."""
    files = sorted(p for p in source.rglob("*") if p.is_file() and not p.name.startswith("."))
    key = (str(source), str(target), tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files))
    if key not in _manifests:
        manifest = {}
        for path in files:
            name = path.relative_to(source).as_posix()
            content = path.read_bytes()
            manifest[name] = hashed_name(name, content)
            _write_once(target / manifest[name], content)
        _manifests[key] = manifest
    return _manifests[key]


def _write_once(path: Path, content: bytes) -> None:
    """Write a file and its gzip and brotli copies unless they are there (their name says their content)."""
    copies = {path: content}
    if path.suffix in COMPRESSIBLE:
        copies[path.with_name(path.name + ".gz")] = gzip.compress(content, compresslevel=9, mtime=0)
        if brotli is not None:
            copies[path.with_name(path.name + ".br")] = brotli.compress(content)
    for where, data in copies.items():
        if where.exists() or (where != path and len(data) >= len(content)):
            continue  # a compressed copy no smaller than the file is not worth sending
        where.parent.mkdir(parents=True, exist_ok=True)
        temporary = where.with_name(f".{where.name}.{os.getpid()}")
        temporary.write_bytes(data)
        os.replace(temporary, where)  # atomic: another worker writing the same bytes at the same time is harmless


def init_app(app: Flask) -> None:
    """Serve the static files fingerprinted and compressed in front of the app, and /favicon.ico."""
    app.add_url_rule("/favicon.ico", "favicon", lambda: app.send_static_file("favicon.ico"))
    if app.debug:
        return
    source = Path(app.static_folder or "")
    target = Path(app.instance_path) / "static"
    manifest = build(source, target)
    prefix = (app.static_url_path or "/static").rstrip("/") + "/"
    immutable = {prefix + hashed for hashed in manifest.values()}
    https = bool(app.config.get("TIPKB_HTTPS"))

    def headers(found: Any, path: str, url: str) -> None:
        for name, value in HEADERS.items():
            found[name] = value
        if https:
            found["Strict-Transport-Security"] = HSTS
        if url in immutable:
            found["Cache-Control"] = IMMUTABLE

    server = WhiteNoise(app.wsgi_app, max_age=PLAIN_MAX_AGE, allow_all_origins=False, add_headers_function=headers)
    for name, hashed in manifest.items():  # the plain name too serves the copy made at start, not the source
        server.add_file_to_dictionary(prefix + hashed, str(target / hashed))
        server.add_file_to_dictionary(prefix + name, str(target / hashed))
    if "favicon.ico" in manifest:
        server.add_file_to_dictionary("/favicon.ico", str(target / manifest["favicon.ico"]))
    app.wsgi_app = server  # type: ignore[method-assign]
    app.extensions["tipkb_assets"] = manifest

    @app.url_defaults
    def _fingerprint(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and values.get("filename") in manifest:
            values["filename"] = manifest[values["filename"]]
