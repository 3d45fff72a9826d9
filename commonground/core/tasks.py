"""Background tasks (Django's task API through the django-tasks backport).

They run in ``manage.py db_worker`` (the database backend: no broker). The periodic
jobs are enqueued by ``manage.py run_scheduler`` (``core.scheduler``).
"""

from __future__ import annotations

from django.core.management import call_command
from django_tasks import task

from . import mail


@task()
def send_email(delivery_id: int) -> str:
    return mail.deliver(delivery_id)


@task()
def retry_deliveries() -> int:
    return mail.retry_due()


@task()
def run_command(name: str) -> None:
    """A periodic job: one of the management commands in ``core.scheduler.JOBS``."""
    from .scheduler import COMMANDS

    if name not in COMMANDS:
        raise ValueError(f"{name} is not a scheduled job")
    call_command(name, verbosity=0)
