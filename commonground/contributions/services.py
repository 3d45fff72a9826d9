"""State changes of the contributions ledger."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from commonground.core.audit import audit_record, snapshot
from commonground.core.i18n import Msg
from commonground.partnerships.models import MembershipStatus, Role, WorkingGroup

from .models import (
    CURRENCIES,
    TRANSITIONS,
    Benefit,
    Contribution,
    ExchangeRate,
    LedgerSettings,
    OwnershipTransfer,
    PaymentScheduleEntry,
    RecipientKind,
    Status,
)

if TYPE_CHECKING:
    from commonground.accounts.models import User
    from commonground.partnerships.models import Partnership

CONTRIBUTION_FIELDS = [
    "kind",
    "title",
    "description",
    "contributor",
    "recipient_kind",
    "recipient_org",
    "recipient_group",
    "pledged_on",
    "due_on",
    "start_on",
    "end_on",
    "amount",
    "currency",
    "valuation_method",
    "source",
    "conditions",
    "scope",
    "experience",
    "hours",
    "fte",
    "owner",
    "custodian",
    "maintenance",
    "contingency",
    "risk_owner",
    "intellectual_property",
    "contractors",
]
# Free-text fields stored as "" when left out.
TEXT_FIELDS = (
    "description",
    "valuation_method",
    "source",
    "conditions",
    "scope",
    "experience",
    "maintenance",
    "contingency",
    "intellectual_property",
    "contractors",
)
STATUS_DATE_FIELD = {
    Status.COMMITTED: "committed_on",
    Status.DELIVERED: "delivered_on",
    Status.WITHDRAWN: "withdrawn_on",
}


def _member_ids(partnership: Partnership) -> set[int]:
    return set(
        partnership.memberships.exclude(status=MembershipStatus.LEFT).values_list(
            "organisation_id", flat=True
        )
    )


def check_speaks_for(actor: User, partnership: Partnership, organisation: Any) -> None:
    """Managers record for anyone; a representative records only for their own organisation."""
    from commonground.core import policy

    from . import rules

    if actor is None or not getattr(actor, "is_authenticated", False) or organisation is None:
        return
    if policy.has_capability(actor, partnership, rules.MANAGE):
        return
    if not Role.objects.filter(
        partnership=partnership, user=actor, organisation=organisation, ended_on__isnull=True
    ).exists():
        raise ValidationError(
            {
                "contributor": [
                    _("You can only record for the organisation you represent, not %(org)s.")
                    % {"org": organisation}
                ]
            }
        )


def _as_decimal(value: Any, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        result = Decimal(str(value).strip().replace(" ", "").replace(",", "."))
    except Exception:
        raise ValidationError(
            _("%(label)s must be a number, not “%(value)s”.") % {"label": label, "value": value}
        ) from None
    if not result.is_finite():
        raise ValidationError(_("%(label)s must be a number.") % {"label": label})
    if result < 0:
        raise ValidationError(_("%(label)s cannot be negative.") % {"label": label})
    return result


def validate_contribution(partnership: Partnership, data: dict[str, Any]) -> dict[str, Any]:
    """Check one contribution's fields; return them cleaned. Raises ValidationError."""
    errors: dict[str, list[str]] = {}

    def err(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    clean = dict(data)
    members = _member_ids(partnership)
    contributor = clean.get("contributor")
    if contributor is None:
        err("contributor", _("Say which member organisation gives this."))
    elif contributor.pk not in members:
        err("contributor", _("%(org)s is not a member of this partnership.") % {"org": contributor})
    if not (clean.get("title") or "").strip():
        err("title", _("Say what is contributed."))
    currency = (clean.get("currency") or "").upper().strip()
    clean["currency"] = currency
    if currency not in CURRENCIES:
        err("currency", _("Unknown currency “%(code)s”.") % {"code": currency or "—"})
    for field, label in (("amount", _("The amount")), ("hours", _("Hours")), ("fte", _("FTE"))):
        try:
            clean[field] = _as_decimal(clean.get(field), str(label))
        except ValidationError as exc:
            err(field, exc.messages[0])
    if clean.get("kind") == "funding" and clean.get("amount") is None and "amount" not in errors:
        err("amount", _("Funding needs an amount."))
    recipient_kind = clean.get("recipient_kind") or RecipientKind.PARTNERSHIP
    clean["recipient_kind"] = recipient_kind
    if recipient_kind == RecipientKind.MEMBER:
        org = clean.get("recipient_org")
        if org is None:
            err("recipient_org", _("Choose the member organisation that receives this."))
        elif org.pk not in members:
            err("recipient_org", _("%(org)s is not a member of this partnership.") % {"org": org})
        elif contributor is not None and org.pk == contributor.pk:
            err("recipient_org", _("An organisation cannot contribute to itself."))
        clean["recipient_group"] = None
    elif recipient_kind == RecipientKind.WORKING_GROUP:
        group = clean.get("recipient_group")
        if group is None:
            err("recipient_group", _("Choose the working group that receives this."))
        elif not WorkingGroup.objects.filter(pk=group.pk, partnership=partnership).exists():
            err("recipient_group", _("That working group is not in this partnership."))
        clean["recipient_org"] = None
    else:
        clean["recipient_org"] = None
        clean["recipient_group"] = None
    risk_owner = clean.get("risk_owner")
    if risk_owner is not None and risk_owner.pk not in members:
        err("risk_owner", _("%(org)s is not a member of this partnership.") % {"org": risk_owner})
    if not clean.get("pledged_on"):
        err("pledged_on", _("Give the date of the pledge."))
    start, end = clean.get("start_on"), clean.get("end_on")
    if start and end and end < start:
        err("end_on", _("The period cannot end before it starts."))
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def contribution_create(*, actor: User, partnership: Partnership, **data: Any) -> Contribution:
    clean = validate_contribution(partnership, data)
    check_speaks_for(actor, partnership, clean["contributor"])
    fields = {k: v for k, v in clean.items() if k in CONTRIBUTION_FIELDS}
    for name in TEXT_FIELDS:
        fields[name] = fields.get(name) or ""
    contribution = Contribution.objects.create(
        partnership=partnership,
        status=Status.PLEDGED,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **fields,
    )
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="contribution.create",
        target=contribution,
        summary=Msg(gettext_noop("Contribution recorded: %(title)s"), title=contribution.title),
        after=snapshot(contribution, ["kind", "contributor", "amount", "currency", "status"]),
    )
    return contribution


