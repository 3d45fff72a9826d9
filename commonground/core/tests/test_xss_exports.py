"""Stored XSS in exports: every PDF and DOCX of the demo, with a payload in every free-text column.

The demo is loaded, every free-text column is overwritten with markup that
would run script, load remote images and stylesheets and embed a local file if
it were ever interpreted, and every ``.pdf``/``.docx`` URL of the URL conf is
fetched. For PDFs the HTML handed to WeasyPrint is captured and parsed: the
payload must be there only as escaped text, never as an element or attribute,
the laid-out PDF text must show it literally, and WeasyPrint's URL fetcher must
never be asked for an address from the payload. For the DOCX the payload must
be plain run text with no external relationship.

A second group of tests checks the PDF URL fetcher itself with live markup (as
if escaping had failed): nothing outside the static files is fetched, while
WeasyPrint's default fetcher, given the same HTML, does connect.
"""

from __future__ import annotations

import io
import re
import socket
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from commonground.core import pdf
from commonground.core.tests.test_stored_xss import PAYLOAD, SHORT, poison_everything
from commonground.demo import DEMO_SLUG

TRAP = "127.0.0.1:9"  # the discard port: nothing listens, and nothing may even try
SCRIPT = '<script>alert("xss")</script>'
EXPORT_PAYLOAD = (
    SCRIPT
    + f'<img src="http://{TRAP}/img">'
    + f'<link rel="stylesheet" href="http://{TRAP}/css">'
    + '<a rel="attachment" href="file:///etc/passwd">f</a>'
    + f'<p style="background:url(http://{TRAP}/bg)">s</p>'
    + f"![i](http://{TRAP}/md)"
)
MEDIUM = SCRIPT + f'<img src="http://{TRAP}/img">'
PAYLOADS = (EXPORT_PAYLOAD, MEDIUM, PAYLOAD, SHORT)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def export_url_names() -> set[str]:
    """Names of every URL in the URL conf whose route ends in .pdf or .docx."""
    names: set[str] = set()

    def walk(patterns: list, ns: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{ns}{p.namespace}:" if p.namespace else ns)
            elif isinstance(p, URLPattern) and str(p.pattern).endswith((".pdf", ".docx")):
                names.add(ns + str(p.name))

    walk(get_resolver().url_patterns, "")
    return names


def demo_export_urls() -> dict[str, str]:
    """One URL per export, on demo objects that fill every part of it."""
    from django.db.models import Count

    from commonground.agreements.models import AgreementVersion
    from commonground.healthchecks import selectors as hc_selectors
    from commonground.healthchecks.models import Round
    from commonground.meetings.models import Meeting

    slug = {"slug": DEMO_SLUG}
    version = (
        AgreementVersion.objects.filter(agreement__partnership__slug=DEMO_SLUG)
        .annotate(n=Count("ratifications"))
        .order_by("-n", "pk")
        .first()
    )
    meeting = (
        Meeting.objects.filter(partnership__slug=DEMO_SLUG)
        .annotate(n=Count("attendance"))
        .order_by("-n", "pk")
        .first()
    )
    rounds = Round.objects.filter(partnership__slug=DEMO_SLUG).order_by("pk")
    rnd = next(r for r in rounds if not hc_selectors.round_results(r).suppressed)
    assert version and version.ratifications.exists() and meeting and meeting.attendance.exists()
    v = {**slug, "pk": version.agreement_id, "number": version.number}
    m = {**slug, "pk": meeting.pk}
    return {
        "method:charter_pdf": reverse("method:charter_pdf", kwargs=slug),
        "agreements:version_pdf": reverse("agreements:version_pdf", kwargs=v),
        "agreements:version_docx": reverse("agreements:version_docx", kwargs=v),
        "meetings:agenda_pdf": reverse("meetings:agenda_pdf", kwargs=m),
        "meetings:minutes_pdf": reverse("meetings:minutes_pdf", kwargs=m),
        "library:report_pdf": reverse("library:report_pdf", kwargs=slug),
        "healthchecks:round_report_pdf": reverse(
            "healthchecks:round_report_pdf", kwargs={**slug, "pk": rnd.pk}
        ),
    }


# --- what WeasyPrint was given and what it did ---------------------------------------------


@dataclass
class Rendering:
    html: str
    fetcher: Any
    text: str = ""
    links: list[str] = field(default_factory=list)


@dataclass
class Spy:
    renderings: list[Rendering] = field(default_factory=list)
    fetched: list[str] = field(default_factory=list)


@pytest.fixture
def weasy_spy(monkeypatch) -> Iterator[Spy]:
    """Record every HTML given to WeasyPrint, its laid-out text, and every URL it asked for."""
    import weasyprint
    from weasyprint.formatting_structure.boxes import TextBox

    spy = Spy()
    fetcher_class = pdf.fetcher_class()
    real_fetch = fetcher_class.fetch

    def fetch(self, url, headers=None):
        spy.fetched.append(url)
        return real_fetch(self, url, headers)

    class SpyHTML(weasyprint.HTML):
        def __init__(self, *args, **kwargs):
            spy.renderings.append(Rendering(kwargs.get("string", ""), kwargs.get("url_fetcher")))
            super().__init__(*args, **kwargs)

        def render(self, *args, **kwargs):
            document = super().render(*args, **kwargs)
            rendering = spy.renderings[-1]
            for page in document.pages:
                rendering.text += "".join(
                    b.text for b in page._page_box.descendants() if isinstance(b, TextBox)
                )
                rendering.links += [str(link[1]) for link in page.links]
            return document

    monkeypatch.setattr(fetcher_class, "fetch", fetch)
    monkeypatch.setattr(weasyprint, "HTML", SpyHTML)
    yield spy


class Elements(HTMLParser):
    """Every element and attribute an HTML parser (like WeasyPrint's) would build."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.script_text = ""
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self._in_script = tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.script_text += data


URL_ATTRIBUTES = {"src", "href", "srcset", "data", "poster", "background", "xlink:href", "style"}
FROM_PAYLOAD = re.compile(r"alert\(\"xss\"\)|url\(\s*['\"]?(?:http://127\.0\.0\.1:9|file:)|@import")


def interpreted_payload(html: str) -> list[str]:
    """Parts of the payload that an HTML parser would turn into markup: an element or an
    attribute that loads something or runs script, or script/style content it wrote."""
    parser = Elements()
    parser.feed(html)
    found = []
    for tag, attrs in parser.tags:
        for name, value in attrs:
            if name.startswith("on") or (
                name in URL_ATTRIBUTES and value and (TRAP in value or "file:" in value)
            ):
                found.append(f"<{tag} {name}={value!r}>")
        if tag == "a" and ("rel", "attachment") in attrs:
            found.append("<a rel=attachment>")
    if FROM_PAYLOAD.search(parser.script_text):
        found.append("script or style content from the payload")
    return found


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


# --- the exports ------------------------------------------------------------------------------


@pytest.fixture
def poisoned_demo(db) -> Client:
    from commonground.accounts.tests.factories import UserFactory

    call_command("load_demo", verbosity=0)
    admin = UserFactory(email="xss-admin@example.org", is_superuser=True, is_staff=True)
    assert poison_everything(PAYLOADS) > 0
    client = Client(raise_request_exception=True)
    client.force_login(admin)
    return client


def test_pdf_exports_show_the_payload_as_text_and_never_fetch_it(poisoned_demo, weasy_spy):
    urls = demo_export_urls()
    assert export_url_names() == set(urls), (
        "a .pdf/.docx export without stored-XSS coverage: add it to demo_export_urls()"
    )
    failures = []
    for name, url in urls.items():
        if not name.endswith("_pdf"):
            continue
        before = len(weasy_spy.renderings)
        response = poisoned_demo.get(url)
        if response.status_code != 200 or response["Content-Type"] != PDF:
            failures.append(f"{name}: {response.status_code} {response['Content-Type']}")
            continue
        if not response.content.startswith(b"%PDF-"):
            failures.append(f"{name}: not a PDF")
        if len(weasy_spy.renderings) != before + 1:
            failures.append(f"{name}: rendered {len(weasy_spy.renderings) - before} times")
            continue
        r = weasy_spy.renderings[-1]
        if not isinstance(r.fetcher, pdf.fetcher_class()):
            failures.append(f"{name}: rendered without the static-only URL fetcher")
        if "&lt;script&gt;" not in r.html:
            failures.append(f"{name}: no escaped payload in the HTML (is the free text shown?)")
        if live := interpreted_payload(r.html):
            failures.append(f"{name}: payload became markup: {live[:3]}")
        if squash(SCRIPT) not in squash(r.text):
            failures.append(f"{name}: the payload is not in the PDF's text")
        if bad := [link for link in r.links if TRAP in link or "file:" in link]:
            failures.append(f"{name}: links or attachments from the payload: {bad}")
    assert not failures, "\n".join(failures)
    assert not [u for u in weasy_spy.fetched if TRAP in u or "passwd" in u], weasy_spy.fetched


def test_docx_export_keeps_the_payload_as_plain_text(poisoned_demo):
    from docx import Document

    response = poisoned_demo.get(demo_export_urls()["agreements:version_docx"])
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    text = []
    document = Document(io.BytesIO(response.content))
    text += [p.text for p in document.paragraphs]
    text += [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert any(SCRIPT in t for t in text)
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        body = z.read("word/document.xml").decode()
        rels = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".rels"))
    assert "&lt;script&gt;alert(" in body
    assert "<script" not in body and "<img" not in body
    assert TRAP not in rels and "External" not in rels


# --- the fetcher itself, with markup that was not escaped ----------------------------------


class Trap:
    """A loopback listener that counts connections (WeasyPrint must never make one)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop = True
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def trap() -> Iterator[Trap]:
    t = Trap()
    yield t
    t.close()


STATIC_IMAGE = "/static/vendor/leaflet-1.9.4/images/layers.png"
DATA_IMAGE = (  # a 1×1 PNG, as the report embeds its pictures
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8"
    "z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def live_html(port: int, tmp_path) -> str:
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the PDF")
    remote = f"http://127.0.0.1:{port}"
    return (
        f'<html><head><link rel="stylesheet" href="{remote}/style.css"></head><body>'
        f'<img src="{remote}/image.png"><p style="background:url({remote}/bg.png)">x</p>'
        f'<a rel="attachment" href="{secret.as_uri()}">attached</a>'
        f'<img src="{secret.as_uri()}"><img src="/static/../../../etc/passwd">'
        f'<img src="{STATIC_IMAGE}"><img src="{DATA_IMAGE}"></body></html>'
    )


def test_the_default_fetcher_would_reach_out(trap, tmp_path, monkeypatch):
    """The control: without our fetcher, WeasyPrint connects and embeds the local file."""
    from weasyprint import HTML

    for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)  # straight to the listener, not via a proxy

    out = HTML(string=live_html(trap.port, tmp_path)).write_pdf()
    trap.close()
    assert trap.connections > 0
    assert b"/EmbeddedFile" in out


def test_the_pdf_fetcher_loads_static_files_only(trap, tmp_path, monkeypatch):
    asked: list[str] = []
    served: list[str] = []
    real_fetch = pdf.fetcher_class().fetch

    def fetch(self, url, headers=None):
        asked.append(url)
        response = real_fetch(self, url, headers)
        served.append(url)
        return response

    monkeypatch.setattr(pdf.fetcher_class(), "fetch", fetch)
    out = pdf.render_pdf(live_html(trap.port, tmp_path))
    trap.close()
    assert out.startswith(b"%PDF-")
    assert trap.connections == 0
    assert b"/EmbeddedFile" not in out
    assert any(str(trap.port) in u for u in asked)  # WeasyPrint asked, and was refused
    assert served == [pdf.BASE_URL + STATIC_IMAGE.lstrip("/"), DATA_IMAGE]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x",
        "https://example.org/static/library/report.css",
        "file:///etc/passwd",
        "data:text/plain,hello",
        pdf.BASE_URL + "etc/passwd",
        pdf.BASE_URL + "static/../../../../etc/passwd",
        pdf.BASE_URL + "static/%2e%2e/%2e%2e/etc/passwd",
        pdf.BASE_URL + "static/library/..%2f..%2fsettings.py",
        pdf.BASE_URL + "static//etc/passwd",
        pdf.BASE_URL + "static/no-such-file.css",
    ],
)
def test_static_file_for_refuses_anything_else(url):
    assert pdf.static_file_for(url) is None


def test_static_file_for_finds_app_and_project_static_files():
    found = pdf.static_file_for(pdf.BASE_URL + "static/library/report.css")
    assert found is not None and found.name == "report.css" and found.is_file()
    assert pdf.static_file_for(pdf.BASE_URL + "static/vendor/leaflet-1.9.4/images/layers.png")


@pytest.mark.parametrize("text", [EXPORT_PAYLOAD, 'Partners\' "compact"\n\\ ÆØÅ 2026', "</style>"])
def test_css_string_reads_back_as_the_same_text_and_cannot_break_out(text):
    import tinycss2

    escaped = pdf.css_string(text)
    assert not set(escaped) & set("<>\"'();\n&")
    tokens = tinycss2.parse_component_value_list(f'"{escaped}"')
    assert [t.type for t in tokens] == ["string"] and tokens[0].value == text
