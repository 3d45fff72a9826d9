"""Serving an uploaded file, only ever after the caller's permission check.

With local disk (the default) and with object storage in ``downloads=stream``
mode, the app streams the file itself. With ``STORAGE_URL=...&downloads=redirect``
it answers with a redirect to a signed URL that expires after a minute (the
bucket stays private: without a signature no object can be read). Either way the
caller has already decided that this person may read this file: the signed URL
is made here, after that decision, and never stored or shown on a page.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.encoding import escape_uri_path


def _disposition(filename: str) -> str:
    ascii_name = filename.encode("ascii", "ignore").decode().replace('"', "") or "download"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{escape_uri_path(filename)}"


def download_response(file: FieldFile, *, filename: str, content_type: str) -> HttpResponse:
    """An attachment response for a file the caller has checked the person may read."""
    if not file or not file.name:
        raise Http404
    content_type = content_type or "application/octet-stream"
    if settings.COMMONGROUND_DOWNLOADS == "redirect":
        if not file.storage.exists(file.name):
            raise Http404
        url = file.storage.url(  # type: ignore[call-arg]
            file.name,
            parameters={
                "ResponseContentDisposition": _disposition(filename),
                "ResponseContentType": content_type,
                "ResponseCacheControl": "private, no-store",
            },
        )
        response: HttpResponse = HttpResponseRedirect(url)
    else:
        try:
            handle = file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(  # type: ignore[assignment]
            handle, as_attachment=True, filename=filename, content_type=content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
