import datetime
from decimal import Decimal

import factory

from commonground.partnerships.tests.factories import PartnershipFactory
from commonground.results.models import Indicator, Measurement, Review


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Indicator {n}")
    kind = "quantitative"
    unit = "t"
    direction = "increase"
    baseline_value = Decimal("0")
    baseline_date = factory.LazyFunction(
        lambda: datetime.date.today() - datetime.timedelta(days=180)
    )
    target_value = Decimal("100")
    target_date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=185))


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    measured_on = factory.LazyFunction(datetime.date.today)
    value = Decimal("10")


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    partnership = factory.SubFactory(PartnershipFactory)
    held_on = factory.LazyFunction(datetime.date.today)
    title = factory.Sequence(lambda n: f"Review {n}")
