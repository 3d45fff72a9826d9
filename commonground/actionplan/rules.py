"""Who may do what with the action plan."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from commonground.core import policy
from commonground.core.policy import ALL_ROLES, PARTICIPANTS, register

from .models import Action

VIEW = register("actionplan.view", _("see the action plan"), ALL_ROLES)
EDIT = register("actionplan.edit", _("add and update actions"), PARTICIPANTS)


def visible_actions(user: Any) -> QuerySet[Action]:
    """Queryset form: actions in every partnership where the user may see the action plan."""
    return Action.objects.filter(partnership__in=policy.partnerships_with(user, VIEW).values("pk"))
