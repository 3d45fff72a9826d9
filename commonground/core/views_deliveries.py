"""Failed deliveries: emails the worker could not send, with a button to send again.

A partnership's managers see the emails sent for their partnership; instance
administrators see every one (reminders and digests belong to no single partnership).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from . import mail
from .audit import audit_record
from .i18n import Msg
from .models import Delivery, DeliveryStatus
from .pagination import paginate
from .policy import is_instance_admin, partnership_view

if TYPE_CHECKING:
    from commonground.partnerships.models import Partnership

MANAGE = "partnership.manage"


def _failed() -> QuerySet[Delivery]:
    return Delivery.objects.filter(
        status__in=[DeliveryStatus.RETRYING, DeliveryStatus.FAILED]
    ).select_related("partnership")


def _retry(request: HttpRequest, delivery: Delivery) -> None:
    mail.retry_now(delivery)
    audit_record(
        actor=request.user,
        partnership=delivery.partnership,
        verb="delivery.retry",
        target=delivery,
        summary=Msg(gettext_noop("Asked to send the email to %(to)s again"), to=delivery.to),
    )
    messages.success(request, _("The email to %(to)s will be sent again.") % {"to": delivery.to})


@partnership_view(MANAGE)
def partnership_deliveries(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    page = paginate(request, _failed().filter(partnership=partnership), 50)
    return render(request, "core/deliveries.html", {"page": page, "partnership": partnership})


@require_POST
@partnership_view(MANAGE)
def partnership_delivery_retry(
    request: HttpRequest, partnership: Partnership, pk: int
) -> HttpResponse:
    delivery = get_object_or_404(_failed(), pk=pk, partnership=partnership)
    _retry(request, delivery)
    return redirect("core:partnership_deliveries", slug=partnership.slug)


def _require_admin(request: HttpRequest) -> None:
    if not is_instance_admin(request.user):
        raise PermissionDenied


def all_deliveries(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    page = paginate(request, _failed(), 50)
    return render(request, "core/deliveries.html", {"page": page, "partnership": None})


@require_POST
def delivery_retry(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    _retry(request, get_object_or_404(_failed(), pk=pk))
    return redirect("core:deliveries")
