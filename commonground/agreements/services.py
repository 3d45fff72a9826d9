"""State changes of agreements and the members' compact."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from commonground.core.audit import audit_record
from commonground.core.i18n import Msg
from commonground.partnerships.models import MembershipStatus

from . import rules, texts
from .models import (
    Agreement,
    AgreementVersion,
    Compact,
    CompactSignature,
    ContextItem,
    Form,
    Principle,
    Ratification,
    SelfAssessment,
    Template,
    TerminationNotice,
)

if TYPE_CHECKING:
    from commonground.accounts.models import User
    from commonground.partnerships.models import Partnership

ANSWER_FIELDS = [
    "funds_for_deliverables",
    "assets_committed",
    "staff_provided",
    "services_central",
    "third_party_contracts",
    "delivery_critical",
]


def _check_parties(partnership: Partnership, parties: list[Any]) -> None:
    if len(parties) < 2:
        raise ValidationError({"parties": [_("An agreement needs at least two parties.")]})
    members = set(
        partnership.memberships.exclude(status=MembershipStatus.LEFT).values_list(
            "organisation_id", flat=True
        )
    )
    outside = [p.name for p in parties if p.pk not in members]
    if outside:
        raise ValidationError(
            {
                "parties": [
                    _("Not members of this partnership: %(names)s.") % {"names": ", ".join(outside)}
                ]
            }
        )


def _check_term(start_on: Any, end_on: Any, trial_months: Any) -> None:
    if start_on and end_on and end_on < start_on:
        raise ValidationError({"end_on": [_("The agreement cannot end before it starts.")]})
    if trial_months is not None and trial_months > 120:
        raise ValidationError({"trial_months": [_("A trial period is at most 120 months.")]})


def latest_version(agreement: Agreement) -> AgreementVersion:
    return agreement.versions.order_by("-number").first()  # type: ignore[return-value]


def terminated_on(agreement: Agreement) -> datetime.date | None:
    notice = agreement.termination_notices.order_by("effective_on").first()
    return notice.effective_on if notice else None


def _new_version(
    *,
    actor: User,
    agreement: Agreement,
    number: int,
    title: str,
    form: str,
    parties: list[Any],
    start_on: Any,
    end_on: Any,
    trial_months: Any,
    clauses: dict[str, str],
    note: str,
    is_amendment: bool,
) -> AgreementVersion:
    clean = {k: (v or "").strip() for k, v in clauses.items()}
    text = texts.render_text(
        title=title,
        form=form,
        parties=parties,
        start_on=start_on,
        end_on=end_on,
        trial_months=trial_months,
        clauses=clean,
    )
    version = AgreementVersion.objects.create(
        agreement=agreement,
        number=number,
        is_amendment=is_amendment,
        title=title,
        form=form,
        start_on=start_on,
        end_on=end_on,
        trial_months=trial_months,
        clauses=clean,
        text=text,
        sha256=texts.sha256(text),
        note=note,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    version.parties.set(parties)
    return version


@transaction.atomic
def agreement_create(
    *,
    actor: User,
    partnership: Partnership,
    title: str,
    form: str,
    parties: list[Any],
    template: str = Template.MOU,
    start_on: datetime.date | None = None,
    end_on: datetime.date | None = None,
    trial_months: int | None = None,
    clauses: dict[str, str] | None = None,
    **answers: Any,
) -> Agreement:
    if form not in Form.values:
        raise ValidationError({"form": [_("Unknown form of agreement.")]})
    if not (title or "").strip():
        raise ValidationError({"title": [_("Give the agreement a title.")]})
    parties = list(parties)
    _check_parties(partnership, parties)
    _check_term(start_on, end_on, trial_months)
    agreement = Agreement.objects.create(
        partnership=partnership,
        title=title.strip(),
        form=form,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **{k: bool(answers.get(k)) for k in ANSWER_FIELDS},
    )
    body = clauses if clauses is not None else texts.prefill(template, partnership, parties)
    _new_version(
        actor=actor,
        agreement=agreement,
        number=1,
        title=agreement.title,
        form=form,
        parties=parties,
        start_on=start_on,
        end_on=end_on,
        trial_months=trial_months,
        clauses=body,
        note="",  # shown as "First draft" in the reader's language
        is_amendment=False,
    )
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="agreement.create",
        target=agreement,
        summary=Msg(gettext_noop("Agreement drafted: %(title)s"), title=agreement.title),
        after={"form": form, "parties": [p.pk for p in parties]},
    )
    return agreement


def _refuse_if_ended(agreement: Agreement) -> None:
    ended = terminated_on(agreement)
    if ended is not None:
        raise ValidationError(
            _(
                "Notice of termination has been given (effective %(date)s); the agreement can no longer change."
            )
            % {"date": ended}
        )


@transaction.atomic
def agreement_edit(
    *,
    actor: User,
    agreement: Agreement,
    title: str,
    form: str,
    parties: list[Any],
    start_on: datetime.date | None,
    end_on: datetime.date | None,
    trial_months: int | None,
    clauses: dict[str, str],
    note: str = "",
    context_considered: list[str] | None = None,
    **answers: Any,
) -> AgreementVersion | None:
    """Save an edit as a new draft version. A ratified text is frozen: amend it instead.

    Returns the new version, or None when only the drafting notes changed.
    """
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    _refuse_if_ended(agreement)
    current = latest_version(agreement)
    if current.ratified_at is not None:
        raise ValidationError(
            _(
                "Version %(n)s has been ratified by every party and is frozen. Start an amendment to change it."
            )
            % {"n": current.number}
        )
    if form not in Form.values:
        raise ValidationError({"form": [_("Unknown form of agreement.")]})
    if not (title or "").strip():
        raise ValidationError({"title": [_("Give the agreement a title.")]})
    parties = list(parties)
    _check_parties(agreement.partnership, parties)
    _check_term(start_on, end_on, trial_months)
    unknown = set(context_considered or []) - set(ContextItem.values)
    if unknown:
        raise ValidationError({"context_considered": [_("Unknown context items.")]})
    agreement.title = title.strip()
    agreement.form = form
    if context_considered is not None:
        agreement.context_considered = sorted(context_considered)
    for k in ANSWER_FIELDS:
        if k in answers:
            setattr(agreement, k, bool(answers[k]))
    agreement.save()
    clean = {k: (v or "").strip() for k, v in clauses.items()}
    text = texts.render_text(
        title=agreement.title,
        form=form,
        parties=parties,
        start_on=start_on,
        end_on=end_on,
        trial_months=trial_months,
        clauses=clean,
    )
    if texts.sha256(text) == current.sha256:
        return None
    version = _new_version(
        actor=actor,
        agreement=agreement,
        number=current.number + 1,
        title=agreement.title,
        form=form,
        parties=parties,
        start_on=start_on,
        end_on=end_on,
        trial_months=trial_months,
        clauses=clean,
        note=note,
        is_amendment=current.is_amendment,
    )
    audit_record(
        actor=actor,
        partnership=agreement.partnership,
        verb="agreement.edit",
        target=agreement,
        summary=Msg(
            gettext_noop("%(title)s: version %(n)s drafted"),
            title=agreement.title,
            n=version.number,
        ),
        after={"version": version.number, "sha256": version.sha256},
    )
    return version


@transaction.atomic
def amendment_start(*, actor: User, agreement: Agreement, note: str = "") -> AgreementVersion:
    """Open a new version of a ratified agreement; it needs ratifying again by every party."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    _refuse_if_ended(agreement)
    current = latest_version(agreement)
    if current.ratified_at is None:
        raise ValidationError(
            _(
                "Only a ratified agreement is amended; version %(n)s is still a draft and can be edited directly."
            )
            % {"n": current.number}
        )
    version = _new_version(
        actor=actor,
        agreement=agreement,
        number=current.number + 1,
        title=current.title,
        form=current.form,
        parties=list(current.parties.all()),
        start_on=current.start_on,
        end_on=current.end_on,
        trial_months=current.trial_months,
        clauses=dict(current.clauses),
        note=note,  # blank is shown as "Amendment" in the reader's language
        is_amendment=True,
    )
    audit_record(
        actor=actor,
        partnership=agreement.partnership,
        verb="agreement.amend",
        target=agreement,
        summary=Msg(
            gettext_noop("%(title)s: amendment started as version %(n)s"),
            title=agreement.title,
            n=version.number,
        ),
    )
    return version


