"""Who may do what with the system map, the survey and the preparation tools."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from commonground.core.policy import ALL_ROLES, MANAGERS, PARTICIPANTS, register

VIEW = register(
    "systemmap.view", _("see the system map, survey results and preparation tools"), ALL_ROLES
)
EDIT = register("systemmap.edit", _("record relationships between organisations"), PARTICIPANTS)
SURVEY = register("systemmap.survey", _("run the system-mapping survey"), MANAGERS)
PREPARE = register("systemmap.prepare", _("fill in the preparation tools"), PARTICIPANTS)
