"""Model fields that many apps declare the same way.

Each is a plain Django field with the repeated arguments filled in, so a model states only
what differs (the related name, the label). ``deconstruct`` names Django's own class, so
migrations see exactly the field they saw before these existed: using or dropping one of
these never needs a migration. Related models are named as "app.Model" strings (core
imports no app).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models

PARTNERSHIP = "partnerships.Partnership"
ORGANISATION = "organisations.Organisation"

# The value types (set, get) that the django-stubs plugin fills in from the model, as it
# does for ForeignKey; the default lets it see them as not yet known.
if TYPE_CHECKING:
    from typing_extensions import TypeVar

    _ST = TypeVar("_ST", default=Any)
    _GT = TypeVar("_GT", default=Any)
else:
    from typing import TypeVar

    _ST = TypeVar("_ST")
    _GT = TypeVar("_GT")


class _ForeignKey(models.ForeignKey[_ST, _GT]):
    """A ForeignKey that migrations record, and copy, as Django's own."""

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.ForeignKey", args, kwargs

    def clone(self) -> Any:
        # ``deconstruct`` leaves out arguments at Django's defaults (e.g. ``blank=False``),
        # which are not the defaults here: copy into Django's class, which has them.
        _name, _path, args, kwargs = self.deconstruct()
        return models.ForeignKey(*args, **kwargs)


class PartnershipForeignKey(_ForeignKey[_ST, _GT]):
    """The partnership a record belongs to; the record goes with the partnership."""

    def __init__(
        self,
        to: Any = PARTNERSHIP,
        on_delete: Any = models.CASCADE,
        **kwargs: Any,
    ) -> None:
        super().__init__(to, on_delete, **kwargs)


class OrganisationForeignKey(_ForeignKey[_ST, _GT]):
    """An organisation a record names (who gave, signed, owns); by default the
    organisation cannot be deleted while a record names it (``PROTECT``)."""

    def __init__(
        self,
        to: Any = ORGANISATION,
        on_delete: Any = models.PROTECT,
        **kwargs: Any,
    ) -> None:
        super().__init__(to, on_delete, **kwargs)


class OptionalForeignKey(_ForeignKey[_ST | None, _GT | None]):
    """A link that may be empty and is emptied when the other record is deleted
    (``on_delete=SET_NULL``, ``null`` and ``blank``)."""

    def __init__(
        self,
        to: Any,
        on_delete: Any = models.SET_NULL,
        *,
        null: bool = True,
        blank: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(to, on_delete, null=null, blank=blank, **kwargs)


class UserLink(OptionalForeignKey[_ST, _GT]):
    """A person named on a record (who created, chaired, signed or recorded it), with no
    list of such records on the user (``related_name="+"``); the record stays, with the
    link emptied, when that account is deleted."""

    def __init__(self, to: Any = settings.AUTH_USER_MODEL, **kwargs: Any) -> None:
        kwargs.setdefault("related_name", "+")
        super().__init__(to, **kwargs)
