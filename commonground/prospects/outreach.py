"""Outreach templates: a first-call script and a meeting-request email, each in a
same-sector and a cross-sector variant, filled with the partnership's and the
prospect's details. Written in our own words."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from commonground.partnerships.models import MembershipStatus, Partnership, Role

from .models import Prospect

SAME, CROSS = "same", "cross"


def _first_sentence(text: str, limit: int = 220) -> str:
    text = " ".join(text.split())
    end = text.find(". ")
    sentence = text if end == -1 else text[: end + 1]
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


def outreach_context(partnership: Partnership, prospect: Prospect, user: Any) -> dict[str, str]:
    sender_org = getattr(user, "organisation", None)
    if sender_org is None:
        lead = (
            Role.objects.filter(partnership=partnership, kind="convener", ended_on__isnull=True)
            .select_related("organisation")
            .first()
        )
        sender_org = lead.organisation if lead else None
    offers = [t.name.lower() for t in prospect.organisation.offers.all()[:3]]
    could_bring = prospect.could_bring.strip() or (", ".join(offers) if offers else "")
    members = partnership.memberships.filter(status=MembershipStatus.ACTIVE).count()
    return {
        "sender": str(user),
        "sender_org": sender_org.name if sender_org else partnership.name,
        "sender_sector": sender_org.sector if sender_org else "",
        "partnership": partnership.name,
        "purpose": _first_sentence(partnership.purpose),
        "organisation": prospect.organisation.name,
        "sector": prospect.organisation.get_sector_display(),
        "could_bring": could_bring or _("experience we do not have yet"),
        "why": prospect.why_approach.strip() or _first_sentence(prospect.organisation.mission),
        "members": str(members),
    }


def default_variant(ctx: dict[str, str], prospect: Prospect) -> str:
    return SAME if ctx["sender_sector"] == prospect.organisation.sector else CROSS


def templates(ctx: dict[str, str], variant: str) -> list[dict[str, str]]:
    if variant == SAME:
        call = (
            _(
                "Hello, this is %(sender)s from %(sender_org)s.\n\n"
                "I am calling about %(partnership)s: %(members)s organisations working together. "
                "%(purpose)s\n\n"
                "We work in the same field as you, so we share many of the same pressures and "
                "ambitions. We would like to join forces rather than compete: we believe "
                "%(organisation)s could bring %(could_bring)s.\n\n"
                "Questions to ask:\n"
                "- What are your priorities for the coming year?\n"
                "- Which organisations do you already work with?\n"
                "- Where do you see room for doing things together instead of side by side?\n\n"
                "Close: offer a short meeting and suggest two dates. Promise to send a summary by email."
            )
            % ctx
        )
        subject = _("Meeting request: %(partnership)s and %(organisation)s") % ctx
        email = (
            _(
                "Dear colleague at %(organisation)s,\n\n"
                "I am writing on behalf of %(partnership)s. %(purpose)s\n\n"
                "As an organisation in the same line of work, you know this ground as well as we do. "
                "We think %(organisation)s could bring %(could_bring)s, and that we can achieve more "
                "by sharing the load than by working in parallel.\n\n"
                "Could we meet for an hour in the coming weeks? We would like to hear about your "
                "plans, tell you about ours, and see whether there is a fit. No commitment is "
                "expected at this stage.\n\n"
                "Kind regards,\n%(sender)s\n%(sender_org)s"
            )
            % ctx
        )
    else:
        call = (
            _(
                "Hello, this is %(sender)s from %(sender_org)s.\n\n"
                "I am calling about %(partnership)s: %(members)s organisations from different sectors "
                "working together. %(purpose)s\n\n"
                "We come from different sectors, and that is exactly why we are calling: "
                "%(organisation)s (%(sector)s) brings things no single sector has on its own. "
                "We think you could bring %(could_bring)s.\n\n"
                "Questions to ask:\n"
                "- What drives your organisation's work at the moment?\n"
                "- What would a partnership need to offer to be worth your time?\n"
                "- Are there rules or limits we should understand about how you work?\n\n"
                "Close: offer a short, no-obligation meeting and suggest two dates. Promise to send "
                "a summary by email."
            )
            % ctx
        )
        subject = _("An invitation to talk: %(partnership)s") % ctx
        email = (
            _(
                "Dear colleague at %(organisation)s,\n\n"
                "I am writing on behalf of %(partnership)s, which brings together public bodies, "
                "businesses, civil society and researchers. %(purpose)s\n\n"
                "We are reaching out because %(organisation)s brings a perspective from the "
                "%(sector)s sector that we lack, in particular %(could_bring)s. We would like to "
                "understand your priorities and what would make working together worthwhile for "
                "you.\n\n"
                "Would you be open to a one-hour conversation in the coming weeks? We will share "
                "what we know, listen to what you need, and keep it free of obligations.\n\n"
                "Kind regards,\n%(sender)s\n%(sender_org)s"
            )
            % ctx
        )
    return [
        {"id": "call-script", "title": _("First-call script"), "subject": "", "body": call},
        {
            "id": "meeting-email",
            "title": _("Meeting-request email"),
            "subject": subject,
            "body": email,
        },
    ]
