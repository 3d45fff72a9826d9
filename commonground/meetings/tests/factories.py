from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from commonground.meetings.models import AgendaItem, Meeting
from commonground.partnerships.tests.factories import PartnershipFactory


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Partnership meeting {n}")
    mode = "in_person"
    place = "City hall, room 2"
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Item {n}")
    position = factory.Sequence(lambda n: (n + 1) * 10)
    item_type = "decision"
