"""The default health-check template, in our own words.

Reference figures are the baseline means reported for one alliance in the
methodology (section 12); they appear as a reference series, not as targets.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_noop

# The response rate of the source's baseline round: 25 of the 32 members invited answered
# (78%). Shown beside each round's own rate unless a partnership sets its own reference.
REFERENCE_RATE_ANSWERED = 25
REFERENCE_RATE_INVITED = 32

# A round is due once a year: the reminder goes out this many months after the last
# whole-partnership round opened, when no round is open.
ROUND_INTERVAL_MONTHS = 12

# key, section, kind, text, reference mean
DEFAULT_ITEMS: list[tuple[str, str, str, str, Decimal | None]] = [
    (
        "platform",
        "health",
        "agreement",
        gettext_noop("The partnership gives us a real platform to act together."),
        Decimal("4.2"),
    ),
    (
        "benefit_effort",
        "health",
        "agreement",
        gettext_noop("What my organisation gains is in proportion to the effort we put in."),
        Decimal("3.8"),
    ),
    (
        "contribution_valued",
        "health",
        "agreement",
        gettext_noop("My organisation's contribution is seen and valued."),
        Decimal("3.7"),
    ),
    (
        "coordination",
        "health",
        "agreement",
        gettext_noop("The coordinating team runs things efficiently."),
        Decimal("4.0"),
    ),
    (
        # The source's item: the secretariat (the coordinating team) holds the power and
        # control its mandate needs. Compared with the source's baseline of 3.9.
        "secretariat_mandate",
        "health",
        "agreement",
        gettext_noop(
            "The secretariat has the authority and control it needs to carry out the mandate "
            "the partners gave it."
        ),
        Decimal("3.9"),
    ),
    (
        "communication",
        "health",
        "agreement",
        gettext_noop("We hear what we need to know, in time and in a useful form."),
        Decimal("3.9"),
    ),
    (
        "willingness",
        "health",
        "agreement",
        gettext_noop("Partners are willing to work with each other."),
        Decimal("3.9"),
    ),
    ("trust", "health", "agreement", gettext_noop("Partners trust one another."), Decimal("3.5")),
    (
        "opportunities",
        "health",
        "agreement",
        gettext_noop("There are enough chances to work together on real things."),
        Decimal("3.4"),
    ),
    (
        "transparency",
        "principles",
        "agreement",
        gettext_noop("Information, money and decisions are open to all partners."),
        None,
    ),
    (
        "equity",
        "principles",
        "agreement",
        gettext_noop("Every partner's worth is respected, whatever its size."),
        None,
    ),
    (
        "mutual_benefit",
        "principles",
        "agreement",
        gettext_noop("Each partner gets something it needs from the partnership."),
        None,
    ),
    (
        "continuum_now",
        "continuum",
        "continuum",
        gettext_noop(
            "Where is our relationship today, from transactional (1) to transformational (5)?"
        ),
        None,
    ),
    (
        "continuum_aim",
        "continuum",
        "continuum",
        gettext_noop("Where should it be, from transactional (1) to transformational (5)?"),
        None,
    ),
    (
        "value_transparency",
        "values",
        "agreement",
        gettext_noop("We live our value of openness in practice."),
        None,
    ),
    (
        "value_equity",
        "values",
        "agreement",
        gettext_noop("We live our value of fairness between partners in practice."),
        None,
    ),
    (
        "value_mutual_benefit",
        "values",
        "agreement",
        gettext_noop("We live our value of shared gain in practice."),
        None,
    ),
    (
        "value_good_partner",
        "values",
        "agreement",
        gettext_noop("Partners keep their word and behave as good partners."),
        None,
    ),
    (
        "value_competition",
        "values",
        "agreement",
        gettext_noop(
            "Where partners compete, they do so fairly and it does not harm the shared work."
        ),
        None,
    ),
    (
        "value_learning",
        "values",
        "agreement",
        gettext_noop("We learn from each other, including from what goes wrong."),
        None,
    ),
    (
        "value_ambassadorship",
        "values",
        "agreement",
        gettext_noop("Partners speak up for the partnership in their own circles."),
        None,
    ),
    (
        "swot_strengths",
        "swot",
        "text",
        gettext_noop("Strengths: what does this partnership do well?"),
        None,
    ),
    ("swot_weaknesses", "swot", "text", gettext_noop("Weaknesses: what holds it back?"), None),
    (
        "swot_opportunities",
        "swot",
        "text",
        gettext_noop("Opportunities: what could it take up next?"),
        None,
    ),
    (
        "swot_threats",
        "swot",
        "text",
        gettext_noop("Threats: what could knock it off course?"),
        None,
    ),
    (
        "comments",
        "open",
        "text",
        gettext_noop("Anything else you want the partners to hear?"),
        None,
    ),
]
