import logging

import pytest
from django.urls import reverse

from commonground.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def sign_in(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_sign_in_with_the_right_password_rotates_the_session(client):
    UserFactory(email="kari@example.org")
    client.get(reverse("account_login"))
    before = client.session.session_key
    response = sign_in(client, "kari@example.org", DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert client.session.session_key != before
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_five_failures_lock_the_account_for_a_while(client, caplog):
    UserFactory(email="kari@example.org")
    with caplog.at_level(logging.WARNING, logger="commonground.security"):
        for _ in range(5):
            response = sign_in(client, "kari@example.org", "wrong-password")
            assert response.status_code == 200
    assert sum("sign-in refused" in r.message for r in caplog.records) == 5
    # Even the right password is refused now, with a clear message.
    response = sign_in(client, "kari@example.org", DEFAULT_PASSWORD)
    assert response.status_code in (200, 429)
    assert b"Too many failed" in response.content
    assert "_auth_user_id" not in client.session


def test_open_sign_up_is_closed(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "a@example.org", "password1": "x-long-pass-12", "password2": "x-long-pass-12"},
    )
    assert b"closed" in response.content.lower()


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    response = client.get(world.partnership.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
