"""The agreement text: its canonical rendering (what is hashed and signed), templates
for a memorandum of understanding and a letter of agreement prefilled from the
partnership's own records, and a readable diff between two versions."""

from __future__ import annotations

import difflib
import hashlib
import re
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .models import Component, Form, Template


def render_text(
    *,
    title: str,
    form: str,
    parties: list[Any],
    start_on: Any,
    end_on: Any,
    trial_months: int | None,
    clauses: dict[str, str],
) -> str:
    """The exact text of a version. Its SHA-256 is what parties ratify."""
    lines = [title.strip(), "", f"{_('Form')}: {Form(form).label}"]
    lines.append(f"{_('Parties')}: " + "; ".join(sorted(p.name for p in parties)))
    term = f"{_('Term')}: {start_on or '—'} – {end_on or _('open-ended')}"
    if trial_months:
        term += " " + _("(trial period of %(n)s months)") % {"n": trial_months}
    lines += [term, ""]
    n = 0
    for component in Component.values:
        body = (clauses.get(component) or "").strip().replace("\r\n", "\n")
        if not body:
            continue
        n += 1
        lines += [f"{n}. {Component(component).label}", "", body, ""]
    return "\n".join(lines).rstrip() + "\n"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _list(items: list[str], empty: str) -> str:
    return "\n".join(f"- {i}" for i in items) if items else empty


def prefill(template: str, partnership: Any, parties: list[Any]) -> dict[str, str]:
    """Starting clauses for a new agreement, written from the partnership's data."""
    from commonground.contributions.models import Contribution, Status
    from commonground.partnerships.models import Role

    if template == Template.BLANK:
        return {}
    party_ids = [p.pk for p in parties]
    names = [p.name for p in sorted(parties, key=lambda o: o.name)]
    contributions = list(
        Contribution.objects.filter(partnership=partnership, contributor_id__in=party_ids)
        .exclude(status=Status.WITHDRAWN)
        .select_related("contributor", "recipient_org", "recipient_group")
        .order_by("contributor__name", "pledged_on", "id")
    )
    roles = list(
        Role.objects.filter(
            partnership=partnership, organisation_id__in=party_ids, ended_on__isnull=True
        )
        .select_related("user", "organisation")
        .order_by("organisation__name", "kind", "user__display_name")
    )
    deliverables = []
    milestones = []
    money = []
    for c in contributions:
        value = f" ({c.amount:,.2f} {c.currency})" if c.amount is not None else ""
        deliverables.append(
            _("%(org)s provides %(what)s to %(to)s%(value)s [%(kind)s, %(status)s]")
            % {
                "org": c.contributor.name,
                "what": c.title,
                "to": c.recipient_label,
                "value": value,
                "kind": c.get_kind_display().lower(),
                "status": c.get_status_display().lower(),
            }
        )
        if c.due_on:
            milestones.append(
                _("%(date)s: %(what)s from %(org)s")
                % {"date": c.due_on.isoformat(), "what": c.title, "org": c.contributor.name}
            )
        if c.kind == "funding":
            money.append(
                _("%(org)s: %(what)s%(value)s")
                % {"org": c.contributor.name, "what": c.title, "value": value}
            )
    role_lines = [
        _("%(person)s (%(org)s): %(role)s")
        % {"person": r.user, "org": r.organisation, "role": r.get_kind_display()}
        for r in roles
        if r.kind in ("convener", "manager", "representative", "sponsor", "champion", "facilitator")
    ]
    contact_lines = [
        f"{r.user} — {r.title or r.get_kind_display()}, {r.organisation} ({r.user.email})"
        for r in roles
        if r.is_signatory or r.kind in ("representative", "convener", "manager")
    ]
    milestones.sort()
    is_letter = template == Template.LETTER
    opening = (
        _(
            "This letter confirms how the organisations below will work together in %(p)s. "
            "It records intentions and commitments in good faith; it is not a contract."
        )
        if is_letter
        else _(
            "This memorandum of understanding is made between the organisations below, "
            "who are members of %(p)s. It records what each brings and what they agree together. "
            "It is not a contract and creates no obligation to pay unless a clause says so."
        )
    ) % {"p": partnership.name}
    clauses = {
        Component.PARTIES: opening + "\n\n" + _list(names, _("(no parties yet)")),
        Component.EXPECTATIONS: _(
            "The parties share this purpose: %(purpose)s\n\nThey will act openly, share what they learn, "
            "and look for benefit for every party, not only for the partnership as a whole."
        )
        % {"purpose": partnership.purpose.strip()}
        + (
            "\n\n" + _("Objectives:") + "\n" + partnership.objectives.strip()
            if partnership.objectives.strip()
            else ""
        ),
        Component.ROLES: _list(
            role_lines, _("Each party names a representative with authority to act for it.")
        ),
        Component.TERMS: _(
            "How the group works: the parties decide together; day-to-day decisions are taken by the "
            "coordinator and the working groups on the partnership's behalf, and major decisions on policy "
            "or spending go to all parties.\n\nExpected result: %(purpose)s\n\nMeetings: all parties meet "
            "at least every three months; working groups meet more often, about every two to three weeks.\n\n"
            "Conflicts: a party raises a concern early, first with the other party concerned, then with the "
            "group; the dispute clause applies if that does not settle it."
        )
        % {"purpose": partnership.purpose.strip() or _("(to be written)")},
        Component.DELIVERABLES: _("Each party contributes as recorded in the partnership's ledger:")
        + "\n"
        + _list(deliverables, _("(nothing recorded yet)")),
        Component.TIMELINES: _list(
            milestones,
            _("Milestones are set in the action plan and reviewed at each partners' meeting."),
        ),
        Component.RISKS: _(
            "The parties depend on each other's contributions arriving on time. A party that foresees a delay "
            "tells the others as soon as it knows, and the partners agree together how to cover the gap."
        ),
        Component.REMUNERATION: (
            _("Money committed by the parties:") + "\n" + _list(money, "")
            if money
            else _("No money changes hands under this agreement.")
        )
        + "\n\n"
        + _("Unless stated otherwise, each party carries its own costs."),
        Component.IP: _(
            "Each party keeps what it owned before. What the parties create together is shared under an open "
            "licence unless the parties agree otherwise in writing."
        ),
        Component.CHANGE: _(
            "Any party may propose a change in writing. A change takes effect only as an amendment ratified "
            "by every party."
        ),
        Component.DISPUTES: _(
            "A party raises any concern promptly with the other parties. If the representatives cannot resolve "
            "it within 30 days, the parties ask a neutral facilitator to mediate before any other step."
        ),
        Component.REPORTING: _(
            "Each party reports progress on its contributions before every partners' meeting, and the "
            "partnership shares a yearly summary with all members."
        ),
        Component.TERMINATION: _(
            "Any party may leave by giving %(days)s days' written notice to the other parties. Assets lent to "
            "the partnership return to their owner; shared results stay available to all parties."
        )
        % {"days": 30 if is_letter else 60},
        Component.CONTACTS: _list(contact_lines, _("Each party names a principal contact.")),
        Component.EMERGENCY: _(
            "In an emergency, the people of every party may enter the shared space at any time to protect "
            "people and property; the party that holds the space is told at once. Each party names an "
            "emergency contact who can be reached outside working hours:"
        )
        + "\n"
        + _list(contact_lines, _("Each party names an emergency contact.")),
        Component.INSURANCE: _(
            "Each party keeps its own insurance and is responsible for its own property and people. Where one "
            "party's policies conflict with this text, that party's policies prevail for that party."
        ),
    }
    if is_letter:
        for optional in (Component.IP, Component.REPORTING, Component.RISKS):
            clauses.pop(optional, None)
    return {str(k): v for k, v in clauses.items()}


