"""Formality advice and the completeness check, written as plain rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commonground.contributions.models import Contribution, Kind, RecipientKind, Status

from .models import FORM_ORDER, Agreement, AgreementVersion, Component, ContextItem, Form

# Components every form needs; lighter forms need fewer.
REQUIRED_COMPONENTS: dict[str, list[str]] = {
    Form.HANDSHAKE: [Component.PARTIES, Component.ROLES, Component.DISPUTES],
    Form.MUTUAL: [
        Component.PARTIES,
        Component.EXPECTATIONS,
        Component.ROLES,
        Component.DISPUTES,
        Component.TERMINATION,
    ],
    Form.MOU: [
        Component.PARTIES,
        Component.EXPECTATIONS,
        Component.ROLES,
        Component.TERMS,
        Component.DELIVERABLES,
        Component.TIMELINES,
        Component.CHANGE,
        Component.DISPUTES,
        Component.TERMINATION,
        Component.CONTACTS,
        Component.EMERGENCY,
        Component.INSURANCE,
    ],
    Form.CONTRACT: list(Component.values),
    Form.PENALTY_CONTRACT: list(Component.values),
}


@dataclass
class Signals:
    funding: int = 0
    assets: int = 0
    staff: int = 0
    services: int = 0
    between_parties: int = 0
    examples: list[str] = field(default_factory=list)


def ledger_signals(partnership: Any, party_ids: list[int]) -> Signals:
    """What the ledger says the parties give: money, assets, staff and services."""
    s = Signals()
    qs = (
        Contribution.objects.filter(partnership=partnership, contributor_id__in=party_ids)
        .exclude(status=Status.WITHDRAWN)
        .select_related("contributor")
        .order_by("-amount", "id")
    )
    for c in qs:
        if c.kind == Kind.FUNDING:
            s.funding += 1
        elif c.kind == Kind.ASSET:
            s.assets += 1
        elif c.kind == Kind.IN_KIND:
            if c.hours or c.fte:
                s.staff += 1
            else:
                s.services += 1
        if c.recipient_kind == RecipientKind.MEMBER and c.recipient_org_id in party_ids:
            s.between_parties += 1
        if len(s.examples) < 3 and c.kind in (Kind.FUNDING, Kind.ASSET, Kind.IN_KIND):
            s.examples.append(f"{c.contributor.name}: {c.title}")
    return s


@dataclass
class Advice:
    form: str
    reasons: list[str]
    signals: Signals

    @property
    def form_label(self) -> str:
        return str(Form(self.form).label)


def recommend(agreement: Agreement, party_ids: list[int]) -> Advice:
    """The least formal form that still fits what changes hands, with the reasons."""
    s = ledger_signals(agreement.partnership, party_ids)
    reasons: list[str] = []
    level = 0  # index in FORM_ORDER
    funds = agreement.funds_for_deliverables
    if s.funding and not funds:
        reasons.append(
            _("The ledger shows %(n)s funding contribution(s) from the parties: money moves.")
            % {"n": s.funding}
        )
    if agreement.funds_for_deliverables:
        reasons.append(
            _("Funds change hands in return for deliverables: that calls for a written contract.")
        )
        level = max(level, 3)
    elif s.funding:
        level = max(level, 2)
    if agreement.third_party_contracts:
        reasons.append(
            _(
                "Existing contracts with third parties are leveraged: a written contract keeps them safe."
            )
        )
        level = max(level, 3)
    if agreement.assets_committed or s.assets:
        reasons.append(
            _(
                "Assets, facilities or equipment are committed (%(n)s in the ledger): ownership and care must be written down."
            )
            % {"n": s.assets}
        )
        level = max(level, 2)
    if agreement.staff_provided or s.staff:
        reasons.append(
            _("Staff time is provided (%(n)s entries with hours or FTE in the ledger).")
            % {"n": s.staff}
        )
        level = max(level, 2)
    if agreement.services_central:
        reasons.append(_("The services provided are central to the partnership's goals."))
        level = max(level, 2)
    if agreement.delivery_critical and level >= 3:
        reasons.append(
            _("Late or failed delivery would cause real loss: add performance terms and penalties.")
        )
        level = 4
    elif agreement.delivery_critical:
        reasons.append(
            _(
                "Late or failed delivery would cause real loss: at least a memorandum with clear deliverables."
            )
        )
        level = max(level, 2)
    if level == 0:
        if s.services or len(party_ids) > 2:
            reasons.append(
                _(
                    "No money or assets move and the contributions are not central: a mutual agreement is enough, "
                    "but still write down roles and how disputes are handled."
                )
            )
            level = 1
        else:
            reasons.append(
                _(
                    "Nothing of value changes hands: a handshake will do, with roles and a dispute process noted."
                )
            )
    return Advice(form=FORM_ORDER[level], reasons=reasons, signals=s)


@dataclass
class Completeness:
    missing_components: list[str]
    missing_context: list[str]
    missing_term: list[str]
    required: list[str]
    # What the parties' contributions leave open about risk (formal agreements only).
    missing_risk: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not (
            self.missing_components
            or self.missing_context
            or self.missing_term
            or self.missing_risk
        )

    @property
    def done(self) -> int:
        return len(self.required) - len(self.missing_components)


def completeness(agreement: Agreement, version: AgreementVersion) -> Completeness:
    required = REQUIRED_COMPONENTS[version.form]
    missing = [
        str(Component(c).label) for c in required if not (version.clauses.get(c) or "").strip()
    ]
    considered = set(agreement.context_considered or [])
    context = [str(label) for value, label in ContextItem.choices if value not in considered]
    term = []
    if not version.start_on:
        term.append(_("start date"))
    formal = version.form in (Form.MOU, Form.CONTRACT, Form.PENALTY_CONTRACT)
    if formal and not version.end_on:
        term.append(_("end date or review date"))
    return Completeness(
        missing_components=missing,
        missing_context=context,
        missing_term=term,
        required=list(required),
        missing_risk=risk_gaps(agreement, version) if formal else [],
    )


def risk_gaps(agreement: Agreement, version: AgreementVersion) -> list[str]:
    """What the parties' open contributions do not yet say about risk, counted in one
    query: who bears it, and what happens if a contribution is late or over budget."""
    counts = (
        Contribution.objects.filter(
            partnership_id=agreement.partnership_id,
            contributor__in=version.parties.all(),
        )
        .exclude(status=Status.WITHDRAWN)
        .aggregate(
            no_owner=Count("pk", filter=Q(risk_owner__isnull=True)),
            no_plan=Count("pk", filter=Q(contingency="")),
        )
    )
    gaps = []
    if counts["no_owner"]:
        gaps.append(
            ngettext(
                "%(n)s contribution has no one named to bear its risk.",
                "%(n)s contributions have no one named to bear their risk.",
                counts["no_owner"],
            )
            % {"n": counts["no_owner"]}
        )
    if counts["no_plan"]:
        gaps.append(
            ngettext(
                "%(n)s contribution does not say what happens if it is late or over budget.",
                "%(n)s contributions do not say what happens if they are late or over budget.",
                counts["no_plan"],
            )
            % {"n": counts["no_plan"]}
        )
    return gaps


def less_formal_than(chosen: str, recommended: str) -> bool:
    return FORM_ORDER.index(Form(chosen)) < FORM_ORDER.index(Form(recommended))


__all__ = ["Advice", "Completeness", "Q", "completeness", "less_formal_than", "recommend"]
