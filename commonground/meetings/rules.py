"""Who may do what with meetings."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from commonground.core import policy
from commonground.core.policy import (
    ALL_ROLES,
    FACILITATORS,
    MANAGERS,
    PARTICIPANTS,
    RECORD_KEEPERS,
    register,
)

from .models import Meeting

VIEW = register("meetings.view", _("see meetings, agendas and minutes"), ALL_ROLES)
MANAGE = register(
    "meetings.manage",
    _("plan meetings, build agendas, accept or defer proposed items"),
    FACILITATORS,
)
PROPOSE_ITEM = register(
    "meetings.propose_item", _("propose agenda items and assess meetings"), PARTICIPANTS
)
RECORD = register(
    "meetings.record",
    _("record attendance and minutes, circulate and approve them"),
    RECORD_KEEPERS,
)
SETTINGS = register("meetings.settings", _("change the meeting quorum"), MANAGERS)


# --- object rules: who may chair a meeting ------------------------------------------


def can_chair(user: Any, meeting: Meeting) -> bool:
    """Instance form: may ``user`` act as the chair of ``meeting`` (build its agenda,
    accept, defer and order items)? Facilitators and managers may; so may the person
    named as the meeting's chair while they hold a role in the partnership."""
    if policy.has_capability(user, meeting.partnership, MANAGE):
        return True
    return bool(
        getattr(user, "is_authenticated", False)
        and meeting.chair_id == user.pk
        and policy.has_capability(user, meeting.partnership, VIEW)
    )


def meetings_chairable_by(user: Any, meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """Queryset form of :func:`can_chair`: the meetings in ``meetings`` that ``user`` may chair."""
    if not getattr(user, "is_authenticated", False):
        return meetings.none()
    managed = policy.partnerships_with(user, MANAGE).values("pk")
    member_of = policy.partnerships_with(user, VIEW).values("pk")
    return meetings.filter(Q(partnership__in=managed) | Q(chair=user, partnership__in=member_of))
