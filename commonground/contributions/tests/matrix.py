"""Permission matrix rows for the contributions ledger."""

from __future__ import annotations

from commonground.contributions import rules as r
from commonground.core.testing import Row, World

from .factories import make_contribution


def rows(world: World) -> list[Row]:
    slug = {"slug": world.partnership.slug}
    c = make_contribution(world)
    one = {**slug, "pk": c.pk}

    def fresh() -> dict:
        return {**slug, "pk": make_contribution(world).pk}

    entry = {
        "kind": "funding",
        "title": "API entry",
        "contributor": world.organisation.slug,
        "pledged_on": "2026-01-01",
        "currency": "NOK",
        "amount": "10",
    }
    return [
        Row("contributions:ledger", slug, r.VIEW),
        Row("contributions:create", slug, r.RECORD),
        Row("contributions:detail", one, r.VIEW),
        Row("contributions:edit", one, r.RECORD),
        Row("contributions:transition", fresh, r.RECORD, method="post", data={"to": "committed"}),
        Row("contributions:schedule_add", one, r.RECORD, method="post", data={}),
        Row("contributions:transfer_add", one, r.RECORD, method="post", data={}),
        Row("contributions:totals", slug, r.VIEW),
        Row("contributions:rates", slug, r.MANAGE),
        Row("contributions:timeline", slug, r.VIEW),
        Row("contributions:flow", slug, r.VIEW),
        Row("contributions:balance", slug, r.VIEW),
        Row("contributions:benefit_add", slug, r.RECORD, method="post", data={}),
        Row("contributions:export_csv", slug, r.VIEW),
        Row("contributions:export_xlsx", slug, r.VIEW),
        Row("contributions:import", slug, r.MANAGE),
        Row("api:contribution_list", slug, r.VIEW, api=True),
        Row("api:contribution_detail", one, r.VIEW, api=True),
        Row("api:contribution_create", slug, r.RECORD, api=True, method="post", data=entry),
        Row(
            "api:contribution_transition",
            fresh,
            r.RECORD,
            api=True,
            method="post",
            data={"to": "committed"},
        ),
        Row("api:contribution_totals", slug, r.VIEW, api=True),
    ]
