"""Reading the directory."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Organisation


def organisation_search(
    *, text: str = "", sector: str = "", tag: str = ""
) -> QuerySet[Organisation]:
    qs = Organisation.objects.all()
    text = text.strip()
    if text:
        qs = qs.filter(
            Q(name__icontains=text) | Q(place_name__icontains=text) | Q(mission__icontains=text)
        )
    if sector:
        qs = qs.filter(sector=sector)
    if tag:
        qs = qs.filter(Q(offers__slug=tag) | Q(needs__slug=tag)).distinct()
    return qs.order_by("name", "id")
