import factory
from django.utils import timezone

from commonground.method.models import DesignElementRecord, GlossaryTerm, ProblemCycle
from commonground.partnerships.tests.factories import PartnershipFactory


class ProblemCycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProblemCycle

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Problem {n}")
    observation = "Volunteers stop coming after two months."
    started_on = factory.LazyFunction(timezone.localdate)


class GlossaryTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GlossaryTerm

    partnership = factory.SubFactory(PartnershipFactory)
    preferred = factory.Sequence(lambda n: f"term {n}")
    definition = "What we mean by it."


class DesignElementRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DesignElementRecord

    partnership = factory.SubFactory(PartnershipFactory)
    element = "shared_vision"
    text = "A first draft."
