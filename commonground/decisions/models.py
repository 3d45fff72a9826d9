"""Decisions: the register of every decision the partnership takes.

Proposals, polls and votes are added by the governance work; the register
entry (``Decision``) is shared with meetings, whose adopted motions are
recorded here too.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from commonground.core.models import TimeStampedModel


class DecisionMethod(models.TextChoices):
    CONSENT = "consent", _("Consent")
    CONSENSUS = "consensus", _("Consensus")
    MAJORITY = "majority", _("Simple majority")
    TWO_THIRDS = "two_thirds", _("Two-thirds majority")
    SCORE = "score", _("Score vote")
    RANKED = "ranked", _("Ranked choice")
    DOT = "dot", _("Dot vote")
    TIME_POLL = "time_poll", _("Time poll")
    MOTION = "motion", _("Meeting motion")
    DELEGATED = "delegated", _("Delegated decision")


class Decision(TimeStampedModel):
    """One entry of the decision register."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="decisions"
    )
    working_group = models.ForeignKey(
        "partnerships.WorkingGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
    )
    title = models.CharField(_("decision"), max_length=300)
    statement = models.TextField(_("outcome statement"), blank=True)
    method = models.CharField(_("method"), max_length=20, choices=DecisionMethod.choices)
    tally = models.JSONField(_("tally"), default=dict, blank=True)
    adopted = models.BooleanField(_("adopted"), default=True)
    decided_on = models.DateField(_("decided on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Where it came from: a proposal (decisions app) or a meeting motion (meetings app).
    source_label = models.CharField(_("source"), max_length=200, blank=True)
    source_url = models.CharField(_("source link"), max_length=300, blank=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["partnership", "-decided_on"])]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.title
