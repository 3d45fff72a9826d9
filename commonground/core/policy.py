"""The permission policy: who may do what in a partnership.

Every app declares its capabilities in its own ``rules.py`` with
:func:`register`, naming the partnership roles that hold each one. Views and
API endpoints never test roles themselves; they ask this module, in one of two
forms that always agree:

* instance form: :func:`has_capability` / :func:`partnership_or_404`
  ("may this user do X in this partnership?");
* queryset form: :func:`partnerships_with` ("in which partnerships may this
  user do X?"), used to filter lists so that lists and detail pages never
  disagree.

Someone who holds no active role in a partnership learns nothing about it:
they get the same 404 as for a partnership that does not exist. A member who
lacks one capability gets a 403 with a clear message instead.
Instance administrators (superusers) hold every capability.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any, Protocol

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from commonground.partnerships.models import Partnership

# Role groups used by the apps' rules.
MANAGERS = frozenset({"convener", "manager"})
ALL_ROLES = frozenset(
    {
        "convener",
        "manager",
        "representative",
        "sponsor",
        "champion",
        "wg_member",
        "facilitator",
        "record_keeper",
        "observer",
        "translator",
    }
)
# People who do the partnership's work (everyone except sponsors and observers,
# who follow progress but do not act on the partnership's behalf).
PARTICIPANTS = ALL_ROLES - {"sponsor", "observer"}
FACILITATORS = MANAGERS | {"facilitator"}
RECORD_KEEPERS = MANAGERS | {"record_keeper", "facilitator"}


@dataclass(frozen=True)
class Capability:
    code: str
    label: str | Promise
    roles: frozenset[str]
    # A capability that only reads: the one kind an ended partnership still grants.
    reads: bool = False


_REGISTRY: dict[str, Capability] = {}


def register(
    code: str, label: str | Promise, roles: Iterable[str], *, reads: bool | None = None
) -> str:
    """Declare a capability and the roles that hold it. Returns the code.

    ``reads``: the capability only reads (by default, a code ending in ``.view``). An
    ended partnership is read-only: it grants only reading capabilities."""
    roles = frozenset(roles)
    if reads is None:
        reads = code.endswith(".view")
    unknown = roles - ALL_ROLES
    if unknown:
        raise ValueError(f"unknown roles for {code}: {sorted(unknown)}")
    existing = _REGISTRY.get(code)
    if existing is not None and existing.roles != roles:
        raise ValueError(f"capability {code} registered twice with different roles")
    _REGISTRY[code] = Capability(code=code, label=label, roles=roles, reads=reads)
    return code


def capability(code: str) -> Capability:
    try:
        return _REGISTRY[code]
    except KeyError:
        raise LookupError(f"capability {code!r} is not registered") from None


def all_capabilities() -> list[Capability]:
    return sorted(_REGISTRY.values(), key=lambda c: c.code)


def roles_holding(code: str) -> frozenset[str]:
    return capability(code).roles


# --- who holds which roles ------------------------------------------------------
# The lookups read the partnerships app's roles; it hands them over in its
# ``AppConfig.ready`` (``partnerships/roles.py``), so this module imports no app.


class RoleLookups(Protocol):
    def role_kinds(self, user: Any, partnership: Partnership) -> frozenset[str]: ...

    def partnerships_where(
        self, user: Any, kinds: Collection[str] | None
    ) -> QuerySet[Partnership]: ...

    def partnership_by_slug(self, slug: str) -> Partnership | None: ...


_lookups: list[RoleLookups] = []


def use_role_lookups(lookups: RoleLookups) -> None:
    _lookups[:] = [lookups]


def _roles() -> RoleLookups:
    if not _lookups:
        raise LookupError("no role lookups: the partnerships app is not installed")
    return _lookups[0]


_CACHE_ATTR = "_commonground_roles"


def roles_for(user: Any, partnership: Partnership) -> frozenset[str]:
    """The active role kinds the user holds in the partnership (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cache: dict[int, frozenset[str]] = user.__dict__.setdefault(_CACHE_ATTR, {})
    if partnership.pk not in cache:
        cache[partnership.pk] = _roles().role_kinds(user, partnership)
    return cache[partnership.pk]


def forget_roles(user: Any) -> None:
    """Drop the cached roles, after a service changed them."""
    user.__dict__.pop(_CACHE_ATTR, None)


def is_instance_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_superuser)


def is_member(user: Any, partnership: Partnership) -> bool:
    return is_instance_admin(user) or bool(roles_for(user, partnership))


def is_ended(partnership: Partnership) -> bool:
    """An ended partnership's workspace is read-only (for instance administrators too)."""
    return getattr(partnership, "status", "") == "ended"


def ended_message(partnership: Partnership) -> str:
    ended_on = getattr(partnership, "ended_on", None)
    if ended_on is None:
        return str(_("This partnership has ended; its workspace is read-only."))
    return str(
        _("This partnership ended on %(date)s; its workspace is read-only.")
        % {"date": date_format(ended_on, "DATE_FORMAT")}
    )


class PartnershipEnded(PermissionDenied):
    """A change asked of an ended (read-only) partnership."""

    def __init__(self, partnership: Partnership) -> None:
        super().__init__(ended_message(partnership))


def has_capability(user: Any, partnership: Partnership, code: str) -> bool:
    """Instance form: may ``user`` do ``code`` in ``partnership``?"""
    cap = capability(code)
    if not cap.reads and is_ended(partnership):
        return False
    if is_instance_admin(user):
        return True
    return bool(roles_for(user, partnership) & cap.roles)


def partnerships_with(user: Any, code: str) -> QuerySet[Partnership]:
    """Queryset form: every partnership in which ``user`` may do ``code``."""
    cap = capability(code)
    if not getattr(user, "is_authenticated", False):
        return _roles().partnerships_where(None, cap.roles)
    found = _roles().partnerships_where(user, None if is_instance_admin(user) else cap.roles)
    return found if cap.reads else found.exclude(status="ended")


def require(user: Any, partnership: Partnership, code: str) -> None:
    """Raise 404 for outsiders, 403 for members lacking the capability."""
    if has_capability(user, partnership, code):
        return
    if not is_member(user, partnership):
        raise Http404
    if is_ended(partnership):
        raise PartnershipEnded(partnership)
    raise PermissionDenied(
        _("Your role in this partnership does not allow this: %(what)s.")
        % {"what": capability(code).label}
    )


def partnership_or_404(user: Any, slug: str, code: str) -> Partnership:
    """Fetch a partnership by slug and check ``code``; outsiders cannot tell it exists."""
    partnership = _roles().partnership_by_slug(slug)
    if partnership is None:
        raise Http404
    require(user, partnership, code)
    return partnership


ViewFunc = Callable[..., HttpResponse]


def partnership_view(code: str) -> Callable[[ViewFunc], ViewFunc]:
    """Decorate a view taking ``slug``: it receives the checked partnership instead.

    The capability is kept on the view (``view.capability``) so the permission
    matrix test can list what every URL requires. An ended partnership refuses every
    request that is not a read (``PartnershipEnded``, a 403 with the reason).
    """

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            partnership = partnership_or_404(request.user, slug, code)
            if is_ended(partnership) and request.method not in ("GET", "HEAD", "OPTIONS"):
                # Read-only, whatever the capability: following a thread or reacting
                # changes the workspace as much as editing does.
                raise PartnershipEnded(partnership)
            request.partnership = partnership  # type: ignore[attr-defined]
            return view(request, partnership, *args, **kwargs)

        wrapped.capability = code  # type: ignore[attr-defined]
        return wrapped

    return decorator
