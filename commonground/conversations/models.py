"""Moderated topic discussions: threads, posts, reactions, reading state and links to action."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from commonground.core.fields import OptionalForeignKey, PartnershipForeignKey, UserLink
from commonground.core.models import PartnershipPage

DEFAULT_GROUND_RULES = _(
    "- Listen actively: read what others wrote before you answer.\n"
    "- Let others finish: reply to the point, do not talk over anyone.\n"
    "- Keep it short: one point per post.\n"
    "- Share facts, not rumours: say where a fact comes from.\n"
    "- Respect people who are not here: speak of them as if they were reading.\n"
    "- Make requests, not complaints: say what you need and from whom."
)


class GroundRules(models.Model):
    partnership = models.OneToOneField(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="ground_rules"
    )
    text = models.TextField(_("ground rules"))
    updated_by = UserLink(blank=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ground rules")
        verbose_name_plural = _("ground rules")

    def __str__(self) -> str:
        return f"ground rules {self.partnership_id}"


class GroundRulesAcceptance(models.Model):
    partnership = PartnershipForeignKey()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    accepted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "user"], name="conversations_one_acceptance"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} accepted {self.partnership_id}"


class Thread(PartnershipPage, models.Model):
    partnership = PartnershipForeignKey(related_name="threads")
    working_group = OptionalForeignKey(
        "partnerships.WorkingGroup", related_name="threads", verbose_name=_("working group")
    )
    title = models.CharField(_("title"), max_length=200)
    created_by = UserLink(blank=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_post_at = models.DateTimeField(null=True, blank=True, db_index=True)
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_closed = models.BooleanField(_("closed"), default=False)

    page_url_name = "conversations:thread"

    class Meta:
        ordering = ["-is_pinned", "-last_post_at", "-id"]
        indexes = [models.Index(fields=["partnership", "-last_post_at"])]
        verbose_name = _("thread")
        verbose_name_plural = _("threads")

    def __str__(self) -> str:
        return self.title


class PostKind(models.TextChoices):
    PLAIN = "", _("Post")
    FACT = "fact", _("Fact")
    INTERPRETATION = "interpretation", _("Interpretation")


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = UserLink(blank=False)
    body = models.TextField(_("text"))
    quote = OptionalForeignKey("self", related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PostKind.choices, blank=True)
    fact_agreed_at = models.DateTimeField(null=True, blank=True)
    fact_agreed_by = UserLink(blank=False)
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(_("reason"), max_length=300, blank=True)
    hidden_by = UserLink(blank=False)
    # A request: someone in the partnership is asked for something, tracked until answered.
    addressee = OptionalForeignKey(
        settings.AUTH_USER_MODEL, related_name="conversation_requests", verbose_name=_("request to")
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_post = OptionalForeignKey("self", related_name="+")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self) -> str:
        return self.body[:60]

    def get_absolute_url(self) -> str:
        return f"{self.thread.get_absolute_url()}?post={self.pk}#post-{self.pk}"

    @property
    def is_request(self) -> bool:
        return self.addressee_id is not None


class PostRevision(models.Model):
    """The text a post had before an edit."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    created_at = models.DateTimeField()
    editor = UserLink(blank=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"revision of {self.post_id}"


class ReactionKind(models.TextChoices):
    AGREE = "agree", _("👍 agree")
    THANKS = "thanks", _("❤ thanks")
    QUESTION = "question", _("❓ question")


class Reaction(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=ReactionKind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "user", "kind"], name="conversations_one_reaction_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.post_id}"


class Attachment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey("library.Document", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "document"], name="conversations_attach_once")
        ]

    def __str__(self) -> str:
        return f"{self.document_id} on {self.post_id}"


class Follow(models.TextChoices):
    DEFAULT = "", _("Default")
    FOLLOW = "follow", _("Following")
    MUTE = "mute", _("Muted")


class ReadState(models.Model):
    """Per person per thread: the last post read, and whether they follow or muted it."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="read_states")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_post_id = models.PositiveIntegerField(default=0)
    follow = models.CharField(max_length=10, choices=Follow.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="conversations_one_read_state")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.thread_id} to {self.last_read_post_id}"


class Report(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = UserLink(blank=False)
    reason = models.CharField(_("reason"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.reason[:60]


class LinkKind(models.TextChoices):
    PROPOSAL = "proposal", _("proposal")
    ACTION = "action", _("action")
    AGENDA_ITEM = "agenda_item", _("agenda item")


class PostLink(models.Model):
    """A proposal, action or agenda item started from a post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=20, choices=LinkKind.choices)
    object_id = models.PositiveIntegerField()
    url = models.CharField(max_length=300)
    title = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "object_id"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.object_id}"
