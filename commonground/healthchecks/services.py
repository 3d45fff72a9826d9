"""State changes for health checks: the question set, rounds, invitations and answers."""

from __future__ import annotations

import datetime
import secrets
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from commonground.accounts.models import User, hash_secret
from commonground.core import anonymity
from commonground.core.audit import audit_record, snapshot
from commonground.core.i18n import Msg
from commonground.core.mail import queue_email

from . import selectors
from .defaults import DEFAULT_ITEMS
from .models import (
    Answer,
    BreakdownCell,
    FollowUpNote,
    Invitation,
    ItemKind,
    NextRoundReminder,
    ReferenceRate,
    Response,
    Round,
    RoundItem,
    RoundStatus,
    SealedResponse,
    SurveyItem,
)

if TYPE_CHECKING:
    from commonground.partnerships.models import Partnership

TEXT_MAX = 3000


def answer_url(raw_token: str) -> str:
    """The emailed link. The token travels in the fragment (after ``#``), which a browser
    never sends to the server: it reaches the page's script and is POSTed from there, so
    it appears in no access log, proxy log or ``Referer``."""
    return settings.SITE_URL.rstrip("/") + reverse("healthchecks_global:answer") + "#" + raw_token


# --- the question set ---------------------------------------------------------------


@transaction.atomic
def items_ensure_default(*, actor: User, partnership: Partnership) -> int:
    """Give a partnership the default questions if it has none yet. Returns how many were added."""
    if SurveyItem.objects.filter(partnership=partnership).exists():
        return 0
    items = [
        SurveyItem(
            partnership=partnership,
            key=key,
            section=section,
            kind=kind,
            text=_(text),
            reference_mean=reference,
            position=(i + 1) * 10,
        )
        for i, (key, section, kind, text, reference) in enumerate(DEFAULT_ITEMS)
    ]
    SurveyItem.objects.bulk_create(items)
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="healthcheck.items_default",
        summary=Msg(gettext_noop("Default health-check questions added")),
    )
    return len(items)


@transaction.atomic
def item_create(
    *, actor: User, partnership: Partnership, text: str, section: str, kind: str
) -> SurveyItem:
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the question.")})
    base = slugify(text)[:50] or "item"
    key, n = base, 2
    while SurveyItem.objects.filter(partnership=partnership, key=key).exists():
        key, n = f"{base}-{n}", n + 1
    last = SurveyItem.objects.filter(partnership=partnership).order_by("-position").first()
    item = SurveyItem.objects.create(
        partnership=partnership,
        key=key,
        section=section,
        kind=kind,
        text=text,
        position=(last.position + 10) if last else 10,
    )
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="healthcheck.item_create",
        target=item,
        summary=Msg(gettext_noop("Health-check question added: %(text)s"), text=text),
    )
    return item


