"""Permission matrix rows for health checks."""

from __future__ import annotations

from commonground.core.testing import Row, World
from commonground.healthchecks import rules as r
from commonground.healthchecks import services
from commonground.healthchecks.models import FollowUpNote, SurveyItem
from commonground.healthchecks.tests.factories import add_responses, open_round


def rows(world: World) -> list[Row]:
    p = world.partnership
    manager = world.users["manager"]
    slug = {"slug": p.slug}
    published, _tokens = open_round(p, manager, title="Published round", period="2025")
    add_responses(published, [{"trust": s, "platform": 4} for s in (3, 4, 4, 5, 5)])
    services.round_publish(actor=manager, round=published)
    open_one, _tokens = open_round(p, manager, title="Open round")
    item = SurveyItem.objects.filter(partnership=p).first()
    assert item is not None

    def fresh_round() -> dict:
        rnd, _t = open_round(p, manager, title="Fresh round")
        return {**slug, "pk": rnd.pk}

    pub = {**slug, "pk": published.pk}

    def fresh_note() -> dict:
        note = FollowUpNote.objects.create(round=published, text="What the interviews found")
        return {**pub, "note_pk": note.pk}

    return [
        Row("healthchecks:round_list", slug, r.VIEW),
        Row("healthchecks:round_create", slug, r.MANAGE),
        Row("healthchecks:round_detail", pub, r.VIEW),
        Row("healthchecks:round_rate", {**slug, "pk": open_one.pk}, r.MANAGE),
        Row("healthchecks:round_remind", {**slug, "pk": open_one.pk}, r.MANAGE, method="post"),
        Row("healthchecks:round_close", fresh_round, r.MANAGE, method="post"),
        Row("healthchecks:round_publish", fresh_round, r.MANAGE, method="post"),
        Row("healthchecks:round_export_csv", pub, r.VIEW),
        Row("healthchecks:round_report_pdf", pub, r.VIEW),
        Row("healthchecks:note_add", pub, r.MANAGE, method="post", data={"text": "Interviews"}),
        Row("healthchecks:note_delete", fresh_note, r.MANAGE, method="post"),
        Row("healthchecks:item_list", slug, r.MANAGE),
        Row(
            "healthchecks:reference_rate",
            slug,
            r.MANAGE,
            method="post",
            data={"answered": "25", "invited": "32"},
        ),
        Row("healthchecks:item_edit", {**slug, "pk": item.pk}, r.MANAGE),
        Row("healthchecks_global:answer", {}, "public"),
        Row(
            "healthchecks_global:answer",
            {},
            "public_404",
            method="post",
            data={"_link": "no-such-token"},
        ),
        Row("api:healthchecks_rounds", slug, r.VIEW, api=True),
        Row("api:healthchecks_results", pub, r.VIEW, api=True),
    ]
