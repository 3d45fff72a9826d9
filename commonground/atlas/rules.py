"""Who may do what in the activity atlas."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from commonground.core import policy
from commonground.core.policy import ALL_ROLES, MANAGERS, PARTICIPANTS, register
from commonground.partnerships.roles import user_org_ids

VIEW = register("atlas.view", _("see the activity map and overlaps"), ALL_ROLES)
ADD = register("atlas.add", _("add activities to the map"), PARTICIPANTS)
SUGGEST = register("atlas.suggest", _("suggest a conversation between activities"), PARTICIPANTS)
MANAGE = register("atlas.manage", _("edit any activity on the map"), MANAGERS)
FOLLOW_UP = register(
    "atlas.follow_up",
    _("follow up a suggested conversation with a prospect or a proposal"),
    MANAGERS | {"champion", "facilitator"},
)


def can_edit_activity(user: Any, activity: Any) -> bool:
    """Managers edit any activity; participants edit those their organisation takes part in,
    or that they added themselves."""
    partnership = activity.partnership
    if policy.has_capability(user, partnership, MANAGE):
        return True
    if not policy.has_capability(user, partnership, ADD):
        return False
    if activity.created_by_id == user.pk:
        return True
    orgs = set(activity.organisations.values_list("pk", flat=True))
    return bool(orgs & user_org_ids(user, partnership))


def editable_activities(user: Any, partnership: Any, activities: QuerySet[Any]) -> QuerySet[Any]:
    """Queryset form of ``can_edit_activity``: those of ``activities`` (of ``partnership``)
    that ``user`` may edit."""
    if policy.has_capability(user, partnership, MANAGE):
        return activities.filter(partnership=partnership)
    if not policy.has_capability(user, partnership, ADD):
        return activities.none()
    mine = Q(created_by_id=user.pk) | Q(organisations__in=user_org_ids(user, partnership))
    # The ids in a subquery rather than .distinct() on the rows: callers may order or
    # slice as they like.
    return activities.filter(
        partnership=partnership,
        pk__in=activities.model.objects.filter(mine).values("pk"),
    )
