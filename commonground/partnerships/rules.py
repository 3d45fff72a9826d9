"""Who may do what with a partnership, its members and roles."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from commonground.core import policy
from commonground.core.policy import ALL_ROLES, MANAGERS, register

from .models import Partnership, Visibility

VIEW = register("partnership.view", _("see the partnership workspace"), ALL_ROLES)
MANAGE = register("partnership.manage", _("edit the partnership, its members and roles"), MANAGERS)
INVITE = register("partnership.invite", _("invite people and organisations"), MANAGERS)
VIEW_AUDIT = register("partnership.view_audit", _("read the audit log"), MANAGERS, reads=True)


def visible_partnerships(user: Any) -> QuerySet[Partnership]:
    """Partnerships whose name and purpose the user may see: their own plus listed ones."""
    if policy.is_instance_admin(user):
        return Partnership.objects.all()
    if not getattr(user, "is_authenticated", False):
        return Partnership.objects.none()
    member_of = policy.partnerships_with(user, VIEW).values("pk")
    return Partnership.objects.filter(Q(pk__in=member_of) | Q(visibility=Visibility.LISTED))


def can_see_summary(user: Any, partnership: Partnership) -> bool:
    return partnership.visibility == Visibility.LISTED or policy.has_capability(
        user, partnership, VIEW
    )
