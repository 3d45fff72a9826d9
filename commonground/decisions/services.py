"""State changes of the decision register."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from commonground.core.audit import audit_record

from .models import Decision


@transaction.atomic
def decision_record(
    *,
    actor: Any,
    partnership: Any,
    title: str,
    method: str,
    decided_on: datetime.date,
    adopted: bool = True,
    tally: dict[str, Any] | None = None,
    statement: str = "",
    working_group: Any = None,
    source_label: str = "",
    source_url: str = "",
) -> Decision:
    """Enter a decision in the register (from a closed proposal or an adopted motion)."""
    decision = Decision.objects.create(
        partnership=partnership,
        working_group=working_group,
        title=title,
        statement=statement,
        method=method,
        tally=tally or {},
        adopted=adopted,
        decided_on=decided_on,
        decided_by=actor if getattr(actor, "is_authenticated", False) else None,
        source_label=source_label,
        source_url=source_url,
    )
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="decision.record",
        target=decision,
        summary=_("Decision recorded: %(title)s") % {"title": title},
        after={"method": method, "adopted": adopted, "tally": tally or {}},
    )
    return decision
