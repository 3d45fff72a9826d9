"""Reads of the contributions ledger. Sums are taken in SQL per currency, then
converted with the partnership's own rates in Decimal arithmetic."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import (
    BooleanField,
    CharField,
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from commonground.core.audit import cached_while_unchanged
from commonground.core.sql import union_all
from commonground.organisations.models import Organisation
from commonground.partnerships.models import MembershipStatus, WorkingGroup

from .models import (
    OPEN_STATUSES,
    ZERO,
    Benefit,
    BenefitDirection,
    Contribution,
    ExchangeRate,
    Kind,
    LedgerSettings,
    PaymentScheduleEntry,
    RecipientKind,
    Status,
)

if TYPE_CHECKING:
    from commonground.partnerships.models import Partnership

CENT = Decimal("0.01")
RATE_PLACES = Decimal("0.000001")  # ExchangeRate.rate has six decimal places
KINDS = tuple(Kind.values)  # Kind.values builds a new list on every use


def base_currency(partnership: Partnership) -> str:
    found = LedgerSettings.objects.filter(partnership=partnership).values_list(
        "base_currency", flat=True
    )
    return found[0] if found else "NOK"


def rates_for(partnership: Partnership) -> dict[str, Decimal]:
    return dict(
        ExchangeRate.objects.filter(partnership=partnership).values_list("currency", "rate")
    )


def currency_context(partnership: Partnership) -> tuple[str, dict[str, Decimal]]:
    """The reporting currency and the exchange rates, in one round trip."""
    rates_qs = (
        ExchangeRate.objects.filter(partnership=partnership)
        .annotate(
            c_code=F("currency"),
            c_rate=Cast("rate", output_field=CharField()),
            c_is_base=Value(False, output_field=BooleanField()),
        )
        .values("c_code", "c_rate", "c_is_base")
    )
    base_qs = (
        LedgerSettings.objects.filter(partnership=partnership)
        .annotate(
            c_code=F("base_currency"),
            c_rate=Value(None, output_field=CharField()),
            c_is_base=Value(True, output_field=BooleanField()),
        )
        .values("c_code", "c_rate", "c_is_base")
    )
    base, rates = "NOK", {}
    for row in union_all(base_qs, rates_qs):
        if row["c_is_base"]:
            base = row["c_code"]
        else:
            rates[row["c_code"]] = Decimal(row["c_rate"]).quantize(RATE_PLACES)
    return base, rates


def convert(
    amount: Decimal | None, currency: str, base: str, rates: dict[str, Decimal]
) -> Decimal | None:
    """``amount`` of ``currency`` in the reporting currency, to the cent; None without a rate."""
    if amount is None:
        return None
    if currency == base:
        return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    rate = rates.get(currency)
    if rate is None:
        return None
    return (Decimal(amount) * Decimal(rate)).quantize(CENT, rounding=ROUND_HALF_UP)


def ledger(
    partnership: Partnership, *, kind: str = "", status: str = "", contributor: Any = None
) -> QuerySet:
    qs = Contribution.objects.filter(partnership=partnership).select_related(
        "contributor", "recipient_org", "recipient_group", "partnership", "risk_owner"
    )
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if contributor:
        qs = qs.filter(contributor=contributor)
    return qs.order_by("-pledged_on", "-id")


def ledger_table(partnership: Partnership, **filters: Any) -> QuerySet:
    """``ledger`` with only the columns the ledger page shows; its rows link through the
    page's own partnership, which is not joined."""
    return (
        ledger(partnership, **filters)
        .select_related(None)
        .select_related("contributor", "recipient_org", "recipient_group", "risk_owner")
        .only(
            *("title", "kind", "status", "amount", "currency", "due_on", "recipient_kind"),
            *("contributor__name", "recipient_org__name", "recipient_group__name"),
            "risk_owner__name",
        )
    )


def contribution_detail(partnership: Partnership, pk: int) -> Contribution:
    from django.shortcuts import get_object_or_404

    qs = Contribution.objects.select_related(
        "contributor",
        "recipient_org",
        "recipient_group",
        "owner",
        "custodian",
        "risk_owner",
        "created_by",
    ).prefetch_related("schedule", "transfers__from_org", "transfers__to_org")
    return get_object_or_404(qs, pk=pk, partnership=partnership)


