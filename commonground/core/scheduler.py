"""The one scheduler of periodic jobs: ``manage.py run_scheduler`` enqueues each job
below as a background task when it is due, and a worker (``manage.py db_worker``)
runs it. No cron line per job (``docs/operations.md``, "Background work").

A job is due ``every`` so long after its last run, or once a day ``at`` a local time.
The last run is kept in the database (``ScheduledRun``) and claimed with a
conditional update: a restart does not repeat a daily job, and schedulers on several
hosts enqueue each run once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.management import get_commands
from django.utils import timezone

from .models import ScheduledRun

RETRY_DELIVERIES = "retry_deliveries"


@dataclass(frozen=True)
class Job:
    name: str  # a management command, or RETRY_DELIVERIES
    every: datetime.timedelta | None = None
    at: datetime.time | None = None  # daily, at this local time

    def due(self, last: datetime.datetime | None, now: datetime.datetime) -> bool:
        if self.every is not None:
            return last is None or now - last >= self.every
        assert self.at is not None
        today_at = timezone.make_aware(datetime.datetime.combine(timezone.localdate(now), self.at))
        return now >= today_at and (last is None or last < today_at)


minutes = datetime.timedelta(minutes=1)

JOBS: tuple[Job, ...] = (
    Job(RETRY_DELIVERIES, every=1 * minutes),
    Job("close_due_proposals", every=5 * minutes),
    Job("scrub_sealed", every=5 * minutes),
    Job("send_digests", every=60 * minutes),
    Job("backup", every=60 * minutes),
    Job("apply_retention", at=datetime.time(2, 30)),
    Job("clearsessions", at=datetime.time(3, 45)),
    Job("prune_db_task_results", at=datetime.time(4, 15)),
    Job("extend_meeting_series", at=datetime.time(5, 30)),
    Job("send_action_reminders", at=datetime.time(6, 0)),
    Job("send_health_check_reminders", at=datetime.time(6, 10)),
)
COMMANDS = frozenset(job.name for job in JOBS if job.name != RETRY_DELIVERIES)


def enqueue(job: Job) -> None:
    from .tasks import retry_deliveries, run_command

    if job.name == RETRY_DELIVERIES:
        retry_deliveries.enqueue()
    else:
        run_command.enqueue(job.name)


def _claim(job: Job, last: datetime.datetime | None, now: datetime.datetime) -> bool:
    if last is None:
        _row, created = ScheduledRun.objects.get_or_create(
            name=job.name, defaults={"last_run_at": now}
        )
        return created
    return bool(
        ScheduledRun.objects.filter(name=job.name, last_run_at=last).update(last_run_at=now)
    )


def tick(now: datetime.datetime | None = None) -> list[str]:
    """Enqueue every job that is due now; the names enqueued."""
    now = now or timezone.now()
    known = get_commands()
    last = dict(ScheduledRun.objects.values_list("name", "last_run_at"))
    enqueued = []
    for job in JOBS:
        if job.name != RETRY_DELIVERIES and job.name not in known:
            continue  # an app that is not installed
        if job.due(last.get(job.name), now) and _claim(job, last.get(job.name), now):
            enqueue(job)
            enqueued.append(job.name)
    return enqueued