@transaction.atomic
def ratify(
    *,
    actor: User,
    version: AgreementVersion,
    organisation: Any,
    expected_sha256: str | None = None,
) -> Ratification:
    """The organisation's authorised signatory ratifies this exact version."""
    agreement = Agreement.objects.select_for_update().get(pk=version.agreement_id)
    _refuse_if_ended(agreement)
    current = latest_version(agreement)
    if version.pk != current.pk:
        raise ValidationError(
            _(
                "Version %(n)s has been superseded by version %(m)s; only the latest version can be ratified."
            )
            % {"n": version.number, "m": current.number}
        )
    party_ids = set(version.parties.values_list("pk", flat=True))
    if organisation.pk not in party_ids:
        raise ValidationError(
            _("%(org)s is not a party to this agreement.") % {"org": organisation}
        )
    role = rules.signatory_role(actor, agreement.partnership, organisation)
    if role is None:
        raise ValidationError(
            _("You are not an authorised signatory for %(org)s in this partnership.")
            % {"org": organisation}
        )
    if expected_sha256 and expected_sha256 != version.sha256:
        raise ValidationError(
            _("The text changed while you were reading it. Read it again before ratifying.")
        )
    if texts.sha256(version.text) != version.sha256:  # pragma: no cover - guards against tampering
        raise ValidationError(
            _("The stored text does not match its fingerprint; ratification is refused.")
        )
    if version.ratifications.filter(organisation=organisation).exists():
        raise ValidationError(
            _("%(org)s has already ratified this version.") % {"org": organisation}
        )
    try:
        with transaction.atomic():
            ratification = Ratification.objects.create(
                version=version,
                organisation=organisation,
                user=actor,
                signer_name=str(actor),
                signer_title=role.title,
                organisation_name=organisation.name,
                text_sha256=version.sha256,
            )
    except IntegrityError:
        raise ValidationError(
            _("%(org)s has already ratified this version.") % {"org": organisation}
        ) from None
    signed = set(version.ratifications.values_list("organisation_id", flat=True))
    if party_ids <= signed:
        version.ratified_at = timezone.now()
        version.save(update_fields=["ratified_at"])
    audit_record(
        actor=actor,
        partnership=agreement.partnership,
        verb="agreement.ratify",
        target=agreement,
        summary=Msg(
            gettext_noop("%(org)s ratified %(title)s version %(n)s"),
            org=organisation,
            title=agreement.title,
            n=version.number,
        ),
        after={
            "version": version.number,
            "sha256": version.sha256,
            "in_force": version.ratified_at is not None,
        },
    )
    return ratification


