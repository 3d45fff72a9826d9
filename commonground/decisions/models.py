"""Decisions: working-group authority, proposals, votes, notifications and the register.

The register entry (``Decision``) is shared with meetings, whose adopted
motions are recorded here too. Anonymous votes are split in two tables that
share nothing but the proposal: ``Ballot`` (what was chosen, no person, no
time) and ``Participation`` (who has voted, nothing about the choice).
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.core.fields import (
    OptionalForeignKey,
    OrganisationForeignKey,
    PartnershipForeignKey,
    UserLink,
)
from commonground.core.models import PartnershipPage, TimeStampedModel


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


# Methods a proposal can use (motions and delegated decisions come from elsewhere).
PROPOSAL_METHODS = [
    (m.value, m.label)
    for m in DecisionMethod
    if m not in (DecisionMethod.MOTION, DecisionMethod.DELEGATED)
]
# Methods whose ballots choose among the proposal's options.
OPTION_METHODS = {
    DecisionMethod.SCORE,
    DecisionMethod.RANKED,
    DecisionMethod.DOT,
    DecisionMethod.TIME_POLL,
}


class Outcome(models.TextChoices):
    ADOPTED = "adopted", _("Adopted")
    NOT_ADOPTED = "not_adopted", _("Not adopted")
    BLOCKED = "blocked", _("Blocked")
    NO_QUORUM = "no_quorum", _("No quorum")
    CHOSEN = "chosen", _("Option chosen")
    TIED = "tied", _("Tied")


class TieRule(models.TextChoices):
    """How a tie for first place between options is settled (chosen when the proposal
    opens; see ``services.proposal_close`` and ``services.proposal_tie_settle``)."""

    RUNOFF = "runoff", _("Runoff: a new vote between the tied options")
    CHAIR = "chair", _("The chair decides, with a reason")
    LOT = "lot", _("Drawn by lot")


class Decision(TimeStampedModel):
    """One entry of the decision register."""

    partnership = PartnershipForeignKey(related_name="decisions")
    working_group = OptionalForeignKey("partnerships.WorkingGroup", related_name="decisions")
    title = models.CharField(_("decision"), max_length=300)
    statement = models.TextField(_("outcome statement"), blank=True)
    method = models.CharField(_("method"), max_length=20, choices=DecisionMethod.choices)
    tally = models.JSONField(_("tally"), default=dict, blank=True)
    adopted = models.BooleanField(_("adopted"), default=True)
    # The finer result of a vote (blocked, no quorum, option chosen…); empty for motions.
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    decided_on = models.DateField(_("decided on"))
    decided_by = UserLink()
    # Where it came from: a proposal (decisions app) or a meeting motion (meetings app).
    source_label = models.CharField(_("source"), max_length=200, blank=True)
    source_url = models.CharField(_("source link"), max_length=300, blank=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        indexes = [
            models.Index(fields=["partnership", "-decided_on"]),
            # Adopted decisions of a period (the report, the timeline), newest first.
            models.Index(
                fields=["partnership", "adopted", "-decided_on", "-id"], name="decision_adopted_idx"
            ),
        ]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.title


# --- decision authority -----------------------------------------------------------


class Eligibility(models.TextChoices):
    PERSON = "person", _("One vote per person")
    ORGANISATION = "organisation", _("One vote per member organisation")


class GovernanceSettings(TimeStampedModel):
    """How the partnership decides: what counts as major, and who votes."""

    partnership = models.OneToOneField(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="governance"
    )
    major_spending_threshold = models.DecimalField(
        _("major spending threshold"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("50000"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Spending above this amount is a major decision for the whole partnership."),
    )
    currency = models.CharField(_("currency"), max_length=3, default="NOK")
    eligibility = models.CharField(
        _("who votes"), max_length=20, choices=Eligibility.choices, default=Eligibility.PERSON
    )
    default_quorum_percent = models.PositiveSmallIntegerField(
        _("default quorum (%)"),
        default=50,
        validators=[MaxValueValidator(100)],
        help_text=_("Share of those eligible who must take part for a vote to count."),
    )
    closing_soon_hours = models.PositiveSmallIntegerField(
        _("“closing soon” reminder (hours before)"), default=24
    )

    class Meta:
        verbose_name = _("governance settings")
        verbose_name_plural = _("governance settings")

    def __str__(self) -> str:
        return f"{self.partnership}"


class DomainKind(models.TextChoices):
    PROCUREMENT = "procurement", _("Procurement")
    DATA = "data", _("Data")
    COMMUNICATIONS = "communications", _("Communications")
    SPENDING = "spending", _("Spending")
    OPERATIONS = "operations", _("Operations")
    POLICY = "policy", _("Policy")
    OTHER = "other", _("Other")


class DecisionDomain(TimeStampedModel):
    """An area of decisions delegated by expertise to a working group or a person.

    Policy domains, and spending above the partnership's threshold, always
    stay with the whole partnership.
    """

    partnership = PartnershipForeignKey(related_name="decision_domains")
    name = models.CharField(_("domain"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=DomainKind.choices)
    description = models.TextField(_("what it covers"), blank=True)
    working_group = OptionalForeignKey(
        "partnerships.WorkingGroup",
        related_name="decision_domains",
        verbose_name=_("working group"),
    )
    person = UserLink(verbose_name=_("person"))
    spending_limit = models.DecimalField(
        _("may spend up to"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        ordering = ["partnership", "name", "id"]
        verbose_name = _("decision domain")
        verbose_name_plural = _("decision domains")

    def __str__(self) -> str:
        return self.name

    @property
    def is_major(self) -> bool:
        return self.kind == DomainKind.POLICY


# --- proposals and votes ----------------------------------------------------------------


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Proposal(PartnershipPage, TimeStampedModel):
    partnership = PartnershipForeignKey(related_name="proposals")
    working_group = OptionalForeignKey(
        "partnerships.WorkingGroup",
        related_name="proposals",
        verbose_name=_("working group"),
        help_text=_("Leave empty for a decision of the whole partnership."),
    )
    domain = OptionalForeignKey(
        DecisionDomain, related_name="proposals", verbose_name=_("decision domain")
    )
    title = models.CharField(_("question"), max_length=300)
    details = models.TextField(_("details"), blank=True)
    method = models.CharField(_("decision method"), max_length=20, choices=PROPOSAL_METHODS)
    spending_amount = models.DecimalField(
        _("spending involved"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    is_policy = models.BooleanField(_("changes partnership policy"), default=False)
    closes_at = models.DateTimeField(_("closes at"))
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum (%)"), default=50, validators=[MaxValueValidator(100)]
    )
    max_score = models.PositiveSmallIntegerField(
        _("highest score"), default=5, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    dots = models.PositiveSmallIntegerField(
        _("dots per voter"), default=5, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    results_hidden = models.BooleanField(_("hide results until it closes"), default=False)
    anonymous = models.BooleanField(_("anonymous votes"), default=False)
    eligibility = models.CharField(
        _("who votes"), max_length=20, choices=Eligibility.choices, default=Eligibility.PERSON
    )
    # Votes between options only (empty for yes/no and consent-style methods).
    tie_rule = models.CharField(
        _("if options tie for first place"), max_length=10, choices=TieRule.choices, blank=True
    )
    # The proposal whose tie this runoff settles.
    runoff_of = OptionalForeignKey(
        "self", related_name="runoffs", verbose_name=_("runoff of"), editable=False
    )
    proposer = UserLink(blank=False, verbose_name=_("proposed by"))
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.OPEN
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    tally = models.JSONField(_("tally"), default=dict, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_statement = models.TextField(_("outcome statement"), blank=True)
    decision = models.OneToOneField(
        Decision, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposal"
    )
    closing_soon_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Running counts, kept by ``services.vote_cast`` under the proposal's row lock so
    # that pages never count the votes: how many electors have voted (named votes or
    # anonymous participations), and per position, how many named votes hold it.
    # Anonymous ballots keep no running count: only the ballots hold the choices.
    n_voted = models.PositiveIntegerField(default=0, editable=False)
    stance_counts = models.JSONField(default=dict, blank=True, editable=False)

    page_url_name = "decisions:proposal_detail"

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["partnership", "status", "closes_at"]),
            models.Index(fields=["status", "closes_at"]),
        ]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == ProposalStatus.OPEN and self.closes_at > timezone.now()

    @property
    def is_due(self) -> bool:
        return self.status == ProposalStatus.OPEN and self.closes_at <= timezone.now()

    @property
    def uses_options(self) -> bool:
        return self.method in OPTION_METHODS

    @property
    def results_visible(self) -> bool:
        return self.status == ProposalStatus.CLOSED or not (self.results_hidden or self.anonymous)


class ProposalOption(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("option"), max_length=200)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["proposal", "position", "id"]
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        return self.label


class Vote(TimeStampedModel):
    """A named vote. ``elector`` is who the vote counts for: ``p<user id>`` or ``o<org id>``;
    the database refuses a second vote for the same elector on one proposal."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposal_votes"
    )
    organisation = OrganisationForeignKey(null=True, blank=True, related_name="+")
    elector = models.CharField(max_length=24)
    # The voter's name when the vote was cast: the list of voters is read in name
    # order from an index instead of sorting every vote of the proposal.
    voter_name = models.CharField(max_length=120, blank=True, editable=False)
    position = models.CharField(_("position"), max_length=12, blank=True)
    choices = models.JSONField(_("choices"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["proposal", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "elector"], name="vote_one_per_elector")
        ]
        indexes = [models.Index(fields=["proposal", "voter_name", "id"], name="vote_by_name")]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")

    def __str__(self) -> str:
        return f"{self.voter} on {self.proposal_id}"


