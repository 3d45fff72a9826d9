"""Who may do what with indicators, measurements and reviews."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from commonground.core import policy
from commonground.core.policy import ALL_ROLES, MANAGERS, PARTICIPANTS, register

from .models import Indicator

VIEW = register("results.view", _("see indicators, measurements and reviews"), ALL_ROLES)
RECORD = register("results.record", _("record and import measurements"), PARTICIPANTS)
MANAGE = register(
    "results.manage", _("define indicators, revise targets and record reviews"), MANAGERS
)


def visible_indicators(user: Any) -> QuerySet[Indicator]:
    """Queryset form: every indicator the user may see."""
    return Indicator.objects.filter(partnership__in=policy.partnerships_with(user, VIEW))
