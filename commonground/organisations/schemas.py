"""API output pieces shared by the apps: the organisation a record belongs to."""

from __future__ import annotations

from ninja import Schema


class OrganisationNamedOut(Schema):
    """A record's organisation, by slug and name (``obj.organisation``)."""

    organisation: str
    organisation_name: str

    @staticmethod
    def resolve_organisation(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.organisation.slug

    @staticmethod
    def resolve_organisation_name(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.organisation.name


class OrganisationSectorOut(OrganisationNamedOut):
    """A record's organisation, by slug, name and sector."""

    sector: str

    @staticmethod
    def resolve_sector(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.organisation.sector
