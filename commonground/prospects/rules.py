"""Who may work with prospects, scorecards and needs in a partnership.

Prospect research is internal to the people doing the partnership's work, so
observers and sponsors do not see it. Moving prospects, changing criteria and
needs is for the managers and the people who recruit (champions, facilitators).
Every participant may score prospects; everyone may record a self-assessment.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from commonground.core.policy import ALL_ROLES, MANAGERS, PARTICIPANTS, register

VIEW = register("prospects.view", _("see prospects, scorecards and the gap analysis"), PARTICIPANTS)
MANAGE = register(
    "prospects.manage",
    _("manage the prospect pipeline, criteria and needs"),
    MANAGERS | {"champion", "facilitator"},
)
SCORE = register("prospects.score", _("score prospects"), PARTICIPANTS)
SELF_ASSESS = register("prospects.self_assess", _("record partnering self-assessments"), ALL_ROLES)
