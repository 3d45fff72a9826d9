import factory

from commonground.accounts.tests.factories import UserFactory
from commonground.organisations.tests.factories import OrganisationFactory
from commonground.partnerships.models import Membership, Partnership, Role


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Partnership {n}")
    slug = factory.Sequence(lambda n: f"partnership-{n}")
    purpose = "Keep materials in use longer."


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    status = "active"


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    partnership = factory.SubFactory(PartnershipFactory)
    user = factory.SubFactory(UserFactory)
    kind = "representative"