def name_of(model: Any, ref: str) -> Subquery:
    """The ``name`` of the ``model`` row that column ``ref`` points at, as an annotation.

    Annotated after an aggregate, it is read once per group (it depends only on a
    grouped column), not once per contribution."""
    return Subquery(model.objects.filter(pk=OuterRef(ref)).order_by().values("name")[:1])


@dataclass
class PartnerTotal:
    organisation_id: int
    name: str
    money: Decimal = ZERO
    in_kind: Decimal = ZERO
    by_kind: dict[str, Decimal] = field(default_factory=dict)
    count: int = 0
    share: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.money + self.in_kind

    @property
    def kind_cells(self) -> list[Decimal | None]:
        return [self.by_kind.get(k) for k in KINDS]


@dataclass
class Totals:
    base: str
    partners: list[PartnerTotal]
    money: Decimal
    in_kind: Decimal
    by_kind: dict[str, Decimal]
    missing_rates: list[str]
    unvalued: int

    @property
    def total(self) -> Decimal:
        return self.money + self.in_kind

    def kind_rows(self) -> list[dict[str, Any]]:
        return [
            {"kind": k, "label": Kind(k).label, "value": self.by_kind.get(k, ZERO)} for k in KINDS
        ]


def remembered_totals(partnership: Partnership, *, include_pledged: bool = True) -> Totals:
    """``totals``, kept until the partnership's next change (a contribution, a transfer,
    an exchange rate) or five minutes."""
    return cached_while_unchanged(
        partnership,
        "ledger-totals",
        [str(include_pledged)],
        lambda: totals(partnership, include_pledged=include_pledged),
    )


def totals(partnership: Partnership, *, include_pledged: bool = True) -> Totals:
    """Per-partner totals by kind: money (funding) and valued in-kind, apart and together.

    Withdrawn contributions never count; pledges count unless ``include_pledged`` is False.
    """
    base, rates = currency_context(partnership)
    qs = Contribution.objects.filter(partnership=partnership).exclude(status=Status.WITHDRAWN)
    if not include_pledged:
        qs = qs.exclude(status=Status.PLEDGED)
    # Grouped by ids over the contribution_sums index alone; a name is read per group.
    grouped = (
        qs.values("contributor_id", "kind", "currency")
        .annotate(total=Sum("amount"), n=Count("pk"), valued=Count("amount"))
        .annotate(contributor_name=name_of(Organisation, "contributor_id"))
        .order_by()
    )
    partners: dict[int, PartnerTotal] = {}
    by_kind: dict[str, Decimal] = defaultdict(lambda: ZERO)
    missing: set[str] = set()
    unvalued = 0
    for row in grouped:
        p = partners.get(row["contributor_id"])
        if p is None:
            p = partners[row["contributor_id"]] = PartnerTotal(
                organisation_id=row["contributor_id"], name=row["contributor_name"]
            )
        p.count += row["n"]
        unvalued += row["n"] - row["valued"]
        if row["total"] is None:
            continue
        value = convert(Decimal(row["total"]).quantize(CENT), row["currency"], base, rates)
        if value is None:
            missing.add(row["currency"])
            continue
        if row["kind"] == Kind.FUNDING:
            p.money += value
        else:
            p.in_kind += value
        p.by_kind[row["kind"]] = p.by_kind.get(row["kind"], ZERO) + value
        by_kind[row["kind"]] += value
    money = sum((p.money for p in partners.values()), ZERO)
    in_kind = sum((p.in_kind for p in partners.values()), ZERO)
    grand = money + in_kind
    for p in partners.values():
        p.share = (p.total * 100 / grand).quantize(Decimal("0.1")) if grand else ZERO
    ordered = sorted(partners.values(), key=lambda p: (-p.total, p.name))
    return Totals(
        base=base,
        partners=ordered,
        money=money,
        in_kind=in_kind,
        by_kind=dict(by_kind),
        missing_rates=sorted(missing),
        unvalued=unvalued,
    )


def overdue(partnership: Partnership, today: datetime.date) -> QuerySet:
    return (
        Contribution.objects.filter(
            partnership=partnership, status__in=OPEN_STATUSES, due_on__lt=today
        )
        .select_related("contributor", "partnership")
        .order_by("due_on", "id")
    )