@transaction.atomic
def termination_notice_give(
    *,
    actor: User,
    agreement: Agreement,
    organisation: Any,
    effective_on: datetime.date,
    reason: str = "",
) -> TerminationNotice:
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    in_force = agreement.versions.filter(ratified_at__isnull=False).order_by("-number").first()
    if in_force is None:
        raise ValidationError(
            _("Only an agreement in force can be terminated; a draft can simply be left.")
        )
    if not in_force.parties.filter(pk=organisation.pk).exists():
        raise ValidationError(
            _("%(org)s is not a party to this agreement.") % {"org": organisation}
        )
    if not rules.can_sign_for(actor, agreement.partnership, organisation):
        raise ValidationError(
            _("You are not an authorised signatory for %(org)s in this partnership.")
            % {"org": organisation}
        )
    today = timezone.localdate()
    if effective_on < today:
        raise ValidationError({"effective_on": [_("Notice cannot take effect in the past.")]})
    if agreement.termination_notices.exists():
        raise ValidationError(_("Notice of termination has already been given."))
    notice = TerminationNotice.objects.create(
        agreement=agreement,
        organisation=organisation,
        given_by=actor,
        given_on=today,
        effective_on=effective_on,
        reason=reason,
    )
    audit_record(
        actor=actor,
        partnership=agreement.partnership,
        verb="agreement.terminate",
        target=agreement,
        summary=Msg(
            gettext_noop("%(org)s gave notice to end %(title)s from %(date)s"),
            org=organisation,
            title=agreement.title,
            date=effective_on,
        ),
    )
    return notice


