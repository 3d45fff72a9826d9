"""The shared field classes are Django's ForeignKey with arguments filled in: migrations
record them as ForeignKey, and copies (the migration state) keep every argument."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from commonground.actionplan.models import Action
from commonground.core.fields import OptionalForeignKey, PartnershipForeignKey, UserLink
from commonground.prospects.models import ContactLog


def _same_as(field: models.Field, plain: models.ForeignKey) -> None:
    plain.set_attributes_from_name(field.name)
    assert field.deconstruct()[1] == "django.db.models.ForeignKey"
    assert field.deconstruct()[2:] == plain.deconstruct()[2:]


def test_each_field_deconstructs_as_the_foreign_key_it_stands_for():
    _same_as(
        Action._meta.get_field("partnership"),
        models.ForeignKey(
            "partnerships.Partnership", on_delete=models.CASCADE, related_name="actions"
        ),
    )
    _same_as(
        Action._meta.get_field("owner"),
        models.ForeignKey(
            settings.AUTH_USER_MODEL,
            on_delete=models.SET_NULL,
            null=True,
            blank=True,
            related_name="actions",
            verbose_name="owner",
        ),
    )
    _same_as(
        Action._meta.get_field("created_by"),
        models.ForeignKey(
            settings.AUTH_USER_MODEL,
            on_delete=models.SET_NULL,
            null=True,
            blank=True,
            related_name="+",
        ),
    )
    assert isinstance(Action._meta.get_field("partnership"), PartnershipForeignKey)
    assert isinstance(Action._meta.get_field("owner"), OptionalForeignKey)
    assert isinstance(Action._meta.get_field("created_by"), UserLink)


def test_a_copy_keeps_an_argument_left_at_djangos_default():
    # ContactLog.by is a UserLink with blank=False (Django's default, so deconstruct
    # leaves it out, while UserLink's own default is blank=True).
    field = ContactLog._meta.get_field("by")
    copy = field.clone()
    assert (field.blank, copy.blank) == (False, False)
    assert (copy.null, copy.remote_field.on_delete) == (True, models.SET_NULL)
