"""Helpers to build health-check rounds with answers, through the real services."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from commonground.healthchecks import services
from commonground.healthchecks.models import Answer, Response, Round, RoundItem


def open_round(partnership: Any, actor: Any, **kwargs: Any) -> tuple[Round, dict[int, str]]:
    defaults = {
        "title": "Health check 2026",
        "period": "2026",
        "closes_on": timezone.localdate() + datetime.timedelta(days=14),
    }
    defaults.update(kwargs)
    return services.round_open(actor=actor, partnership=partnership, **defaults)


def add_responses(
    round: Round, answers: list[dict[str, Any]], sectors: list[str] | None = None
) -> None:
    """Store anonymous responses directly (as if through links), one dict of key→value each."""
    items = {ri.key: ri for ri in RoundItem.objects.filter(round=round)}
    for n, given in enumerate(answers):
        resp = Response.objects.create(
            round=round,
            submitted_on=round.opens_on,
            sector=(sectors[n] if sectors else ""),
        )
        for key, value in given.items():
            ri = items[key]
            if isinstance(value, int):
                Answer.objects.create(response=resp, item=ri, score=value)
            else:
                Answer.objects.create(response=resp, item=ri, text=value)
