"""Who may do what with working groups, proposals, votes and the register."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from commonground.core import policy
from commonground.core.policy import ALL_ROLES, MANAGERS, PARTICIPANTS, register

from .models import DecisionDomain, DomainKind

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


# --- object rules: who decides under delegated authority ----------------------------


def can_decide_in(user: Any, domain: DecisionDomain) -> bool:
    """Instance form: may ``user`` record a decision under ``domain``'s delegated
    authority? The person the domain is delegated to, or a member (or the lead) of its
    working group, while they may make proposals in the partnership. Policy domains
    are never delegated."""
    if domain.is_major or not getattr(user, "is_authenticated", False):
        return False
    if not policy.has_capability(user, domain.partnership, PROPOSE):
        return False
    if domain.person_id is not None:
        return bool(domain.person_id == user.pk)
    if domain.working_group_id is not None:
        return is_group_member(user, domain.working_group)
    return False


def domains_decidable_by(user: Any, domains: QuerySet[DecisionDomain]) -> QuerySet[DecisionDomain]:
    """Queryset form of :func:`can_decide_in`: the domains in ``domains`` where ``user``
    may record delegated decisions."""
    from commonground.partnerships.models import WorkingGroup

    if not getattr(user, "is_authenticated", False):
        return domains.none()
    groups = WorkingGroup.objects.filter(Q(lead=user) | Q(members=user)).values("pk")
    return (
        domains.exclude(kind=DomainKind.POLICY)
        .filter(partnership__in=policy.partnerships_with(user, PROPOSE).values("pk"))
        .filter(Q(person=user) | Q(person__isnull=True, working_group__in=groups))
    )
