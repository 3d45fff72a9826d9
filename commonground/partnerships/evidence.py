"""Evidence from the partnership's own page, its members and roles."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from commonground.core.evidence import Evidence, share

from .models import MembershipStatus, Partnership, Role, RoleKind


def _edit(p: Partnership) -> str:
    return reverse("partnerships:edit", kwargs={"slug": p.slug})


def _members(p: Partnership) -> str:
    return reverse("partnerships:members", kwargs={"slug": p.slug})


def trigger_written(p: Partnership) -> Evidence | None:
    if p.trigger.strip():
        return Evidence(_("The trigger is written on the partnership’s page"), _edit(p))
    return None


def objectives_listed(p: Partnership) -> Evidence | None:
    if p.objectives.strip():
        return Evidence(_("Objectives are written on the partnership’s page"), _edit(p))
    return None


def _role_holder(p: Partnership, *kinds: str) -> Role | None:
    return (
        Role.objects.filter(partnership=p, kind__in=kinds, ended_on__isnull=True)
        .select_related("user")
        .order_by("started_on", "id")
        .first()
    )


def manager_named(p: Partnership) -> Evidence | None:
    role = _role_holder(p, RoleKind.MANAGER)
    if role is None:
        return None
    return Evidence(
        _("%(person)s is the partnership’s manager / backbone") % {"person": role.user},
        _members(p),
        role.started_on,
    )


def representatives_named(p: Partnership) -> Evidence | None:
    counts = p.memberships.filter(status=MembershipStatus.ACTIVE).aggregate(
        members=Count("id"),
        represented=Count(
            "id",
            filter=Q(
                organisation__in=Role.objects.filter(
                    partnership=p, kind=RoleKind.REPRESENTATIVE, ended_on__isnull=True
                ).values("organisation_id")
            ),
        ),
    )
    return share(
        counts["represented"],
        counts["members"],
        ngettext_lazy(
            "%(n)s of %(total)s member organisation has a named representative",
            "%(n)s of %(total)s member organisations have a named representative",
            "total",
        ),
        _members(p),
    )


def sponsors_and_champions(p: Partnership) -> Evidence | None:
    kinds = set(
        Role.objects.filter(
            partnership=p, kind__in=[RoleKind.SPONSOR, RoleKind.CHAMPION], ended_on__isnull=True
        ).values_list("kind", flat=True)
    )
    if not kinds:
        return None
    return Evidence(
        _("Sponsors and champions are named in the roles")
        if len(kinds) == 2
        else _("Only a sponsor or only a champion is named so far"),
        _members(p),
        met=len(kinds) == 2,
    )


EVIDENCE = {
    "prepare.trigger.trigger-written": trigger_written,
    "prepare.objectives.objectives-listed": objectives_listed,
    "agree.roles.roles-manager": manager_named,
    "agree.roles.roles-representatives": representatives_named,
    "element:manager": manager_named,
    "element:sponsors_champions": sponsors_and_champions,
}
