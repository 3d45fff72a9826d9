from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.core import policy
from commonground.core.http import AuthedRequest
from commonground.core.models import AuditEvent
from commonground.core.nav import panel_by_key, panel_title, panels_for
from commonground.core.pagination import paginate
from commonground.core.policy import partnership_view
from commonground.core.views_helpers import (
    apply_service_errors,
    form_page,
    form_status,
    handle_form,
    post_action,
)
from commonground.organisations import services as organisation_services
from commonground.organisations.models import Organisation
from commonground.organisations.picker import NewOrganisation, return_choices_to

from . import invitations, rules, selectors, services
from .forms import (
    ENDING_FORMS,
    InvitationForm,
    MembershipForm,
    PartnershipForm,
    RoleEditForm,
    RoleForm,
)
from .models import Membership, Partnership, Role, RoleKind


def partnership_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, rules.visible_partnerships(request.user).order_by("name", "id"))
    mine = set(policy.partnerships_with(request.user, rules.VIEW).values_list("pk", flat=True))
    return render(request, "partnerships/partnership_list.html", {"page": page, "mine": mine})


def partnership_create(request: AuthedRequest) -> HttpResponse:
    form = PartnershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("name", "purpose")}
        partnership = services.partnership_create(
            actor=request.user,
            name=form.cleaned_data["name"],
            purpose=form.cleaned_data["purpose"],
            **data,
        )
        messages.success(
            request, _("The partnership is created. Next: invite your first partners.")
        )
        return redirect(partnership)
    return render(request, "partnerships/partnership_form.html", {"form": form})


