"""Who holds which roles: the lookups behind the permission policy (``core.policy``,
which asks them through ``policy.use_role_lookups``, set in ``PartnershipsConfig.ready``)
and the people lists other apps offer in their forms."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import QuerySet

from commonground.accounts.models import User

from .models import Partnership, Role


def role_kinds(user: Any, partnership: Partnership) -> frozenset[str]:
    """The kinds of the active roles ``user`` (signed in) holds in ``partnership``."""
    return frozenset(
        Role.objects.filter(user=user, partnership=partnership, ended_on__isnull=True)
        # unordered: the roles' default order joins partnerships and people for it
        .order_by()
        .values_list("kind", flat=True)
    )


def partnerships_where(user: Any, kinds: Collection[str] | None) -> QuerySet[Partnership]:
    """The partnerships in which ``user`` holds an active role of one of ``kinds``; every
    partnership for ``kinds=None``, none for ``user=None``."""
    if user is None:
        return Partnership.objects.none()
    if kinds is None:
        return Partnership.objects.all()
    return Partnership.objects.filter(
        roles__user=user, roles__ended_on__isnull=True, roles__kind__in=kinds
    ).distinct()


def partnership_by_slug(slug: str) -> Partnership | None:
    # ordered by id, not by the default name: the slug is unique
    return Partnership.objects.filter(slug=slug).order_by("pk").first()


def user_org_ids(user: Any, partnership: Any) -> set[int]:
    """Organisations the user acts for in this partnership (active roles, plus their own)."""
    ids = set(
        Role.objects.filter(
            user=user, partnership=partnership, ended_on__isnull=True, organisation__isnull=False
        ).values_list("organisation_id", flat=True)
    )
    if getattr(user, "organisation_id", None):
        ids.add(user.organisation_id)
    return ids


def people(partnership: Any) -> QuerySet[User]:
    """The people with an active role in the partnership, by name."""
    return (
        User.objects.filter(
            partnership_roles__partnership=partnership, partnership_roles__ended_on__isnull=True
        )
        .distinct()
        .order_by("display_name", "email")
    )


def people_choices(partnership: Any) -> list[tuple[int, str]]:
    """The active members as ``(id, name)`` pairs for a filter menu: the same order and
    labels as ``people`` without building a model instance per person."""
    rows = people(partnership).values_list("pk", "display_name", "email")
    return [(pk, name or email) for pk, name, email in rows]
