from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.core import policy
from commonground.core.http import AuthedRequest
from commonground.core.pagination import paginate, querystring_without_page
from commonground.core.policy import partnership_view
from commonground.core.views_helpers import flash_error, form_page
from commonground.partnerships.models import Partnership

from . import geo, rules, selectors, services
from .forms import ActivityFilterForm, ActivityForm, SuggestionForm
from .models import Activity


def _map_context(request: HttpRequest, partnerships: Any, geojson_url: str) -> dict[str, Any]:
    form = ActivityFilterForm(request.GET or None, partnerships=partnerships)
    qs = selectors.apply_filters(selectors.activity_list(partnerships), form.filters())
    qs_string = querystring_without_page(request)
    return {
        "filter_form": form,
        "page": paginate(request, qs),
        "qs": qs_string,
        "geojson_url": geojson_url + ("?" + qs_string if qs_string else ""),
        "alliance": False,  # the alliance view sets it; the list's template reads it
    }


def _geojson(request: HttpRequest, partnerships: Any, *, many: bool = False) -> JsonResponse:
    form = ActivityFilterForm(request.GET or None, partnerships=partnerships)
    try:
        box = geo.parse_bbox(request.GET.get("bbox"))
    except ValidationError as exc:
        return JsonResponse({"detail": exc.messages[0]}, status=400)
    qs = selectors.map_activities(partnerships, many=many and box is not None)
    qs = selectors.apply_filters(qs, form.filters())
    return JsonResponse(selectors.feature_collection(qs, box=box, cluster=True))


NOT_ON_MAP_SHOWN = 50


