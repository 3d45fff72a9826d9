"""Permission matrix rows for agreements and the members' compact."""

from __future__ import annotations

from commonground.agreements import rules as r
from commonground.agreements import services
from commonground.core.testing import Row, World

from .factories import make_agreement


def rows(world: World) -> list[Row]:
    slug = {"slug": world.partnership.slug}
    a = make_agreement(world)
    one = {**slug, "pk": a.pk}
    v1 = {**one, "number": 1}
    compact = services.compact_create(
        actor=world.users["manager"],
        partnership=world.partnership,
        title="Compact",
        introduction="",
        principles=[("Transparency", "We share early.")],
    )
    c = {**slug, "pk": compact.pk}

    def fresh() -> dict:
        return {**slug, "pk": make_agreement(world).pk, "number": 1}

    def fresh_agreement() -> dict:
        return {**slug, "pk": make_agreement(world).pk}

    return [
        Row("agreements:list", slug, r.VIEW),
        Row("agreements:create", slug, r.DRAFT),
        Row("agreements:start", slug, r.DRAFT),
        Row("agreements:detail", one, r.VIEW),
        Row("agreements:edit", one, r.DRAFT),
        Row("agreements:amend", fresh_agreement, r.DRAFT, method="post"),
        Row("agreements:terminate", fresh_agreement, r.SIGN, method="post"),
        Row("agreements:diff", one, r.VIEW),
        Row("agreements:version", v1, r.VIEW),
        Row("agreements:ratify", fresh, r.SIGN, method="post"),
        Row("agreements:version_pdf", v1, r.VIEW),
        Row("agreements:version_docx", v1, r.VIEW),
        Row("agreements:compact_create", slug, r.MANAGE_COMPACT),
        Row("agreements:compact", c, r.VIEW),
        Row("agreements:compact_sign", c, r.SIGN, method="post"),
        Row("agreements:compact_assess", c, r.SIGN, method="post"),
        Row("api:agreement_list", slug, r.VIEW, api=True),
        Row("api:agreement_detail", one, r.VIEW, api=True),
        Row("api:agreement_versions", one, r.VIEW, api=True),
        Row("api:agreement_ratifications", one, r.VIEW, api=True),
        Row(
            "api:agreement_ratify",
            fresh,
            r.SIGN,
            api=True,
            method="post",
            data={"organisation": world.organisation.slug},
        ),
    ]
