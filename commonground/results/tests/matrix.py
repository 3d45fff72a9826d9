"""Permission matrix rows for indicators, measurements and reviews."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile

from commonground.core.testing import Row, World
from commonground.results import rules as r
from commonground.results.tests.factories import IndicatorFactory, MeasurementFactory, ReviewFactory


def rows(world: World) -> list[Row]:
    p = world.partnership
    slug = {"slug": p.slug}
    ind = IndicatorFactory(partnership=p, name="Matrix indicator")
    m = MeasurementFactory(indicator=ind)
    m.source_file.save("source.csv", ContentFile(b"a,b\n1,2\n"))
    review = ReviewFactory(partnership=p)
    i = {**slug, "pk": ind.pk}
    return [
        Row("results:indicator_list", slug, r.VIEW),
        Row("results:indicator_create", slug, r.MANAGE),
        Row("results:indicator_detail", i, r.VIEW),
        Row("results:indicator_edit", i, r.MANAGE),
        Row("results:measurement_add", i, r.RECORD, method="post"),
        Row("results:target_revise", i, r.MANAGE, method="post"),
        Row("results:measurement_file", {**slug, "pk": m.pk}, r.VIEW),
        Row("results:measurement_import", slug, r.RECORD),
        Row("results:review_list", slug, r.VIEW),
        Row("results:review_create", slug, r.MANAGE),
        Row("results:review_detail", {**slug, "pk": review.pk}, r.VIEW),
        Row(
            "results:review_actions",
            {**slug, "pk": review.pk},
            "actionplan.edit",
            method="post",
            data={"titles": "Matrix action"},
        ),
        Row("api:results_indicators", slug, r.VIEW, api=True),
        Row("api:results_measurements", i, r.VIEW, api=True),
        Row(
            "api:results_measurement_create",
            i,
            r.RECORD,
            api=True,
            method="post",
            data={"measured_on": datetime.date.today().isoformat(), "value": "12.5"},
        ),
        Row("api:results_reviews", slug, r.VIEW, api=True),
    ]