# --- Members' compact ----------------------------------------------------------------


@transaction.atomic
def compact_create(
    *,
    actor: User,
    partnership: Partnership,
    title: str,
    introduction: str,
    principles: list[tuple[str, str]],
) -> Compact:
    principles = [(t.strip(), b.strip()) for t, b in principles if t and t.strip()]
    if not principles:
        raise ValidationError({"principles": [_("A compact needs at least one principle.")]})
    compact = Compact.objects.create(
        partnership=partnership,
        title=title.strip(),
        introduction=introduction,
        adopted_on=timezone.localdate(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    Principle.objects.bulk_create(
        [
            Principle(compact=compact, order=i, title=t, behaviours=b)
            for i, (t, b) in enumerate(principles)
        ]
    )
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="compact.create",
        target=compact,
        summary=Msg(gettext_noop("Members' compact adopted: %(title)s"), title=compact.title),
    )
    return compact


@transaction.atomic
def compact_sign(*, actor: User, compact: Compact, organisation: Any) -> CompactSignature:
    role = rules.speaker_role(actor, compact.partnership, organisation)
    if role is None:
        raise ValidationError(
            _("Only a representative or signatory of %(org)s can sign for it.")
            % {"org": organisation}
        )
    if compact.signatures.filter(organisation=organisation).exists():
        raise ValidationError(_("%(org)s has already signed.") % {"org": organisation})
    signature = CompactSignature.objects.create(
        compact=compact, organisation=organisation, signed_by=actor, signer_title=role.title
    )
    audit_record(
        actor=actor,
        partnership=compact.partnership,
        verb="compact.sign",
        target=compact,
        summary=Msg(
            gettext_noop("%(org)s signed %(title)s"), org=organisation, title=compact.title
        ),
    )
    return signature


@transaction.atomic
def self_assess(
    *,
    actor: User,
    compact: Compact,
    organisation: Any,
    year: int,
    scores: dict[int, int],
    notes: dict[int, str] | None = None,
) -> list[SelfAssessment]:
    """Record (or correct) an organisation's yearly scores, 1–5, for each principle."""
    if not rules.can_speak_for(actor, compact.partnership, organisation):
        raise ValidationError(
            _("Only a representative or signatory of %(org)s can assess it.")
            % {"org": organisation}
        )
    if not compact.signatures.filter(organisation=organisation).exists():
        raise ValidationError(_("%(org)s has not signed this compact.") % {"org": organisation})
    this_year = timezone.localdate().year
    if year < 2000 or year > this_year:
        raise ValidationError({"year": [_("Assess the current year or an earlier one.")]})
    principle_ids = set(compact.principles.values_list("pk", flat=True))
    result = []
    for pk, score in scores.items():
        if pk not in principle_ids:
            raise ValidationError(_("Unknown principle."))
        if not isinstance(score, int) or not 1 <= score <= 5:
            raise ValidationError(_("Scores go from 1 (not yet) to 5 (fully lived)."))
        obj, _created = SelfAssessment.objects.update_or_create(
            principle_id=pk,
            organisation=organisation,
            year=year,
            defaults={"score": score, "note": (notes or {}).get(pk, ""), "assessed_by": actor},
        )
        result.append(obj)
    audit_record(
        actor=actor,
        partnership=compact.partnership,
        verb="compact.assess",
        target=compact,
        summary=Msg(
            gettext_noop("%(org)s assessed %(title)s for %(year)s"),
            org=organisation,
            title=compact.title,
            year=year,
        ),
        after={str(k): v for k, v in scores.items()},
    )
    return result


def next_number(agreement: Agreement) -> int:
    return (agreement.versions.aggregate(n=Max("number"))["n"] or 0) + 1