@transaction.atomic
def item_reword(
    *, actor: User, item: SurveyItem, text: str, position: int | None = None
) -> SurveyItem:
    """Change the wording; the key (and so the trend) stays the same."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the question.")})
    before = snapshot(item, ["text", "position"])
    item.text = text
    if position is not None:
        item.position = position
    item.save(update_fields=["text", "position", "updated_at"])
    audit_record(
        actor=actor,
        partnership=item.partnership,
        verb="healthcheck.item_reword",
        target=item,
        summary=Msg(gettext_noop("Health-check question reworded (%(key)s)"), key=item.key),
        before=before,
        after=snapshot(item, ["text", "position"]),
    )
    return item


@transaction.atomic
def item_set_active(*, actor: User, item: SurveyItem, active: bool) -> SurveyItem:
    item.is_active = active
    item.save(update_fields=["is_active", "updated_at"])
    audit_record(
        actor=actor,
        partnership=item.partnership,
        verb="healthcheck.item_active" if active else "healthcheck.item_remove",
        target=item,
        summary=Msg(
            gettext_noop("Question back in use: %(key)s")
            if active
            else gettext_noop("Question removed: %(key)s"),
            key=item.key,
        ),
    )
    return item


@transaction.atomic
def reference_rate_set(
    *, actor: User, partnership: Partnership, answered: int | None, invited: int | None
) -> ReferenceRate:
    """Set the response rate rounds are compared with; no figures means show none."""
    answered, invited = answered or 0, invited or 0
    if answered < 0 or invited < 0 or answered > invited:
        raise ValidationError(
            {"answered": _("The number who answered cannot exceed the number invited.")}
        )
    rate, _created = ReferenceRate.objects.update_or_create(
        partnership=partnership, defaults={"answered": answered, "invited": invited}
    )
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="healthcheck.reference_rate",
        summary=Msg(
            gettext_noop("Reference response rate set to %(answered)s of %(invited)s")
            if invited
            else gettext_noop("Reference response rate no longer shown"),
            answered=answered,
            invited=invited,
        ),
    )
    return rate


# --- rounds -----------------------------------------------------------------------------


def recipients(partnership: Partnership, working_group: Any = None) -> list[User]:
    """Every person with an active role (or every member of the working group)."""
    if working_group is not None:
        people = working_group.members.filter(is_active=True)
    else:
        people = User.objects.filter(
            is_active=True,
            partnership_roles__partnership=partnership,
            partnership_roles__ended_on__isnull=True,
        )
    return list(people.select_related("organisation").distinct().order_by("id"))


def _send(round: Round, user: User, raw: str, *, reminder: bool) -> None:
    url = answer_url(raw)
    subject = (
        _("Reminder: the %(title)s health check is open until %(date)s")
        if reminder
        else _("Your view, anonymously: %(title)s")
    ) % {"title": round.title, "date": round.closes_on.isoformat()}
    body = render_to_string(
        "healthchecks/email/invitation.txt",
        {
            "round": round,
            "user": user,
            "url": url,
            "page": url.split("#", 1)[0],
            "code": raw,
            "reminder": reminder,
        },
    )
    queue_email(
        to=user.email, subject=subject, body=body, kind="healthcheck", partnership=round.partnership
    )


def _new_token() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def round_open(
    *,
    actor: User,
    partnership: Partnership,
    title: str,
    period: str,
    closes_on: datetime.date,
    working_group: Any = None,
    opens_on: datetime.date | None = None,
    notify: bool = True,
) -> tuple[Round, dict[int, str]]:
    """Open a round: freeze today's questions, invite every member person by email.

    Returns the round and the raw one-use tokens by user id (only the hashes are stored;
    the raw tokens go out by email and are returned for tests and the demo).
    """
    today = opens_on or timezone.localdate()
    if closes_on <= today:
        raise ValidationError({"closes_on": _("The closing date must be in the future.")})
    if working_group is not None and working_group.partnership_id != partnership.pk:
        raise ValidationError(
            {"working_group": _("That working group belongs to another partnership.")}
        )
    items_ensure_default(actor=actor, partnership=partnership)
    items = list(SurveyItem.objects.filter(partnership=partnership, is_active=True))
    if not items:
        raise ValidationError(_("There are no questions in use."))
    people = recipients(partnership, working_group)
    if not people:
        raise ValidationError(_("Nobody to invite: this group has no members."))
    round = Round.objects.create(
        partnership=partnership,
        working_group=working_group,
        title=title.strip(),
        period=period.strip(),
        opens_on=today,
        closes_on=closes_on,
        created_by=actor,
    )
    RoundItem.objects.bulk_create(
        [
            RoundItem(
                round=round,
                item=i,
                key=i.key,
                section=i.section,
                kind=i.kind,
                text=i.text,
                position=i.position,
            )
            for i in items
        ]
    )
    tokens: dict[int, str] = {}
    invitations = []
    for person in people:
        raw = _new_token()
        tokens[person.pk] = raw
        invitations.append(
            Invitation(round=round, user=person, token_hash=hash_secret(raw), sent_on=today)
        )
    Invitation.objects.bulk_create(invitations)
    if notify:
        for person in people:
            _send(round, person, tokens[person.pk], reminder=False)
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="healthcheck.round_open",
        target=round,
        summary=Msg(
            gettext_noop("Health-check round opened: %(title)s (%(n)s invited)"),
            title=round.title,
            n=len(people),
        ),
    )
    return round, tokens


@transaction.atomic
def round_remind(*, actor: User, round: Round) -> int:
    """Email a fresh link to everyone who has not answered. Says nothing about who did."""
    if round.status != RoundStatus.OPEN:
        raise ValidationError(_("This round is no longer open."))
    today = timezone.localdate()
    pending = list(round.invitations.filter(answered=False).select_related("user"))
    for inv in pending:
        raw = _new_token()
        inv.token_hash = hash_secret(raw)
        inv.reminded_on = today
        inv.save(update_fields=["token_hash", "reminded_on"])
        _send(round, inv.user, raw, reminder=True)
    audit_record(
        actor=actor,
        partnership=round.partnership,
        verb="healthcheck.round_remind",
        target=round,
        summary=Msg(
            gettext_noop("Reminder sent to %(n)s people who have not answered yet"), n=len(pending)
        ),
    )
    return len(pending)


def _release(round: Round) -> int:
    """Write the round's sealed answer sets to the result tables in a random order, fix
    its breakdown by sector (only what may be published), and securely delete the
    sealed copies. Returns how many responses were written."""
    sealed = list(SealedResponse.objects.filter(round=round).values_list("sector", "answers"))
    items = {ri.key: ri for ri in RoundItem.objects.filter(round=round)}
    responses: list[Response] = []
    answers: list[Answer] = []
    groups: dict[int, dict[str, list[int]]] = {}  # round item id -> sector -> [n, total]
    for sector, rows in anonymity.shuffled(sealed):
        response = Response(round=round)
        responses.append(response)
        for key, score, text in rows:
            if key not in items:
                continue
            answers.append(Answer(response=response, item=items[key], score=score, text=text))
            if score is not None:
                cell = groups.setdefault(items[key].pk, {}).setdefault(sector or "", [0, 0])
                cell[0] += 1
                cell[1] += score
    Response.objects.bulk_create(responses)
    Answer.objects.bulk_create(anonymity.shuffled(answers))
    BreakdownCell.objects.bulk_create(breakdown_cells(round.pk, groups))
    anonymity.secure_delete(SealedResponse.objects.filter(round=round))
    return len(responses)


def breakdown_cells(round_id: int, groups: dict[int, dict[str, list[int]]]) -> list[BreakdownCell]:
    """The publishable breakdown of each item answered by enough people, from
    ``{round item id: {group: [count, sum]}}``: shown groups with their count and sum,
    hidden groups with neither (``selectors.suppress_cells``)."""
    cells = []
    for item_id, by_group in groups.items():
        if sum(n for n, _total in by_group.values()) < selectors.MIN_RESPONSES:
            continue  # the item is not published at all
        hidden = selectors.suppress_cells({g: n for g, (n, _total) in by_group.items()})
        for group, (n, total) in by_group.items():
            shown = group not in hidden
            cells.append(
                BreakdownCell(
                    round_id=round_id,
                    item_id=item_id,
                    grouping="sector",
                    group=group,
                    n=n if shown else None,
                    total=total if shown else None,
                )
            )
    return cells


@transaction.atomic
def round_close(*, actor: User, round: Round) -> Round:
    """Close the round: from now on no answer is taken, and its results exist.

    Results appear once, here, and only if enough people answered: while the round is
    open there is nothing to compare from one answer to the next."""
    round = (
        Round.objects.select_for_update(of=("self",)).select_related("partnership").get(pk=round.pk)
    )
    if round.status != RoundStatus.OPEN:
        raise ValidationError(_("This round is already closed."))
    _release(round)
    round.status = RoundStatus.CLOSED
    round.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        partnership=round.partnership,
        verb="healthcheck.round_close",
        target=round,
        summary=Msg(gettext_noop("Health-check round closed: %(title)s"), title=round.title),
    )
    return round


@transaction.atomic
def round_publish(*, actor: User, round: Round) -> Round:
    if round.status == RoundStatus.PUBLISHED:
        raise ValidationError(_("The results are already published."))
    if round.status == RoundStatus.OPEN:
        round = round_close(actor=actor, round=round)
    round.status = RoundStatus.PUBLISHED
    round.published_on = timezone.localdate()
    round.save(update_fields=["status", "published_on", "updated_at"])
    audit_record(
        actor=actor,
        partnership=round.partnership,
        verb="healthcheck.round_publish",
        target=round,
        summary=Msg(gettext_noop("Health-check results published: %(title)s"), title=round.title),
    )
    return round


# --- after the round: follow-up interviews -----------------------------------------------


@transaction.atomic
def note_add(
    *, actor: User, round: Round, text: str, held_on: datetime.date | None = None
) -> FollowUpNote:
    """Record what follow-up interviews with members found. Only after the round has
    closed (the interviews follow the results), and never tied to a respondent: the
    note belongs to the round alone."""
    if round.status == RoundStatus.OPEN:
        raise ValidationError(_("Interview notes can be written once the round has closed."))
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write what the interviews found.")})
    note = FollowUpNote.objects.create(round=round, text=text, held_on=held_on, written_by=actor)
    audit_record(
        actor=actor,
        partnership=round.partnership,
        verb="healthcheck.note_add",
        target=round,
        summary=Msg(gettext_noop("Follow-up interview note added to %(title)s"), title=round.title),
    )
    return note


@transaction.atomic
def note_delete(*, actor: User, note: FollowUpNote) -> None:
    round = note.round
    before = snapshot(note, ["text", "held_on"])
    note.delete()
    audit_record(
        actor=actor,
        partnership=round.partnership,
        verb="healthcheck.note_delete",
        target=round,
        summary=Msg(
            gettext_noop("Follow-up interview note removed from %(title)s"), title=round.title
        ),
        before=before,
    )


# --- the yearly reminder ------------------------------------------------------------------


def managers_of(partnership: Partnership) -> list[User]:
    from commonground.core.policy import roles_holding

    from .rules import MANAGE

    return list(
        User.objects.filter(
            is_active=True,
            partnership_roles__partnership=partnership,
            partnership_roles__kind__in=roles_holding(MANAGE),
            partnership_roles__ended_on__isnull=True,
        ).distinct()
    )


def next_round_reminders_send(*, today: datetime.date | None = None) -> int:
    """Tell each partnership's managers when a year has passed since its last
    whole-partnership round opened and no round is open. Once per due date: running it
    again, the same day or any later day, tells nobody twice. Returns how many
    partnerships were reminded."""
    from commonground.decisions.notifications import notify
    from commonground.partnerships.models import Partnership, Status

    today = today or timezone.localdate()
    sent = 0
    partnerships = (
        Partnership.objects.exclude(status=Status.ENDED)
        .filter(health_rounds__working_group__isnull=True)
        .distinct()
        .order_by("id")
    )
    for partnership in partnerships:
        due = selectors.next_round(partnership)
        if due is None or due.open is not None or due.due_on > today:
            continue
        try:
            with transaction.atomic():
                NextRoundReminder.objects.create(
                    partnership=partnership, due_on=due.due_on, sent_on=today
                )
        except IntegrityError:
            continue  # already reminded for this due date
        notify(
            users=managers_of(partnership),
            partnership=partnership,
            kind="healthcheck.round_due",
            title=Msg(
                gettext_noop(
                    "The yearly health check is due: the last round opened on %(date)s. "
                    "Open the next round."
                ),
                date=due.last.opens_on,
            ),
            url=reverse("healthchecks:round_list", kwargs={"slug": partnership.slug}),
        )
        sent += 1
    return sent


# --- answering --------------------------------------------------------------------------


def invitation_for_token(raw: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("round", "round__partnership")
        .filter(token_hash=hash_secret(raw))
        .first()
    )


def refusal(invitation: Invitation, today: datetime.date | None = None) -> str | None:
    """Why this link cannot be used now, or None."""
    today = today or timezone.localdate()
    if invitation.answered:
        return _("This link has already been used: each person answers once.")
    rnd = invitation.round
    if rnd.status != RoundStatus.OPEN or today > rnd.closes_on:
        return _("This health check closed on %(date)s; answers are no longer accepted.") % {
            "date": rnd.closes_on.isoformat()
        }
    return None


@transaction.atomic
def response_submit(*, token: str, answers: dict[str, Any]) -> SealedResponse:
    """Seal one anonymous answer set and mark the link used, in one transaction.

    Deliberately no audit event, no log line and no time: any of them would tie
    the answers to the person. The answers wait sealed until the round closes.
    """
    invitation = (
        Invitation.objects.select_for_update().filter(token_hash=hash_secret(token)).first()
    )
    if invitation is None:
        raise ValidationError(_("This link is not valid."))
    # Lock the round too, so an answer and the close queue: no answer can be sealed
    # into a round whose sealed box has already been emptied.
    invitation.round = Round.objects.select_for_update().get(pk=invitation.round_id)
    reason = refusal(invitation)
    if reason:
        raise ValidationError(reason)
    items = {ri.key: ri for ri in invitation.round.items.all()}
    rows: list[tuple[RoundItem, int | None, str]] = []
    for key, value in answers.items():
        ri = items.get(key)
        if ri is None or value in (None, ""):
            continue
        if ri.kind == ItemKind.TEXT:
            text = str(value).strip()
            if len(text) > TEXT_MAX:
                raise ValidationError(
                    {key: _("Please keep this under %(n)s characters.") % {"n": TEXT_MAX}}
                )
            if text:
                rows.append((ri, None, text))
        else:
            try:
                score = int(value)
            except (TypeError, ValueError):
                raise ValidationError({key: _("Choose a value from 1 to 5.")}) from None
            if not 1 <= score <= 5:
                raise ValidationError({key: _("Choose a value from 1 to 5.")})
            rows.append((ri, score, ""))
    if not rows:
        raise ValidationError(_("Answer at least one question before sending."))
    user = invitation.user
    sector = user.organisation.sector if user.organisation is not None else ""
    sealed = seal(invitation.round, sector, [(ri.key, score, text) for ri, score, text in rows])
    invitation.answered = True
    invitation.save(update_fields=["answered"])
    return sealed


def seal(round: Round, sector: str, rows: list[tuple[str, int | None, str]]) -> SealedResponse:
    """Keep one answer set sealed until the round closes (also used by the demo seed)."""
    return SealedResponse.objects.create(
        round=round, sector=sector, answers=[list(row) for row in rows]
    )
