"""Who may change a directory entry.

The directory is shared by everyone on the instance: any signed-in person may
read it and add an organisation. An entry may be edited by the person who
created it, by people who belong to the organisation, and by instance admins.
"""

from __future__ import annotations

from typing import Any

from commonground.core import policy

from .models import Organisation


def can_edit(user: Any, organisation: Organisation) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if policy.is_instance_admin(user):
        return True
    return organisation.created_by_id == user.pk or user.organisation_id == organisation.pk
