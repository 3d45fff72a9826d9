"""Who may read, draft and sign agreements and the members' compact."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from commonground.core import policy
from commonground.core.policy import ALL_ROLES, MANAGERS, register
from commonground.organisations.models import Organisation
from commonground.partnerships.models import Role, RoleKind

VIEW = register("agreements.view", _("read agreements and the members' compact"), ALL_ROLES)
DRAFT = register("agreements.draft", _("draft and amend agreements"), MANAGERS | {"representative"})
# Who may try to sign: the object rules below then check that the person is the
# authorised signatory (or representative, for the compact) of the organisation concerned.
SIGN = register(
    "agreements.sign",
    _("ratify agreements and sign the compact for your organisation"),
    ALL_ROLES - {"observer"},
)
MANAGE_COMPACT = register("agreements.manage_compact", _("set up a members' compact"), MANAGERS)


# --- object rules: who signs for an organisation ------------------------------------


def _roles(user: Any, partnership: Any, organisation: Any = None) -> QuerySet[Role]:
    roles = Role.objects.filter(partnership=partnership, user=user, ended_on__isnull=True)
    return roles if organisation is None else roles.filter(organisation=organisation)


def _may_try(user: Any, partnership: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and policy.has_capability(
        user, partnership, SIGN
    )


def signatory_role(user: Any, partnership: Any, organisation: Any) -> Role | None:
    """The role that makes ``user`` the authorised signatory of ``organisation`` in
    ``partnership`` (ratifying agreements, giving notice), or None."""
    if not _may_try(user, partnership):
        return None
    return _roles(user, partnership, organisation).filter(is_signatory=True).order_by("id").first()


def can_sign_for(user: Any, partnership: Any, organisation: Any) -> bool:
    """Instance form: may ``user`` ratify agreements and give notice for ``organisation``
    in ``partnership``? Its authorised signatory, while they hold the signing capability."""
    return signatory_role(user, partnership, organisation) is not None


def organisations_signable_by(
    user: Any, partnership: Any, organisations: QuerySet[Organisation]
) -> QuerySet[Organisation]:
    """Queryset form of :func:`can_sign_for`: the organisations in ``organisations``
    that ``user`` signs for in ``partnership``."""
    if not _may_try(user, partnership):
        return organisations.none()
    ids = _roles(user, partnership).filter(is_signatory=True).values("organisation_id")
    return organisations.filter(pk__in=ids)


def _speaker(q: Q) -> Q:
    return q & (Q(is_signatory=True) | Q(kind=RoleKind.REPRESENTATIVE))


def speaker_role(user: Any, partnership: Any, organisation: Any) -> Role | None:
    """The role through which ``user`` speaks for ``organisation`` in the members'
    compact (signing it, assessing the organisation): a representative or signatory."""
    if not _may_try(user, partnership):
        return None
    return (
        _roles(user, partnership, organisation)
        .filter(_speaker(Q()))
        .order_by("-is_signatory", "id")
        .first()
    )


def can_speak_for(user: Any, partnership: Any, organisation: Any) -> bool:
    """Instance form: may ``user`` sign the compact and self-assess for ``organisation``?"""
    return speaker_role(user, partnership, organisation) is not None


def organisations_spoken_for(
    user: Any, partnership: Any, organisations: QuerySet[Organisation]
) -> QuerySet[Organisation]:
    """Queryset form of :func:`can_speak_for`."""
    if not _may_try(user, partnership):
        return organisations.none()
    ids = _roles(user, partnership).filter(_speaker(Q())).values("organisation_id")
    return organisations.filter(pk__in=ids)
