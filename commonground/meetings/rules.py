"""Who may do what with meetings."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from commonground.core.policy import (
    ALL_ROLES,
    FACILITATORS,
    MANAGERS,
    PARTICIPANTS,
    RECORD_KEEPERS,
    register,
)

VIEW = register("meetings.view", _("see meetings, agendas and minutes"), ALL_ROLES)
MANAGE = register(
    "meetings.manage",
    _("plan meetings, build agendas, accept or defer proposed items"),
    FACILITATORS,
)
PROPOSE_ITEM = register(
    "meetings.propose_item", _("propose agenda items and assess meetings"), PARTICIPANTS
)
RECORD = register(
    "meetings.record",
    _("record attendance and minutes, circulate and approve them"),
    RECORD_KEEPERS,
)
SETTINGS = register("meetings.settings", _("change the meeting quorum"), MANAGERS)
