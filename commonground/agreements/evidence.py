"""Evidence from the agreements: a text ratified by every party."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.core.evidence import Evidence

from .models import AgreementVersion
from .start import start_decided


def agreement_ratified(p: Any) -> Evidence | None:
    version = (
        AgreementVersion.objects.filter(agreement__partnership=p, ratified_at__isnull=False)
        .select_related("agreement")
        .order_by("-ratified_at", "-id")
        .first()
    )
    if version is None:
        return None
    return Evidence(
        _("“%(title)s” ratified by every party") % {"title": version.title},
        version.agreement.get_absolute_url(),
        timezone.localdate(version.ratified_at),
    )


EVIDENCE = {
    "agree.ratify.ratify-signed": agreement_ratified,
    "agree.start.start-decided": start_decided,
}
