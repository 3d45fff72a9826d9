"""Single sign-on against a real OpenID Connect provider (django-oauth-toolkit) run in a
second process on 127.0.0.1: the whole redirect dance, with the provider's own ID
tokens, discovery document and keys."""

from __future__ import annotations

import os
import select
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.urls import reverse

from commonground.accounts.models import Invitation, User
from commonground.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from commonground.organisations.tests.factories import OrganisationFactory
from commonground.partnerships import invitations as invitation_services

pytestmark = pytest.mark.django_db

CLIENT_ID = "common-ground-test"
CLIENT_SECRET = "a-test-client-secret-0123456789"
CALLBACK = "http://testserver/accounts/oidc/sso/login/callback/"
REPO = Path(__file__).resolve().parents[3]


@dataclass
class Provider:
    url: str  # the issuer, http://127.0.0.1:<port>/o

    @property
    def root(self) -> str:
        return self.url.removesuffix("/o")

    def set_mode(self, mode: str) -> None:
        session = requests.Session()
        session.trust_env = False
        session.post(f"{self.root}/test-mode/", data={"id_token": mode}, timeout=10)


@pytest.fixture(scope="module")
def provider(tmp_path_factory) -> Iterator[Provider]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    env = {
        **os.environ,
        "OIDC_TEST_DB": str(tmp_path_factory.mktemp("oidc") / "provider.sqlite3"),
        "OIDC_TEST_KEY": pem,
        "OIDC_TEST_CLIENT_ID": CLIENT_ID,
        "OIDC_TEST_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_TEST_REDIRECT_URI": CALLBACK,
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "commonground.accounts.tests.oidc_provider.serve"],
        cwd=REPO,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        ready, _, _ = select.select([process.stdout], [], [], 60)
        assert ready, "the test identity provider did not start within 60 s"
        assert process.stdout is not None
        port = int(process.stdout.readline())
        yield Provider(url=f"http://127.0.0.1:{port}/o")
    finally:
        assert process.stdin is not None
        process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture
def sso(provider, settings, monkeypatch) -> Provider:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "sso",
                    "name": "Fjordvik ID",
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "settings": {"server_url": provider.url, "oauth_pkce_enabled": True},
                }
            ]
        }
    }
    provider.set_mode("")
    yield provider
    provider.set_mode("")


