"""State changes of the activity atlas."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from commonground.core import hooks
from commonground.core.audit import audit_record, snapshot
from commonground.core.i18n import Msg
from commonground.organisations.models import Organisation
from commonground.partnerships.models import MembershipStatus

from . import geo
from .models import Activity, ConversationSuggestion, Theme

if TYPE_CHECKING:
    from commonground.accounts.models import User
    from commonground.partnerships.models import Partnership

AUDITED = [
    "title",
    "status",
    "tier",
    "facilitated_by_secretariat",
    "starts_on",
    "ends_on",
    "latitude",
    "longitude",
    "is_public",
]


def _locate(activity: Activity, latitude: Any, longitude: Any, area: Any) -> None:
    has_point = latitude not in (None, "") or longitude not in (None, "")
    if has_point:
        if latitude in (None, "") or longitude in (None, ""):
            raise ValidationError(_("Give both latitude and longitude, or neither."))
        activity.latitude, activity.longitude = geo.check_point(latitude, longitude)
    else:
        activity.latitude = activity.longitude = None
    boxes: list[geo.BBox] = []
    if area not in (None, "", {}):
        activity.area, box = geo.parse_area(area)
        boxes.append(box)
    else:
        activity.area = None
    if activity.latitude is not None and activity.longitude is not None:
        boxes.append((activity.latitude, activity.longitude, activity.latitude, activity.longitude))
    if boxes:
        activity.min_lat = min(b[0] for b in boxes)
        activity.min_lon = min(b[1] for b in boxes)
        activity.max_lat = max(b[2] for b in boxes)
        activity.max_lon = max(b[3] for b in boxes)
    else:
        activity.min_lat = activity.min_lon = activity.max_lat = activity.max_lon = None


def _check_period(starts_on: datetime.date | None, ends_on: datetime.date | None) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError(_("The end date is before the start date."))


def _check_orgs(partnership: Partnership, organisations: Any) -> list[Any]:
    orgs = list(organisations)
    if not orgs:
        raise ValidationError(_("Name at least one organisation."))
    member_ids = set(partnership.memberships.values_list("organisation_id", flat=True))
    if any(o.pk not in member_ids for o in orgs):
        raise ValidationError(_("Only member organisations of the partnership can be named."))
    return orgs


def _check_indicators(partnership: Partnership, indicators: Any) -> list[Any]:
    """The indicators, each of ``partnership`` (an activity is measured by its own)."""
    from commonground.results.models import Indicator

    ids = {getattr(i, "pk", i) for i in indicators or ()}
    found = list(Indicator.objects.filter(partnership=partnership, pk__in=ids))
    if len(found) != len(ids):
        raise ValidationError({"indicators": [_("Choose indicators of this partnership only.")]})
    return found


def partner_places(partnership: Partnership) -> QuerySet[Organisation]:
    """The active member organisations of ``partnership`` whose place has coordinates: the
    addresses an activity may be put at (``at_organisation``)."""
    return Organisation.objects.filter(
        memberships__partnership=partnership,
        memberships__status=MembershipStatus.ACTIVE,
        latitude__isnull=False,
        longitude__isnull=False,
    ).order_by("name", "id")


def _at_partner(
    partnership: Partnership, at_organisation: Any, latitude: Any, longitude: Any, place_name: str
) -> tuple[Any, Any, str]:
    """The point and place name of an activity put at a member organisation's address.

    ``at_organisation`` (an organisation or its id) must be one of ``partner_places``;
    coordinates typed as well must be that address's (as the map picker fills them in)."""
    try:
        pk = int(getattr(at_organisation, "pk", at_organisation))
    except (TypeError, ValueError):
        pk = None
    org = partner_places(partnership).filter(pk=pk).first() if pk is not None else None
    if org is None:
        raise ValidationError(
            {
                "at_organisation": _(
                    "Choose the address of one of this partnership’s member organisations."
                )
            }
        )
    assert org.latitude is not None and org.longitude is not None
    if latitude not in (None, "") or longitude not in (None, ""):
        try:
            typed: tuple[Any, Any] | None = geo.check_point(latitude, longitude)
        except ValidationError:
            typed = None
        if typed != geo.check_point(org.latitude, org.longitude):
            raise ValidationError(
                _("You chose the address of %(org)s and typed other coordinates: keep one of them.")
                % {"org": org.name}
            )
    return org.latitude, org.longitude, place_name or org.place_name or org.name


