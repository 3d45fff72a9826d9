from __future__ import annotations

import factory

from commonground.actionplan.models import Action
from commonground.partnerships.tests.factories import PartnershipFactory


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
    priority = 3
    status = "not_started"
