"""State changes of the action plan."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from commonground.core.audit import audit_record, snapshot
from commonground.core.i18n import Msg, choice_label
from commonground.core.mail import queue_email

from .models import DUE_SOON_DAYS, OPEN_STATUSES, Action, ActionReminder, ActionStatus

if TYPE_CHECKING:
    from commonground.accounts.models import User
    from commonground.partnerships.models import Partnership

EDITABLE_FIELDS = [
    "title",
    "description",
    "enablers",
    "owner",
    "owner_organisation",
    "working_group",
    "priority",
    "start_on",
    "due_on",
    "status",
    "meeting",
    "decision",
    "agreement_deliverable",
    "review",
]


def _check(partnership: Partnership, fields: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    title = (fields.get("title") or "").strip()
    if "title" in fields and not title:
        errors["title"] = _("Give the action a title.")
    priority = fields.get("priority")
    if priority is not None and not 1 <= int(priority) <= 5:
        errors["priority"] = _("Priority goes from 1 (low) to 5 (high).")
    start, due = fields.get("start_on"), fields.get("due_on")
    if start and due and due < start:
        errors["due_on"] = _("The due date cannot be before the start date.")
    for name in ("working_group", "meeting", "decision", "review"):
        obj = fields.get(name)
        if obj is not None and obj.partnership_id != partnership.pk:
            errors[name] = _("This belongs to another partnership.")
    owner = fields.get("owner")
    if owner is not None:
        from commonground.partnerships.models import Role

        if not Role.objects.filter(
            partnership=partnership, user=owner, ended_on__isnull=True
        ).exists():
            errors["owner"] = _("The owner must hold a role in this partnership.")
    if fields.get("status") and fields["status"] not in ActionStatus.values:
        errors["status"] = _("Unknown status.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def action_create(*, actor: User, partnership: Partnership, **fields: Any) -> Action:
    fields = {k: v for k, v in fields.items() if k in EDITABLE_FIELDS or k == "agenda_item"}
    _check(partnership, {"title": "", **fields})
    if fields.get("owner") is not None and fields.get("owner_organisation") is None:
        fields["owner_organisation"] = _owner_org(partnership, fields["owner"])
    action = Action(partnership=partnership, created_by=_user(actor), **fields)
    if action.status == ActionStatus.DONE:
        action.completed_on = timezone.localdate()
    action.save()
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="action.create",
        target=action,
        summary=Msg(gettext_noop("Action added: %(title)s"), title=action.title),
        after=snapshot(action, ["title", "owner", "due_on", "status", "priority"]),
    )
    return action


@transaction.atomic
def action_update(*, actor: User, action: Action, **fields: Any) -> Action:
    fields = {k: v for k, v in fields.items() if k in EDITABLE_FIELDS}
    _check(action.partnership, fields)
    if fields.get("owner") is not None and not fields.get("owner_organisation"):
        fields["owner_organisation"] = _owner_org(action.partnership, fields["owner"])
    before = snapshot(action, list(fields))
    for name, value in fields.items():
        setattr(action, name, value)
    _stamp_completion(action)
    action.save()
    audit_record(
        actor=actor,
        partnership=action.partnership,
        verb="action.update",
        target=action,
        summary=Msg(gettext_noop("Action updated: %(title)s"), title=action.title),
        before=before,
        after=snapshot(action, list(fields)),
    )
    return action


@transaction.atomic
def action_set_status(*, actor: User, action: Action, status: str) -> Action:
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    before = action.status
    action.status = status
    _stamp_completion(action)
    action.save(update_fields=["status", "completed_on", "updated_at"])
    audit_record(
        actor=actor,
        partnership=action.partnership,
        verb="action.status",
        target=action,
        summary=Msg(
            gettext_noop("Action %(title)s: %(status)s"),
            title=action.title,
            status=choice_label(action, "status"),
        ),
        before={"status": before},
        after={"status": status},
    )
    return action


def _stamp_completion(action: Action) -> None:
    if action.status == ActionStatus.DONE and action.completed_on is None:
        action.completed_on = timezone.localdate()
    elif action.status != ActionStatus.DONE:
        action.completed_on = None


def _user(actor: User) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _owner_org(partnership: Partnership, owner: Any) -> Any:
    from commonground.partnerships.models import Role

    role = (
        Role.objects.filter(
            partnership=partnership,
            user=owner,
            ended_on__isnull=True,
            organisation__isnull=False,
        )
        .select_related("organisation")
        .first()
    )
    return role.organisation if role else owner.organisation


# --- reminders -----------------------------------------------------------------------


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Email each owner of open actions that are overdue or due within a week.

    One email per person per day at most: a second run the same day sends nothing.
    Returns the number of emails sent.
    """
    from commonground.core.policy import partnerships_with

    from .rules import VIEW

    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    due = (
        Action.objects.filter(
            status__in=OPEN_STATUSES, due_on__isnull=False, due_on__lte=horizon, owner__isnull=False
        )
        .select_related("owner", "partnership")
        .order_by("owner_id", "due_on", "id")
    )
    by_owner: dict[int, list[Action]] = {}
    for action in due:
        by_owner.setdefault(action.owner_id, []).append(action)  # type: ignore[arg-type]
    sent = 0
    for actions in by_owner.values():
        owner = actions[0].owner
        assert owner is not None
        if not owner.is_active or not owner.email:
            continue
        allowed = set(partnerships_with(owner, VIEW).values_list("pk", flat=True))
        actions = [a for a in actions if a.partnership_id in allowed]
        if not actions:
            continue
        try:
            with transaction.atomic():
                reminder = ActionReminder.objects.create(user=owner, sent_on=today)
        except IntegrityError:
            continue  # already reminded today
        reminder.actions.set(actions)
        overdue = [a for a in actions if a.due_on and a.due_on < today]
        soon = [a for a in actions if a.due_on and a.due_on >= today]
        with translation.override(owner.language or "en"):
            subject = _("Your actions: %(overdue)d overdue, %(soon)d due this week") % {
                "overdue": len(overdue),
                "soon": len(soon),
            }
            body = render_to_string(
                "actionplan/email/reminder.txt",
                {
                    "owner": owner,
                    "overdue": overdue,
                    "soon": soon,
                    "today": today,
                    "link": str(settings.SITE_URL).rstrip("/") + reverse("actionplan_global:mine"),
                },
            )
        queue_email(to=owner.email, subject=subject, body=body, kind="action_reminder")
        sent += 1
    return sent
