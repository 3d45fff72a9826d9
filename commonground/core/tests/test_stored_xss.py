"""Stored XSS: a script payload in every free-text field renders inert on every page.

The test builds the permission-matrix world (so every URL has an object to
show), writes a payload into every free-text column of every Common Ground
model, then fetches every GET URL of the matrix as an instance admin and as a
manager and checks that no payload survives as live markup.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.test import Client
from django.urls import reverse

from commonground.core.tests.test_permission_matrix import matrix_rows

PAYLOAD = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
SHORT = "<script>x</script>"
SKIP_NAMES = {
    "slug",
    "email",
    "token_hash",
    "password",
    "prefix",
    "kind",
    "status",
    "verb",
    "target_type",
    "target_id",
    "sha256",
    "content_hash",
    "key",
    "stable_key",
    "code",
    "mime_type",
    "content_type",
    "extension",
    "currency",
    "language",
}


def text_fields(model: type[models.Model]) -> list:
    fields = []
    for f in model._meta.concrete_fields:
        if not isinstance(f, models.CharField | models.TextField) or f.choices or f.primary_key:
            continue
        if isinstance(f, models.EmailField | models.URLField | models.SlugField | models.FileField):
            continue
        if (
            f.name in SKIP_NAMES
            or f.name.endswith(("_hash", "_token", "_key", "_code"))
            or f.unique
        ):
            continue
        fields.append(f)
    return fields


def poison_everything(payloads: Sequence[str] = (PAYLOAD, SHORT)) -> int:
    """Write into every free-text column of every row the first of ``payloads`` that fits.

    Returns the number of values written. ``payloads`` go from longest to shortest.
    """
    poisoned = 0
    labels = {a.rsplit(".", 1)[-1] for a in settings.COMMONGROUND_APPS}
    for model in apps.get_models():
        if model._meta.app_label not in labels:
            continue
        for f in text_fields(model):
            limit = getattr(f, "max_length", None) or 10_000
            value = next((p for p in payloads if len(p) <= limit), None)
            if value is None:
                continue
            try:
                with transaction.atomic():
                    poisoned += model._default_manager.update(**{f.name: value})
            except IntegrityError:
                # Part of a unique constraint: one payload per row, told apart by the row id.
                for pk in model._default_manager.values_list("pk", flat=True):
                    tagged = next(
                        (p + str(pk) for p in payloads if len(p + str(pk)) <= limit), None
                    )
                    if tagged is not None:
                        model._default_manager.filter(pk=pk).update(**{f.name: tagged})
                        poisoned += 1
    return poisoned


def is_live(body: str) -> bool:
    return "<script>alert" in body or "<img src=x onerror" in body or "<script>x</script>" in body


@pytest.mark.django_db
def test_script_payloads_in_free_text_render_inert(world):
    rows = [r for r in matrix_rows(world) if r.method == "get" and r.access not in ("public_404",)]
    assert poison_everything() > 0
    failures = []
    for role in ("admin", "manager"):
        client = Client(raise_request_exception=False)
        client.force_login(world.user(role))
        for row in rows:
            kwargs = row.kwargs() if callable(row.kwargs) else row.kwargs
            response = client.get(reverse(row.name, kwargs=kwargs))
            ctype = response.get("Content-Type", "")
            if (
                response.status_code != 200
                or "html" not in ctype
                or getattr(response, "streaming", False)
            ):
                continue
            if is_live(response.content.decode("utf-8", "replace")):
                failures.append(f"{row.name} as {role}")
    assert not failures, "live payload on: " + ", ".join(failures)
