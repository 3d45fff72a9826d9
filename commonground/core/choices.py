"""A cheaper ``get_<field>_display`` for every model field with fixed choices.

Django's own version rebuilds a dictionary of all the field's choices on every call
(flattening them and making each one hashable). A table of 25 rows with two choice
columns did that 50 times per page, a twentieth of the time of the benchmarked pages.
Here the dictionary is built once per field, on first use.
"""

from __future__ import annotations

from functools import partialmethod
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.encoding import force_str
from django.utils.translation import get_language


def _display(field: models.Field) -> Any:
    labels: dict[Any, Any] = {}
    # the label of each value in each language, translated once: a list of a hundred
    # attendees translated the same three labels a hundred times
    translated: dict[tuple[str | None, Any], Any] = {}

    def get_display(instance: models.Model) -> Any:
        value = getattr(instance, field.attname)
        key = (get_language(), value)
        try:
            return translated[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable value (e.g. a list): Django's way handles it
            return instance._get_FIELD_display(field)  # type: ignore[attr-defined]
        if not labels:
            labels.update(field.flatchoices)
        if value not in labels:  # not a choice: shown as it is, and not remembered
            return force_str(value, strings_only=True)
        label = translated[key] = force_str(labels[value], strings_only=True)
        return label

    get_display.__name__ = f"get_{field.name}_display"
    return get_display


def install() -> None:
    """Replace the display method Django generated on each model field whose choices are
    a fixed list; a method a model defines itself, or choices computed on each use, are
    left alone."""
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not isinstance(field, models.Field) or not field.choices:
                continue
            if not isinstance(field.choices, (list, tuple)):
                continue
            name = f"get_{field.name}_display"
            generated = model.__dict__.get(name)
            if isinstance(generated, partialmethod) and generated.keywords.get("field") is field:
                setattr(model, name, _display(field))
