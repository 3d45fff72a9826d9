"""CSV and XLSX export of the ledger, and CSV import with a dry run."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from commonground.organisations.models import Organisation
from commonground.partnerships.models import WorkingGroup

from . import services
from .models import Contribution, Kind, RecipientKind, Status, ValuationMethod

COLUMNS = [
    "id",
    "kind",
    "title",
    "from",
    "to_kind",
    "to",
    "status",
    "pledged_on",
    "committed_on",
    "delivered_on",
    "withdrawn_on",
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
    "description",
    "risk_owner",
    "contingency",
    "intellectual_property",
    "contractors",
]
IMPORT_COLUMNS = [
    c for c in COLUMNS if c not in ("id", "committed_on", "delivered_on", "withdrawn_on")
]
REQUIRED = ["kind", "title", "from", "pledged_on", "currency"]


CHUNK = 1000  # rows read from the database at a time
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    return value


def _text(value: str) -> str:
    """Keep spreadsheet programs from running a text cell as a formula (undone on import)."""
    return "'" + value if value[:1] in FORMULA_START else value


def _untext(value: str) -> str:
    return value[1:] if value[:1] == "'" and value[1:2] in FORMULA_START else value


def rows_for_export(queryset: Any) -> Iterator[list[Any]]:
    """One list per contribution, read in batches: memory stays flat however long the ledger."""
    for c in queryset.iterator(chunk_size=CHUNK):
        receiver = ""
        if c.recipient_kind == RecipientKind.MEMBER and c.recipient_org:
            receiver = c.recipient_org.name
        elif c.recipient_kind == RecipientKind.WORKING_GROUP and c.recipient_group:
            receiver = c.recipient_group.name
        yield [
            c.pk,
            c.kind,
            _text(c.title),
            _text(c.contributor.name),
            c.recipient_kind,
            _text(receiver),
            c.status,
            c.pledged_on,
            _cell(c.committed_on),
            _cell(c.delivered_on),
            _cell(c.withdrawn_on),
            _cell(c.due_on),
            _cell(c.start_on),
            _cell(c.end_on),
            _cell(c.amount),
            c.currency,
            c.valuation_method,
            _text(c.source),
            _text(c.conditions),
            _text(c.scope),
            _text(c.experience),
            _cell(c.hours),
            _cell(c.fte),
            _text(c.description),
            _text(c.risk_owner.name if c.risk_owner else ""),
            _text(c.contingency),
            _text(c.intellectual_property),
            _text(c.contractors),
        ]


def csv_lines(queryset: Any) -> Iterator[str]:
    """The CSV export line by line, for a streaming response."""

    class _Line:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(_Line())
    yield writer.writerow(COLUMNS)
    for row in rows_for_export(queryset):
        yield writer.writerow([v.isoformat() if isinstance(v, datetime.date) else v for v in row])


def write_xlsx(queryset: Any, out: IO[bytes]) -> None:
    """The XLSX export into ``out``; openpyxl's write-only mode keeps no cell tree in memory."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Contributions")
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    heading = []
    for title in COLUMNS:
        cell = WriteOnlyCell(ws, value=title)
        cell.font = bold
        heading.append(cell)
    ws.append(heading)
    amount_col = COLUMNS.index("amount")
    for row in rows_for_export(queryset):
        values: list[Any] = [v if v != "" else None for v in row]
        if values[amount_col] is not None:
            amount = WriteOnlyCell(ws, value=values[amount_col])
            amount.number_format = "#,##0.00"
            values[amount_col] = amount
        ws.append(values)
    wb.save(out)


@dataclass
class ImportReport:
    rows: int = 0
    errors: list[tuple[int, list[str]]] = field(default_factory=list)
    saved: int = 0
    dry_run: bool = True

    @property
    def clean(self) -> bool:
        return not self.errors


def _date(value: str, label: str) -> datetime.date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            _("%(label)s “%(value)s” is not a date (use YYYY-MM-DD).")
            % {"label": label, "value": value}
        ) from None


