"""Permission matrix rows for the activity atlas."""

from __future__ import annotations

from commonground.atlas import rules
from commonground.core.testing import Row, World

from .factories import make_activity

# The activity is the world's representative's organisation's; managers edit any.
ITS_ORGANISATION_AND_MANAGERS = frozenset({"convener", "manager", "representative"})


def rows(world: World) -> list[Row]:
    slug = {"slug": world.partnership.slug}
    first = make_activity(world.partnership, [world.organisation], title="Matrix café")
    second = make_activity(
        world.partnership, [world.second_organisation], title="Matrix tool library", lat="59.9236"
    )
    one = {**slug, "pk": first.pk}
    return [
        Row("atlas:map", slug, rules.VIEW),
        Row("atlas:geojson", slug, rules.VIEW),
        Row("atlas:activity", one, rules.VIEW),
        Row("atlas:activity_create", slug, rules.ADD),
        # Participants may edit activities of their own organisation (the world's representative's).
        Row("atlas:activity_edit", one, rules.ADD, only=ITS_ORGANISATION_AND_MANAGERS),
        Row("atlas:overlaps", slug, rules.VIEW),
        Row(
            "atlas:suggest",
            slug,
            rules.SUGGEST,
            method="post",
            data={"first": first.pk, "second": second.pk, "note": "talk"},
        ),
        Row(
            "atlas:suggestion_follow_up",
            lambda: {**slug, "pk": _suggestion(world, first, second)},
            rules.FOLLOW_UP,
            method="post",
        ),
        Row("atlas_global:alliance", {}, "signed_in"),
        Row("api:atlas_geojson", slug, rules.VIEW, api=True),
        Row("api:atlas_overlaps", slug, rules.VIEW, api=True),
        Row("atlas_global:geojson", {}, "signed_in"),
    ]


def _suggestion(world: World, first: object, second: object) -> int:
    from commonground.atlas.models import ConversationSuggestion

    return ConversationSuggestion.objects.create(
        partnership=world.partnership, first=first, second=second
    ).pk
