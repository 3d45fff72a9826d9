"""Who may do what with health checks. Answering needs no role: the one-use link is the key."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from commonground.core import policy
from commonground.core.policy import ALL_ROLES, MANAGERS, register

from .models import Round

VIEW = register(
    "healthchecks.view", _("see health-check rounds and their published results"), ALL_ROLES
)
MANAGE = register(
    "healthchecks.manage",
    _("edit the health-check questions, open, remind, close and publish rounds"),
    MANAGERS,
)


def can_see_results(user: Any, round: Round) -> bool:
    """Members see results once published; managers may look before publishing."""
    if round.is_published:
        return policy.has_capability(user, round.partnership, VIEW)
    return policy.has_capability(user, round.partnership, MANAGE)
