"""Inbox: agreement texts waiting for the person's signature (as the authorised
signatory of a party that has not ratified the latest version yet)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from commonground.core.inbox import Item, Section
from commonground.partnerships.models import Role

from .models import AgreementVersion, Ratification


def waiting(
    user: Any, now: datetime.datetime, limit: int, partnership: Any = None
) -> list[Section]:
    roles = Role.objects.filter(
        user=user, is_signatory=True, ended_on__isnull=True, organisation__isnull=False
    )
    if partnership is not None:
        roles = roles.filter(partnership=partnership)
    signs_for = set(roles.order_by().values_list("partnership_id", "organisation_id"))
    section = Section("signatures", _("Agreements awaiting your signature"))
    if not signs_for:
        return [section]
    latest = AgreementVersion.objects.filter(agreement=OuterRef("agreement")).order_by("-number")
    versions = list(
        AgreementVersion.objects.filter(
            ratified_at__isnull=True,
            agreement__partnership_id__in={p for p, _o in signs_for},
            agreement__termination_notices__isnull=True,
            parties__in={o for _p, o in signs_for},
            pk=Subquery(latest.values("pk")[:1]),
        )
        .distinct()
        .select_related("agreement__partnership")
        .order_by("created_at", "id")
    )
    parties = set(
        AgreementVersion.parties.through.objects.filter(
            agreementversion_id__in=[v.pk for v in versions]
        ).values_list("agreementversion_id", "organisation_id")
    )
    signed = set(
        Ratification.objects.filter(version__in=versions).values_list(
            "version_id", "organisation_id"
        )
    )
    todo = []
    for v in versions:
        for partnership_id, org_id in sorted(signs_for):
            if (
                partnership_id == v.agreement.partnership_id
                and (v.pk, org_id) in parties
                and (v.pk, org_id) not in signed
            ):
                todo.append(v)
                break
    section.count = len(todo)
    section.items = [
        Item.of(
            v.agreement,
            title=_("%(title)s, version %(n)s") % {"title": v.title, "n": v.number},
            action=_("Read and ratify"),
        )
        for v in todo[:limit]
    ]
    return [section]