def duplicate_contributions(
    partnership: Partnership,
    *,
    contributor: Any,
    kind: str,
    amount: Decimal | None,
    pledged_on: datetime.date | None,
    exclude: Contribution | None = None,
) -> list[Contribution]:
    """Contributions already recorded with the same giver, kind, amount and date: the same
    one typed twice, most likely. The form asks before recording another (the API and the
    import take what they are given)."""
    if contributor is None or not kind or pledged_on is None:
        return []
    found = Contribution.objects.filter(
        partnership=partnership, contributor=contributor, kind=kind, pledged_on=pledged_on
    )
    found = found.filter(amount__isnull=True) if amount is None else found.filter(amount=amount)
    if exclude is not None and exclude.pk is not None:
        found = found.exclude(pk=exclude.pk)
    return list(found.order_by("pk")[:5])


@transaction.atomic
def contribution_update(*, actor: User, contribution: Contribution, **data: Any) -> Contribution:
    merged = {name: getattr(contribution, name) for name in CONTRIBUTION_FIELDS}
    merged.update(data)
    clean = validate_contribution(contribution.partnership, merged)
    check_speaks_for(actor, contribution.partnership, contribution.contributor)
    check_speaks_for(actor, contribution.partnership, clean["contributor"])
    before = snapshot(contribution, ["title", "amount", "currency", "due_on"])
    for name in CONTRIBUTION_FIELDS:
        value = clean.get(name)
        if value is None and name in TEXT_FIELDS:
            value = ""
        setattr(contribution, name, value)
    contribution.save()
    audit_record(
        actor=actor,
        partnership=contribution.partnership,
        verb="contribution.update",
        target=contribution,
        summary=Msg(gettext_noop("Contribution changed: %(title)s"), title=contribution.title),
        before=before,
        after=snapshot(contribution, ["title", "amount", "currency", "due_on"]),
    )
    return contribution


@transaction.atomic
def contribution_transition(
    *, actor: User, contribution: Contribution, to: str, on: datetime.date | None = None
) -> Contribution:
    """Move a contribution along pledged → committed → delivered, or withdraw it."""
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    if to not in TRANSITIONS.get(contribution.status, ()):
        raise ValidationError(
            _("A %(from)s contribution cannot become %(to)s.")
            % {
                "from": Status(contribution.status).label.lower(),
                "to": Status(to).label.lower() if to in Status.values else to,
            }
        )
    on = on or timezone.localdate()
    if on < contribution.pledged_on:
        raise ValidationError(_("The date cannot be before the pledge."))
    before = contribution.status
    contribution.status = to
    setattr(contribution, STATUS_DATE_FIELD[Status(to)], on)
    contribution.save(update_fields=["status", STATUS_DATE_FIELD[Status(to)], "updated_at"])
    audit_record(
        actor=actor,
        partnership=contribution.partnership,
        verb="contribution.transition",
        target=contribution,
        summary=Msg(
            gettext_noop("%(title)s: %(from)s → %(to)s"),
            {"title": contribution.title, "from": Status(before).label, "to": Status(to).label},
        ),
        before={"status": before},
        after={"status": to, "on": on},
    )
    return contribution