@partnership_view(rules.VIEW)
def activity_map(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    ctx = _map_context(
        request, [partnership], reverse("atlas:geojson", kwargs={"slug": partnership.slug})
    )
    ctx["can_add"] = policy.has_capability(request.user, partnership, rules.ADD)
    # "Not on the map yet": the activities (matching the filters) with no place, each
    # with a link to add one where the person may edit it.
    unmapped = selectors.not_on_map(
        selectors.apply_filters(
            Activity.objects.filter(partnership=partnership), ctx["filter_form"].filters()
        )
    )
    count = unmapped.count()
    shown = list(unmapped.only("title").order_by("title", "id")[:NOT_ON_MAP_SHOWN]) if count else []
    editable: set[int] = set()
    if shown and ctx["can_add"]:
        editable = set(
            rules.editable_activities(request.user, partnership, unmapped)
            .filter(pk__in=[a.pk for a in shown])
            .values_list("pk", flat=True)
        )
    ctx["not_on_map"] = count
    ctx["not_on_map_list"] = [(a, a.pk in editable) for a in shown]
    ctx["not_on_map_more"] = count - len(shown)
    return render(request, "atlas/map.html", ctx)


def _saved_message(request: HttpRequest, activity: Activity, saved: str) -> str:
    """What saving said: that the activity is on the map only when it is; without a
    place a warning (the activity is saved all the same)."""
    if activity.has_location:
        return saved
    messages.warning(
        request,
        _("Saved, but not on the map: “%(title)s” has no place. Edit it to add one.")
        % {"title": activity.title},
    )
    return ""


@partnership_view(rules.VIEW)
def geojson(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    return _geojson(request, [partnership])


@partnership_view(rules.VIEW)
def activity_detail(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    activity = get_object_or_404(
        Activity.objects.prefetch_related("organisations", "themes"),
        pk=pk,
        partnership=partnership,
    )
    overlaps = [
        o for o in selectors.overlaps_for([partnership]) if activity.pk in (o.first.pk, o.second.pk)
    ][:10]
    return render(
        request,
        "atlas/activity_detail.html",
        {
            "activity": activity,
            "overlaps": overlaps,
            "can_edit": rules.can_edit_activity(request.user, activity),
            "feature": selectors.feature_collection(
                Activity.objects.filter(pk=activity.pk)
                .prefetch_related("organisations", "themes")
                .select_related("partnership")
            ),
        },
    )


@partnership_view(rules.ADD)
def activity_create(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    form = ActivityForm(request.POST or None, partnership=partnership)
    return form_page(
        request,
        form,
        lambda data: services.activity_create(
            actor=request.user, partnership=partnership, **form.service_kwargs()
        ),
        "atlas/activity_form.html",
        success_message=lambda activity: _saved_message(
            request, activity, _("The activity is on the map.")
        ),
        redirect_to=lambda activity: reverse(
            "atlas:activity", kwargs={"slug": partnership.slug, "pk": activity.pk}
        ),
    )


@partnership_view(rules.ADD)
def activity_edit(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity, pk=pk, partnership=partnership)
    if not rules.can_edit_activity(request.user, activity):
        raise PermissionDenied(_("Only its organisations and the managers can edit this activity."))
    form = ActivityForm(request.POST or None, instance=activity, partnership=partnership)
    return form_page(
        request,
        form,
        lambda data: services.activity_update(
            actor=request.user, activity=activity, **form.service_kwargs()
        ),
        "atlas/activity_form.html",
        {"activity": activity},
        success_message=lambda activity: _saved_message(request, activity, _("Saved.")),
        redirect_to=lambda _result: reverse(
            "atlas:activity", kwargs={"slug": partnership.slug, "pk": activity.pk}
        ),
    )


@partnership_view(rules.VIEW)
def overlaps(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    near_only = request.GET.get("all") != "1"
    found = selectors.overlaps_for([partnership], near_only=near_only)
    return render(
        request,
        "atlas/overlaps.html",
        {
            "page": paginate(request, found),
            "qs": querystring_without_page(request),
            "near_only": near_only,
            "total": len(found),
            "suggestions": selectors.suggestions_for(partnership)[:20],
            "can_suggest": policy.has_capability(request.user, partnership, rules.SUGGEST),
            "can_follow_up": policy.has_capability(request.user, partnership, rules.FOLLOW_UP),
        },
    )


@require_POST
@partnership_view(rules.SUGGEST)
def suggest(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    form = SuggestionForm(request.POST)
    if form.is_valid():
        first = get_object_or_404(Activity, pk=form.cleaned_data["first"], partnership=partnership)
        second = get_object_or_404(
            Activity, pk=form.cleaned_data["second"], partnership=partnership
        )
        try:
            services.conversation_suggest(
                actor=request.user,
                partnership=partnership,
                first=first,
                second=second,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            flash_error(request, exc)
        else:
            messages.success(request, _("Conversation suggested. It is listed below."))
    else:
        messages.error(request, _("Pick two activities to suggest a conversation."))
    return redirect("atlas:overlaps", slug=partnership.slug)


@require_POST
@partnership_view(rules.FOLLOW_UP)
def suggestion_follow_up(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    from commonground.atlas.models import ConversationSuggestion

    suggestion = get_object_or_404(
        ConversationSuggestion.objects.select_related("first", "second"),
        pk=pk,
        partnership=partnership,
    )
    try:
        result = services.conversation_follow_up(
            actor=request.user, partnership=partnership, suggestion=suggestion
        )
    except ValidationError as exc:
        flash_error(request, exc)
        return redirect("atlas:overlaps", slug=partnership.slug)
    from commonground.prospects.models import Prospect

    if isinstance(result, Prospect):
        messages.success(
            request,
            _("%(org)s is now in the prospect pipeline.") % {"org": result.organisation.name},
        )
        return redirect("prospects:detail", slug=partnership.slug, pk=result.pk)
    messages.success(request, _("Proposal opened: members can now respond to it."))
    return redirect(result.get_absolute_url())


# --- alliance view (across every partnership the user may see) ----------------------------


@login_required
def alliance(request: HttpRequest) -> HttpResponse:
    partnerships = selectors.alliance_partnerships(request.user)
    ctx = _map_context(request, partnerships, reverse("atlas_global:geojson"))
    found = selectors.alliance_overlaps(partnerships)
    ctx.update(
        {
            "indicators": selectors.alliance_indicators(partnerships),
            "overlaps": found.overlaps[:15],
            "overlap_total": len(found.overlaps),
            "overlap_considered": found.considered,
            "overlap_limited": found.limited,
            "alliance": True,
        }
    )
    return render(request, "atlas/alliance.html", ctx)


@login_required
def alliance_geojson(request: HttpRequest) -> HttpResponse:
    return _geojson(request, selectors.alliance_partnerships(request.user), many=True)
