"""The audit log's change column in words: each changed field by its name, a choice by
its label and a yes/no as a word, in the reader's language (the event keeps the stored
codes, as written)."""

from __future__ import annotations

from typing import Any

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _

register = template.Library()


def _model(event: Any) -> type[models.Model] | None:
    try:
        return apps.get_model(event.target_type) if event.target_type else None
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _value(model: type[models.Model] | None, name: str, value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{_label(model, k)}: {_value(model, k, v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_value(model, name, v) for v in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value is None or value == "":
        return "—"
    field = _field(model, name)
    choices = getattr(field, "flatchoices", None) if field is not None else None
    if choices:
        labels = {str(k): v for k, v in choices}
        if str(value) in labels:
            return str(labels[str(value)])
    return str(value)


def _label(model: type[models.Model] | None, name: str) -> str:
    field = _field(model, name)
    verbose = getattr(field, "verbose_name", None)
    return str(verbose) if verbose else name.replace("_", " ")


@register.filter
def audit_changes(event: Any) -> list[dict[str, str]]:
    """One row per field named in the event's before or after: label, before, after."""
    model = _model(event)
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    rows = []
    for name in dict.fromkeys([*before, *after]):
        rows.append(
            {
                "label": _label(model, name),
                "before": _value(model, name, before[name]) if name in before else "",
                "after": _value(model, name, after[name]) if name in after else "",
            }
        )
    return rows
