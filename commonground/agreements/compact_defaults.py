"""The members' compact's default clauses: the full set the method names (transparency,
equity, mutual benefit, being a good partner, handling competition, sharing learning,
acting as ambassador), each with what it looks like in practice, in our own words.

They are only offered: the compact form starts with them, and the partners edit, drop or
add clauses before they adopt it."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# (key, clause, what it looks like in practice). The keys match the compact values the
# health check asks about.
COMPACT_CLAUSES: list[tuple[str, Promise, list[Promise]]] = [
    (
        "transparency",
        _("Transparency"),
        [
            _("we share plans, figures and problems early"),
            _("we say what we know and what we do not"),
            _("decisions and their reasons are written down where every member can read them"),
        ],
    ),
    (
        "equity",
        _("Equity"),
        [
            _("every member's voice counts, whatever its size or budget"),
            _("we share speaking time and the work fairly"),
            _("we name differences in power and deal with them in the open"),
        ],
    ),
    (
        "mutual_benefit",
        _("Mutual benefit"),
        [
            _("we look at what each member gets, not only at what it gives"),
            _("now and then we check that the effort is worth it for everyone"),
        ],
    ),
    (
        "good_partner",
        _("Being a good partner"),
        [
            _("we keep our promises, and say so early when we cannot"),
            _("we come prepared and take part"),
            _("we treat the other members' people, money and time with care"),
        ],
    ),
    (
        "competition",
        _("Handling competition"),
        [
            _("we name a conflict of interest as soon as we see it"),
            _(
                "when members compete for the same funds or clients, we agree openly how to "
                "handle it"
            ),
            _("we do not use what we learn in joint work against another member"),
        ],
    ),
    (
        "learning",
        _("Sharing learning"),
        [
            _("we pass on what worked and what did not, failures included"),
            _("we put case studies and lessons where every member can find them"),
            _("we say where an idea came from"),
        ],
    ),
    (
        "ambassador",
        _("Acting as ambassador"),
        [
            _("we speak up for the alliance and its work in our own networks"),
            _("in public we credit what the other members contribute"),
            _("we bring in organisations that could help"),
        ],
    ),
]

DEFAULT_INTRODUCTION = _(
    "What we, the members, promise each other. Signing is voluntary. Once a year each "
    "member looks back at how well it lives each clause."
)


def default_principles_text() -> str:
    """The clauses as the compact form's text: one per line, the practice after a colon
    (the form's own format), in the active language."""
    return "\n".join(
        f"{title}: {'; '.join(str(b) for b in practice)}"
        for _key, title, practice in COMPACT_CLAUSES
    )
