"""Who may do what in conversations."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from commonground.core import policy
from commonground.core.policy import ALL_ROLES, FACILITATORS, MANAGERS, PARTICIPANTS, register

VIEW = register("conversations.view", _("read conversations"), ALL_ROLES)
POST = register("conversations.post", _("start threads and post replies"), PARTICIPANTS)
MODERATE = register(
    "conversations.moderate",
    _("moderate conversations (pin, close, move, hide, agree facts)"),
    FACILITATORS,
)
GROUND_RULES = register("conversations.ground_rules", _("edit the ground rules"), MANAGERS)


def can_moderate(user: Any, partnership: Any) -> bool:
    return policy.has_capability(user, partnership, MODERATE)


def can_edit_post(user: Any, post: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and post.author_id == user.pk)


def can_answer(user: Any, post: Any) -> bool:
    return post.addressee_id == getattr(user, "pk", None) or can_moderate(
        user, post.thread.partnership
    )


def can_mark_kind(user: Any, post: Any) -> bool:
    return can_edit_post(user, post) or can_moderate(user, post.thread.partnership)
