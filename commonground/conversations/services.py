"""State changes in conversations. Each runs in one transaction and writes the audit log."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from commonground.core import hooks, policy
from commonground.core.audit import audit_record
from commonground.core.i18n import Msg, choice_label
from commonground.decisions.notifications import notify

from . import markup, rules
from .models import (
    DEFAULT_GROUND_RULES,
    Attachment,
    Follow,
    GroundRules,
    GroundRulesAcceptance,
    LinkKind,
    Post,
    PostKind,
    PostLink,
    PostRevision,
    Reaction,
    ReactionKind,
    ReadState,
    Report,
    Thread,
)

if TYPE_CHECKING:
    from commonground.accounts.models import User
    from commonground.partnerships.models import Partnership

MAX_BODY = 20000


def _people(partnership: Partnership) -> Any:
    from commonground.accounts.models import User

    return User.objects.filter(
        partnership_roles__partnership=partnership,
        partnership_roles__ended_on__isnull=True,
        is_active=True,
    ).distinct()


def ground_rules_text(partnership: Partnership) -> str:
    rules_row = GroundRules.objects.filter(partnership=partnership).first()
    return rules_row.text if rules_row else str(DEFAULT_GROUND_RULES)


def has_accepted(user: Any, partnership: Partnership) -> bool:
    return GroundRulesAcceptance.objects.filter(partnership=partnership, user=user).exists()


@transaction.atomic
def ground_rules_save(*, actor: User, partnership: Partnership, text: str) -> GroundRules:
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the ground rules.")})
    row, _created = GroundRules.objects.update_or_create(
        partnership=partnership, defaults={"text": text, "updated_by": actor}
    )
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="conversations.ground_rules",
        target=row,
        summary=Msg(gettext_noop("Ground rules updated")),
    )
    return row


def _check_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write something first.")})
    if len(body) > MAX_BODY:
        raise ValidationError({"body": _("Keep a post under %(n)s characters.") % {"n": MAX_BODY}})
    return body


def _mentioned(partnership: Partnership, body: str) -> list[Any]:
    """The people @mentioned; anyone outside the partnership is refused by name."""
    names = markup.mentions_in(body)
    if not names:
        return []
    people = {str(u).casefold(): u for u in _people(partnership)}
    found, missing = [], []
    for name in names:
        person = people.get(name.casefold())
        (found.append(person) if person else missing.append(name))
    if missing:
        raise ValidationError(
            {
                "body": _("You can only mention people in this partnership; not found: %(names)s.")
                % {"names": ", ".join(missing)}
            }
        )
    return found


def _check_addressee(partnership: Partnership, addressee: Any) -> None:
    if addressee is not None and not _people(partnership).filter(pk=addressee.pk).exists():
        raise ValidationError({"addressee": _("A request must go to someone in this partnership.")})


def _attach(actor: User, post: Post, documents: Iterable[Any]) -> None:
    from commonground.library.rules import visible_documents

    docs = list(documents)
    if not docs:
        return
    allowed = set(
        visible_documents(actor, post.thread.partnership)
        .filter(pk__in=[d.pk for d in docs])
        .values_list("pk", flat=True)
    )
    if any(d.pk not in allowed for d in docs):
        raise ValidationError({"attachments": _("You can only attach documents you may open.")})
    Attachment.objects.bulk_create([Attachment(post=post, document=d) for d in docs])


def _require_rules(actor: User, partnership: Partnership, accept_rules: bool) -> None:
    if has_accepted(actor, partnership):
        return
    if not accept_rules:
        raise ValidationError(
            {"accept_rules": _("Please accept the ground rules before your first post.")}
        )
    GroundRulesAcceptance.objects.get_or_create(partnership=partnership, user=actor)


def _state(user: Any, thread: Thread) -> ReadState:
    state, _created = ReadState.objects.get_or_create(thread=thread, user=user)
    return state


def _notify_new_post(actor: User, post: Post, mentioned: list[Any]) -> None:
    thread = post.thread
    partnership = thread.partnership
    url = post.get_absolute_url()
    mentioned_ids = {p.pk for p in mentioned} - {actor.pk}
    if mentioned_ids:
        notify(
            users=[p for p in mentioned if p.pk in mentioned_ids],
            partnership=partnership,
            kind="conversations.mention",
            title=Msg(
                gettext_noop("%(who)s mentioned you in “%(thread)s”"),
                who=actor,
                thread=thread.title,
            ),
            url=url,
        )
    if post.addressee_id and post.addressee_id != actor.pk:
        notify(
            users=[post.addressee],
            partnership=partnership,
            kind="conversations.request",
            title=Msg(
                gettext_noop("%(who)s asked you something in “%(thread)s”"),
                who=actor,
                thread=thread.title,
            ),
            url=url,
        )
    from commonground.accounts.models import User

    followers = User.objects.filter(
        pk__in=ReadState.objects.filter(thread=thread, follow=Follow.FOLLOW).values("user")
    ).exclude(pk__in={actor.pk, post.addressee_id or 0, *mentioned_ids})
    notify(
        users=followers,
        partnership=partnership,
        kind="conversations.reply",
        title=Msg(gettext_noop("New reply in “%(thread)s”"), thread=thread.title),
        url=url,
    )


def _new_post(
    *,
    actor: User,
    thread: Thread,
    body: str,
    quote: Post | None = None,
    kind: str = "",
    addressee: Any = None,
    attachments: Iterable[Any] = (),
) -> Post:
    mentioned = _mentioned(thread.partnership, body)
    _check_addressee(thread.partnership, addressee)
    if kind not in PostKind.values:
        raise ValidationError({"kind": _("Unknown kind of post.")})
    if quote is not None and quote.thread_id != thread.pk:
        raise ValidationError({"quote": _("You can only quote a post in the same thread.")})
    post = Post.objects.create(
        thread=thread, author=actor, body=body, quote=quote, kind=kind, addressee=addressee
    )
    _attach(actor, post, attachments)
    thread.last_post_at = post.created_at
    thread.save(update_fields=["last_post_at"])
    state = _state(actor, thread)
    state.last_read_post_id = post.pk
    if not state.follow:
        state.follow = Follow.FOLLOW  # taking part means following, unless muted
    state.save()
    _notify_new_post(actor, post, mentioned)
    return post


@transaction.atomic
def thread_create(
    *,
    actor: User,
    partnership: Partnership,
    title: str,
    body: str,
    working_group: Any = None,
    accept_rules: bool = False,
    kind: str = "",
    addressee: Any = None,
    attachments: Iterable[Any] = (),
) -> Thread:
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("Give the thread a title.")
    if working_group is not None and working_group.partnership_id != partnership.pk:
        errors["working_group"] = _("This working group belongs to another partnership.")
    if errors:
        raise ValidationError(errors)
    body = _check_body(body)
    _require_rules(actor, partnership, accept_rules)
    thread = Thread.objects.create(
        partnership=partnership, working_group=working_group, title=title[:200], created_by=actor
    )
    _new_post(
        actor=actor,
        thread=thread,
        body=body,
        kind=kind,
        addressee=addressee,
        attachments=attachments,
    )
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="conversations.thread_create",
        target=thread,
        summary=Msg(gettext_noop("Thread started: %(title)s"), title=title),
    )
    return thread


@transaction.atomic
def post_create(
    *,
    actor: User,
    thread: Thread,
    body: str,
    quote: Post | None = None,
    kind: str = "",
    addressee: Any = None,
    accept_rules: bool = False,
    attachments: Iterable[Any] = (),
) -> Post:
    if thread.is_closed:
        raise ValidationError(_("This thread is closed: no new replies."))
    body = _check_body(body)
    _require_rules(actor, thread.partnership, accept_rules)
    post = _new_post(
        actor=actor,
        thread=thread,
        body=body,
        quote=quote,
        kind=kind,
        addressee=addressee,
        attachments=attachments,
    )
    audit_record(
        actor=actor,
        partnership=thread.partnership,
        verb="conversations.post_create",
        target=post,
        summary=Msg(gettext_noop("Reply in “%(thread)s”"), thread=thread.title),
    )
    return post


@transaction.atomic
def post_edit(*, actor: User, post: Post, body: str) -> Post:
    if not rules.can_edit_post(actor, post):
        raise PermissionDenied(_("You can only edit your own posts."))
    if post.thread.is_closed:
        raise ValidationError(_("This thread is closed: posts can no longer be edited."))
    if post.is_hidden:
        raise ValidationError(_("A facilitator hid this post; it can no longer be edited."))
    body = _check_body(body)
    _mentioned(post.thread.partnership, body)
    if body == post.body:
        return post
    PostRevision.objects.create(
        post=post, body=post.body, created_at=post.edited_at or post.created_at, editor=actor
    )
    post.body = body
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "edited_at"])
    audit_record(
        actor=actor,
        partnership=post.thread.partnership,
        verb="conversations.post_edit",
        target=post,
        summary=Msg(gettext_noop("Post edited in “%(thread)s”"), thread=post.thread.title),
    )
    return post


@transaction.atomic
def reaction_toggle(*, actor: User, post: Post, kind: str) -> bool:
    """Add the reaction, or take it back if already given. Returns True when added."""
    if kind not in ReactionKind.values:
        raise ValidationError(_("Unknown reaction."))
    if post.is_hidden:
        raise ValidationError(_("A hidden post cannot get reactions."))
    deleted, _d = Reaction.objects.filter(post=post, user=actor, kind=kind).delete()
    if deleted:
        return False
    Reaction.objects.create(post=post, user=actor, kind=kind)
    return True


def _moderate(actor: User, partnership: Partnership) -> None:
    if not rules.can_moderate(actor, partnership):
        raise PermissionDenied(_("Only facilitators and managers can moderate."))


@transaction.atomic
def thread_set(
    *, actor: User, thread: Thread, pinned: bool | None = None, closed: bool | None = None
) -> Thread:
    _moderate(actor, thread.partnership)
    before = {"pinned": thread.is_pinned, "closed": thread.is_closed}
    if pinned is not None:
        thread.is_pinned = pinned
    if closed is not None:
        thread.is_closed = closed
    thread.save(update_fields=["is_pinned", "is_closed"])
    audit_record(
        actor=actor,
        partnership=thread.partnership,
        verb="conversations.thread_moderate",
        target=thread,
        summary=Msg(gettext_noop("Thread moderated: %(title)s"), title=thread.title),
        before=before,
        after={"pinned": thread.is_pinned, "closed": thread.is_closed},
    )
    return thread


@transaction.atomic
def thread_move(*, actor: User, thread: Thread, working_group: Any) -> Thread:
    _moderate(actor, thread.partnership)
    if working_group is not None and working_group.partnership_id != thread.partnership_id:
        raise ValidationError({"working_group": _("Move it to a group of this partnership.")})
    before = {"working_group": thread.working_group_id}
    thread.working_group = working_group
    thread.save(update_fields=["working_group"])
    audit_record(
        actor=actor,
        partnership=thread.partnership,
        verb="conversations.thread_move",
        target=thread,
        summary=Msg(gettext_noop("Thread moved: %(title)s"), title=thread.title),
        before=before,
        after={"working_group": thread.working_group_id},
    )
    return thread


@transaction.atomic
def post_hide(*, actor: User, post: Post, reason: str) -> Post:
    _moderate(actor, post.thread.partnership)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why the post is hidden; the reason is shown in its place.")}
        )
    post.is_hidden, post.hidden_reason, post.hidden_by = True, reason[:300], actor
    post.save(update_fields=["is_hidden", "hidden_reason", "hidden_by"])
    audit_record(
        actor=actor,
        partnership=post.thread.partnership,
        verb="conversations.post_hide",
        target=post,
        summary=Msg(gettext_noop("Post hidden: %(reason)s"), reason=reason),
    )
    return post


@transaction.atomic
def post_unhide(*, actor: User, post: Post) -> Post:
    _moderate(actor, post.thread.partnership)
    post.is_hidden = False
    post.save(update_fields=["is_hidden"])
    audit_record(
        actor=actor,
        partnership=post.thread.partnership,
        verb="conversations.post_unhide",
        target=post,
        summary=Msg(gettext_noop("Post shown again")),
    )
    return post


@transaction.atomic
def post_report(*, actor: User, post: Post, reason: str) -> Report:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tell the facilitators what is wrong.")})
    report = Report.objects.create(post=post, reporter=actor, reason=reason[:500])
    partnership = post.thread.partnership
    from commonground.accounts.models import User

    facilitators = User.objects.filter(
        partnership_roles__partnership=partnership,
        partnership_roles__ended_on__isnull=True,
        partnership_roles__kind__in=policy.roles_holding(rules.MODERATE),
    ).distinct()
    notify(
        users=facilitators,
        partnership=partnership,
        kind="conversations.report",
        title=Msg(gettext_noop("A post was reported in “%(thread)s”"), thread=post.thread.title),
        url=post.get_absolute_url(),
    )
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="conversations.post_report",
        target=post,
        summary=Msg(gettext_noop("Post reported")),
    )
    return report


@transaction.atomic
def post_mark(*, actor: User, post: Post, kind: str) -> Post:
    if not rules.can_mark_kind(actor, post):
        raise PermissionDenied(_("Only the author or a facilitator can mark this post."))
    if kind not in PostKind.values:
        raise ValidationError({"kind": _("Unknown kind of post.")})
    if post.fact_agreed_at and kind != PostKind.FACT:
        raise ValidationError(_("This fact is agreed and in the fact base."))
    post.kind = kind
    post.save(update_fields=["kind"])
    audit_record(
        actor=actor,
        partnership=post.thread.partnership,
        verb="conversations.post_mark",
        target=post,
        summary=Msg(gettext_noop("Post marked as %(kind)s"), kind=choice_label(post, "kind")),
    )
    return post


def fact_line(post: Post, source_url: str) -> str:
    text = " ".join(post.body.split())
    label = _("from the conversation")
    return f"- {text} ({label}: {source_url})"


@transaction.atomic
def fact_agree(*, actor: User, post: Post, source_url: str = "") -> Post:
    """A facilitator agrees a fact: it is appended to the fact base as a new version."""
    from commonground.method import services as method_services
    from commonground.method.models import DesignElementRecord

    partnership = post.thread.partnership
    _moderate(actor, partnership)
    if post.kind != PostKind.FACT:
        raise ValidationError(_("Only a post marked as a fact can be agreed."))
    if post.is_hidden:
        raise ValidationError(_("A hidden post cannot be agreed as a fact."))
    if post.fact_agreed_at:
        return post
    record = DesignElementRecord.objects.filter(
        partnership=partnership, element="fact_base"
    ).first()
    current = record.text if record else ""
    line = fact_line(post, source_url or post.get_absolute_url())
    method_services.element_save(
        actor=actor,
        partnership=partnership,
        element="fact_base",
        base_version=record.version if record else 0,
        text=f"{current.rstrip()}\n{line}".strip(),
        status=record.status if record else "draft",
        agreed_by=record.agreed_by if record else "",
        agreed_on=record.agreed_on if record else None,
        revisit_on=record.revisit_on if record else None,
        change_note=_("Agreed fact from the conversation “%(thread)s”")
        % {"thread": post.thread.title},
    )
    post.fact_agreed_at, post.fact_agreed_by = timezone.now(), actor
    post.save(update_fields=["fact_agreed_at", "fact_agreed_by"])
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="conversations.fact_agree",
        target=post,
        summary=Msg(gettext_noop("Fact agreed and added to the fact base")),
    )
    return post


@transaction.atomic
def request_answer(*, actor: User, post: Post, answer_post: Post | None = None) -> Post:
    if not post.is_request:
        raise ValidationError(_("This post is not a request."))
    if not rules.can_answer(actor, post):
        raise PermissionDenied(_("Only the person asked or a facilitator can mark this answered."))
    if answer_post is not None and answer_post.thread_id != post.thread_id:
        raise ValidationError({"answer_post": _("The answer must be in the same thread.")})
    post.answered_at, post.answer_post = timezone.now(), answer_post
    post.save(update_fields=["answered_at", "answer_post"])
    audit_record(
        actor=actor,
        partnership=post.thread.partnership,
        verb="conversations.request_answer",
        target=post,
        summary=Msg(gettext_noop("Request marked answered")),
    )
    return post


def _link(actor: User, post: Post, kind: str, obj: Any, title: str) -> PostLink:
    link = PostLink.objects.create(
        post=post, kind=kind, object_id=obj.pk, url=obj.get_absolute_url(), title=title[:200]
    )
    audit_record(
        actor=actor,
        partnership=post.thread.partnership,
        verb=f"conversations.to_{kind}",
        target=post,
        summary=Msg(
            gettext_noop("Post became %(kind)s #%(id)s"), kind=choice_label(link, "kind"), id=obj.pk
        ),
    )
    return link


def _details(post: Post) -> str:
    return _("%(body)s\n\nStarted from the conversation: %(url)s") % {
        "body": post.body,
        "url": post.get_absolute_url(),
    }


@transaction.atomic
def post_to_proposal(
    *, actor: User, post: Post, title: str, method: str = "consent", days: int = 7
) -> PostLink:
    if not title.strip():
        raise ValidationError({"title": _("Give it a title.")})
    proposal = hooks.call(
        hooks.PROPOSAL_CREATE,
        actor=actor,
        partnership=post.thread.partnership,
        title=title.strip(),
        method=method,
        details=_details(post),
        working_group=post.thread.working_group,
        closes_at=timezone.now() + datetime.timedelta(days=days),
    )
    return _link(actor, post, LinkKind.PROPOSAL, proposal, proposal.title)


@transaction.atomic
def post_to_action(*, actor: User, post: Post, title: str, owner: Any = None) -> PostLink:
    action = hooks.call(
        hooks.ACTION_CREATE,
        actor=actor,
        partnership=post.thread.partnership,
        title=title.strip(),
        description=_details(post),
        owner=owner,
        working_group=post.thread.working_group,
    )
    return _link(actor, post, LinkKind.ACTION, action, action.title)


@transaction.atomic
def post_to_agenda(*, actor: User, post: Post, meeting: Any, title: str) -> PostLink:
    from commonground.meetings import services as meetings

    if meeting.partnership_id != post.thread.partnership_id:
        raise ValidationError({"meeting": _("Choose a meeting of this partnership.")})
    item = meetings.item_propose(
        actor=actor, meeting=meeting, title=title, description=_details(post)
    )
    link = PostLink.objects.create(
        post=post,
        kind=LinkKind.AGENDA_ITEM,
        object_id=item.pk,
        url=f"{meeting.get_absolute_url()}#item-{item.pk}",
        title=item.title[:200],
    )
    audit_record(
        actor=actor,
        partnership=post.thread.partnership,
        verb="conversations.to_agenda_item",
        target=post,
        summary=Msg(
            gettext_noop("Post proposed for the agenda of %(meeting)s"), meeting=meeting.title
        ),
    )
    return link


def mark_read(*, user: Any, thread: Thread, up_to: int) -> None:
    """Move the reader's marker forward (never back); not audited: it is not a shared record."""
    state = _state(user, thread)
    if up_to > state.last_read_post_id:
        state.last_read_post_id = up_to
        state.save(update_fields=["last_read_post_id"])


@transaction.atomic
def follow_set(*, actor: User, thread: Thread, follow: str) -> ReadState:
    if follow not in Follow.values:
        raise ValidationError(_("Unknown choice."))
    state = _state(actor, thread)
    state.follow = follow
    state.save(update_fields=["follow"])
    return state
