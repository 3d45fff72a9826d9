from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.core import policy
from commonground.core.http import AuthedRequest
from commonground.core.pagination import paginate
from commonground.core.policy import partnership_view
from commonground.core.views_helpers import (
    apply_service_errors,
    flash_error,
    form_page,
    handle_form,
    post_action,
)
from commonground.partnerships.models import Partnership

from . import calendar, rules, selectors, series, services
from .forms import (
    ApproveForm,
    AssessmentForm,
    ItemForm,
    MeetingForm,
    MotionForm,
    NotesForm,
    SeriesForm,
    SettingsForm,
    TaskForm,
)
from .models import (
    AgendaItem,
    AttendanceStatus,
    CalendarFeedToken,
    ItemStatus,
    Meeting,
    MeetingSeries,
    MeetingSettings,
    MinutesStatus,
)


@partnership_view(rules.VIEW)
def meeting_list(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    now = timezone.now()
    base = selectors.meetings_of(partnership)
    upcoming = list(base.filter(ends_at__gte=now).order_by("starts_at", "id")[:20])
    for m in upcoming:
        m.partnership = partnership  # for its link, without a join to read it again
    # Meetings end after they start, so a past meeting also started before now; saying
    # so lets the database walk the (partnership, starts_at, ends_at) index newest first.
    past = base.filter(starts_at__lt=now, ends_at__lt=now).order_by("-starts_at", "-id")
    page = paginate(request, past)
    trend = selectors.attendance_trend(partnership)
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "upcoming": upcoming,
            "page": page,
            "trend": trend,
            "series_list": series.series_of(partnership),
            "can_manage": policy.has_capability(request.user, partnership, rules.MANAGE),
            "can_settings": policy.has_capability(request.user, partnership, rules.SETTINGS),
        },
    )


@partnership_view(rules.MANAGE)
def meeting_create(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    form = MeetingForm(request.POST or None, partnership=partnership)
    return form_page(
        request,
        form,
        lambda data: services.meeting_create(actor=request.user, partnership=partnership, **data),
        "meetings/meeting_form.html",
        success_message=_("Meeting planned with the standard agenda."),
    )


@partnership_view(rules.MANAGE)
def meeting_edit(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk, partnership=partnership)
    form = MeetingForm(request.POST or None, instance=meeting, partnership=partnership)

    def save(data: dict[str, Any]) -> Meeting:
        # The form has copied the new values onto the instance; reload for a clean diff.
        fresh = Meeting.objects.select_related("partnership").get(pk=meeting.pk)
        return services.meeting_update(actor=request.user, meeting=fresh, **data)

    if done := handle_form(request, form, save, success_message=_("Saved.")):
        return done
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "meeting": meeting},
        status=400 if form.errors else 200,
    )


def _detail(
    request: HttpRequest, partnership: Partnership, pk: int, status: int = 200, **forms: Any
) -> HttpResponse:
    meeting, attendance, quorum = selectors.meeting_page(partnership, pk)
    user = request.user
    can = {
        "manage": rules.can_chair(user, meeting),
        "record": policy.has_capability(user, partnership, rules.RECORD),
        "propose": policy.has_capability(user, partnership, rules.PROPOSE_ITEM),
    }
    # Cancelling one meeting of a series belongs to those who plan meetings, not the chair.
    can["cancel"] = bool(
        meeting.series_id
        and meeting.is_upcoming
        and policy.has_capability(user, partnership, rules.MANAGE)
    )
    items = list(meeting.items.all())
    agenda = [i for i in items if i.status == ItemStatus.ACCEPTED]
    proposed = [i for i in items if i.status == ItemStatus.PROPOSED]
    deferred = [i for i in items if i.status == ItemStatus.DEFERRED]
    assessments = list(meeting.assessments.all())
    editable = meeting.minutes_status == MinutesStatus.DRAFT
    my_attendance = next((a for a in attendance if a.user_id == user.pk), None)
    mine = next((a for a in assessments if a.user_id == user.pk), None)
    context = {
        "meeting": meeting,
        "agenda": agenda,
        "proposed": proposed,
        "deferred": deferred,
        "attendance": attendance,
        "quorum": quorum,
        "assessments": assessments,
        "approved_here": list(meeting.approved_minutes.select_related("partnership")),
        "assessment_summary": _assessment_summary(assessments),
        "can": can,
        "minutes_editable": editable,
        "can_assess": can["propose"]
        and meeting.has_happened
        and my_attendance is not None
        and my_attendance.status == AttendanceStatus.PRESENT,
    }
    # Only the forms this person is shown are built (building one copies all its fields).
    if can["manage"] and editable:
        context["item_form"] = forms.get("item_form") or ItemForm()
    if can["propose"] and meeting.is_upcoming:
        context["propose_form"] = forms.get("propose_form") or ItemForm()
    if can["record"]:
        context["approve_form"] = forms.get("approve_form") or ApproveForm(
            meetings=selectors.later_meetings(meeting)
        )
    if context["can_assess"]:
        context["assessment_form"] = forms.get("assessment_form") or AssessmentForm(instance=mine)
    return render(request, "meetings/meeting_detail.html", context, status=status)