def _themes(partnership: Partnership, themes: Any, custom_themes: str) -> list[Theme]:
    result = list(themes)
    for name in [n.strip() for n in (custom_themes or "").split(",") if n.strip()]:
        slug = slugify(name)[:60]
        if not slug:
            continue
        theme, _created = Theme.objects.get_or_create(
            partnership=partnership, slug=slug, defaults={"name": name[:80]}
        )
        result.append(theme)
    if not result:
        raise ValidationError(_("Choose at least one theme."))
    return result


@transaction.atomic
def activity_create(
    *,
    actor: User,
    partnership: Partnership,
    title: str,
    organisations: Any,
    themes: Any = (),
    custom_themes: str = "",
    latitude: Any = None,
    longitude: Any = None,
    area: Any = None,
    at_organisation: Any = None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    indicators: Any = (),
    **fields: Any,
) -> Activity:
    """Add an activity. ``at_organisation`` (a member organisation or its id) puts it at
    that organisation's address. Without a point or an area it is saved but not on the map
    (``Activity.has_location`` is false)."""
    _check_period(starts_on, ends_on)
    orgs = _check_orgs(partnership, organisations)
    indicator_list = _check_indicators(partnership, indicators)
    if at_organisation not in (None, ""):
        latitude, longitude, fields["place_name"] = _at_partner(
            partnership, at_organisation, latitude, longitude, fields.get("place_name", "")
        )
    activity = Activity(
        partnership=partnership,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **fields,
    )
    _locate(activity, latitude, longitude, area)
    theme_list = _themes(partnership, themes, custom_themes)
    activity.full_clean(exclude=["organisations", "themes"])
    activity.save()
    activity.organisations.set(orgs)
    activity.themes.set(theme_list)
    activity.indicators.set(indicator_list)
    audit_record(
        actor=actor,
        verb="atlas.activity_create",
        summary=Msg(gettext_noop("Activity added to the map: %(title)s"), title=title),
        partnership=partnership,
        target=activity,
        after=snapshot(activity, AUDITED),
    )
    return activity


@transaction.atomic
def activity_update(
    *,
    actor: User,
    activity: Activity,
    organisations: Any,
    themes: Any = (),
    custom_themes: str = "",
    latitude: Any = None,
    longitude: Any = None,
    area: Any = None,
    at_organisation: Any = None,
    indicators: Any = None,
    **fields: Any,
) -> Activity:
    """Change an activity (``at_organisation`` as for ``activity_create``; ``indicators``
    None leaves them as they are)."""
    before = snapshot(Activity.objects.get(pk=activity.pk), AUDITED)
    _check_period(fields.get("starts_on"), fields.get("ends_on"))
    orgs = _check_orgs(activity.partnership, organisations)
    indicator_list = (
        None if indicators is None else _check_indicators(activity.partnership, indicators)
    )
    if at_organisation not in (None, ""):
        latitude, longitude, fields["place_name"] = _at_partner(
            activity.partnership,
            at_organisation,
            latitude,
            longitude,
            fields.get("place_name", activity.place_name),
        )
    for name, value in fields.items():
        setattr(activity, name, value)
    _locate(activity, latitude, longitude, area)
    theme_list = _themes(activity.partnership, themes, custom_themes)
    activity.full_clean(exclude=["organisations", "themes"])
    activity.save()
    activity.organisations.set(orgs)
    activity.themes.set(theme_list)
    if indicator_list is not None:
        activity.indicators.set(indicator_list)
    audit_record(
        actor=actor,
        verb="atlas.activity_update",
        summary=Msg(gettext_noop("Activity changed: %(title)s"), title=activity.title),
        partnership=activity.partnership,
        target=activity,
        before=before,
        after=snapshot(activity, AUDITED),
    )
    return activity


