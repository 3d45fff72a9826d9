"""Email as background tasks: queued at commit, sent by the database backend's worker,
failures recorded, tried again with backoff, and visible (with a retry) to managers."""

from __future__ import annotations

import datetime
import smtplib

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from commonground.core import scheduler
from commonground.core.mail import MAX_ATTEMPTS, deliver, queue_email
from commonground.core.models import AuditEvent, Delivery, DeliveryStatus, ScheduledRun
from commonground.partnerships.invitations import invitation_create

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


REFUSING = "commonground.core.tests.test_tasks.RefusingBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    # The worker closes stale connections between tasks; in a test (one transaction
    # around it all) that would close the test's own, as Django's test client avoids too.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


def run_worker() -> None:
    """Everything queued, through django-tasks-db's own worker loop (as db_worker runs it)."""
    db_worker.Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def invite(world, email: str = "new@example.org") -> None:
    invitation_create(
        actor=world.users["manager"], partnership=world.partnership, email=email, kind="champion"
    )


def test_an_smtp_failure_is_kept_shown_to_managers_and_sent_on_retry(
    world, client_for, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_TASKS
    settings.EMAIL_BACKEND = REFUSING
    with django_capture_on_commit_callbacks(execute=True):
        invite(world)
    assert mail.outbox == []  # the request did not send it: it waits in the queue
    assert DBTaskResult.objects.count() == 1
    run_worker()
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.attempts == 1
    assert "SMTPServerDisconnected" in delivery.last_error
    assert delivery.partnership == world.partnership and delivery.kind == "invitation"

    manager = client_for("manager")
    page = reverse("core:partnership_deliveries", kwargs={"slug": world.partnership.slug})
    response = manager.get(page)
    assert "new@example.org" in response.content.decode()
    other = reverse("core:partnership_deliveries", kwargs={"slug": world.other_partnership.slug})
    assert "new@example.org" not in client_for("admin").get(other).content.decode()
    assert "new@example.org" in client_for("admin").get(reverse("core:deliveries")).content.decode()

    settings.EMAIL_BACKEND = LOCMEM  # the server is back
    retry = reverse(
        "core:partnership_delivery_retry",
        kwargs={"slug": world.partnership.slug, "pk": delivery.pk},
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert manager.post(retry).status_code == 302
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.body == ""
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    assert "invited" in mail.outbox[0].subject
    assert AuditEvent.objects.filter(verb="delivery.retry", partnership=world.partnership).exists()
    assert "No failed deliveries." in manager.get(page).content.decode()


def test_a_rolled_back_request_queues_no_email(world, settings, django_capture_on_commit_callbacks):
    settings.TASKS = DATABASE_TASKS
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        invite(world)
        raise RuntimeError("the request failed after inviting")
    assert callbacks == []
    assert not Delivery.objects.exists() and not DBTaskResult.objects.exists()
    run_worker()
    assert mail.outbox == []


NOON = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)


@time_machine.travel(NOON, tick=False)
def test_failures_are_retried_with_backoff_by_the_scheduled_job(
    world, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_TASKS
    settings.EMAIL_BACKEND = REFUSING
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        invite(world)
    run_worker()
    delivery = Delivery.objects.get()
    assert delivery.next_try_at is not None
    assert delivery.next_try_at - start >= datetime.timedelta(minutes=1)
    settings.EMAIL_BACKEND = LOCMEM
    # Before the wait is over the job enqueues nothing; after it, the worker sends it.
    # Only the retry job is due (the others ran a moment ago).
    ScheduledRun.objects.bulk_create(
        ScheduledRun(name=job.name, last_run_at=start)
        for job in scheduler.JOBS
        if job.name != "retry_deliveries"
    )
    assert scheduler.tick(now=start) == ["retry_deliveries"]
    run_worker()
    assert mail.outbox == []
    with time_machine.travel(start + datetime.timedelta(minutes=2), tick=False):
        assert scheduler.tick() == ["retry_deliveries"]
        run_worker()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert len(mail.outbox) == 1


def test_a_delivery_gives_up_after_the_last_attempt_and_is_sent_once(world, settings):
    settings.EMAIL_BACKEND = REFUSING
    delivery = queue_email(to="x@example.org", subject="s", body="b", kind="test")
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.RETRYING)
    for _attempt in range(MAX_ATTEMPTS):
        assert deliver(delivery.pk) == "failed"
        Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.RETRYING).update(
            next_try_at=timezone.now()
        )
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.next_try_at is None
    assert deliver(delivery.pk) == "skipped"  # no more automatic tries
    settings.EMAIL_BACKEND = LOCMEM
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.RETRYING)
    assert deliver(delivery.pk) == "sent"
    assert deliver(delivery.pk) == "skipped"  # a duplicate task sends nothing twice
    assert len(mail.outbox) == 1


@time_machine.travel(NOON, tick=False)
def test_the_scheduler_enqueues_each_job_once_per_period(db, settings):
    settings.TASKS = DATABASE_TASKS
    now = timezone.now()
    first = scheduler.tick(now=now)
    assert {"retry_deliveries", "close_due_proposals", "send_digests", "backup"} <= set(first)
    assert scheduler.tick(now=now + datetime.timedelta(seconds=30)) == []
    later = scheduler.tick(now=now + datetime.timedelta(minutes=5))
    assert "close_due_proposals" in later and "send_digests" not in later
    queued = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert queued == {
        "commonground.core.tasks.retry_deliveries",
        "commonground.core.tasks.run_command",
    }
