from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from commonground.core import hooks
from commonground.core.htmx import render_page
from commonground.core.http import AuthedRequest
from commonground.core.pagination import paginate, querystring_without_page

from . import picker, rules, services
from .forms import OrganisationForm, OrganisationSearchForm
from .models import Organisation
from .selectors import organisation_search

DIRECTORY_COUNT_CAP = 1000  # matches counted on a search page ("more than 1000" above)


def organisation_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = organisation_search(
        text=data.get("q", ""), sector=data.get("sector", ""), tag=request.GET.get("tag", "")
    )
    page = paginate(request, qs, cap=DIRECTORY_COUNT_CAP)
    return render_page(
        request,
        "organisations/organisation_list.html",
        {"form": form, "page": page, "qs": querystring_without_page(request)},
        partial="results",
    )


def organisation_pick(request: HttpRequest) -> HttpResponse:
    """Matches for the organisation picker: the list under the box (htmx), or a
    search-and-choose page of its own that returns the choice to ``next``."""
    field = request.GET.get("field", "organisation")
    if not field.isidentifier():
        field = "organisation"
    text = " ".join(request.GET.get(field, "")[:200].split())
    next_url = request.GET.get("next", "")
    if not (
        next_url.startswith("/")
        and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        next_url = ""
    found = picker.with_fill_values(picker.matches(text)) if text else []
    return render_page(
        request,
        "organisations/pick.html",
        {"field": field, "text": text, "next": next_url, "found": found},
        partial="matches",
    )


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(
        Organisation.objects.prefetch_related("offers", "needs"), slug=slug
    )
    partnerships = hooks.call(
        hooks.ORGANISATION_PARTNERSHIPS, user=request.user, organisation=organisation
    )
    return render(
        request,
        "organisations/organisation_detail.html",
        {
            "organisation": organisation,
            "partnerships": partnerships,
            "can_edit": rules.can_edit(request.user, organisation),
        },
    )


def organisation_create(request: AuthedRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.organisation_save(
            actor=request.user,
            organisation=form.save(commit=False),
            offers=form.cleaned_data["offers"],
            needs=form.cleaned_data["needs"],
        )
        messages.success(request, _("%(name)s is in the directory.") % {"name": organisation.name})
        return redirect(organisation)
    return render(request, "organisations/organisation_form.html", {"form": form})


def organisation_edit(request: AuthedRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not rules.can_edit(request.user, organisation):
        raise PermissionDenied(
            _("Only people from this organisation, or who added it, may edit it.")
        )
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.organisation_save(
            actor=request.user,
            organisation=form.save(commit=False),
            offers=form.cleaned_data["offers"],
            needs=form.cleaned_data["needs"],
        )
        messages.success(request, _("Saved."))
        return redirect(organisation)
    return render(
        request,
        "organisations/organisation_form.html",
        {"form": form, "organisation": organisation},
    )
