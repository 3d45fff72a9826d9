"""Upload validation: allow-listed extensions whose content matches, a size limit, safe names."""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

HEAD = 8192


def _is_pdf(head: bytes, _f: Any) -> bool:
    return head.startswith(b"%PDF-")


def _is_png(head: bytes, _f: Any) -> bool:
    return head.startswith(b"\x89PNG\r\n\x1a\n")


def _is_jpeg(head: bytes, _f: Any) -> bool:
    return head.startswith(b"\xff\xd8\xff")


_MARKUP = re.compile(rb"^\s*(<!doctype|<html|<script|<svg|<\?xml|<body|<head|<iframe)", re.I)


def _is_text(head: bytes, _f: Any) -> bool:
    if b"\x00" in head or _MARKUP.match(head.lstrip(b"\xef\xbb\xbf")):
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is fine.
        if exc.start < len(head) - 4:
            try:
                head.decode("cp1252")
            except UnicodeDecodeError:
                return False
    return True


def _ooxml(folder: str) -> Callable[[bytes, Any], bool]:
    def check(head: bytes, f: Any) -> bool:
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            f.seek(0)
            with zipfile.ZipFile(f) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        finally:
            f.seek(0)
        return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)

    return check


@dataclass(frozen=True)
class FileType:
    content_type: str
    check: Callable[[bytes, Any], bool]
    kind: str  # document kind suggestion


ALLOWED: dict[str, FileType] = {
    "pdf": FileType("application/pdf", _is_pdf, "document"),
    "png": FileType("image/png", _is_png, "image"),
    "jpg": FileType("image/jpeg", _is_jpeg, "image"),
    "jpeg": FileType("image/jpeg", _is_jpeg, "image"),
    "csv": FileType("text/csv", _is_text, "dataset"),
    "txt": FileType("text/plain", _is_text, "document"),
    "md": FileType("text/markdown", _is_text, "document"),
    "xlsx": FileType(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ooxml("xl/"),
        "dataset",
    ),
    "docx": FileType(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ooxml("word/"),
        "document",
    ),
}


def sanitise_filename(name: str) -> str:
    """A safe display name: no path, no control characters, plain letters, at most 120 chars."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFKC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem = re.sub(r"[^\w\- ()]+", "_", stem, flags=re.UNICODE).strip(" ._") or "file"
    ext = re.sub(r"[^a-z0-9]", "", ext.lower())
    return f"{stem[:100]}.{ext}" if ext else stem[:100]


@dataclass
class CheckedUpload:
    name: str
    ext: str
    content_type: str
    size: int
    sha256: str
    kind: str


def check_upload(upload: Any) -> CheckedUpload:
    """Refuse files over the size limit, of a type not on the list, or whose content does not
    match their extension. Reads the file but leaves it at position 0."""
    if upload is None:
        raise ValidationError(_("Choose a file to upload."))
    limit = settings.COMMONGROUND_UPLOAD_MAX_BYTES
    size = upload.size or 0
    if size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    if size == 0:
        raise ValidationError(_("The file is empty."))
    name = sanitise_filename(upload.name or "")
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    ftype = ALLOWED.get(ext)
    if ftype is None:
        raise ValidationError(
            _("Files of type “%(ext)s” are not accepted. Accepted: %(allowed)s.")
            % {"ext": ext or "?", "allowed": ", ".join(sorted(ALLOWED))}
        )
    upload.seek(0)
    head = upload.read(HEAD)
    upload.seek(0)
    if not ftype.check(head, upload):
        raise ValidationError(
            _("The file's content does not match its “.%(ext)s” extension.") % {"ext": ext}
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(name, ext, ftype.content_type, size, digest.hexdigest(), ftype.kind)


def bytes_upload(name: str, data: bytes) -> Any:
    """An in-memory upload (for the demo and tests)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)
