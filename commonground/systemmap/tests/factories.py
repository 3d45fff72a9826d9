import factory

from commonground.organisations.tests.factories import OrganisationFactory
from commonground.partnerships.tests.factories import PartnershipFactory
from commonground.systemmap.models import Relationship, Survey


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relationship

    partnership = factory.SubFactory(PartnershipFactory)
    source = factory.SubFactory(OrganisationFactory)
    target = factory.SubFactory(OrganisationFactory)
    kind = "informal"
    confidence = "medium"


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Survey {n}")
