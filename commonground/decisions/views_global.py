"""Pages that span partnerships: a person's notifications and email preference."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.core.http import AuthedRequest
from commonground.core.pagination import paginate

from .forms import PreferenceForm
from .models import Notification, NotificationPreference


def notification_list(request: AuthedRequest) -> HttpResponse:
    qs = Notification.objects.filter(user=request.user).select_related("partnership")
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return render(
        request,
        "decisions/notification_list.html",
        {
            "page": paginate(request, qs),
            "unread_only": unread_only,
            "unread": Notification.objects.filter(user=request.user, read_at__isnull=True).count(),
            "qs": "unread=1" if unread_only else "",
        },
    )


@require_POST
def notification_open(request: AuthedRequest, pk: int) -> HttpResponse:
    """Mark one notification read and follow its link."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}
    ):
        return redirect(notification.url)
    return redirect("decisions_global:notifications")


@require_POST
def notification_read_all(request: AuthedRequest) -> HttpResponse:
    n = Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    messages.success(request, _("%(n)s notifications marked as read.") % {"n": n})
    return redirect("decisions_global:notifications")


def preferences(request: AuthedRequest) -> HttpResponse:
    pref, _created = NotificationPreference.objects.get_or_create(user=request.user)
    form = PreferenceForm(request.POST or None, instance=pref)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your email preference is saved."))
        return redirect("decisions_global:notifications")
    return render(request, "decisions/preferences.html", {"form": form})