@transaction.atomic
def schedule_add(
    *,
    actor: User,
    contribution: Contribution,
    due_on: datetime.date,
    amount: Any,
    paid_on: datetime.date | None = None,
    note: str = "",
) -> PaymentScheduleEntry:
    value = _as_decimal(amount, _("The amount"))
    if value is None:
        raise ValidationError({"amount": [_("Give the amount due.")]})
    entry = PaymentScheduleEntry.objects.create(
        contribution=contribution, due_on=due_on, amount=value, paid_on=paid_on, note=note
    )
    audit_record(
        actor=actor,
        partnership=contribution.partnership,
        verb="contribution.schedule_add",
        target=contribution,
        summary=Msg(
            gettext_noop("Payment of %(amount)s %(currency)s scheduled for %(date)s"),
            amount=value,
            currency=contribution.currency,
            date=due_on,
        ),
    )
    return entry


@transaction.atomic
def transfer_add(
    *,
    actor: User,
    contribution: Contribution,
    from_org: Any,
    to_org: Any,
    transfer_on: datetime.date,
    note: str = "",
) -> OwnershipTransfer:
    if from_org == to_org:
        raise ValidationError(_("Ownership must move between two different organisations."))
    transfer = OwnershipTransfer.objects.create(
        contribution=contribution,
        from_org=from_org,
        to_org=to_org,
        transfer_on=transfer_on,
        note=note,
    )
    if transfer_on <= timezone.localdate():
        contribution.owner = to_org
        contribution.save(update_fields=["owner", "updated_at"])
    audit_record(
        actor=actor,
        partnership=contribution.partnership,
        verb="contribution.transfer_add",
        target=contribution,
        summary=Msg(
            gettext_noop("Ownership of %(title)s: %(from)s → %(to)s on %(date)s"),
            {"title": contribution.title, "from": from_org, "to": to_org, "date": transfer_on},
        ),
    )
    return transfer


@transaction.atomic
def rate_set(
    *, actor: User, partnership: Partnership, currency: str, rate: Any, note: str = ""
) -> ExchangeRate:
    currency = (currency or "").upper()
    if currency not in CURRENCIES:
        raise ValidationError(
            {"currency": [_("Unknown currency “%(code)s”.") % {"code": currency}]}
        )
    value = _as_decimal(rate, _("The rate"))
    if value is None or value <= 0:
        raise ValidationError({"rate": [_("The rate must be more than zero.")]})
    obj, _created = ExchangeRate.objects.update_or_create(
        partnership=partnership, currency=currency, defaults={"rate": value, "note": note}
    )
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="contribution.rate_set",
        target=obj,
        summary=Msg(
            gettext_noop("Exchange rate set: 1 %(code)s = %(rate)s"), code=currency, rate=value
        ),
    )
    return obj


@transaction.atomic
def base_currency_set(*, actor: User, partnership: Partnership, currency: str) -> LedgerSettings:
    currency = (currency or "").upper()
    if currency not in CURRENCIES:
        raise ValidationError(
            {"currency": [_("Unknown currency “%(code)s”.") % {"code": currency}]}
        )
    obj, _created = LedgerSettings.objects.update_or_create(
        partnership=partnership, defaults={"base_currency": currency}
    )
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="contribution.base_currency_set",
        target=obj,
        summary=Msg(gettext_noop("Reporting currency set to %(code)s"), code=currency),
    )
    return obj


@transaction.atomic
def benefit_record(
    *,
    actor: User,
    partnership: Partnership,
    organisation: Any,
    direction: str,
    description: str,
    value: Any = None,
    currency: str = "",
    recorded_on: datetime.date | None = None,
) -> Benefit:
    if organisation.pk not in _member_ids(partnership):
        raise ValidationError(
            {
                "organisation": [
                    _("%(org)s is not a member of this partnership.") % {"org": organisation}
                ]
            }
        )
    try:
        check_speaks_for(actor, partnership, organisation)
    except ValidationError as exc:
        raise ValidationError({"organisation": exc.message_dict["contributor"]}) from None
    amount = _as_decimal(value, _("The value"))
    currency = (currency or "").upper()
    if amount is not None and currency not in CURRENCIES:
        raise ValidationError({"currency": [_("Give the currency of the value.")]})
    benefit = Benefit.objects.create(
        partnership=partnership,
        organisation=organisation,
        direction=direction,
        description=description,
        value=amount,
        currency=currency if amount is not None else "",
        recorded_on=recorded_on or timezone.localdate(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        partnership=partnership,
        verb="contribution.benefit_record",
        target=benefit,
        summary=Msg(
            gettext_noop("Benefit recorded for %(org)s: %(text)s"),
            org=organisation,
            text=description,
        ),
    )
    return benefit
