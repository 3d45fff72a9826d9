"""Notifications any app can send: an in-app list plus email, as each person prefers.

``notify`` stores one row per person. People who chose "immediately" get an
email once the transaction commits; the others get them in a digest sent by
``manage.py send_digests`` (run it hourly from cron; it sends each person's
digest once a day or once a week).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from commonground.core.i18n import Msg
from commonground.core.inbox import inbox_for
from commonground.core.mail import queue_email

from .models import Notification, NotificationFrequency, NotificationPreference

DIGEST_EVERY = {
    NotificationFrequency.DAILY: datetime.timedelta(hours=23),
    NotificationFrequency.WEEKLY: datetime.timedelta(days=7) - datetime.timedelta(hours=1),
}


def frequency_of(user: Any) -> str:
    pref = NotificationPreference.objects.filter(user=user).first()
    return pref.frequency if pref else NotificationFrequency.DAILY


def _title_for(user: Any, title: str | Msg) -> str:
    """A ``Msg`` title in the person's own language (notifications are per person)."""
    if not isinstance(title, Msg):
        return title
    with translation.override(getattr(user, "language", None) or settings.LANGUAGE_CODE):
        return str(title)


def notify(
    *, users: Iterable[Any], partnership: Any, kind: str, title: str | Msg, url: str = ""
) -> list[Notification]:
    """Tell ``users`` about something; returns the stored notifications. A ``Msg`` title
    is written in each person's language."""
    people = {u.pk: u for u in users if u is not None and getattr(u, "is_active", True)}
    if not people:
        return []
    now = timezone.now()
    rows = Notification.objects.bulk_create(
        [
            Notification(
                user_id=pk,
                partnership=partnership,
                kind=kind,
                title=_title_for(user, title)[:300],
                url=url[:300],
                created_at=now,
            )
            for pk, user in people.items()
        ]
    )
    immediate = set(
        NotificationPreference.objects.filter(
            user_id__in=people, frequency=NotificationFrequency.IMMEDIATELY
        ).values_list("user_id", flat=True)
    )
    if immediate:
        ids = [n.pk for n in rows if n.user_id in immediate and n.pk is not None]
        if ids:
            transaction.on_commit(lambda: send_immediate(ids))
        else:  # backends that do not return ids from bulk_create
            transaction.on_commit(
                lambda: send_immediate(
                    list(
                        Notification.objects.filter(
                            user_id__in=immediate, created_at=now, emailed_at__isnull=True
                        ).values_list("pk", flat=True)
                    )
                )
            )
    return rows


def absolute(url: str) -> str:
    if not url or "://" in url:
        return url
    return settings.SITE_URL.rstrip("/") + url


def _send(
    user: Any, subject: str, notifications: list[Notification], *, with_inbox: bool = False
) -> None:
    with translation.override(getattr(user, "language", None) or settings.LANGUAGE_CODE):
        # A digest also lists what waits for the person (as on My work), mentions aside:
        # they are the notifications above.
        inbox = (
            [s for s in inbox_for(user) if s.count and s.key != "mentions"] if with_inbox else []
        )
        body = render_to_string(
            "decisions/email/notifications.txt",
            {
                "user": user,
                "items": [{"n": n, "link": absolute(n.url)} for n in notifications],
                "inbox": [
                    {"section": s, "items": [(i, absolute(i.url)) for i in s.items]} for s in inbox
                ],
                "my_work": absolute(reverse("core:dashboard")),
                "preferences": absolute("/decisions/notifications/preferences/"),
            },
        )
        one = {n.partnership_id for n in notifications}
        queue_email(
            to=user.email,
            subject=str(subject),
            body=body,
            kind="digest" if with_inbox else "notification",
            partnership=notifications[0].partnership if len(one) == 1 else None,
        )


def send_immediate(ids: list[int]) -> int:
    sent = 0
    pending = Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).select_related(
        "user", "partnership"
    )
    for n in pending:
        _send(n.user, n.title, [n])
        sent += 1
    Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=timezone.now())
    return sent


def send_digests(*, now: datetime.datetime | None = None) -> int:
    """Email each daily/weekly person whose digest is due the notifications
    not yet emailed. Returns the number of emails sent. Safe to run often."""
    now = now or timezone.now()
    sent = 0
    prefs = NotificationPreference.objects.filter(
        frequency__in=[NotificationFrequency.DAILY, NotificationFrequency.WEEKLY]
    ).select_related("user")
    explicit = {p.user_id: p for p in prefs}
    # People without a preference row get the default: a daily digest.
    waiting_users = set(
        Notification.objects.filter(emailed_at__isnull=True).values_list("user_id", flat=True)
    )
    off_or_immediate = set(
        NotificationPreference.objects.filter(
            user_id__in=waiting_users,
            frequency__in=[NotificationFrequency.OFF, NotificationFrequency.IMMEDIATELY],
        ).values_list("user_id", flat=True)
    )
    for user_id in sorted(waiting_users - off_or_immediate):
        pref = explicit.get(user_id)
        if pref is None:
            pref, _created = NotificationPreference.objects.select_related("user").get_or_create(
                user_id=user_id
            )
        due_after = DIGEST_EVERY[NotificationFrequency(pref.frequency)]
        if pref.last_digest_at and now - pref.last_digest_at < due_after:
            continue
        with transaction.atomic():
            items = list(
                Notification.objects.select_for_update(of=("self",))
                .filter(user_id=user_id, emailed_at__isnull=True, created_at__lte=now)
                .select_related("partnership")
                .order_by("created_at", "id")
            )
            if not items:
                continue
            with translation.override(pref.user.language or settings.LANGUAGE_CODE):
                if pref.frequency == NotificationFrequency.WEEKLY:
                    subject = _("Your weekly summary: %(n)s updates") % {"n": len(items)}
                else:
                    subject = _("Your daily summary: %(n)s updates") % {"n": len(items)}
            _send(pref.user, subject, items, with_inbox=True)
            Notification.objects.filter(pk__in=[n.pk for n in items]).update(emailed_at=now)
            NotificationPreference.objects.filter(pk=pref.pk).update(last_digest_at=now)
            sent += 1
    # Notifications for people who want no email are marked so they are not reconsidered.
    Notification.objects.filter(
        emailed_at__isnull=True,
        user__notification_preference__frequency=NotificationFrequency.OFF,
    ).update(emailed_at=now)
    return sent


def unread_count(user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
