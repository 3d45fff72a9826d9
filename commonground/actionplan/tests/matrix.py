"""Permission matrix rows for the action plan."""

from __future__ import annotations

from commonground.actionplan import rules as a
from commonground.actionplan.tests.factories import ActionFactory
from commonground.core.testing import Row, World


def rows(world: World) -> list[Row]:
    slug = {"slug": world.partnership.slug}
    action = ActionFactory(partnership=world.partnership, title="Matrix action")
    one = {**slug, "pk": action.pk}
    return [
        Row("actionplan:list", slug, a.VIEW),
        Row("actionplan:board", slug, a.VIEW),
        Row("actionplan:create", slug, a.EDIT),
        Row("actionplan:export_csv", slug, a.VIEW),
        Row("actionplan:export_xlsx", slug, a.VIEW),
        Row("actionplan:detail", one, a.VIEW),
        Row("actionplan:edit", one, a.EDIT),
        Row("actionplan:status", one, a.EDIT, method="post", data={"status": "in_progress"}),
        Row("actionplan_global:mine", {}, "signed_in"),
        Row("api:actionplan_list", slug, a.VIEW, api=True),
        Row(
            "api:actionplan_create",
            slug,
            a.EDIT,
            api=True,
            method="post",
            data={"title": "From the API"},
        ),
        Row("api:actionplan_detail", one, a.VIEW, api=True),
        Row(
            "api:actionplan_status",
            one,
            a.EDIT,
            api=True,
            method="post",
            data={"status": "done"},
        ),
    ]
