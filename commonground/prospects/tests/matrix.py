"""Permission matrix rows for the prospects module."""

from __future__ import annotations

from commonground.core.testing import Row, World
from commonground.prospects import rules as r


def rows(world: World) -> list[Row]:
    from commonground.organisations.tests.factories import OrganisationFactory
    from commonground.prospects.models import Need, Prospect

    slug = {"slug": world.partnership.slug}
    prospect = Prospect.objects.create(
        partnership=world.partnership,
        organisation=OrganisationFactory(name="Matrix Prospect"),  # type: ignore[misc]
    )
    one = {**slug, "pk": prospect.pk}
    # The first allowed request adds it; later ones are refused as duplicates (400).
    candidate = OrganisationFactory(name="Matrix Candidate")

    def fresh_need() -> dict:
        # Removing a need is destructive: each request gets a need of its own.
        Need.objects.filter(partnership=world.partnership, category="legal").delete()
        need = Need.objects.create(partnership=world.partnership, category="legal")
        return {**slug, "pk": need.pk}

    return [
        Row("prospects_global:directory", {}, "signed_in"),
        Row("prospects:board", slug, r.VIEW),
        Row("prospects:list", slug, r.VIEW),
        Row("prospects:add", slug, r.MANAGE),
        Row("prospects:detail", one, r.VIEW),
        Row("prospects:research", one, r.MANAGE, method="post"),
        Row("prospects:move", one, r.MANAGE, method="post"),
        Row("prospects:contact_add", one, r.MANAGE, method="post"),
        Row("prospects:outreach", one, r.VIEW),
        Row("prospects:score", one, r.SCORE),
        Row("prospects:scorecards", slug, r.VIEW),
        Row("prospects:criteria", slug, r.MANAGE),
        Row("prospects:gaps", slug, r.VIEW),
        Row("prospects:need_set", slug, r.MANAGE, method="post"),
        Row("prospects:need_remove", fresh_need, r.MANAGE, method="post"),
        Row("prospects:recommendations", slug, r.VIEW),
        Row("prospects:self_assessment", slug, r.SELF_ASSESS),
        Row("api:prospects_directory", {}, "signed_in", api=True),
        Row("api:prospects_pipeline", slug, r.VIEW, api=True),
        Row(
            "api:prospects_create",
            slug,
            r.MANAGE,
            api=True,
            method="post",
            data={"organisation": candidate.slug},
        ),
        Row(
            "api:prospects_move",
            one,
            r.MANAGE,
            api=True,
            method="post",
            data={"stage": "researched"},
        ),
        Row("api:prospects_scorecards", slug, r.VIEW, api=True),
        Row("api:prospects_scorecard", one, r.VIEW, api=True),
        Row("api:prospects_gaps", slug, r.VIEW, api=True),
        Row("api:prospects_recommendations", slug, r.VIEW, api=True),
    ]
