"""HTML to PDF with WeasyPrint, allowed to read the app's own static files and nothing else.

Every PDF the app makes goes through :func:`render_pdf`. WeasyPrint's default
URL fetcher opens any ``http(s)://``, ``ftp://`` or ``file://`` address it
meets in the HTML or CSS (images, stylesheets, fonts, ``<link rel=attachment>``
which even embeds the file in the PDF). Free text is escaped before it reaches
the HTML, but if markup ever slipped through, the fetcher here still refuses to
reach the network or the file system: it answers only for paths under
``STATIC_URL`` that the staticfiles finders (or the collected static root)
know, and inline ``data:`` addresses; it refuses everything else.
"""

from __future__ import annotations

import functools
import logging
import mimetypes
import posixpath
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings

logger = logging.getLogger("commonground.security")

# Relative addresses in the HTML resolve against this made-up origin (``.invalid`` never
# resolves), so a page's ``{% static %}`` links become ``https://pdf.invalid/static/...``.
BASE_URL = "https://pdf.invalid/"


class RefusedURL(ValueError):
    """The PDF renderer asked for something other than one of our static files."""


def static_file_for(url: str) -> Path | None:
    """The local file behind ``url`` if it is one of the app's static files, else None."""
    parts = urlsplit(url)
    base = urlsplit(BASE_URL)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        return None
    prefix = urlsplit(settings.STATIC_URL).path
    path = unquote(parts.path)
    if not path.startswith(prefix):
        return None
    name = path[len(prefix) :]
    if not name or "\x00" in name or "\\" in name:
        return None
    if posixpath.normpath(name) != name or name.startswith(("/", "../")) or ".." in name.split("/"):
        return None
    from django.contrib.staticfiles import finders
    from django.contrib.staticfiles.storage import staticfiles_storage

    found = finders.find(name)
    if found:
        return Path(found)
    try:
        collected = Path(staticfiles_storage.path(name))
    except Exception:  # a storage without local paths, or a name it refuses
        return None
    return collected if collected.is_file() else None


@functools.cache
def fetcher_class() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesOnlyFetcher(URLFetcher):  # type: ignore[misc]
        """WeasyPrint URL fetcher that serves our static files and refuses every other URL."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url[:5].lower() == "data:":
                # Inline data (the report embeds its pictures so): decoded by the standard
                # library's data: handler, no network or file access.
                return super().fetch(url, headers)
            path = static_file_for(url)
            if path is None:
                logger.warning("PDF rendering refused to fetch %.200s", url)
                raise RefusedURL(f"only static files may be loaded into a PDF, not {url[:200]}")
            ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": ctype})

    return StaticFilesOnlyFetcher


def url_fetcher() -> Any:
    """A fresh restricted fetcher (WeasyPrint is imported only when a PDF is made)."""
    return fetcher_class()()


def css_string(text: str) -> str:
    """``text`` for a double-quoted CSS string (a running header's ``content``), every
    character other than a letter, digit or space written as a CSS escape, so it can
    neither end the string nor the ``<style>`` element around it."""
    return "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text)


def render_pdf(html: str, *, stylesheets: Sequence[str] = ()) -> bytes:
    """The PDF of ``html``, with extra stylesheets named by their static path."""
    from weasyprint import CSS, HTML

    fetcher = url_fetcher()
    static_base = BASE_URL.rstrip("/") + urlsplit(settings.STATIC_URL).path
    sheets = []
    for name in stylesheets:
        path = static_file_for(static_base + name)
        if path is None:
            raise FileNotFoundError(f"no static stylesheet {name}")
        sheets.append(
            CSS(
                string=path.read_text(encoding="utf-8"),
                base_url=static_base + name,
                url_fetcher=fetcher,
            )
        )
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=sheets or None)