def sso_sign_in(client, provider: Provider, email: str, *, name="Kari Nordmann", verified=True):
    """The redirect dance: our login view → the provider's authorize endpoint (the
    person is signed in there) → our callback, which fetches and checks the tokens."""
    browser = requests.Session()  # the person's browser at the identity provider
    browser.trust_env = False
    browser.post(
        f"{provider.root}/test-login/",
        data={"email": email, "name": name, "verified": "1" if verified else "0"},
        timeout=10,
    ).raise_for_status()
    start = client.post(reverse("openid_connect_login", kwargs={"provider_id": "sso"}))
    assert start.status_code == 302
    assert start["Location"].startswith(f"{provider.url}/authorize/")
    answer = browser.get(start["Location"], allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text[:500]
    callback = answer.headers["Location"]
    assert callback.startswith(CALLBACK + "?code=")
    return client.get(callback.removeprefix("http://testserver"))


def signed_in_user(client) -> User | None:
    pk = client.session.get("_auth_user_id")
    return User.objects.get(pk=pk) if pk else None


def invite(world, email: str):
    invitation, _raw = invitation_services.invitation_create(
        actor=world.users["manager"],
        partnership=world.partnership,
        email=email,
        kind="representative",
        organisation=OrganisationFactory(name="Bike Kitchen"),
        representative_kind="doer",
    )
    return invitation


def test_an_invited_person_signs_in_through_the_provider_and_joins(sso, client, world):
    invitation = invite(world, "nora@elsewhere.example")
    response = sso_sign_in(client, sso, "Nora@Elsewhere.example", name="Nora Berg")
    assert response.status_code == 302, response.content[:1000]
    user = signed_in_user(client)
    assert user is not None
    assert (user.email, user.display_name) == ("nora@elsewhere.example", "Nora Berg")
    assert not user.has_usable_password()
    assert user.organisation == invitation.organisation
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert world.partnership.roles.filter(user=user, kind="representative").exists()
    assert client.get(world.partnership.get_absolute_url()).status_code == 200


def test_an_allowed_domain_gets_an_account_in_its_organisation(sso, client):
    city = OrganisationFactory(name="Fjordvik kommune", email_domains="fjordvik.kommune.no")
    response = sso_sign_in(client, sso, "kari@fjordvik.kommune.no")
    assert response.status_code == 302
    user = signed_in_user(client)
    assert user is not None and user.organisation == city
    # The next sign-in finds the same account through the provider's subject.
    client.logout()
    assert sso_sign_in(client, sso, "kari@fjordvik.kommune.no").status_code == 302
    assert signed_in_user(client) == user
    assert User.objects.filter(email="kari@fjordvik.kommune.no").count() == 1


def test_an_existing_account_is_linked_and_keeps_its_password(sso, client):
    person = UserFactory(email="tor@elsewhere.example")
    assert sso_sign_in(client, sso, "tor@elsewhere.example").status_code == 302
    assert signed_in_user(client) == person
    assert SocialAccount.objects.get(user=person).provider == "sso"
    person.refresh_from_db()
    assert person.check_password(DEFAULT_PASSWORD)


def test_a_domain_not_allowed_is_refused_and_no_account_is_made(sso, client):
    OrganisationFactory(name="Fjordvik kommune", email_domains="fjordvik.kommune.no")
    response = sso_sign_in(client, sso, "ola@elsewhere.example")
    assert response.status_code == 403
    assert b"no organisation on this site lets people from elsewhere.example" in (response.content)
    assert signed_in_user(client) is None
    assert not User.objects.filter(email="ola@elsewhere.example").exists()
    assert not SocialAccount.objects.exists()


def test_an_address_the_provider_did_not_verify_is_refused(sso, client, world):
    invite(world, "nora@elsewhere.example")
    response = sso_sign_in(client, sso, "nora@elsewhere.example", verified=False)
    assert response.status_code == 403
    assert b"did not confirm an email address" in response.content
    assert not User.objects.filter(email="nora@elsewhere.example").exists()


@pytest.mark.parametrize("mode", ["wrong-audience", "expired"])
def test_an_id_token_for_another_audience_or_expired_is_refused(sso, client, mode):
    OrganisationFactory(name="Fjordvik kommune", email_domains="fjordvik.kommune.no")
    sso.set_mode(mode)
    response = sso_sign_in(client, sso, "kari@fjordvik.kommune.no")
    assert response.status_code == 403
    assert b"could not be accepted" in response.content
    assert signed_in_user(client) is None
    assert not User.objects.filter(email="kari@fjordvik.kommune.no").exists()


def test_with_password_sign_in_off_only_the_button_is_left(sso, client, settings, world):
    settings.COMMONGROUND_PASSWORD_SIGN_IN = False
    UserFactory(email="kari@example.org")
    page = client.get(reverse("account_login"))
    assert b"Sign in with Fjordvik ID" in page.content
    assert b'type="password"' not in page.content
    response = client.post(
        reverse("account_login"), {"login": "kari@example.org", "password": DEFAULT_PASSWORD}
    )
    assert signed_in_user(client) is None
    assert b"Signing in with a password is switched off" in response.content
    # No other way in with the password (the admin's form uses the same backends).
    assert authenticate(None, email="kari@example.org", password=DEFAULT_PASSWORD) is None
    assert client.get(reverse("account_reset_password")).status_code == 404
    reset_key = reverse("account_reset_password_from_key", kwargs={"uidb36": "1", "key": "x"})
    assert client.get(reset_key).status_code == 404
    # An invitation to a new person offers the button, not a password form.
    _invitation, raw = invitation_services.invitation_create(
        actor=world.users["manager"],
        partnership=world.partnership,
        email="new@example.org",
        kind="observer",
    )
    url = reverse("accounts:invitation", kwargs={"token": raw})
    page = client.get(url)
    assert b"Sign in with Fjordvik ID" in page.content
    assert b'type="password"' not in page.content
    client.post(
        url, {"display_name": "X", "password1": "a-long-pass-42", "password2": "a-long-pass-42"}
    )
    assert not User.objects.filter(email="new@example.org").exists()


def test_with_password_sign_in_on_both_ways_are_offered(sso, client):
    UserFactory(email="kari@example.org")
    page = client.get(reverse("account_login"))
    assert b"Sign in with Fjordvik ID" in page.content
    assert b'type="password"' in page.content
    assert client.get(reverse("account_reset_password")).status_code == 200
    assert authenticate(None, email="kari@example.org", password=DEFAULT_PASSWORD) is not None


def test_email_domains_are_checked_and_belong_to_one_organisation():
    OrganisationFactory(name="Fjordvik kommune", email_domains="fjordvik.kommune.no")
    other = OrganisationFactory.build(name="Fjordvik IKT", email_domains="FJORDVIK.kommune.no")
    with pytest.raises(ValidationError, match="already belongs to Fjordvik kommune"):
        other.clean()
    other.email_domains = "ikt.fjordvik.no, not a domain"
    with pytest.raises(ValidationError, match="is not a domain name"):
        other.clean()
    other.email_domains = " IKT.fjordvik.no ,, ikt2.fjordvik.no"
    other.clean()
    assert other.email_domains == "ikt.fjordvik.no, ikt2.fjordvik.no"


def test_an_invitation_is_still_taken_by_its_link_only_once(sso, client, world):
    invitation = invite(world, "nora@elsewhere.example")
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=invitation.created_at)
    response = sso_sign_in(client, sso, "nora@elsewhere.example")
    assert response.status_code == 403
    assert not User.objects.filter(email="nora@elsewhere.example").exists()


def test_a_session_naming_the_first_backend_finds_its_user(client, db):
    """The password switch is the first backend; a session that names it (as a
    hand-made or force_login session does) must still find its user, not fail."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.urls import reverse

    from commonground.accounts.tests.factories import UserFactory

    user = UserFactory()
    session = client.session
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 200
    assert response.wsgi_request.user == user
