"""Who may do what with working groups, proposals, votes and the register."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from commonground.core import policy
from commonground.core.policy import ALL_ROLES, MANAGERS, PARTICIPANTS, register

VIEW = register(
    "decisions.view", _("see working groups, proposals and the decision register"), ALL_ROLES
)
PROPOSE = register("decisions.propose", _("make proposals"), PARTICIPANTS)
VOTE = register("decisions.vote", _("vote on proposals"), PARTICIPANTS)
MANAGE = register(
    "decisions.manage",
    _("set up working groups, decision authority and governance settings"),
    MANAGERS,
)


def is_group_member(user: Any, group: Any) -> bool:
    if group is None or not getattr(user, "is_authenticated", False):
        return False
    if group.lead_id == user.pk:
        return True
    return group.members.filter(pk=user.pk).exists()


def can_propose_in(user: Any, partnership: Any, group: Any) -> bool:
    """Anyone who may propose can ask the whole partnership; a working group's
    own members (and managers) propose in the group."""
    if not policy.has_capability(user, partnership, PROPOSE):
        return False
    if group is None:
        return True
    return policy.has_capability(user, partnership, MANAGE) or is_group_member(user, group)


def can_close(user: Any, proposal: Any) -> bool:
    """Closing early or recording the outcome: the proposer or a manager."""
    if not getattr(user, "is_authenticated", False):
        return False
    return proposal.proposer_id == user.pk or policy.has_capability(
        user, proposal.partnership, MANAGE
    )
