from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.core import hooks
from commonground.core.http import AuthedRequest

from . import services
from .forms import ApiTokenForm, InvitationSignupForm, ProfileForm
from .models import User
from .sso import password_sign_in_enabled


def profile(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    roles = user.partnership_roles.filter(ended_on__isnull=True).select_related(
        "partnership", "organisation"
    )  # type: ignore[union-attr]
    return render(request, "accounts/profile.html", {"form": form, "roles": roles})


def tokens(request: AuthedRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = services.api_token_create(
            user=request.user, name=form.cleaned_data["name"]
        )  # type: ignore[arg-type]
        form = ApiTokenForm()
    tokens = request.user.api_tokens.filter(revoked_at__isnull=True)  # type: ignore[union-attr]
    return render(
        request, "accounts/tokens.html", {"form": form, "tokens": tokens, "new_token": new_token}
    )


@require_POST
def token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(request.user.api_tokens, pk=pk, revoked_at__isnull=True)  # type: ignore[union-attr]
    services.api_token_revoke(user=request.user, token=token)  # type: ignore[arg-type]
    messages.success(request, _("The token is revoked."))
    return redirect("accounts:tokens")


@login_not_required
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation: sign in (or create an account) and take up the role."""
    invitation = services.invitation_by_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    if not invitation.is_open:
        return render(
            request, "accounts/invitation_invalid.html", {"invitation": invitation}, status=410
        )
    existing = User.objects.filter(email__iexact=invitation.email).first()
    form = None
    error = None
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                hooks.call(hooks.INVITATION_ACCEPT, invitation=invitation, user=request.user)
            except ValidationError as exc:
                error = exc.messages[0]
            else:
                messages.success(
                    request, _("Welcome to %(name)s.") % {"name": invitation.partnership.name}
                )
                return redirect(invitation.partnership.get_absolute_url())
    elif existing is None and password_sign_in_enabled():
        form = InvitationSignupForm(request.POST or None, email=invitation.email)
        if request.method == "POST" and form.is_valid():
            with transaction.atomic():
                user = User.objects.create_user(
                    invitation.email,
                    form.cleaned_data["password1"],
                    display_name=form.cleaned_data["display_name"],
                    organisation=invitation.organisation,
                    language=request.LANGUAGE_CODE
                    if request.LANGUAGE_CODE in ("en", "nb")
                    else "en",
                )
                hooks.call(hooks.INVITATION_ACCEPT, invitation=invitation, user=user)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, _("Welcome to %(name)s.") % {"name": invitation.partnership.name}
            )
            return redirect(invitation.partnership.get_absolute_url())
    return render(
        request,
        "accounts/invitation.html",
        {"invitation": invitation, "form": form, "existing": existing, "error": error},
    )
