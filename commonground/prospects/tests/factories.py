import factory

from commonground.organisations.tests.factories import OrganisationFactory
from commonground.partnerships.tests.factories import PartnershipFactory
from commonground.prospects.models import Criterion, Need, Prospect


class ProspectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prospect

    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    stage = "identified"


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    partnership = factory.SubFactory(PartnershipFactory)
    group = "compatibility"
    label = factory.Sequence(lambda n: f"Criterion {n}")
    weight = 1
    position = factory.Sequence(lambda n: n)


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    partnership = factory.SubFactory(PartnershipFactory)
    category = "legal"