class SealedBallot(models.Model):
    """An anonymous ballot waiting for its proposal to close: read by nothing but the close.

    At the close the sealed ballots are written to :class:`Ballot` in a random order and
    securely deleted (:mod:`commonground.core.anonymity`), so neither storage order nor
    any time lines a ballot up with a :class:`Participation`.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="sealed")
    position = models.CharField(max_length=12, blank=True)
    choices = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"sealed ballot on {self.proposal_id}"


class Ballot(models.Model):
    """An anonymous ballot: what was chosen, with no person, organisation or time.

    Written only when the proposal closes, from the sealed ballots, in a random order
    and with random primary keys.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="ballots")
    position = models.CharField(max_length=12, blank=True)
    choices = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("anonymous ballot")
        verbose_name_plural = _("anonymous ballots")

    def __str__(self) -> str:
        return f"ballot on {self.proposal_id}"


class Participation(models.Model):
    """Who has voted on an anonymous proposal (and nothing about how)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    elector = models.CharField(max_length=24)
    user_name = models.CharField(max_length=120, blank=True, editable=False)  # as Vote.voter_name

    class Meta:
        ordering = ["proposal", "user__display_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "elector"], name="participation_one_per_elector"
            )
        ]
        indexes = [
            models.Index(fields=["proposal", "user_name", "id"], name="participation_by_name")
        ]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")

    def __str__(self) -> str:
        return f"{self.user_id} voted on {self.proposal_id}"


# --- notifications ------------------------------------------------------------------


class NotificationFrequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately, one email each")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    OFF = "off", _("No email (in-app list only)")


class Notification(models.Model):
    """Something a person should know; any app may create these through ``notify``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    partnership = PartnershipForeignKey(null=True, blank=True, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"]), models.Index(fields=["emailed_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    frequency = models.CharField(
        _("email me"),
        max_length=12,
        choices=NotificationFrequency.choices,
        default=NotificationFrequency.DAILY,
    )
    last_digest_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.frequency}"
