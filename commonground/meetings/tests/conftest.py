from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from commonground.meetings.tests.factories import MeetingFactory


@pytest.fixture
def past_meeting(world):
    from commonground.meetings import services

    start = (timezone.now() - datetime.timedelta(days=14)).replace(microsecond=0)
    return services.meeting_create(
        actor=world.users["manager"],
        partnership=world.partnership,
        title="Past meeting",
        mode="in_person",
        place="Town hall",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )


@pytest.fixture
def future_meeting(world):
    start = timezone.now() + datetime.timedelta(days=14)
    return MeetingFactory(
        partnership=world.partnership,
        title="Future meeting",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