_TOKEN = re.compile(r"\s+|[^\s]+")


def _words(old: str, new: str) -> str:
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return "".join(out)


def diff_html(old: str, new: str, *, context: int = 2) -> SafeString:
    """A readable diff of two texts as HTML: changed lines with word-level <ins>/<del>,
    long unchanged stretches folded to a few lines of context. Everything is escaped."""
    a, b = old.splitlines(), new.splitlines()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            block = a[i1:i2]
            if len(block) > 2 * context + 1:
                head = block[:context] if i1 > 0 else []
                tail = block[-context:] if i2 < len(a) else []
                hidden = len(block) - len(head) - len(tail)
                out.extend(escape(line) for line in head)
                out.append(
                    '<span class="diff__skip">'
                    + escape(_("… %(n)s unchanged lines …") % {"n": hidden})
                    + "</span>"
                )
                out.extend(escape(line) for line in tail)
            else:
                out.extend(escape(line) for line in block)
        elif op == "replace":
            out.append(_words("\n".join(a[i1:i2]), "\n".join(b[j1:j2])))
        elif op == "delete":
            out.append(f"<del>{escape(chr(10).join(a[i1:i2]))}</del>")
        else:
            out.append(f"<ins>{escape(chr(10).join(b[j1:j2]))}</ins>")
    return mark_safe("\n".join(out))


def diff_stats(old: str, new: str) -> dict[str, int]:
    added = removed = 0
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        if line.startswith("+ "):
            added += 1
        elif line.startswith("- "):
            removed += 1
    return {"added": added, "removed": removed}