@transaction.atomic
def conversation_suggest(
    *, actor: User, partnership: Partnership, first: Activity, second: Activity, note: str = ""
) -> ConversationSuggestion:
    if first.pk == second.pk:
        raise ValidationError(_("Pick two different activities."))
    if first.partnership_id != partnership.pk and second.partnership_id != partnership.pk:
        raise ValidationError(_("At least one of the activities must belong to this partnership."))
    suggestion = ConversationSuggestion.objects.create(
        partnership=partnership, first=first, second=second, note=note, suggested_by=actor
    )
    audit_record(
        actor=actor,
        verb="atlas.conversation_suggest",
        summary=Msg(
            gettext_noop("Conversation suggested between %(a)s and %(b)s"),
            a=first.title,
            b=second.title,
        ),
        partnership=partnership,
        target=suggestion,
    )
    return suggestion


def _other_activity(partnership: Partnership, suggestion: ConversationSuggestion) -> Activity:
    """The activity on the far side: the one outside this partnership, else the second."""
    if suggestion.first.partnership_id != partnership.pk:
        return suggestion.first
    return suggestion.second


@transaction.atomic
def conversation_follow_up(
    *, actor: User, partnership: Partnership, suggestion: ConversationSuggestion
) -> Any:
    """Turn a suggested conversation into work elsewhere.

    If an organisation of the other activity is not yet a member, it goes into the prospects
    pipeline (prospects services). If all its organisations are members already, a proposal
    "Talk about joining forces on X and Y" is opened (decisions services). Returns the prospect
    or the proposal.
    """
    import datetime as dt

    from django.utils import timezone

    from commonground.core import policy
    from commonground.partnerships.models import Membership

    if suggestion.partnership_id != partnership.pk:
        raise ValidationError(_("This suggestion belongs to another partnership."))
    other = _other_activity(partnership, suggestion)
    mine = suggestion.second if other.pk == suggestion.first.pk else suggestion.first
    members = set(
        Membership.objects.filter(partnership=partnership, status="active").values_list(
            "organisation_id", flat=True
        )
    )
    outsiders = [o for o in other.organisations.order_by("name") if o.pk not in members]
    if outsiders:
        from commonground.prospects import rules as prospect_rules
        from commonground.prospects import services as prospects
        from commonground.prospects.models import Prospect

        if not policy.has_capability(actor, partnership, prospect_rules.MANAGE):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        org = next(
            (
                o
                for o in outsiders
                if not Prospect.objects.filter(partnership=partnership, organisation=o).exists()
            ),
            None,
        )
        if org is None:
            raise ValidationError(
                _("%(org)s is already in this partnership's pipeline.") % {"org": outsiders[0].name}
            )
        why = _(
            "Their activity “%(other)s” overlaps with our “%(mine)s” (suggested in the atlas)."
        ) % {"other": other.title, "mine": mine.title}
        if suggestion.note:
            why = f"{why}\n\n{suggestion.note}"
        result: Any = prospects.prospect_create(
            actor=actor, partnership=partnership, organisation=org, why_approach=why
        )
    else:
        details = _(
            "Suggested in the activity atlas: “%(a)s” and “%(b)s” overlap. "
            "Shall the organisations behind them meet to see what they can do together?"
        ) % {"a": suggestion.first.title, "b": suggestion.second.title}
        if suggestion.note:
            details = f"{details}\n\n{suggestion.note}"
        result = hooks.call(
            hooks.PROPOSAL_CREATE,
            actor=actor,
            partnership=partnership,
            title=_("Talk about joining forces on %(a)s and %(b)s")
            % {"a": suggestion.first.title, "b": suggestion.second.title},
            method="consent",
            closes_at=timezone.now() + dt.timedelta(days=7),
            details=details,
        )
    audit_record(
        actor=actor,
        verb="atlas.conversation_follow_up",
        summary=Msg(
            gettext_noop("Conversation between %(a)s and %(b)s followed up"),
            a=suggestion.first.title,
            b=suggestion.second.title,
        ),
        partnership=partnership,
        target=suggestion,
    )
    return result
