"""Who may do what with health checks. Answering needs no role: the one-use link is the key."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from commonground.core import policy
from commonground.core.policy import ALL_ROLES, MANAGERS, register

from .models import Round, RoundStatus

VIEW = register(
    "healthchecks.view", _("see health-check rounds and their published results"), ALL_ROLES
)
MANAGE = register(
    "healthchecks.manage",
    _("edit the health-check questions, open, remind, close and publish rounds"),
    MANAGERS,
)


def can_see_results(user: Any, round: Round) -> bool:
    """Members see results once published; managers may look between close and publishing.

    Nobody sees anything derived from the answers while the round is open: only the
    number of answers (comparing results before and after one answer would show it).
    """
    if round.is_published:
        return policy.has_capability(user, round.partnership, VIEW)
    if round.status == RoundStatus.OPEN:
        return False
    return policy.has_capability(user, round.partnership, MANAGE)
