"""Permission matrix rows for the system map, the survey and the preparation tools."""

from __future__ import annotations

from commonground.core.testing import Row, World
from commonground.systemmap import rules

from .factories import RelationshipFactory, SurveyFactory


def rows(world: World) -> list[Row]:
    slug = {"slug": world.partnership.slug}
    survey = SurveyFactory(partnership=world.partnership)
    s = {**slug, "pk": survey.pk}

    def fresh_relationship() -> dict:
        # Removing is destructive: each request gets a relationship of its own.
        rel = RelationshipFactory(
            partnership=world.partnership,
            source=world.organisation,
            target=world.second_organisation,
        )
        return {**slug, "pk": rel.pk}

    rel_payload = {
        "source": world.organisation.pk,
        "target": world.second_organisation.pk,
        "kind": "informal",
        "confidence": "low",
    }
    return [
        Row("systemmap:network", slug, rules.VIEW),
        Row("systemmap:relationships", slug, rules.VIEW),
        Row("systemmap:relationship_create", slug, rules.EDIT),
        Row("systemmap:relationship_create", slug, rules.EDIT, method="post", data=rel_payload),
        Row("systemmap:relationship_delete", fresh_relationship, rules.EDIT, method="post"),
        Row("systemmap:surveys", slug, rules.VIEW),
        Row("systemmap:survey_create", slug, rules.SURVEY),
        Row("systemmap:survey_detail", s, rules.VIEW),
        Row(
            "systemmap:survey_invite",
            s,
            rules.SURVEY,
            method="post",
            data={"organisation_name": "Somewhere", "contact_name": "Someone"},
        ),
        Row("systemmap:survey_toggle", s, rules.SURVEY, method="post"),
        Row("systemmap:prepare", slug, rules.VIEW),
        Row("systemmap:prepare_tool", {**slug, "tool": "self_rating"}, rules.VIEW),
        Row(
            "systemmap:prepare_tool",
            {**slug, "tool": "stop_start_continue"},
            rules.PREPARE,
            method="post",
            data={"stop": "Meetings without an agenda"},
        ),
        Row("systemmap_global:network", {}, "signed_in"),
        Row("systemmap_global:answer", {"token": "no-such-token"}, "public_404"),
        Row("api:systemmap_network_all", {}, "signed_in", api=True),
        Row("api:systemmap_network", slug, rules.VIEW, api=True),
        Row("api:systemmap_survey_results", slug, rules.VIEW, api=True),
        Row("api:systemmap_survey_summary", slug, rules.VIEW, api=True),
        Row("api:systemmap_preparation", slug, rules.VIEW, api=True),
        Row("api:systemmap_relationships", slug, rules.VIEW, api=True),
        Row(
            "api:systemmap_relationship_create",
            slug,
            rules.EDIT,
            api=True,
            method="post",
            data={
                "source": world.organisation.slug,
                "target": world.second_organisation.slug,
                "kind": "informal",
            },
        ),
    ]
