from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from commonground.decisions.models import Proposal, ProposalOption
from commonground.partnerships.models import WorkingGroup
from commonground.partnerships.tests.factories import PartnershipFactory


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup
        skip_postgeneration_save = True

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Group {n}")
    slug = factory.Sequence(lambda n: f"group-{n}")
    remit = "Day-to-day decisions on reuse."


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Proposal {n}")
    method = "consent"
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3))
    quorum_percent = 0


class OptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProposalOption

    proposal = factory.SubFactory(ProposalFactory)
    label = factory.Sequence(lambda n: f"Option {n}")
    position = factory.Sequence(lambda n: n)