def partnership_home(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_object_or_404(Partnership, slug=slug)
    if not policy.has_capability(request.user, partnership, rules.VIEW):
        if rules.can_see_summary(request.user, partnership):
            return render(
                request, "partnerships/partnership_summary.html", {"summary": partnership}
            )
        raise Http404
    request.partnership = partnership  # type: ignore[attr-defined]
    shared = selectors.home_shared(partnership)
    return render(
        request,
        "partnerships/partnership_home.html",
        {
            "shared": shared,
            "my_roles": [
                label
                for kind, label in RoleKind.choices
                if kind in policy.roles_for(request.user, partnership)
            ],
            "role_table": selectors.role_capability_html(translation.get_language()),
            "panels": panels_for(request, partnership, shared),
            "can_manage": policy.has_capability(request.user, partnership, rules.MANAGE),
            "ending": selectors.ending_of(partnership) if partnership.is_ended else None,
        },
    )


partnership_home.capability = rules.VIEW  # type: ignore[attr-defined]


@partnership_view(rules.MANAGE)
def partnership_edit(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    form = PartnershipForm(request.POST or None, instance=partnership)
    if request.method == "POST" and form.is_valid():
        services.partnership_update(
            actor=request.user, partnership=partnership, **form.cleaned_data
        )
        messages.success(request, _("Saved."))
        return redirect(partnership)
    return render(request, "partnerships/partnership_form.html", {"form": form})


def _choice_labels(model: Any, field: str) -> dict[Any, str]:
    """A field's choices as ``get_<field>_display()`` words them, in the active language."""
    return {value: str(label) for value, label in model._meta.get_field(field).flatchoices}


def _organisation_menu(form: RoleForm) -> None:
    """The role form's organisation menu from (id, name) pairs: the options the field's
    queryset gives, without building an organisation for each."""
    field = form.fields["organisation"]
    empty = [] if field.empty_label is None else [("", field.empty_label)]  # type: ignore[attr-defined]
    field.widget.choices = [*empty, *field.queryset.values_list("pk", "name")]  # type: ignore[attr-defined]


def members_context(
    request: HttpRequest, partnership: Partnership, **forms_: Any
) -> dict[str, Any]:
    can_manage = policy.has_capability(request.user, partnership, rules.MANAGE)
    size = settings.COMMONGROUND_PAGE_SIZE
    # Both tables read plain values (no model instances): building the models cost
    # most of the page.
    members: Page[Any] = Paginator(
        selectors.members_of(partnership).values(
            "status",
            "joined_on",
            organisation_slug=F("organisation__slug"),
            organisation_name=F("organisation__name"),
            organisation_sector=F("organisation__sector"),
        ),
        size,
    ).get_page(request.GET.get("mpage"))
    statuses = _choice_labels(Membership, "status")
    sectors = _choice_labels(Organisation, "sector")
    member_rows: list[dict[str, Any]] = [dict(m) for m in members.object_list]
    for m in member_rows:
        m["status_display"] = statuses.get(m["status"], m["status"])
        m["sector_display"] = sectors.get(m["organisation_sector"], m["organisation_sector"])
    members.object_list = member_rows
    roles: Page[Any] = Paginator(
        selectors.active_roles(partnership).values(
            "pk",
            "kind",
            "is_signatory",
            "organisation_id",
            user_display_name=F("user__display_name"),
            user_email=F("user__email"),
            organisation_name=F("organisation__name"),
        ),
        size,
    ).get_page(request.GET.get("rpage"))
    kinds = _choice_labels(Role, "kind")
    # The people who translate between sectors, named above the table whatever its page.
    translators: list[dict[str, Any]] = [
        dict(t)
        for t in selectors.active_roles(partnership)
        .filter(kind=RoleKind.TRANSLATOR)
        .values(
            "user_id",
            user_display_name=F("user__display_name"),
            user_email=F("user__email"),
            organisation_name=F("organisation__name"),
            organisation_sector=F("organisation__sector"),
        )[:50]
    ]
    for t in translators:
        t["sector_display"] = sectors.get(t["organisation_sector"], "")
    role_rows: list[dict[str, Any]] = [dict(r) for r in roles.object_list]
    for r in role_rows:
        r["kind_display"] = kinds.get(r["kind"], r["kind"])
    roles.object_list = role_rows
    role_form = None
    if can_manage:
        role_form = forms_.get("role_form")
        if role_form is None:
            role_form = RoleForm(partnership=partnership)
        _organisation_menu(role_form)
    return {
        "members": members,
        "roles": roles,
        "membership_form": _membership_form(request, partnership, forms_.get("membership_form"))
        if can_manage
        else None,
        "role_form": role_form,
        "can_manage": can_manage,
        "translators": translators,
    }


def _membership_form(
    request: HttpRequest, partnership: Partnership, form: MembershipForm | None
) -> MembershipForm:
    """The add-a-member form; a choice made on the search-and-choose page comes back
    in the query string."""
    if form is None:
        form = MembershipForm(initial={"organisation": request.GET.get("organisation", "")[:200]})
    return_choices_to(form, reverse("partnerships:members", kwargs={"slug": partnership.slug}))
    return form


@partnership_view(rules.VIEW)
def member_list(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    return render(request, "partnerships/members.html", members_context(request, partnership))


@require_POST
@partnership_view(rules.MANAGE)
def membership_set(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    form = MembershipForm(request.POST)
    if form.is_valid():
        services.membership_set(actor=request.user, partnership=partnership, **form.cleaned_data)
        messages.success(request, _("Membership saved."))
        return redirect("partnerships:members", slug=partnership.slug)
    return render(
        request,
        "partnerships/members.html",
        members_context(request, partnership, membership_form=form),
        status=400,
    )


@require_POST
@partnership_view(rules.MANAGE)
def role_assign(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    form = RoleForm(request.POST, partnership=partnership)
    return form_page(
        request,
        form,
        lambda data: services.role_assign(actor=request.user, partnership=partnership, **data),
        "partnerships/members.html",
        lambda: members_context(request, partnership, role_form=form),
        success_message=_("Role given."),
        redirect_to=reverse("partnerships:members", kwargs={"slug": partnership.slug}),
    )


@require_POST
@partnership_view(rules.MANAGE)
def role_end(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    role = get_object_or_404(Role, pk=pk, partnership=partnership, ended_on__isnull=True)
    return post_action(
        request,
        lambda: services.role_end(actor=request.user, role=role),
        success_message=_("Role ended."),
        redirect_to=reverse("partnerships:members", kwargs={"slug": partnership.slug}),
    )


@partnership_view(rules.MANAGE)
def role_edit(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    role = get_object_or_404(
        Role.objects.select_related("user", "organisation"),
        pk=pk,
        partnership=partnership,
        ended_on__isnull=True,
    )
    initial = {
        "organisation": role.organisation,
        "representative_kind": role.representative_kind,
        "is_signatory": role.is_signatory,
        "title": role.title,
    }
    form = RoleEditForm(request.POST or None, initial=initial, partnership=partnership)
    if request.method == "POST":
        done = handle_form(
            request,
            form,
            lambda data: services.role_update(actor=request.user, role=role, **data),
            success_message=_("Role changed."),
            redirect_to=reverse("partnerships:members", kwargs={"slug": partnership.slug})
            + "#roles",
        )
        if done:
            return done
    return render(
        request,
        "partnerships/role_edit.html",
        {"form": form, "role": role},
        status=form_status(request),
    )


@partnership_view(rules.INVITE)
def invite(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    initial = {"organisation": request.GET.get("organisation", "")[:200]}
    form = InvitationForm(request.POST or None, initial=initial)
    return_choices_to(form, request.path)
    link = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        new_sector, new_number = data.pop("new_sector"), data.pop("new_org_number")
        try:
            with transaction.atomic():
                if isinstance(data["organisation"], NewOrganisation):
                    data["organisation"] = organisation_services.organisation_save(
                        actor=request.user,
                        organisation=Organisation(
                            name=data["organisation"].name,
                            sector=new_sector,
                            org_number=new_number,
                        ),
                    )
                _invitation, raw = invitations.invitation_create(
                    actor=request.user, partnership=partnership, **data
                )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            link = invitations.invitation_url(raw)
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
            form = InvitationForm()
            return_choices_to(form, request.path)
    recent = list(partnership.invitations.select_related("organisation", "invited_by")[:50])
    labels = dict(RoleKind.choices)
    for invitation in recent:
        invitation.kind_label = labels.get(invitation.kind, invitation.kind)  # type: ignore[attr-defined]
    return render(
        request,
        "partnerships/invite.html",
        {"form": form, "link": link, "invitations": recent},
        status=400 if form.is_bound and form.errors else 200,
    )


@partnership_view(rules.VIEW_AUDIT)
def audit_log(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    page = paginate(
        request, AuditEvent.objects.filter(partnership=partnership).select_related("actor"), 50
    )
    return render(request, "partnerships/audit_log.html", {"page": page})


@partnership_view(rules.VIEW)
def home_panel(request: AuthedRequest, partnership: Partnership, key: str) -> HttpResponse:
    """One home panel: the fragment for htmx, or a page of its own without JavaScript."""
    panel = panel_by_key(key)
    if panel is None:
        raise Http404
    ctx = panel.context(request, partnership)
    if getattr(request, "htmx", False):
        if ctx is None:
            return HttpResponse("")
        return render(request, panel.template, {"panel": ctx, "partnership": partnership})
    return render(
        request,
        "partnerships/panel_page.html",
        {"panel_template": panel.template, "panel": ctx, "title": panel_title(panel)},
    )


# --- ending the partnership well -----------------------------------------------------------


def _ending_page(
    request: AuthedRequest,
    partnership: Partnership,
    *,
    bound: tuple[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    ending = selectors.ending_of(partnership)
    links = services.agreement_links(partnership)
    can_manage = policy.has_capability(request.user, partnership, rules.MANAGE)
    missing = services.ending_missing(ending)
    steps = []
    for number, (key, stamp) in enumerate(services.ENDING_STEPS, start=1):
        prefix = key if key != "lessons" else "lessons"
        form = None
        if can_manage:
            if bound is not None and bound[0] == key:
                form = bound[1]
            else:
                initial = (
                    {f: getattr(ending, f) for f in services.ENDING_STEP_FIELDS[key]}
                    if ending is not None
                    else {}
                )
                if key == "mediator" and ending is not None:
                    initial["mediator_needed"] = "yes" if ending.mediator_needed else "no"
                kwargs: dict[str, Any] = {"links": links} if key == "agreement" else {}
                form = ENDING_FORMS[key](initial=initial, prefix=key, **kwargs)
        steps.append(
            {
                "key": key,
                "number": number,
                "title": _(services.ENDING_STEP_TITLES[key]),
                "at": getattr(ending, stamp) if ending is not None else None,
                "by": getattr(ending, f"{prefix}_by") if ending is not None else None,
                "open": key in missing,
                "form": form,
            }
        )
    reviewed = set(ending.agreement_ids) if ending is not None else set()
    return render(
        request,
        "partnerships/ending.html",
        {
            "ending": ending,
            "steps": steps,
            "missing": [_(services.ENDING_STEP_TITLES[k]) for k in missing],
            "can_manage": can_manage,
            "reviewed_agreements": [(t, u) for pk, t, u in links if pk in reviewed],
        },
        status=status,
    )


@partnership_view(rules.VIEW)
def ending(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    """The guided path to ending the partnership: managers record each step; members read."""
    return _ending_page(request, partnership)


@partnership_view(rules.MANAGE)
def ending_step(request: AuthedRequest, partnership: Partnership, step: str) -> HttpResponse:
    if step not in ENDING_FORMS:
        raise Http404
    kwargs: dict[str, Any] = (
        {"links": services.agreement_links(partnership)} if step == "agreement" else {}
    )
    form = ENDING_FORMS[step](request.POST or None, prefix=step, **kwargs)
    return handle_form(
        request,
        form,
        lambda data: services.ending_step_save(
            actor=request.user, partnership=partnership, step=step, **data
        ),
        success_message=_("Saved as a draft. You can change it until the partnership ends."),
        redirect_to=reverse("partnerships:ending", kwargs={"slug": partnership.slug})
        + f"#step-{step}",
    ) or _ending_page(request, partnership, bound=(step, form), status=form_status(request))


@require_POST
@partnership_view(rules.MANAGE)
def ending_end(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    return post_action(
        request,
        lambda: services.partnership_end(actor=request.user, partnership=partnership),
        success_message=_(
            "The partnership has ended. Its workspace is now read-only; the data room's "
            "end-of-partnership rules have been applied."
        ),
        redirect_to=partnership,
    )
