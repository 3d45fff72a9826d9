"""State changes of directory entries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext_noop

from commonground.core import slugs
from commonground.core.audit import audit_record, snapshot
from commonground.core.i18n import Msg

from .models import Organisation

if TYPE_CHECKING:
    from commonground.accounts.models import User

FIELDS = [
    "name",
    "org_number",
    "sector",
    "org_type",
    "place_name",
    "latitude",
    "longitude",
    "website",
    "mission",
    "size",
]


# Paths of the directory that a short name must not take.
RESERVED_SLUGS = frozenset({"new", "pick"})


def unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    return slugs.unique_slug(
        Organisation.objects.all(),
        name,
        max_length=200,
        fallback="organisation",
        exclude_pk=exclude_pk,
        reserved=RESERVED_SLUGS,
    )


@transaction.atomic
def organisation_save(
    *, actor: User | None, organisation: Organisation, offers: Any = None, needs: Any = None
) -> Organisation:
    """Create or update a directory entry (from a validated form's unsaved instance)."""
    creating = organisation.pk is None
    before = None
    if not creating:
        before = snapshot(Organisation.objects.get(pk=organisation.pk), FIELDS)
    if creating:
        organisation.created_by = actor
        organisation.slug = unique_slug(organisation.name)
    organisation.save()
    if offers is not None:
        organisation.offers.set(offers)
    if needs is not None:
        organisation.needs.set(needs)
    audit_record(
        actor=actor,
        verb="organisation.create" if creating else "organisation.update",
        target=organisation,
        summary=Msg(
            gettext_noop("Added %(name)s to the directory")
            if creating
            else gettext_noop("Edited %(name)s"),
            name=organisation.name,
        ),
        before=before,
        after=snapshot(organisation, FIELDS),
    )
    return organisation
