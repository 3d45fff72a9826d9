"""Control characters in text: removed from every input on arrival and before any save.

PostgreSQL refuses a NUL in text (stored or as a query parameter) and no page, export
or calendar wants the other C0 controls or DEL. Tab, line feed and carriage return
stay (multi-line text needs them). Two places, so no form, API schema or service has
to remember it:

- ``ControlCharactersMiddleware`` cleans the query string (search boxes, filters, API
  query parameters), form bodies (``request.POST``, pages and the admin) and JSON bodies
  (the API) before any view or form sees them; a path holding one is answered 404.
- a ``pre_save`` receiver cleans every text and JSON field of every model, for what
  arrives another way (imports, services called with raw strings).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models.signals import pre_save
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Cheap first looks at the raw bytes: a percent-encoded control (query string, form
# body) or a JSON escape of one; only then is anything decoded and rebuilt.
_PERCENT = re.compile(rb"%(?:[01][0-9a-f]|7f)", re.IGNORECASE)
_JSON = re.compile(rb"\\u00(?:[01][0-9a-f]|7f)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", re.IGNORECASE)


def strip_control(text: str) -> str:
    """``text`` without control characters other than tab, line feed and carriage return."""
    return CONTROL.sub("", text) if CONTROL.search(text) else text


def clean_value(value: Any) -> Any:
    """Strings anywhere in a JSON-like value with their control characters removed."""
    if isinstance(value, str):
        return strip_control(value)
    if isinstance(value, dict):
        return {clean_value(k): clean_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_value(v) for v in value]
    return value


def _clean_querydict(data: QueryDict) -> QueryDict:
    clean = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        clean.setlist(strip_control(key), [strip_control(v) for v in values])
    clean._mutable = False
    return clean


def _has_control(data: QueryDict) -> bool:
    return any(
        CONTROL.search(key) or any(CONTROL.search(v) for v in values)
        for key, values in data.lists()
    )


class ControlCharactersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if CONTROL.search(request.path_info):
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": "Not Found"}, status=404)
            raise Http404
        if _PERCENT.search(request.META.get("QUERY_STRING", "").encode("latin-1", "replace")):
            request.GET = _clean_querydict(request.GET)  # type: ignore[assignment]
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            if _has_control(request.POST):
                request.POST = _clean_querydict(request.POST)  # type: ignore[assignment]
        elif request.method in ("POST", "PUT", "PATCH", "DELETE") and (
            request.content_type == "application/json"
            or (request.content_type or "").endswith("+json")
        ):
            self._clean_json(request)
        return self.get_response(request)

    @staticmethod
    def _clean_json(request: HttpRequest) -> None:
        body = request.body
        if not _JSON.search(body):
            return
        try:
            data = json.loads(body)
        except ValueError:
            return  # the API answers 400 for a body that is not JSON
        request._body = json.dumps(clean_value(data)).encode()  # type: ignore[attr-defined]


# --- before any save ---------------------------------------------------------------------

_TEXT_FIELDS: dict[type, list[str]] = {}


def _text_fields(model: type[models.Model]) -> list[str]:
    names = _TEXT_FIELDS.get(model)
    if names is None:
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        _TEXT_FIELDS[model] = names
    return names


def _clean_before_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    for name in _text_fields(sender):
        value = getattr(instance, name)
        if isinstance(value, str):
            if CONTROL.search(value):
                setattr(instance, name, CONTROL.sub("", value))
        elif isinstance(value, dict | list):
            clean = clean_value(value)
            if clean != value:
                setattr(instance, name, clean)


def connect_signals() -> None:
    pre_save.connect(_clean_before_save, dispatch_uid="commonground.core.textinput")
