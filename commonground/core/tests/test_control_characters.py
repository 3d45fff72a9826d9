"""NUL and other control characters in any input never break a page (on either database).

PostgreSQL refuses a NUL in text, in a stored value or in a query parameter, so a NUL
in a search box or an API body used to answer 500. Every URL of the permission matrix
is sent its request with control characters added to every text value, and every
search/filter parameter of its page (the GET forms it renders, the API's declared
query parameters) set to them: no answer may be a server error, and nothing stored
may hold a control character other than tab, line feed and carriage return.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse

from commonground.core.testing import Row
from commonground.core.tests.test_permission_matrix import matrix_rows

pytestmark = pytest.mark.django_db

BAD = "\x00\x01\x07\x08\x0b\x0c\x1b[31m\x1f\x7f"
FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SLOW = (".pdf", ".docx")


def _poison(value: Any) -> Any:
    if isinstance(value, str):
        return f"{value}{BAD}x" if value else BAD
    if isinstance(value, dict):
        return {k: _poison(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_poison(v) for v in value]
    return value


class _GetForms(HTMLParser):
    """Names of the inputs of every GET form on a page (search boxes and filters)."""

    def __init__(self) -> None:
        super().__init__()
        self.in_get_form = False
        self.names: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.in_get_form = (a.get("method") or "get").lower() == "get"
        elif tag in ("input", "select", "textarea") and self.in_get_form and a.get("name"):
            self.names.add(a["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_get_form = False


def _api_query_names() -> set[str]:
    from commonground.api.api import api

    names = set()
    for path in api.get_openapi_schema()["paths"].values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    names.add(parameter["name"])
    return names


def _client(world) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(world.user("admin"))
    return client


def _send(client: Client, row: Row, url: str, data: Any):
    method = getattr(client, row.method)
    if row.api and row.method != "get":
        return method(url, data=json.dumps(data or {}), content_type="application/json")
    return method(url, data=data or {})


def _strings(value: Any):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _stored_control_characters() -> list[str]:
    found = []
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not fields or model._meta.db_table == "django_session":
            continue
        for row in model._default_manager.values_list("pk", *fields).iterator():
            for name, value in zip(fields, row[1:], strict=True):
                if any(FORBIDDEN.search(text) for text in _strings(value)):
                    found.append(f"{model._meta.label}.{name} (pk {row[0]}): {value!r:.80}")
    return found


def test_every_write_takes_control_characters_without_error_and_stores_none(world):
    client = _client(world)
    failures = []
    for row in matrix_rows(world):
        if row.method == "get":
            continue
        kwargs = row.kwargs() if callable(row.kwargs) else row.kwargs
        url = reverse(row.name, kwargs=kwargs)
        response = _send(client, row, url, _poison(row.data))
        if response.status_code >= 500:
            failures.append(f"{row.method.upper()} {row.name}: {response.status_code}")
    assert not failures, "\n".join(failures)
    stored = _stored_control_characters()
    assert not stored, "\n".join(stored)


def test_every_search_and_filter_parameter_takes_control_characters(world):
    client = _client(world)
    api_names = _api_query_names()
    failures = []
    checked = 0
    for row in matrix_rows(world):
        if row.method != "get":
            continue
        kwargs = row.kwargs() if callable(row.kwargs) else row.kwargs
        url = reverse(row.name, kwargs=kwargs)
        if url.endswith(SLOW):
            continue
        if row.api:
            names = set(api_names)
        else:
            page = client.get(url)
            if page.status_code != 200 or not page.get("Content-Type", "").startswith("text/html"):
                names = set()
            else:
                parser = _GetForms()
                parser.feed(page.content.decode())
                names = parser.names
        names.add("q")
        checked += len(names)
        query = dict.fromkeys(names, f"a{BAD}")
        response = client.get(url, query)
        if response.status_code >= 500:
            failures.append(f"GET {row.name} {sorted(names)}: {response.status_code}")
        # The value alone (a NUL as the whole search) too.
        response = client.get(url, dict.fromkeys(names, "\x00"))
        if response.status_code >= 500:
            failures.append(f"GET {row.name} (NUL alone): {response.status_code}")
    assert checked > 100
    assert not failures, "\n".join(failures)


def test_a_control_character_in_a_path_is_not_found(world):
    client = _client(world)
    for path in (
        f"/api/conversations/{world.partnership.slug}%00/threads",
        "/api/conversations/%00/threads",
        f"/p/{world.partnership.slug}/conversations/search/%00",
    ):
        assert client.get(path).status_code == 404


def test_api_text_is_stored_without_control_characters(world):
    client = Client()
    client.force_login(world.user("manager"))
    base = f"/api/conversations/{world.partnership.slug}"
    response = client.post(
        f"{base}/threads",
        json.dumps({"title": "Ti\x00tle\x1b", "body": "line\none\x00\ttab", "accept_rules": True}),
        content_type="application/json",
    )
    assert response.status_code == 201
    from commonground.conversations.models import Post, Thread

    thread = Thread.objects.get(pk=response.json()["id"])
    assert thread.title == "Title"
    assert Post.objects.get(thread=thread).body == "line\none\ttab"


def test_form_text_is_stored_without_control_characters(world):
    client = Client()
    client.force_login(world.user("manager"))
    url = reverse("conversations:thread_create", kwargs={"slug": world.partnership.slug})
    response = client.post(
        url,
        {"title": "Form\x07 title", "body": "Body\x00 text\r\nnext", "accept_rules": "on"},
    )
    assert response.status_code == 302
    from commonground.conversations.models import Thread

    thread = Thread.objects.get(title="Form title")
    assert thread.posts.get().body == "Body text\r\nnext"