def overdue_payments(partnership: Partnership, today: datetime.date) -> QuerySet:
    return (
        PaymentScheduleEntry.objects.filter(
            contribution__partnership=partnership,
            paid_on__isnull=True,
            due_on__lt=today,
        )
        .exclude(contribution__status=Status.WITHDRAWN)
        .select_related("contribution__contributor", "contribution__partnership")
        .order_by("due_on", "id")
    )


def timeline(partnership: Partnership, today: datetime.date) -> list[dict[str, Any]]:
    """Dated events of committed and scheduled contributions, oldest first."""
    events: list[dict[str, Any]] = []
    qs = (
        Contribution.objects.filter(partnership=partnership)
        .exclude(status=Status.WITHDRAWN)
        .select_related("contributor", "partnership")
    )
    for c in qs:
        if c.committed_on:
            events.append(
                {"date": c.committed_on, "what": _("committed"), "c": c, "kind": "committed"}
            )
        if c.delivered_on:
            events.append(
                {"date": c.delivered_on, "what": _("delivered"), "c": c, "kind": "delivered"}
            )
        elif c.due_on:
            overdue_flag = c.due_on < today
            events.append(
                {
                    "date": c.due_on,
                    "what": _("overdue") if overdue_flag else _("due"),
                    "c": c,
                    "kind": "overdue" if overdue_flag else "due",
                }
            )
        if c.start_on:
            events.append({"date": c.start_on, "what": _("period starts"), "c": c, "kind": "start"})
    payments = (
        PaymentScheduleEntry.objects.filter(contribution__partnership=partnership)
        .exclude(contribution__status=Status.WITHDRAWN)
        .select_related("contribution__contributor", "contribution__partnership")
    )
    for p in payments:
        late = p.paid_on is None and p.due_on < today
        events.append(
            {
                "date": p.paid_on or p.due_on,
                "what": _("payment made")
                if p.paid_on
                else (_("payment overdue") if late else _("payment due")),
                "c": p.contribution,
                "amount": p.amount,
                "kind": "overdue" if late else ("delivered" if p.paid_on else "due"),
            }
        )
    events.sort(key=lambda e: (e["date"], e["c"].pk))
    return events


def flows(
    partnership: Partnership,
    *,
    kind: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    measure: str = "value",
) -> dict[str, Any]:
    """Who gives what to whom: giver → kind → receiver, summed in SQL, for a Sankey chart."""
    base, rates = currency_context(partnership)
    qs = Contribution.objects.filter(partnership=partnership).exclude(status=Status.WITHDRAWN)
    if kind:
        qs = qs.filter(kind=kind)
    if date_from:
        qs = qs.filter(pledged_on__gte=date_from)
    if date_to:
        qs = qs.filter(pledged_on__lte=date_to)
    # Grouped by ids over the contribution_sums index alone; names are read per group.
    grouped = (
        qs.values(
            "contributor_id",
            "kind",
            "currency",
            "recipient_kind",
            "recipient_org_id",
            "recipient_group_id",
        )
        .annotate(total=Sum("amount"), n=Count("pk"))
        .annotate(
            contributor_name=name_of(Organisation, "contributor_id"),
            recipient_org_name=name_of(Organisation, "recipient_org_id"),
            recipient_group_name=name_of(WorkingGroup, "recipient_group_id"),
        )
        .order_by()
    )
    pairs: dict[tuple[str, str, str], dict[str, Any]] = {}
    # translated once, not once per row
    shared, in_group = _("The partnership (shared)"), _("Working group: %(name)s")
    for row in grouped:
        if row["recipient_kind"] == RecipientKind.MEMBER:
            receiver = row["recipient_org_name"] or "?"
        elif row["recipient_kind"] == RecipientKind.WORKING_GROUP:
            receiver = in_group % {"name": row["recipient_group_name"]}
        else:
            receiver = shared
        key = (row["contributor_name"], row["kind"], receiver)
        entry = pairs.setdefault(key, {"value": ZERO, "count": 0, "unconverted": 0})
        entry["count"] += row["n"]
        value = (
            convert(Decimal(row["total"]).quantize(CENT), row["currency"], base, rates)
            if row["total"] is not None
            else None
        )
        if value is None:
            entry["unconverted"] += 1 if row["total"] is not None else 0
        else:
            entry["value"] += value
    kind_labels = {k: str(label) for k, label in Kind.choices}
    rows = [
        {
            "giver": giver,
            "kind": k,
            "kind_label": kind_labels[k],
            "receiver": receiver,
            "value": v["value"],
            "count": v["count"],
        }
        for (giver, k, receiver), v in pairs.items()
    ]
    rows.sort(key=lambda r: (-r["value"], -r["count"], r["giver"]))
    # Sankey: three columns, ids prefixed so a member can both give and receive.
    nodes: dict[str, dict[str, Any]] = {}
    links: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for r in rows:
        weight = r["value"] if measure == "value" else Decimal(r["count"])
        if weight <= 0:
            continue
        g, k, t = f"g:{r['giver']}", f"k:{r['kind']}", f"r:{r['receiver']}"
        nodes.setdefault(g, {"name": g, "label": r["giver"], "depth": 0})
        nodes.setdefault(k, {"name": k, "label": r["kind_label"], "depth": 1, "kind": r["kind"]})
        nodes.setdefault(t, {"name": t, "label": r["receiver"], "depth": 2})
        links[(g, k)] += weight
        links[(k, t)] += weight
    chart = {
        "measure": measure,
        "currency": base,
        "nodes": list(nodes.values()),
        "links": [{"source": s, "target": t, "value": str(v)} for (s, t), v in links.items()],
    }
    return {"rows": rows, "chart": chart, "base": base}


