"""Who may read and write the contributions ledger."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from commonground.core.policy import ALL_ROLES, MANAGERS, register

VIEW = register("contributions.view", _("see the contributions ledger"), ALL_ROLES)
RECORD = register(
    "contributions.record",
    _("record contributions and benefits"),
    MANAGERS | {"representative"},
)
MANAGE = register("contributions.manage", _("set exchange rates and import the ledger"), MANAGERS)