def _parse_row(
    partnership: Any, row: dict[str, str], orgs: dict[str, Any], groups: dict[str, Any]
) -> dict[str, Any]:
    problems: list[str] = []
    data: dict[str, Any] = {}
    row = {k: _untext(v) if isinstance(v, str) else v for k, v in row.items()}
    for column in REQUIRED:
        if not (row.get(column) or "").strip():
            problems.append(_("The column “%(col)s” is empty.") % {"col": column})
    kind = (row.get("kind") or "").strip()
    if kind and kind not in Kind.values:
        problems.append(_("Unknown kind “%(kind)s”.") % {"kind": kind})
    data["kind"] = kind
    data["title"] = (row.get("title") or "").strip()
    giver = (row.get("from") or "").strip()
    data["contributor"] = orgs.get(giver.lower())
    if giver and data["contributor"] is None:
        problems.append(_("“%(name)s” is not a member organisation.") % {"name": giver})
    to_kind = (row.get("to_kind") or RecipientKind.PARTNERSHIP).strip()
    if to_kind not in RecipientKind.values:
        problems.append(_("Unknown recipient type “%(kind)s”.") % {"kind": to_kind})
    data["recipient_kind"] = to_kind
    to = (row.get("to") or "").strip()
    if to_kind == RecipientKind.MEMBER:
        data["recipient_org"] = orgs.get(to.lower())
    elif to_kind == RecipientKind.WORKING_GROUP:
        data["recipient_group"] = groups.get(to.lower())
    for name, label in (
        ("pledged_on", _("Pledged on")),
        ("due_on", _("Due by")),
        ("start_on", _("Period from")),
        ("end_on", _("Period until")),
    ):
        try:
            data[name] = _date(row.get(name, ""), str(label))
        except ValidationError as exc:
            problems.extend(exc.messages)
    for name in (
        "amount",
        "currency",
        "source",
        "conditions",
        "scope",
        "experience",
        "hours",
        "fte",
        "description",
        "contingency",
        "intellectual_property",
        "contractors",
    ):
        data[name] = (row.get(name) or "").strip()
    bearer = (row.get("risk_owner") or "").strip()
    data["risk_owner"] = orgs.get(bearer.lower())
    if bearer and data["risk_owner"] is None:
        problems.append(_("“%(name)s” is not a member organisation.") % {"name": bearer})
    method = (row.get("valuation_method") or "").strip()
    if method not in ValuationMethod.values:
        problems.append(_("Unknown valuation method “%(m)s”.") % {"m": method})
    data["valuation_method"] = method
    status = (row.get("status") or Status.PLEDGED).strip()
    if status not in (Status.PLEDGED, Status.COMMITTED, Status.DELIVERED):
        problems.append(
            _("Status must be pledged, committed or delivered, not “%(s)s”.") % {"s": status}
        )
    data["_status"] = status
    if not problems:
        try:
            clean = services.validate_contribution(
                partnership, {k: v for k, v in data.items() if not k.startswith("_")}
            )
        except ValidationError as exc:
            for messages in exc.message_dict.values():
                problems.extend(messages)
        else:
            clean["_status"] = status
            data = clean
    if problems:
        raise ValidationError(problems)
    return data


def import_csv(
    *, actor: Any, partnership: Any, content: bytes | str, dry_run: bool
) -> ImportReport:
    """Check every row; save all of them in one transaction only if none has an error."""
    report = ImportReport(dry_run=dry_run)
    if isinstance(content, bytes):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            report.errors.append((0, [_("The file is not UTF-8 text.")]))
            return report
    else:
        text = content
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        report.errors.append((1, [_("Missing columns: %(cols)s.") % {"cols": ", ".join(missing)}]))
        return report
    orgs: dict[str, Any] = {}
    for org in Organisation.objects.filter(memberships__partnership=partnership):
        orgs[org.name.lower()] = org
        orgs[org.slug.lower()] = org
    groups = {g.name.lower(): g for g in WorkingGroup.objects.filter(partnership=partnership)}
    groups.update({g.slug.lower(): g for g in groups.values()})
    parsed: list[dict[str, Any]] = []
    for line, row in enumerate(reader, start=2):
        report.rows += 1
        try:
            parsed.append(_parse_row(partnership, row, orgs, groups))
        except ValidationError as exc:
            report.errors.append((line, exc.messages))
    if report.rows == 0:
        report.errors.append((0, [_("The file has no rows.")]))
    if report.errors or dry_run:
        return report
    with transaction.atomic():
        for data in parsed:
            status = data.pop("_status")
            c = services.contribution_create(actor=actor, partnership=partnership, **data)
            if status in (Status.COMMITTED, Status.DELIVERED):
                c = services.contribution_transition(
                    actor=actor, contribution=c, to=Status.COMMITTED, on=c.pledged_on
                )
            if status == Status.DELIVERED:
                services.contribution_transition(
                    actor=actor, contribution=c, to=Status.DELIVERED, on=c.pledged_on
                )
            report.saved += 1
    return report


def import_template() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(IMPORT_COLUMNS)
    return buffer.getvalue()


__all__ = ["COLUMNS", "Contribution", "ImportReport", "csv_lines", "import_csv", "write_xlsx"]
