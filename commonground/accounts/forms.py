from __future__ import annotations

from typing import Any

from allauth.account import forms as allauth_forms
from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from .models import User


class LoginForm(allauth_forms.LoginForm):
    """allauth's sign-in form; refuses at once when password sign-in is switched off."""

    def clean(self) -> dict[str, Any]:
        from .sso import password_sign_in_enabled

        if not password_sign_in_enabled():
            raise forms.ValidationError(
                _("Signing in with a password is switched off here. Use single sign-on.")
            )
        return super().clean()


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "title", "organisation", "phone", "language", "bio"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}


class InvitationSignupForm(forms.Form):
    display_name = forms.CharField(label=_("Your name"), max_length=120)
    password1 = forms.CharField(
        label=_("Choose a password"), widget=forms.PasswordInput, strip=False
    )
    password2 = forms.CharField(
        label=_("Repeat the password"), widget=forms.PasswordInput, strip=False
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            try:
                password_validation.validate_password(
                    p1, User(email=self.email, display_name=data.get("display_name", ""))
                )
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=80, help_text=_("E.g. “data team import script”.")
    )
