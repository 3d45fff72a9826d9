from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def fields_named(form: Any, names: str) -> list[Any]:
    """The bound fields of ``form`` named in a comma-separated list (missing ones skipped)."""
    return [form[name] for name in names.split(",") if name in form.fields]


@register.filter
def prep_labels(codes: Any, tool: str) -> list[Any]:
    """The labels of the items chosen in a preparation list tool."""
    from commonground.systemmap.preplists import labels

    return labels(tool, list(codes or []))
