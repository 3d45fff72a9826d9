"""The partnership workspace: who is in it and in which role."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonground.core.fields import OrganisationForeignKey, UserLink
from commonground.core.models import TimeStampedModel


class PartnershipModel(models.TextChoices):
    PRIVATE_LED = "private_led", _("Private-sector led")
    GOV_PRIVATE = "gov_private", _("Government led with private support")
    GOV_NONPROFIT = "gov_nonprofit", _("Government led with non-profit support")
    JOINT = "joint", _("Joint ownership (all partners co-invest)")
    MIXED = "mixed", _("Mixed model")


class Visibility(models.TextChoices):
    PRIVATE = "private", _("Private: only members see it")
    LISTED = "listed", _("Listed: signed-in users see its name and purpose")


class Phase(models.TextChoices):
    PREPARE = "prepare", _("Prepare")
    IDENTIFY = "identify", _("Identify partners")
    AGREE = "agree", _("Agree")
    CONSOLIDATE = "consolidate", _("Consolidate and expand")
    ASSESS = "assess", _("Assess")


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class BrokeredBy(models.TextChoices):
    """Who helped the partnership form: the alliance counts those it brokered."""

    NONE = "", _("Formed by the partners themselves")
    ALLIANCE = "alliance", _("Brokered by the alliance (its members introduced the partners)")
    SECRETARIAT = "secretariat", _("Brokered by the alliance's secretariat")


class Partnership(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    purpose = models.TextField(_("purpose"))
    model = models.CharField(
        _("partnership model"),
        max_length=20,
        choices=PartnershipModel.choices,
        default=PartnershipModel.MIXED,
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    phase = models.CharField(
        _("current phase"), max_length=20, choices=Phase.choices, default=Phase.PREPARE
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    place_name = models.CharField(_("place"), max_length=120, blank=True)
    trigger = models.TextField(
        _("trigger"), blank=True, help_text=_("What made partnering necessary now.")
    )
    objectives = models.TextField(_("objectives"), blank=True)
    needs = models.TextField(_("needs"), blank=True)
    resources = models.TextField(_("available resources"), blank=True)
    brokered_by = models.CharField(
        _("who helped it form"),
        max_length=20,
        choices=BrokeredBy.choices,
        default=BrokeredBy.NONE,
        blank=True,
        help_text=_(
            "The alliance counts the partnerships it helped to form, not every partnership "
            "recorded here."
        ),
    )
    created_by = UserLink()
    organisations = models.ManyToManyField(  # type: ignore[var-annotated]
        "organisations.Organisation", through="Membership", related_name="partnerships"
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnerships:home", kwargs={"slug": self.slug})

    @property
    def is_ended(self) -> bool:
        return self.status == Status.ENDED


class MembershipStatus(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Active")
    LEFT = "left", _("Left")


class Membership(TimeStampedModel):
    """An organisation's place in a partnership."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = OrganisationForeignKey(related_name="memberships")
    status = models.CharField(
        _("membership status"),
        max_length=10,
        choices=MembershipStatus.choices,
        default=MembershipStatus.ACTIVE,
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["organisation__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"], name="membership_unique_org"
            ),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.organisation} in {self.partnership}"


class RoleKind(models.TextChoices):
    CONVENER = "convener", _("Convener")
    MANAGER = "manager", _("Manager / backbone")
    REPRESENTATIVE = "representative", _("Partner representative")
    SPONSOR = "sponsor", _("Sponsor")
    CHAMPION = "champion", _("Champion")
    WG_MEMBER = "wg_member", _("Working-group member")
    FACILITATOR = "facilitator", _("Facilitator")
    RECORD_KEEPER = "record_keeper", _("Record-keeper")
    OBSERVER = "observer", _("Observer / external partner")
    # Someone who knows more than one sector's language and helps the others understand
    # each other (the method asks cities to cultivate such people).
    TRANSLATOR = "translator", _("Translator between sectors")


class RepresentativeKind(models.TextChoices):
    DOER = "doer", _("Doer: implements change")
    DECISION_MAKER = "decision_maker", _("Decision-maker: can commit the organisation")