def _assessment_summary(assessments: list[Any]) -> dict[str, Any] | None:
    if not assessments:
        return None
    n = len(assessments)
    return {
        "count": n,
        "usefulness": round(sum(a.usefulness for a in assessments) / n, 1),
        "run": round(sum(a.run for a in assessments) / n, 1),
    }


@partnership_view(rules.VIEW)
def meeting_detail(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    return _detail(request, partnership, pk)


def _require_chair(request: HttpRequest, meeting: Meeting) -> None:
    if not rules.can_chair(request.user, meeting):
        raise PermissionDenied(
            _("Only the chair or a facilitator of this meeting can change its agenda.")
        )


def _meeting(partnership: Partnership, pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("partnership", "working_group"),
        pk=pk,
        partnership=partnership,
    )


def _item(meeting: Meeting, item_pk: int) -> AgendaItem:
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting)
    item.meeting = meeting
    return item


@require_POST
@partnership_view(rules.VIEW)
def item_add(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    meeting = _meeting(partnership, pk)
    _require_chair(request, meeting)
    form = ItemForm(request.POST)
    return handle_form(
        request,
        form,
        lambda data: services.item_add(actor=request.user, meeting=meeting, **data),
        success_message=_("Item added to the agenda."),
        redirect_to=lambda _result: meeting.get_absolute_url() + "#agenda",
    ) or _detail(request, partnership, pk, status=400, item_form=form)


@require_POST
@partnership_view(rules.PROPOSE_ITEM)
def item_propose(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    meeting = _meeting(partnership, pk)
    form = ItemForm(request.POST)
    return handle_form(
        request,
        form,
        lambda data: services.item_propose(actor=request.user, meeting=meeting, **data),
        success_message=_("Thank you: the chair will accept or defer your item."),
        redirect_to=lambda _result: meeting.get_absolute_url() + "#proposed",
    ) or _detail(request, partnership, pk, status=400, propose_form=form)


@require_POST
@partnership_view(rules.VIEW)
def item_decide(
    request: AuthedRequest, partnership: Partnership, pk: int, item_pk: int
) -> HttpResponse:
    meeting = _meeting(partnership, pk)
    _require_chair(request, meeting)
    item = _item(meeting, item_pk)
    accept = request.POST.get("decision") == "accept"
    try:
        services.item_decide(actor=request.user, item=item, accept=accept)
    except ValidationError as exc:
        flash_error(request, exc)
    else:
        messages.success(
            request, _("Item accepted onto the agenda.") if accept else _("Item deferred.")
        )
    return redirect(meeting.get_absolute_url() + "#agenda")


@require_POST
@partnership_view(rules.VIEW)
def item_move(
    request: AuthedRequest, partnership: Partnership, pk: int, item_pk: int
) -> HttpResponse:
    meeting = _meeting(partnership, pk)
    _require_chair(request, meeting)
    item = _item(meeting, item_pk)
    try:
        services.item_move(
            actor=request.user, item=item, direction=request.POST.get("direction", "")
        )
    except ValidationError as exc:
        flash_error(request, exc)
    return redirect(meeting.get_absolute_url() + f"#item-{item.pk}")


def _item_page(
    request: HttpRequest, meeting: Meeting, item: AgendaItem, status: int = 200, **forms: Any
) -> HttpResponse:
    from commonground.actionplan.models import Action

    partnership = meeting.partnership
    return render(
        request,
        "meetings/item_minutes.html",
        {
            "meeting": meeting,
            "item": item,
            "motions": item.motions.select_related("proposed_by", "seconded_by", "decision"),
            "tasks": Action.objects.filter(agenda_item=item).select_related("owner"),
            "editable": meeting.minutes_status == MinutesStatus.DRAFT,
            "notes_form": forms.get("notes_form") or NotesForm(initial={"notes": item.notes}),
            "motion_form": forms.get("motion_form") or MotionForm(partnership=partnership),
            "task_form": forms.get("task_form") or TaskForm(partnership=partnership),
        },
        status=status,
    )


@partnership_view(rules.RECORD)
def item_notes(
    request: AuthedRequest, partnership: Partnership, pk: int, item_pk: int
) -> HttpResponse:
    meeting = _meeting(partnership, pk)
    item = _item(meeting, item_pk)
    if request.method != "POST":
        return _item_page(request, meeting, item)
    form = NotesForm(request.POST)
    return handle_form(
        request,
        form,
        lambda data: services.item_notes_set(actor=request.user, item=item, notes=data["notes"]),
        success_message=_("Minutes saved."),
        redirect_to=lambda _result: meeting.get_absolute_url() + f"#item-{item.pk}",
    ) or _item_page(request, meeting, item, status=400, notes_form=form)


@require_POST
@partnership_view(rules.RECORD)
def motion_add(
    request: AuthedRequest, partnership: Partnership, pk: int, item_pk: int
) -> HttpResponse:
    meeting = _meeting(partnership, pk)
    item = _item(meeting, item_pk)
    form = MotionForm(request.POST, partnership=partnership)
    # Seconded-by-the-proposer and count rules live in the service, so the API gets them too.
    if form.is_valid() or set(form.errors) <= {"__all__"}:
        data = form.cleaned_data
        try:
            motion = services.motion_record(
                actor=request.user,
                item=item,
                text=data.get("text", ""),
                proposed_by=data.get("proposed_by"),
                seconded_by=data.get("seconded_by"),
                result=data.get("result", ""),
                votes_for=data.get("votes_for") or 0,
                votes_against=data.get("votes_against") or 0,
                abstentions=data.get("abstentions") or 0,
            )
        except ValidationError as exc:
            form.errors.pop("__all__", None)
            apply_service_errors(form, exc)
        else:
            if motion.decision_id:
                messages.success(request, _("Motion minuted and entered in the decision register."))
            else:
                messages.success(request, _("Motion minuted as not adopted."))
            return redirect("meetings:item_notes", slug=partnership.slug, pk=pk, item_pk=item.pk)
    return _item_page(request, meeting, item, status=400, motion_form=form)


@require_POST
@partnership_view(rules.RECORD)
def task_add(
    request: AuthedRequest, partnership: Partnership, pk: int, item_pk: int
) -> HttpResponse:
    meeting = _meeting(partnership, pk)
    item = _item(meeting, item_pk)
    form = TaskForm(request.POST, partnership=partnership)
    return handle_form(
        request,
        form,
        lambda data: services.task_record(actor=request.user, item=item, **data),
        success_message=_("Task added to the action plan."),
        redirect_to=lambda _result: reverse(
            "meetings:item_notes", kwargs={"slug": partnership.slug, "pk": pk, "item_pk": item.pk}
        ),
    ) or _item_page(request, meeting, item, status=400, task_form=form)


@partnership_view(rules.RECORD)
def attendance(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    meeting = _meeting(partnership, pk)
    people = selectors.roster(meeting)
    current = {a.user_id: a.status for a in meeting.attendance.all()}
    if request.method == "POST":
        marks = {p: request.POST.get(f"person-{p.pk}", "") for p in people}
        try:
            services.attendance_set(actor=request.user, meeting=meeting, marks=marks)
        except ValidationError as exc:
            flash_error(request, exc)
        else:
            messages.success(request, _("Attendance saved."))
            return redirect(meeting.get_absolute_url() + "#attendance")
        current = {p.pk: marks[p] for p in people}
    rows = [{"person": p, "status": current.get(p.pk, "")} for p in people]
    return render(
        request,
        "meetings/attendance_form.html",
        {"meeting": meeting, "rows": rows, "choices": AttendanceStatus.choices},
    )


@require_POST
@partnership_view(rules.RECORD)
def minutes_state(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    meeting = _meeting(partnership, pk)
    step = request.POST.get("step")
    try:
        if step == "circulate":
            services.minutes_circulate(actor=request.user, meeting=meeting)
            messages.success(request, _("Minutes circulated for approval at the next meeting."))
        elif step == "reopen":
            services.minutes_reopen(actor=request.user, meeting=meeting)
            messages.success(request, _("Minutes back to draft."))
        elif step == "approve":
            form = ApproveForm(request.POST, meetings=selectors.later_meetings(meeting))
            if not form.is_valid():
                if not meeting.has_happened:
                    raise ValidationError(
                        _("This meeting has not happened yet; its minutes cannot be approved.")
                    )
                raise ValidationError(_("Choose the later meeting at which they were approved."))
            services.minutes_approve(
                actor=request.user, meeting=meeting, at_meeting=form.cleaned_data["at_meeting"]
            )
            messages.success(request, _("Minutes approved."))
        else:
            raise ValidationError(_("Unknown step."))
    except ValidationError as exc:
        flash_error(request, exc)
    return redirect(meeting.get_absolute_url() + "#minutes")


@require_POST
@partnership_view(rules.PROPOSE_ITEM)
def assess(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    meeting = _meeting(partnership, pk)
    form = AssessmentForm(request.POST)
    if form.is_valid():
        return post_action(
            request,
            lambda: services.assessment_submit(
                actor=request.user, meeting=meeting, **form.cleaned_data
            ),
            success_message=_("Thank you for your assessment."),
            redirect_to=lambda: meeting.get_absolute_url() + "#assessment",
        )
    return _detail(request, partnership, pk, status=400, assessment_form=form)


def _pdf(
    request: HttpRequest, template: str, context: dict[str, Any], filename: str
) -> HttpResponse:
    from commonground.core.pdf import render_pdf

    pdf = render_pdf(render_to_string(template, context, request=request))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _print_context(partnership: Partnership, pk: int) -> dict[str, Any]:
    meeting = selectors.meeting_for_page(partnership, pk)
    attendance = selectors.attendees(meeting)
    return {
        "meeting": meeting,
        "agenda": [i for i in meeting.items.all() if i.status == ItemStatus.ACCEPTED],
        "attendance": attendance,
        "quorum": selectors.quorum(meeting, attendance),
    }


@partnership_view(rules.VIEW)
def agenda_pdf(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    ctx = _print_context(partnership, pk)
    return _pdf(request, "meetings/print/agenda.html", ctx, f"agenda-{pk}.pdf")


@partnership_view(rules.VIEW)
def minutes_pdf(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    ctx = _print_context(partnership, pk)
    return _pdf(request, "meetings/print/minutes.html", ctx, f"minutes-{pk}.pdf")


@partnership_view(rules.VIEW)
def meeting_ics(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    meeting = get_object_or_404(
        Meeting.objects.select_related("partnership", "working_group").prefetch_related("items"),
        pk=pk,
        partnership=partnership,
    )
    response = HttpResponse(
        calendar.meeting_ics(meeting, calendar.base_url(request)),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{pk}.ics"'
    return response


@partnership_view(rules.VIEW)
def calendar_feed_page(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    raw = None
    if request.method == "POST":
        raw = services.feed_token_reset(actor=request.user)
        messages.success(request, _("A new calendar link is ready. Older links stop working."))
    feed_url = None
    if raw:
        from django.urls import reverse

        feed_url = request.build_absolute_uri(
            reverse("meetings_global:feed", kwargs={"token": raw, "slug": partnership.slug})
        )
    has_token = CalendarFeedToken.objects.filter(user_id=request.user.pk or 0).exists()
    return render(
        request,
        "meetings/calendar_feed.html",
        {"feed_url": feed_url, "has_token": has_token},
    )


@partnership_view(rules.SETTINGS)
def settings_edit(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    instance = MeetingSettings.objects.filter(partnership=partnership).first() or MeetingSettings(
        partnership=partnership
    )
    form = SettingsForm(request.POST or None, instance=instance)
    return form_page(
        request,
        form,
        lambda data: services.settings_set(
            actor=request.user,
            partnership=partnership,
            quorum_fraction=data["quorum_fraction"],
        ),
        "meetings/settings_form.html",
        success_message=_("Saved."),
        redirect_to=reverse("meetings:list", kwargs={"slug": partnership.slug}),
    )


# --- meeting series ---------------------------------------------------------------------


def _series(partnership: Partnership, series_pk: int) -> MeetingSeries:
    found = get_object_or_404(
        MeetingSeries.objects.select_related("working_group", "chair"),
        pk=series_pk,
        partnership=partnership,
    )
    found.partnership = partnership
    return found


@partnership_view(rules.MANAGE)
def series_create(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    suggested = series.suggested_cadence(partnership)
    form = SeriesForm(request.POST or None, partnership=partnership, suggested=suggested)
    done = handle_form(
        request,
        form,
        lambda data: series.series_create(actor=request.user, partnership=partnership, **data),
        success_message=lambda made: (
            _("Series planned: %(n)s meetings up to %(date)s.")
            % {
                "n": made.meetings.count(),
                "date": date_format(timezone.localtime(made.planned_until), "DATE_FORMAT"),
            }
        ),
    )
    if done:
        return done
    advice = [
        {"text": series.CADENCE_ADVICE[key], "current": key == suggested["key"]}
        for key in ("forming", "later", "group")
    ]
    return render(
        request,
        "meetings/series_form.html",
        {"form": form, "advice": advice, "horizon_months": series.HORIZON_MONTHS},
        status=400 if form.errors else 200,
    )


@partnership_view(rules.VIEW)
def series_detail(request: AuthedRequest, partnership: Partnership, series_pk: int) -> HttpResponse:
    one = _series(partnership, series_pk)
    meetings = list(
        Meeting.objects.filter(series=one).select_related("working_group").order_by("starts_at")
    )
    now = timezone.now()
    gone = series.cancelled_occurrences(one, {m.occurrence_start for m in meetings})  # type: ignore[misc]
    return render(
        request,
        "meetings/series_detail.html",
        {
            "series": one,
            "upcoming": [m for m in meetings if m.ends_at >= now],
            "past": [m for m in meetings if m.ends_at < now][::-1],
            "cancelled": gone,
            "can_manage": policy.has_capability(request.user, partnership, rules.MANAGE),
            "horizon_months": series.HORIZON_MONTHS,
        },
    )


@require_POST
@partnership_view(rules.MANAGE)
def series_end(request: AuthedRequest, partnership: Partnership, series_pk: int) -> HttpResponse:
    one = _series(partnership, series_pk)
    try:
        counts = series.series_end(actor=request.user, series=one)
    except ValidationError as exc:
        flash_error(request, exc)
    else:
        messages.success(
            request,
            _(
                "Series ended: %(removed)s coming meetings with nothing on them removed, "
                "%(kept)s kept as meetings of their own."
            )
            % counts,
        )
    return redirect(one)


@partnership_view(rules.VIEW)
def series_ics(request: AuthedRequest, partnership: Partnership, series_pk: int) -> HttpResponse:
    one = _series(partnership, series_pk)
    meetings = (
        Meeting.objects.filter(series=one).select_related("working_group").prefetch_related("items")
    )
    response = HttpResponse(
        calendar.series_ics(one, meetings, calendar.base_url(request)),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-series-{one.pk}.ics"'
    return response


@require_POST
@partnership_view(rules.MANAGE)
def occurrence_cancel(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    meeting = get_object_or_404(
        Meeting.objects.select_related("series"), pk=pk, partnership=partnership
    )
    meeting.partnership = partnership
    of = meeting.series
    if of is not None:
        of.partnership = partnership
    return post_action(
        request,
        lambda: series.occurrence_cancel(actor=request.user, meeting=meeting),
        success_message=_("This meeting of the series is cancelled; the series goes on."),
        # to the series once the meeting is gone, else back to the meeting
        redirect_to=lambda: of if meeting.pk is None else meeting,
    )


# --- the calendar feed (no session: the secret in the URL stands in for sign-in) --------


def feed_body(partnership: Partnership, base: str) -> Iterator[bytes]:
    """A partnership's calendar feed, meetings read 500 at a time (items prefetched per
    batch); each series once, with its meetings (see ``calendar.series_events``)."""
    meetings = (
        Meeting.objects.filter(partnership=partnership, series__isnull=True)
        .select_related("partnership", "working_group")
        .prefetch_related("items")
        .order_by("starts_at")
    )
    return calendar.feed_chunks(
        partnership.name,
        meetings.iterator(chunk_size=500),
        base,
        series=series.series_with_meetings(partnership),
    )


@login_not_required
def feed(request: HttpRequest, token: str, slug: str) -> StreamingHttpResponse:
    from commonground.accounts.models import hash_secret

    row = (
        CalendarFeedToken.objects.select_related("user")
        .filter(token_hash=hash_secret(token))
        .first()
    )
    if row is None or not row.user.is_active:
        raise Http404
    partnership = Partnership.objects.filter(slug=slug).first()
    if partnership is None or not policy.has_capability(row.user, partnership, rules.VIEW):
        raise Http404
    CalendarFeedToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
    return StreamingHttpResponse(
        feed_body(partnership, calendar.base_url(request)),
        content_type="text/calendar; charset=utf-8",
    )


feed.capability = "public"  # type: ignore[attr-defined]
