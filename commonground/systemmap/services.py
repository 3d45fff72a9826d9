"""State changes of the system map, the survey and the preparation tools."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from commonground.accounts.models import hash_secret
from commonground.core.audit import audit_record, snapshot
from commonground.core.i18n import Msg, choice_label
from commonground.organisations.models import Organisation, OrgType, Sector
from commonground.organisations.services import organisation_save

from . import preplists
from .models import (
    Confidence,
    Coordination,
    Origin,
    PrepTool,
    PrepToolVersion,
    Relationship,
    RelationshipKind,
    ServiceType,
    Survey,
    SurveyFunder,
    SurveyInvitation,
    SurveyProgramme,
    SurveyReferral,
    SurveyResponse,
)

if TYPE_CHECKING:
    from commonground.accounts.models import User
    from commonground.partnerships.models import Partnership

REL_FIELDS = ["source", "target", "kind", "started_on", "ended_on", "confidence", "evidence"]


def validate_relationship(
    *,
    source: Organisation,
    target: Organisation,
    kind: str,
    started_on: datetime.date | None,
    ended_on: datetime.date | None,
    confidence: str,
) -> None:
    errors: dict[str, str] = {}
    if source.pk == target.pk:
        errors["target"] = _("An organisation cannot have a relationship with itself.")
    if kind not in RelationshipKind.values:
        errors["kind"] = _(
            "“%(kind)s” is not a relationship type we know. Choose one of: %(known)s."
        ) % {
            "kind": kind,
            "known": ", ".join(str(label) for label in RelationshipKind.labels),
        }
    if started_on and ended_on and ended_on < started_on:
        errors["ended_on"] = _("The end date must be on or after the start date.")
    if confidence not in Confidence.values:
        errors["confidence"] = _("Confidence must be low, medium or high.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def relationship_create(
    *,
    actor: User | None,
    partnership: Partnership,
    source: Organisation,
    target: Organisation,
    kind: str,
    started_on: datetime.date | None = None,
    ended_on: datetime.date | None = None,
    confidence: str = Confidence.MEDIUM,
    evidence: str = "",
    origin: str = Origin.ENTERED,
    survey_response: SurveyResponse | None = None,
) -> Relationship:
    validate_relationship(
        source=source,
        target=target,
        kind=kind,
        started_on=started_on,
        ended_on=ended_on,
        confidence=confidence,
    )
    rel = Relationship.objects.create(
        partnership=partnership,
        source=source,
        target=target,
        kind=kind,
        started_on=started_on,
        ended_on=ended_on,
        confidence=confidence,
        evidence=evidence,
        origin=origin,
        survey_response=survey_response,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        verb="systemmap.relationship_create",
        partnership=partnership,
        target=rel,
        summary=Msg(
            gettext_noop("Recorded: %(source)s %(kind)s %(target)s"),
            source=source.name,
            kind=choice_label(rel, "kind"),
            target=target.name,
        ),
        after=snapshot(rel, REL_FIELDS),
    )
    return rel


@transaction.atomic
def relationship_delete(*, actor: User, relationship: Relationship) -> None:
    before = snapshot(relationship, REL_FIELDS)
    summary = Msg(
        gettext_noop("Removed: %(rel)s"),
        # Not a catalogue entry: only its values are translated when read.
        rel=Msg(
            "%(source)s %(kind)s %(target)s",
            source=relationship.source,
            kind=choice_label(relationship, "kind"),
            target=relationship.target,
        ),
    )
    partnership = relationship.partnership
    relationship.delete()
    audit_record(
        actor=actor,
        verb="systemmap.relationship_delete",
        partnership=partnership,
        summary=summary,
        before=before,
    )


# --- survey -------------------------------------------------------------------------


@transaction.atomic
def survey_create(
    *, actor: User, partnership: Partnership, title: str, area: str = "", introduction: str = ""
) -> Survey:
    if not title.strip():
        raise ValidationError({"title": _("Give the survey a title.")})
    survey = Survey.objects.create(
        partnership=partnership,
        title=title.strip(),
        area=area,
        introduction=introduction,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        verb="systemmap.survey_create",
        partnership=partnership,
        target=survey,
        summary=Msg(
            gettext_noop("Started the system-mapping survey “%(title)s”"), title=survey.title
        ),
    )
    return survey


@transaction.atomic
def survey_set_open(*, actor: User, survey: Survey, is_open: bool) -> Survey:
    survey.is_open = is_open
    survey.save(update_fields=["is_open", "updated_at"])
    audit_record(
        actor=actor,
        verb="systemmap.survey_open" if is_open else "systemmap.survey_close",
        partnership=survey.partnership,
        target=survey,
        summary=Msg(
            gettext_noop("Opened “%(title)s”") if is_open else gettext_noop("Closed “%(title)s”"),
            title=survey.title,
        ),
    )
    return survey


@transaction.atomic
def survey_invite(
    *,
    actor: User,
    survey: Survey,
    contact_name: str,
    organisation: Organisation | None = None,
    organisation_name: str = "",
    contact_email: str = "",
) -> tuple[SurveyInvitation, str]:
    """Create a one-use answer link; the raw token is returned once and stored hashed."""
    if organisation is None and not organisation_name.strip():
        raise ValidationError(
            {"organisation": _("Choose an organisation from the directory or type its name.")}
        )
    if not contact_name.strip():
        raise ValidationError({"contact_name": _("Name the person who will answer.")})
    if not survey.is_open:
        raise ValidationError(_("This survey is closed; open it again before inviting."))
    raw = secrets.token_urlsafe(32)
    invitation = SurveyInvitation.objects.create(
        survey=survey,
        organisation=organisation,
        organisation_name="" if organisation else organisation_name.strip(),
        contact_name=contact_name.strip(),
        contact_email=contact_email,
        token_hash=hash_secret(raw),
    )
    audit_record(
        actor=actor,
        verb="systemmap.survey_invite",
        partnership=survey.partnership,
        target=invitation,
        summary=Msg(
            gettext_noop("Sent the survey to %(who)s (%(org)s)"),
            who=invitation.contact_name,
            org=invitation.display_name,
        ),
    )
    return invitation, raw


def survey_answer_url(raw: str) -> str:
    return reverse("systemmap_global:answer", kwargs={"token": raw})


def invitation_by_token(raw: str) -> SurveyInvitation | None:
    """An unused invitation of an open survey, or None."""
    return (
        SurveyInvitation.objects.select_related("survey", "survey__partnership", "organisation")
        .filter(token_hash=hash_secret(raw), used_at__isnull=True, survey__is_open=True)
        .first()
    )


@dataclass
class SurveyAnswers:
    respondent_name: str
    organisation_name: str = ""
    sector: str = Sector.CIVIL
    org_type: str = OrgType.OTHER
    place_name: str = ""
    services: str = ""
    target_groups: str = ""
    funded_role: str = ""
    actual_role: str = ""
    referral_rules: str = ""
    eligibility_rules: str = ""
    data_collected: str = ""
    coordination: str = Coordination.NONE
    coordination_notes: str = ""
    spare_capacity: str = ""
    capacity_limits: str = ""
    funding_security: str = ""
    public_links: str = ""
    # (name, service_type, capacity, participants_per_year)
    programmes: list[tuple[str, str, int | None, int | None]] = field(default_factory=list)
    # (funder name, sector, expectations)
    funders: list[tuple[str, str, str]] = field(default_factory=list)
    # (organisation name, sector)
    referrals: list[tuple[str, str]] = field(default_factory=list)


def _find_or_create_org(name: str, sector: str) -> Organisation:
    existing = Organisation.objects.filter(name__iexact=name.strip()).order_by("pk").first()
    if existing is not None:
        return existing
    if sector not in Sector.values:
        raise ValidationError(_("Unknown sector: %(sector)s") % {"sector": sector})
    org_types: dict[str, str] = {
        Sector.FUNDER: OrgType.FOUNDATION,
        Sector.PUBLIC: OrgType.AGENCY,
        Sector.PRIVATE: OrgType.COMPANY,
        Sector.CIVIL: OrgType.NGO,
        Sector.MULTILATERAL: OrgType.MULTILATERAL,
    }
    org_type = org_types.get(sector, OrgType.OTHER)
    return organisation_save(
        actor=None, organisation=Organisation(name=name.strip(), sector=sector, org_type=org_type)
    )


@transaction.atomic
def survey_submit(*, raw_token: str, answers: SurveyAnswers) -> SurveyResponse:
    """Turn one organisation's answers into directory records and relationships.

    The link works once: the invitation row is locked and checked again here,
    so two simultaneous submissions cannot both count.
    """
    invitation = (
        SurveyInvitation.objects.select_for_update(of=("self",))
        .select_related("survey", "survey__partnership", "organisation")
        .filter(token_hash=hash_secret(raw_token))
        .first()
    )
    if invitation is None or invitation.used_at is not None or not invitation.survey.is_open:
        raise ValidationError(_("This survey link has already been used or is no longer valid."))
    if not answers.respondent_name.strip():
        raise ValidationError({"respondent_name": _("Tell us your name.")})
    for _name, service_type, capacity, participants in answers.programmes:
        if service_type not in ServiceType.values:
            raise ValidationError(_("Unknown service type: %(t)s") % {"t": service_type})
        if (capacity is not None and capacity < 0) or (
            participants is not None and participants < 0
        ):
            raise ValidationError(_("Capacity and participants cannot be negative."))
    if answers.coordination not in Coordination.values:
        raise ValidationError({"coordination": _("Choose how you take part in coordination.")})
    survey = invitation.survey
    partnership = survey.partnership

    programme_summary = "; ".join(
        _("%(name)s: %(capacity)s places, %(participants)s participants a year")
        % {
            "name": name,
            "capacity": capacity if capacity is not None else "?",
            "participants": participants if participants is not None else "?",
        }
        for name, _t, capacity, participants in answers.programmes
    )
    org = invitation.organisation
    if org is None:
        name = answers.organisation_name.strip() or invitation.organisation_name
        org = Organisation.objects.filter(name__iexact=name).order_by("pk").first()
        if org is None:
            if answers.sector not in Sector.values:
                raise ValidationError({"sector": _("Choose a sector.")})
            org = Organisation(
                name=name,
                sector=answers.sector,
                org_type=answers.org_type if answers.org_type in OrgType.values else OrgType.OTHER,
                place_name=answers.place_name,
            )
    if answers.services and not org.mission:
        org.mission = answers.services[:2000]
    if answers.place_name and not org.place_name:
        org.place_name = answers.place_name
    if programme_summary:
        org.capacity = programme_summary
    org = organisation_save(actor=None, organisation=org)

    response = SurveyResponse.objects.create(
        survey=survey,
        invitation=invitation,
        organisation=org,
        respondent_name=answers.respondent_name.strip(),
        services=answers.services,
        target_groups=answers.target_groups,
        funded_role=answers.funded_role,
        actual_role=answers.actual_role,
        referral_rules=answers.referral_rules,
        eligibility_rules=answers.eligibility_rules,
        data_collected=answers.data_collected,
        coordination=answers.coordination,
        coordination_notes=answers.coordination_notes,
        spare_capacity=answers.spare_capacity,
        capacity_limits=answers.capacity_limits,
        funding_security=answers.funding_security,
        public_links=answers.public_links,
    )
    SurveyProgramme.objects.bulk_create(
        SurveyProgramme(
            response=response,
            name=name,
            service_type=service_type,
            capacity=capacity,
            participants_per_year=participants,
        )
        for name, service_type, capacity, participants in answers.programmes
    )
    evidence = _("System-mapping survey “%(title)s”, answered by %(who)s") % {
        "title": survey.title,
        "who": response.respondent_name,
    }
    today = timezone.localdate()
    for name, sector, expectations in answers.funders:
        funder = _find_or_create_org(name, sector)
        if funder.pk == org.pk:
            continue
        SurveyFunder.objects.create(response=response, funder=funder, expectations=expectations)
        relationship_create(
            actor=None,
            partnership=partnership,
            source=funder,
            target=org,
            kind=RelationshipKind.FUNDS,
            started_on=today,
            confidence=Confidence.HIGH,
            evidence=evidence[:300],
            origin=Origin.SURVEY,
            survey_response=response,
        )
    for name, sector in answers.referrals:
        partner = _find_or_create_org(name, sector)
        if partner.pk == org.pk:
            continue
        SurveyReferral.objects.create(response=response, partner=partner)
        relationship_create(
            actor=None,
            partnership=partnership,
            source=org,
            target=partner,
            kind=RelationshipKind.REFERS,
            started_on=today,
            confidence=Confidence.MEDIUM,
            evidence=evidence[:300],
            origin=Origin.SURVEY,
            survey_response=response,
        )
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at", "updated_at"])
    audit_record(
        actor=None,
        verb="systemmap.survey_answer",
        partnership=partnership,
        target=response,
        summary=Msg(gettext_noop("%(org)s answered the system-mapping survey"), org=org.name),
    )
    return response


# --- preparation tools --------------------------------------------------------------


def _lines(value: Any) -> list[str]:
    items = [str(v) for v in value] if isinstance(value, list) else str(value or "").splitlines()
    return [line.strip() for line in items if line.strip()]


def clean_prep_content(tool: str, content: dict[str, Any]) -> dict[str, Any]:
    """Normalise and check the content of one tool; raise ValidationError when wrong."""
    if tool == PrepTool.SELF_RATING:
        try:
            rating = int(content.get("rating"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise ValidationError(
                {"rating": _("Rate yourself with a whole number from 0 to 10.")}
            ) from None
        if not 0 <= rating <= 10:
            raise ValidationError({"rating": _("Rate yourself with a whole number from 0 to 10.")})
        next_step = str(content.get("next_step") or "").strip()
        if not next_step:
            raise ValidationError(
                {"next_step": _("Plan the next half-step: one small thing you will do.")}
            )
        by = content.get("next_step_by") or None
        if isinstance(by, datetime.date):
            by = by.isoformat()
        return {
            "rating": rating,
            "reasoning": str(content.get("reasoning") or "").strip(),
            "next_step": next_step,
            "next_step_by": by,
            "previous_step_done": bool(content.get("previous_step_done")),
        }
    if tool in preplists.LISTS:
        codes = {code for code, _label in preplists.LISTS[tool]}
        raw = content.get("chosen") or []
        chosen = [str(c) for c in raw] if isinstance(raw, list | tuple) else []
        if any(c not in codes for c in chosen):
            raise ValidationError({"chosen": _("Choose only from the list.")})
        comment = str(content.get("comment") or "").strip()
        if not chosen and not comment:
            raise ValidationError(_("Choose at least one item or write a note before saving."))
        return {
            "chosen": [c for c, _label in preplists.LISTS[tool] if c in chosen],
            "comment": comment,
        }
    pairs = {
        PrepTool.STOP_START_CONTINUE: ("stop", "start", "continue"),
        PrepTool.BENEFITS: ("benefits", "drawbacks"),
        PrepTool.RESOURCES: ("resources", "limitations"),
    }
    if tool not in pairs:
        raise ValidationError(_("Unknown preparation tool."))
    cleaned = {key: _lines(content.get(key)) for key in pairs[PrepTool(tool)]}
    if not any(cleaned.values()):
        raise ValidationError(_("Write at least one line before saving."))
    return cleaned


@transaction.atomic
def prep_tool_save(
    *, actor: User, partnership: Partnership, tool: str, content: dict[str, Any], note: str = ""
) -> PrepToolVersion:
    """Save a new version of a preparation tool; earlier versions stay as history."""
    if tool not in PrepTool.values:
        raise ValidationError(_("Unknown preparation tool."))
    cleaned = clean_prep_content(tool, content)
    if tool == PrepTool.SELF_RATING:
        # The phase it was given in: a new phase asks for a new rating.
        cleaned["phase"] = partnership.phase
    last = (
        PrepToolVersion.objects.filter(partnership=partnership, tool=tool).aggregate(
            n=Max("version")
        )["n"]
        or 0
    )
    version = PrepToolVersion.objects.create(
        partnership=partnership,
        tool=tool,
        version=last + 1,
        content=cleaned,
        note=note[:300],
        created_by=actor,
    )
    audit_record(
        actor=actor,
        verb="systemmap.prep_tool_save",
        partnership=partnership,
        target=version,
        summary=Msg(
            gettext_noop("Saved %(tool)s, version %(n)s"),
            tool=choice_label(version, "tool"),
            n=version.version,
        ),
        after=cleaned,
    )
    return version