def balance(partnership: Partnership) -> list[dict[str, Any]]:
    """Contribution against benefit per member organisation, to surface one-sided partnerships."""
    t = totals(partnership)
    given = {p.organisation_id: p for p in t.partners}
    base, rates = t.base, rates_for(partnership)
    received_contrib = dict(
        Contribution.objects.filter(partnership=partnership, recipient_kind=RecipientKind.MEMBER)
        .exclude(status=Status.WITHDRAWN)
        .values("recipient_org_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("recipient_org_id", "n")
    )
    benefit_rows = (
        Benefit.objects.filter(partnership=partnership)
        .values("organisation_id", "direction", "currency")
        .annotate(n=Count("id"), total=Sum("value"))
        .order_by()
    )
    benefits: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"expected": 0, "received": 0, "received_value": ZERO, "expected_value": ZERO}
    )
    for row in benefit_rows:
        b = benefits[row["organisation_id"]]
        b[row["direction"]] += row["n"]
        value = (
            convert(Decimal(row["total"]).quantize(CENT), row["currency"], base, rates)
            if row["total"] is not None
            else None
        )
        if value is not None:
            b[f"{row['direction']}_value"] += value
    members = (
        partnership.memberships.exclude(status=MembershipStatus.LEFT)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    result = []
    for m in members:
        org = m.organisation
        g = given.get(org.pk)
        b = benefits[org.pk]
        gives = g.total if g else ZERO
        gets = b["received_value"]
        nothing_back = bool(
            g and g.count >= 1 and b["received"] == 0 and received_contrib.get(org.pk, 0) == 0
        )
        little_back = gives > 0 and gets > 0 and gets * 4 < gives
        if nothing_back:
            reason = _("gives, but has had nothing back yet")
        elif little_back:
            reason = _("gets back less than a quarter of what it gives")
        else:
            reason = ""
        one_sided = bool(reason)
        result.append(
            {
                "organisation": org,
                "given": gives,
                "given_count": g.count if g else 0,
                "received_contributions": received_contrib.get(org.pk, 0),
                "expected": b["expected"],
                "received": b["received"],
                "expected_value": b["expected_value"],
                "received_value": gets,
                "one_sided": one_sided,
                "reason": reason,
            }
        )
    return result


def benefits(partnership: Partnership) -> QuerySet:
    return Benefit.objects.filter(partnership=partnership).select_related("organisation")


def summary(partnership: Partnership, today: datetime.date) -> dict[str, Any]:
    counts = dict(
        Contribution.objects.filter(partnership=partnership)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("status", "n")
    )
    return {
        "counts": counts,
        "overdue": Contribution.objects.filter(
            Q(partnership=partnership), Q(status__in=OPEN_STATUSES), Q(due_on__lt=today)
        ).count(),
        "benefit_directions": BenefitDirection,
    }