class Role(TimeStampedModel):
    """A person's role in a partnership. A person may hold several roles.

    Roles end (``ended_on``) rather than being deleted, so the record of who
    did what outlives any one person's involvement.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partnership_roles"
    )
    organisation = OrganisationForeignKey(
        null=True, blank=True, related_name="+", verbose_name=_("on behalf of")
    )
    kind = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    representative_kind = models.CharField(
        _("representative type"), max_length=20, choices=RepresentativeKind.choices, blank=True
    )
    is_signatory = models.BooleanField(
        _("authorised signatory"),
        default=False,
        help_text=_("May sign agreements for the organisation."),
    )
    title = models.CharField(_("job title"), max_length=120, blank=True)
    started_on = models.DateField(_("since"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["partnership", "kind", "user__display_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "user", "kind"],
                condition=Q(ended_on__isnull=True),
                name="role_unique_active_kind",
            ),
        ]
        indexes = [models.Index(fields=["user", "partnership"])]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_kind_display()}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class WorkingGroup(TimeStampedModel):
    """A working (task) group with a remit; many modules can scope records to one.

    Decision authority, proposals and meetings of working groups live in the
    decisions and meetings apps; the group itself is part of the workspace.
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="working_groups"
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name"), max_length=80)
    remit = models.TextField(_("remit"), blank=True)
    lead = UserLink(verbose_name=_("lead"))
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="working_groups",
        verbose_name=_("members"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["partnership", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "slug"], name="working_group_unique_slug"
            )
        ]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def __str__(self) -> str:
        return self.name


class Ending(TimeStampedModel):
    """The guided path to ending a partnership well, one step after another.

    Each step keeps who recorded it and when; the lessons and the announcement must
    be written before the partnership can be ended (``services.partnership_end``).
    """

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="ending")
    # (a) dissatisfaction raised with the partners and the funders first
    dissatisfaction_note = models.TextField(_("what was raised, with whom"), blank=True)
    dissatisfaction_by = UserLink()
    dissatisfaction_at = models.DateTimeField(null=True, blank=True)
    # (b) the agreement(s) reviewed: their ending and exit terms
    agreement_ids = models.JSONField(_("agreements reviewed"), default=list, blank=True)
    agreement_note = models.TextField(_("what the agreement says about ending"), blank=True)
    agreement_by = UserLink()
    agreement_at = models.DateTimeField(null=True, blank=True)
    # (c) a third-party mediator, or a recorded "not needed"
    mediator_needed = models.BooleanField(_("a mediator is brought in"), default=False)
    mediator_name = models.CharField(_("mediator"), max_length=200, blank=True)
    mediator_organisation = models.CharField(
        _("mediator's organisation"), max_length=200, blank=True
    )
    mediator_note = models.TextField(_("note"), blank=True)
    mediator_by = UserLink()
    mediator_at = models.DateTimeField(null=True, blank=True)
    # (d) lessons
    lesson_achievements = models.TextField(_("what we achieved"), blank=True)
    lesson_contributions = models.TextField(_("what each partner contributed"), blank=True)
    lesson_adaptation = models.TextField(_("how we adapted"), blank=True)
    lesson_communication = models.TextField(_("communication problems"), blank=True)
    lessons_by = UserLink()
    lessons_at = models.DateTimeField(null=True, blank=True)
    # (e) the announcement
    announcement = models.TextField(_("announcement"), blank=True)
    announce_on = models.DateField(_("announced on"), null=True, blank=True)
    announcement_by = UserLink()
    announcement_at = models.DateTimeField(null=True, blank=True)
    ended_by = UserLink()

    class Meta:
        verbose_name = _("ending")
        verbose_name_plural = _("endings")

    def __str__(self) -> str:
        return f"ending of {self.partnership_id}"

    @property
    def lessons_written(self) -> bool:
        return all(
            v.strip()
            for v in (
                self.lesson_achievements,
                self.lesson_contributions,
                self.lesson_adaptation,
                self.lesson_communication,
            )
        )

    @property
    def announcement_written(self) -> bool:
        return bool(self.announcement.strip() and self.announce_on)
