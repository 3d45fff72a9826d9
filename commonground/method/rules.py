"""Who may do what with the method: capabilities of the method app.

Everyone with a role reads the method pages. People who do the partnership's
work (participants) tick checklists, write step notes and edit design
elements, the structure profile and the cycle logs. Managers move phases and
keep the glossary; facilitators also record milestone reviews. Everyone but
observers rates the relationship spectrum. Observers read only.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from commonground.core.policy import (
    ALL_ROLES,
    FACILITATORS,
    MANAGERS,
    PARTICIPANTS,
    register,
)

VIEW = register("method.view", _("see the method, progress and design elements"), ALL_ROLES)
WORK = register(
    "method.work",
    _("tick checklists, write step notes and record the profile and cycles"),
    PARTICIPANTS,
)
EDIT_ELEMENTS = register("method.edit_elements", _("edit design elements"), PARTICIPANTS)
MOVE_PHASE = register(
    "method.move_phase", _("complete, reopen or send back lifecycle phases"), MANAGERS
)
REVIEW = register("method.review", _("record milestone reviews"), FACILITATORS)
RATE = register(
    "method.rate", _("rate the relationship spectrum"), ALL_ROLES - frozenset({"observer"})
)
GLOSSARY = register("method.glossary", _("edit the partnership glossary"), MANAGERS)
