"""Outgoing email through the task queue, with retries.

``queue_email`` writes a ``Delivery`` in the caller's transaction and enqueues the
``send_email`` task when that transaction commits: a rolled-back request sends
nothing, and a request never waits for the mail server. The task (in a worker, see
``core.tasks``) claims the delivery, sends it and records the outcome; a failure is
tried again after 1, 2, 4, 8 … minutes (``retry_due``, run every minute by the
scheduler) up to ``MAX_ATTEMPTS``, then stays "failed" on the failed-deliveries page
until someone sends it again.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import Delivery, DeliveryStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
FIRST_WAIT = datetime.timedelta(minutes=1)
# A delivery still "waiting" this long after it was written lost its task (the process
# died between commit and enqueue); one "being sent" this long lost its worker.
LOST_AFTER = datetime.timedelta(minutes=10)


def backoff(attempts: int) -> datetime.timedelta:
    """The wait after the ``attempts``-th failed attempt: 1, 2, 4, 8, 16 minutes."""
    return FIRST_WAIT * (2 ** max(attempts - 1, 0))


def _enqueue(delivery_id: int) -> None:
    from .tasks import send_email

    send_email.enqueue(delivery_id)


def queue_email(
    *, to: str, subject: str, body: str, kind: str, partnership: Any = None
) -> Delivery:
    """Record one email and send it from a worker once the current transaction commits."""
    delivery = Delivery.objects.create(
        to=to, subject=str(subject)[:500], body=body, kind=kind, partnership=partnership
    )
    pk = delivery.pk
    transaction.on_commit(lambda: _enqueue(pk), robust=True)
    return delivery


def deliver(delivery_id: int) -> str:
    """Send one delivery if it is still due (the ``send_email`` task's body).

    The claim is one conditional UPDATE, so two workers given the same delivery (a
    retry enqueued twice) send it once."""
    now = timezone.now()
    claimed = Delivery.objects.filter(
        pk=delivery_id, status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING]
    ).update(status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, updated_at=now)
    if not claimed:
        return "skipped"
    delivery = Delivery.objects.get(pk=delivery_id)
    try:
        EmailMessage(delivery.subject, delivery.body, None, [delivery.to]).send()
    except Exception as exc:  # any SMTP or connection failure: record it, try later
        give_up = delivery.attempts >= MAX_ATTEMPTS
        logger.warning(
            "Email delivery #%s failed (attempt %s): %s", delivery.pk, delivery.attempts, exc
        )
        Delivery.objects.filter(pk=delivery_id).update(
            status=DeliveryStatus.FAILED if give_up else DeliveryStatus.RETRYING,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            next_try_at=None if give_up else timezone.now() + backoff(delivery.attempts),
            updated_at=timezone.now(),
        )
        return "failed"
    Delivery.objects.filter(pk=delivery_id).update(
        status=DeliveryStatus.SENT,
        sent_at=timezone.now(),
        updated_at=timezone.now(),
        body="",
        last_error="",
        next_try_at=None,
    )
    return "sent"


def retry_due() -> int:
    """Enqueue every delivery whose wait is over, and those that lost their task or worker."""
    now = timezone.now()
    stale = now - LOST_AFTER
    # A worker killed mid-send: the message may or may not have left; sending it again
    # is the lesser harm (at least once).
    Delivery.objects.filter(status=DeliveryStatus.SENDING, updated_at__lt=stale).update(
        status=DeliveryStatus.RETRYING, next_try_at=now, updated_at=now
    )
    due = list(
        Delivery.objects.filter(
            Q(status=DeliveryStatus.RETRYING, next_try_at__lte=now)
            | Q(status=DeliveryStatus.PENDING, updated_at__lt=stale)
        ).values_list("pk", flat=True)
    )
    # Not picked up again until this task had time to run (a long queue ahead of it).
    Delivery.objects.filter(pk__in=due).update(next_try_at=now + LOST_AFTER, updated_at=now)
    for pk in due:
        _enqueue(pk)
    return len(due)


@transaction.atomic
def retry_now(delivery: Delivery) -> None:
    """A person asked to send a failed delivery again: one more round of attempts."""
    now = timezone.now()
    Delivery.objects.filter(
        pk=delivery.pk, status__in=[DeliveryStatus.RETRYING, DeliveryStatus.FAILED]
    ).update(status=DeliveryStatus.RETRYING, attempts=0, next_try_at=now, updated_at=now)
    pk = delivery.pk
    transaction.on_commit(lambda: _enqueue(pk), robust=True)
