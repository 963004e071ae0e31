"""Evidence for an answer: which links and files are accepted, their type read from the content, safe download names.

A file's type comes from its first bytes (its signature), never from its name or the type the browser
sent: an HTML or SVG page renamed `.pdf` has no PDF signature and is refused. Problems raise
EvidenceError with a code and parameters that each front end words in its own language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import filetype

from tipkb.errors import TipkbError

# The media types accepted, with the extension a download gets and the word a listing shows.
MEDIA_TYPES = {
    "application/pdf": ("pdf", "PDF"),
    "image/png": ("png", "PNG"),
    "image/jpeg": ("jpg", "JPEG"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx", "DOCX"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx", "XLSX"),
    "application/vnd.oasis.opendocument.text": ("odt", "ODT"),
}
KINDS = ("link", "file")
MAX_BYTES = 8 * 1024 * 1024  # bytes of one file, unless configured otherwise (under the web request limit)
TITLE_LENGTH = 200  # characters of an evidence title
URL_LENGTH = 2000  # characters of a link
SUBJECT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,119}")  # a question code, or a prefixed id ("followup:…")
_UNSAFE = re.compile(r"[^\w .()-]+")  # characters a download name drops (path separators, quotes, controls)


class EvidenceError(TipkbError, ValueError):
    """A link or file cannot be kept as evidence; `code` says why and `params` give the details."""

    def __init__(self, code: str, message: str, **params: Any):
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Evidence:
    """One link or stored file backing a subject (a question code) of an assessment."""

    id: int
    assessment_id: int
    subject: str
    kind: str
    title: str
    created_at: datetime
    url: str | None = None
    media_type: str | None = None
    size: int | None = None
    sha256: str | None = None
    uploaded_by: int | None = None
    stored_name: str | None = field(default=None, repr=False)

    @property
    def is_file(self) -> bool:
        return self.kind == "file"

    @property
    def type_word(self) -> str:
        """Return the short name of the file's type (PDF, PNG…), or "" for a link."""
        return MEDIA_TYPES.get(self.media_type or "", ("", ""))[1]

    def download_name(self) -> str:
        """Return a name safe for Content-Disposition: the title's safe characters and the type's extension."""
        extension = MEDIA_TYPES.get(self.media_type or "", ("bin", ""))[0]
        return safe_name(self.title, extension)


def sniff(data: bytes) -> str:
    """Return the accepted media type of a file's content, or raise EvidenceError("type") for any other content."""
    if not data:
        raise EvidenceError("empty", "the file is empty")
    kind = filetype.guess(data)  # its signature in the first 8 KiB; for an office file, the zip entries there
    if kind is None or kind.mime not in MEDIA_TYPES:
        raise EvidenceError("type", f"the file's content is {kind.mime if kind else 'of no accepted type'}; "
                            "accepted: PDF, PNG, JPEG, DOCX, XLSX, ODT",
                            found=kind.mime if kind else None)
    return kind.mime


def check_size(size: int, limit: int) -> None:
    """Raise EvidenceError("size") when a file of `size` bytes is larger than `limit`."""
    if size > limit:
        raise EvidenceError("size", f"the file is larger than {limit} bytes", limit=limit)


def check_link(url: str) -> str:
    """Return a link stripped of surrounding space if it is an http or https address with a host; raise otherwise."""
    url = (url or "").strip()
    if len(url) > URL_LENGTH:
        raise EvidenceError("url-long", f"the address is longer than {URL_LENGTH} characters", limit=URL_LENGTH)
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if (parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname
            or any(c.isspace() or unicodedata.category(c) == "Cc" for c in url)):
        raise EvidenceError("url", "a link must be a web address starting with http:// or https://")
    return url


def check_title(title: str | None, fallback: str) -> str:
    """Return the title to keep (the fallback when none is given), or raise EvidenceError("title-long")."""
    title = " ".join((title or "").split())
    if len(title) > TITLE_LENGTH:
        raise EvidenceError("title-long", f"a title has at most {TITLE_LENGTH} characters", limit=TITLE_LENGTH)
    return title or " ".join(fallback.split())[:TITLE_LENGTH] or "—"



def cited(items: Iterable[Evidence]) -> list[dict[str, str | None]]:
    """Return links and files as exports name them: a file by title and type, a link by title and address."""
    return [{"text": f"{e.title} ({e.type_word})" if e.is_file else e.title, "href": None if e.is_file else e.url}
            for e in items]

def check_subject(subject: str) -> str:
    """Return the subject if it is a question code or a prefixed id ("followup:<practice-id>"); raise otherwise."""
    if not isinstance(subject, str) or not SUBJECT.fullmatch(subject):
        raise EvidenceError("subject", f"{subject!r} is not a question code or a prefixed id")
    return subject


def safe_name(title: str, extension: str) -> str:
    """Return `title` as a file name: its letters, digits, spaces and .-_() (100 at most), then `extension`."""
    stem = _UNSAFE.sub("_", unicodedata.normalize("NFC", title)).strip(" ._")
    stem = re.sub(r"\.(pdf|png|jpe?g|docx|xlsx|odt)$", "", stem, flags=re.IGNORECASE)[:100].strip(" ._")
    return f"{stem or 'evidence'}.{extension}"
