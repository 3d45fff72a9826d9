"""Evidence from the contributions ledger: what each member brings."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import ngettext_lazy

from commonground.core.evidence import Evidence, share
from commonground.partnerships.models import Membership, MembershipStatus

from .models import Contribution


def each_member_contributes(p: Any) -> Evidence | None:
    counts = Membership.objects.filter(partnership=p, status=MembershipStatus.ACTIVE).aggregate(
        members=Count("id"),
        giving=Count(
            "id",
            filter=Q(
                Exists(
                    Contribution.objects.filter(
                        partnership=p, contributor_id=OuterRef("organisation_id")
                    )
                )
            ),
        ),
    )
    return share(
        counts["giving"],
        counts["members"],
        ngettext_lazy(
            "%(n)s of %(total)s member organisation has recorded a contribution",
            "%(n)s of %(total)s member organisations have recorded a contribution",
            "total",
        ),
        reverse("contributions:ledger", kwargs={"slug": p.slug}),
    )


EVIDENCE = {
    "agree.negotiate.negotiate-resources": each_member_contributes,
    "element:mutual_understanding": each_member_contributes,
}
