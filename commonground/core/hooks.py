"""Hooks: one app asks for something another app provides, without importing it.

An app that offers a service to others registers it under a name in its
``AppConfig.ready()`` (``hooks.provide(hooks.PROPOSAL_CREATE, services.proposal_create)``);
a caller asks by the name (``hooks.call(hooks.PROPOSAL_CREATE, actor=…, …)``). The
apps then import ``core`` only, so a conversation can become a proposal or an
action without conversations depending on decisions or the action plan, and
neither of those can come to depend back on it (``core/tests/test_import_cycles.py``).

Each name has one provider; the keyword arguments are those of the provider, listed
with the name below.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# decisions.services.proposal_create(*, actor, partnership, title, method, closes_at,
#   details="", working_group=None, ...) -> Proposal
PROPOSAL_CREATE = "proposal.create"
# actionplan.services.action_create(*, actor, partnership, title, description="",
#   owner=None, working_group=None, ...) -> Action
ACTION_CREATE = "action.create"
# partnerships.dashboard.dashboard(*, request) -> HttpResponse: the "My work" page
DASHBOARD = "dashboard"
# partnerships.invitations.invitation_accept(*, invitation, user) -> None
INVITATION_ACCEPT = "invitation.accept"
# partnerships.selectors.partnerships_of_organisation(*, user, organisation) -> QuerySet
ORGANISATION_PARTNERSHIPS = "organisation.partnerships"

# agreements.selectors.agreement_links(*, partnership) -> list[tuple[int, str, str]]:
#   (id, title, url) of the partnership's agreements, for the ending's agreement review
AGREEMENT_LINKS = "agreement.links"
# library.services.retention_apply(*, actor, partnership) -> dict[str, int]: run the data
#   room's end-of-partnership rules (return, delete, archive) once the partnership ended
END_RULES_APPLY = "library.end_rules_apply"

_PROVIDERS: dict[str, Callable[..., Any]] = {}


def provide(name: str, func: Callable[..., Any]) -> None:
    """Register ``func`` as what ``name`` does (once; registering it again is harmless)."""
    existing = _PROVIDERS.get(name)
    if existing is not None and existing is not func:
        raise ValueError(f"hook {name!r} already provided by {existing.__module__}")
    _PROVIDERS[name] = func


def call(name: str, /, **kwargs: Any) -> Any:
    """Do ``name`` with the provider's keyword arguments and return its result."""
    try:
        func = _PROVIDERS[name]
    except KeyError:
        raise LookupError(f"no app provides the hook {name!r}") from None
    return func(**kwargs)


def provided(name: str) -> bool:
    return name in _PROVIDERS
