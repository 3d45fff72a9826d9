"""The lists a partnership works through while it prepares: obstacles to partnering,
kinds of benefit, signs that a partnership is the right tool, and strengths a partner
can raise. Each list tool stores the codes chosen and a note (``{"chosen": [...],
"comment": "..."}``); codes are stable keys, never renamed once used.

The items follow the partnering method; the wording is our own.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

OBSTACLES: list[tuple[str, Any]] = [
    ("scepticism", _("Doubt that working together will pay off")),
    ("stereotypes", _("Fixed ideas about other sectors (slow, greedy, combative)")),
    ("skills", _("Little experience of partnering")),
    ("authority", _("People at the table cannot decide")),
    ("job-roles", _("Job descriptions too narrow for joint work")),
    ("priorities", _("Priorities that pull in different directions")),
    ("competition", _("Competition with others in our own sector")),
    ("intolerance", _("Impatience with how other sectors work")),
    ("local-climate", _("A local climate that does not favour cooperation")),
    ("pace", _("Change that is too large or too fast")),
    ("no-access", _("No way to reach resources outside our own organisation")),
    ("imbalance", _("One side would gain far more than the other")),
]

BENEFIT_KINDS: list[tuple[str, Any]] = [
    ("opportunities", _("Knowing about opportunities sooner")),
    ("expertise", _("Technical or practical know-how")),
    ("funding", _("Money or other resources")),
    ("programmes", _("Programmes that can grow")),
    ("trust", _("Standing and trust in the community")),
    ("cost-sharing", _("Sharing costs, for example across a region")),
    ("revenue", _("Ideas for new income")),
    ("workforce", _("Training for staff and job seekers")),
    ("engagement", _("Working with institutions and involving residents")),
]

WHEN_TO_PARTNER: list[tuple[str, Any]] = [
    ("mission", _("The goal is central to the other organisation's mission")),
    ("experience", _("They know this need better than we do")),
    ("new-services", _("Together we can offer services neither offers alone")),
    ("support", _("It wins more support in the community")),
    ("both-benefit", _("Both sides gain from it")),
]

STRENGTHS: list[tuple[str, Any]] = [
    ("awareness", _("Making people aware")),
    ("reach", _("Reaching people and markets")),
    ("expertise", _("Expertise")),
    ("funding", _("Money or in-kind support")),
    ("efficiency", _("Running things efficiently")),
    ("quality", _("Quality of service")),
]

# tool code -> its list
LISTS: dict[str, list[tuple[str, Any]]] = {
    "obstacles": OBSTACLES,
    "benefit_kinds": BENEFIT_KINDS,
    "when_to_partner": WHEN_TO_PARTNER,
    "strengths": STRENGTHS,
}


def labels(tool: str, codes: list[str]) -> list[Any]:
    """The labels of the chosen codes, in the list's order (unknown codes left out)."""
    chosen = set(codes)
    return [label for code, label in LISTS.get(tool, []) if code in chosen]
