"""Texts the application writes for people (audit summaries, default names), kept as a
message key with its values so each reader sees them in their own language.

A call site builds ``Msg(gettext_noop("Created the partnership “%(name)s”"), name=name)``
(``gettext_noop`` lets ``makemessages`` find the key). ``Msg.store()`` gives the key and
JSON-ready values to save; ``render(key, params)`` turns them back into text in the active
language. Values are kept as they are (names, numbers), except:

- a lazy translation (a choice label such as ``RoleKind(kind).label``, or
  ``choice_label(obj, "kind")``) is stored as its own key, ``{"$t": msgid}``, and
  translated when read (``lower(...)`` adds ``"lower": true``);
- a nested ``Msg`` is stored as ``{"$m": key, "p": params}``;
- a list is stored item by item and shown joined with commas;
- a date is stored as ``{"$d": "2026-12-07"}`` and shown in the reader's date format;
- anything else (a model instance, a Decimal) as its text.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import formats, translation
from django.utils.functional import Promise
from django.utils.translation import gettext

__all__ = ["Msg", "Term", "choice_label", "lower", "msgid", "render", "render_default"]


@dataclass(frozen=True)
class Term:
    """A word from the catalogues (a choice label), translated when read."""

    msgid: str
    lower: bool = False


@dataclass(frozen=True)
class Msg:
    """A message key with its values; rendered in the language active when shown."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def __init__(self, key: str, values: Mapping[str, Any] | None = None, /, **params: Any):
        object.__setattr__(self, "key", str(key))
        object.__setattr__(self, "params", {**(values or {}), **params})

    def stored_params(self) -> dict[str, Any]:
        """The values as JSON (see the module's notes)."""
        return {str(k): _store(v) for k, v in self.params.items()}

    def __str__(self) -> str:
        return render(self.key, self.stored_params())


def msgid(promise: Promise) -> str:
    """The untranslated text of a lazy translation (its message key)."""
    with translation.override(None):
        return str(promise)


def choice_label(instance: models.Model, field_name: str) -> Any:
    """The label of ``instance``'s choice field as declared (a lazy translation, so a
    ``Msg`` stores it as a key), where ``get_<field>_display()`` would give it already
    translated into the writer's language."""
    value = getattr(instance, field_name)
    labels = dict(instance._meta.get_field(field_name).flatchoices)  # type: ignore[union-attr]
    return labels.get(value, value)


def lower(label: Any) -> Term | str:
    """A label shown in lower case, in whatever language it is read."""
    if isinstance(label, Promise):
        return Term(msgid(label), lower=True)
    return str(label).lower()


def _store(value: Any) -> Any:
    if isinstance(value, Msg):
        return {"$m": value.key, "p": value.stored_params()}
    if isinstance(value, Term):
        return {"$t": value.msgid, **({"lower": True} if value.lower else {})}
    if isinstance(value, Promise):
        return {"$t": msgid(value)}
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime.datetime):
        return str(value)
    if isinstance(value, datetime.date):
        return {"$d": value.isoformat()}
    if isinstance(value, list | tuple):
        return [_store(v) for v in value]
    if isinstance(value, decimal.Decimal):
        return str(value)
    return str(value)


def _shown(value: Any) -> Any:
    if isinstance(value, list):
        return ", ".join(str(_shown(v)) for v in value)
    if isinstance(value, dict):
        if "$t" in value:
            text = gettext(str(value["$t"]))
            return text.lower() if value.get("lower") else text
        if "$m" in value:
            return render(str(value["$m"]), value.get("p") or {})
        if "$d" in value:
            try:
                return formats.date_format(datetime.date.fromisoformat(str(value["$d"])))
            except ValueError:
                return str(value["$d"])
    return value


def render(key: str, params: Mapping[str, Any] | None, fallback: str = "") -> str:
    """``key`` translated into the active language, with its stored values filled in.
    ``fallback`` (the stored text) is shown when there is no key, or when the values do
    not fit the text (a translation that names a value the key does not have)."""
    if not key:
        return fallback
    values = {k: _shown(v) for k, v in (params or {}).items()}
    try:
        return gettext(key) % values if values or "%(" in key else gettext(key)
    except (KeyError, ValueError, TypeError):
        try:
            return key % values
        except (KeyError, ValueError, TypeError):
            return fallback or key


def render_default(msg: Msg) -> str:
    """The text in the instance's default language, for the stored copy of a message
    (search, logs, exports that want one text)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(msg)
